// `podbench run` with its CI checks around runScenario: --repeat N (one folder holding
// run-1..run-N and aggregate.json), thresholds over the repeats' means, --baseline (compare
// in one step) and --save-baseline. Orchestration and files only; the numbers and verdicts
// come from src/checks.
import { appendFileSync, existsSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkComparable, compareStats } from '../checks/compare.js';
import { describeLoad } from '../schedule/describe.js';
import { readStats, readToleranceFile } from '../checks/inputs.js';
import { renderConsole, thresholdLines } from '../checks/render-console.js';
import { renderJunit } from '../checks/render-junit.js';
import { renderMarkdown } from '../checks/render-markdown.js';
import { checkFailures, renderJson, type CheckReport } from '../checks/report.js';
import { runStats, statsVariants, type RunStats } from '../checks/run-stats.js';
import { evaluateThresholds, parseThresholds, thresholdsForRun } from '../checks/thresholds.js';
import { compareSettings } from '../checks/tolerance.js';
import { ExitCode } from '../core/errors.js';
import { AGGREGATE_FILE, CHECK_FILES, repeatRunDir } from '../core/run-folder.js';
import { SCHEMA_VERSION, type RunSummary, type ThresholdResult } from '../core/summary.js';
import { loadScenarioFile } from '../scenario/load.js';
import { createRunDir, runIdFor } from './run-dir.js';
import { runScenario, type RunOptions } from './run.js';

export interface CheckedRunOptions extends RunOptions {
  /** Run the scenario this many times (>= 1). */
  repeat: number;
  /** A baseline (or any summary/aggregate) to compare the new run with. */
  baseline?: string;
  /** Compare with a baseline of an edited scenario file (same name). */
  allowScenarioChange?: boolean;
  /** Where to write this run's statistics as the next baseline (only when every check passed). */
  saveBaseline?: string;
  toleranceFlags?: string[];
  tolerancesFile?: string;
}

export interface CheckedRunOutcome {
  exitCode: number;
  /** The run folder, or the folder holding the repeats. */
  runDir: string;
  stats?: RunStats;
  report?: CheckReport;
}

export async function runChecked(options: CheckedRunOptions): Promise<CheckedRunOutcome> {
  // Everything that can be wrong with the check inputs is found before a request is sent.
  const settings = compareSettings({
    toleranceFlags: options.toleranceFlags ?? [],
    ...(options.tolerancesFile !== undefined ? { file: readToleranceFile(options.tolerancesFile) } : {}),
  });
  const baseline = options.baseline !== undefined ? readStats(options.baseline) : undefined;
  const loaded = loadScenarioFile(options.scenarioFile, options.overrides);
  thresholdsForRun(
    loaded.file,
    loaded.variants.map((v) => ({ name: v.name, thresholds: v.scenario.thresholds })),
    options.thresholds ?? [],
  );
  if (baseline && options.baseline !== undefined) {
    const planned: RunStats = {
      ...baseline,
      schemaVersion: SCHEMA_VERSION,
      scenario: { name: loaded.name, sha256: loaded.sha256 },
      variants: loaded.variants.map((v) => ({ name: v.name, load: describeLoad(v.plan), metrics: {} })),
    };
    checkComparable(
      baseline,
      planned,
      { baseline: options.baseline, current: 'this run' },
      options.allowScenarioChange,
    );
  }

  let runDir: string;
  let summaries: RunSummary[];
  if (options.repeat <= 1) {
    const outcome = await runScenario(options);
    if (outcome.exitCode === ExitCode.runFailed) return { exitCode: outcome.exitCode, runDir: outcome.runDir };
    runDir = outcome.runDir;
    summaries = [outcome.summary];
  } else {
    const existed = options.out !== undefined && existsSync(options.out);
    runDir = createRunDir(options.reportsRoot, runIdFor(new Date(), loaded.name), options.out).dir;
    summaries = [];
    for (let i = 1; i <= options.repeat; i++) {
      options.stdout.write(`\n== run ${i} of ${options.repeat}\n`);
      const outcome = await runScenario({ ...options, out: join(runDir, repeatRunDir(i)) }).catch((err: unknown) => {
        // A problem the first run finds before sending (an engine check) leaves no empty folder behind.
        if (i === 1 && !existed && readdirSync(runDir).length === 0) rmdirSync(runDir);
        throw err;
      });
      if (outcome.exitCode === ExitCode.runFailed) {
        options.stderr.write(`podbench: run ${i} of ${options.repeat} did not complete; no aggregate was written.\n`);
        return { exitCode: outcome.exitCode, runDir };
      }
      summaries.push(outcome.summary);
    }
  }

  const stats = runStats(summaries);
  const thresholds = repeatThresholds(summaries, stats);
  if (options.repeat > 1) {
    writeFileSync(
      join(runDir, AGGREGATE_FILE),
      `${JSON.stringify({ ...stats, ...(thresholds.length > 0 ? { thresholds } : {}) }, null, 2)}\n`,
    );
    options.stdout.write(
      `\n${options.repeat} runs: ${join(runDir, AGGREGATE_FILE)} holds each metric's mean and 95% confidence interval\n`,
    );
    if (thresholds.length > 0)
      options.stdout.write(`thresholds over the ${options.repeat} runs (their mean):\n${thresholdLines(thresholds)}\n`);
  }
  let comparison: CheckReport['comparison'];
  if (baseline && options.baseline !== undefined) {
    const labels = { baseline: options.baseline, current: runDir };
    checkComparable(baseline, stats, labels, options.allowScenarioChange);
    comparison = compareStats(baseline, stats, settings, labels);
  }

  const report: CheckReport = {
    scenario: loaded.name,
    subject: runDir,
    thresholds,
    ...(comparison ? { comparison } : {}),
  };
  const failures = checkFailures(report);
  if (thresholds.length > 0 || comparison) {
    writeFileSync(join(runDir, CHECK_FILES.markdown), renderMarkdown(report));
    writeFileSync(join(runDir, CHECK_FILES.junit), renderJunit(report));
    writeFileSync(join(runDir, CHECK_FILES.json), renderJson(report));
    // The thresholds were printed under each run's table; print the comparison in full.
    options.stdout.write(`\n${renderConsole(report, { thresholds: false })}`);
    options.stdout.write(`checks: ${runDir}/ (${Object.values(CHECK_FILES).join(', ')})\n`);
    const stepSummary = options.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) appendFileSync(stepSummary, `${renderMarkdown(report)}\n`);
  }
  if (options.saveBaseline !== undefined) {
    if (failures === 0) {
      writeFileSync(options.saveBaseline, `${JSON.stringify(stats, null, 2)}\n`);
      options.stdout.write(`baseline saved: ${options.saveBaseline}\n`);
    } else {
      options.stderr.write(
        `podbench: the checks failed, so ${options.saveBaseline} was not written (a regression must not become the baseline)\n`,
      );
    }
  }
  return { exitCode: failures > 0 ? ExitCode.checkFailed : ExitCode.ok, runDir, stats, report };
}

/** One run: its own results. Repeats: the recorded expressions against the runs' means. */
function repeatThresholds(summaries: readonly RunSummary[], stats: RunStats): ThresholdResult[] {
  const first = summaries[0];
  if (!first) return [];
  if (summaries.length === 1) return first.thresholds ?? [];
  const expressions = first.run.thresholds ?? [];
  if (expressions.length === 0) return [];
  const parsed = parseThresholds(expressions.map((text, i) => ({ text, origin: `run.json: thresholds[${i}]` })));
  return evaluateThresholds(parsed, statsVariants(stats));
}
