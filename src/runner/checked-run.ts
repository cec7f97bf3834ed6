// `podbench run` with its CI checks around runScenario: --repeat N (one folder holding
// run-1..run-N and aggregate.json), thresholds over the repeats' means, --baseline (compare
// in one step, the page of the run leading with the comparison), --save-baseline, and the
// same output flags as compare (--format, --markdown, --junit, --json). Orchestration and
// files only; the numbers and verdicts come from src/checks.
import { existsSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkComparable, compareStats } from '../checks/compare.js';
import { readStats, readToleranceFile } from '../checks/inputs.js';
import { measuredFields } from '../checks/provenance.js';
import { renderConsole, thresholdLines } from '../checks/render-console.js';
import { renderJunit } from '../checks/render-junit.js';
import { renderMarkdown } from '../checks/render-markdown.js';
import { checkFailures, renderJson, type CheckReport } from '../checks/report.js';
import { runStats, statsVariants, type RunStats } from '../checks/run-stats.js';
import { evaluateThresholds, parseThresholds, thresholdsForRun } from '../checks/thresholds.js';
import { checkSlos } from '../checks/slo.js';
import { compareSettings, type CompareSettings } from '../checks/tolerance.js';
import { ExitCode } from '../core/errors.js';
import { AGGREGATE_FILE, CHECK_FILES, repeatRunDir } from '../core/run-folder.js';
import { SCHEMA_VERSION, type RunSummary, type ThresholdResult } from '../core/summary.js';
import type { RequestTable } from '../metrics/request-table.js';
import { resolveTarget } from '../runpod/target.js';
import { loadScenarioFile } from '../scenario/load.js';
import { describeLoad } from '../schedule/describe.js';
import { buildReports } from './build-reports.js';
import { renderFor, writeCheckFiles, type CheckOutputOptions } from './check-outputs.js';
import { createRunDir, runIdFor } from './run-dir.js';
import { checkOutputFiles } from '../util/output-file.js';
import { effectiveScenario, runScenario, type RunOptions } from './run.js';

export interface CheckedRunOptions extends RunOptions, CheckOutputOptions {
  /** Run the scenario this many times (>= 1). */
  repeat: number;
  /** A baseline (or any summary/aggregate) to compare the new run with. */
  baseline?: string;
  /** Compare with a baseline of another workload (the fields that differ are listed, not refused). */
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

interface Baseline {
  label: string;
  stats: RunStats;
  allowScenarioChange: boolean;
  settings: CompareSettings;
}

function compareWithBaseline(baseline: Baseline, stats: RunStats, current: string): CheckReport['comparison'] {
  const labels = { baseline: baseline.label, current };
  checkComparable(baseline.stats, stats, labels, baseline.allowScenarioChange);
  return compareStats(baseline.stats, stats, baseline.settings, labels);
}

/** The scenario as it will run, its thresholds (the file's and the flags') parsed: what can be wrong with it, found before a run. */
export function loadCheckedScenario(
  options: Pick<CheckedRunOptions, 'scenarioFile' | 'overrides' | 'thresholds'>,
): ReturnType<typeof loadScenarioFile> {
  const loaded = loadScenarioFile(options.scenarioFile, options.overrides);
  thresholdsForRun(
    loaded.file,
    loaded.variants.map((v) => ({ name: v.name, thresholds: v.scenario.thresholds })),
    options.thresholds ?? [],
  );
  // The SLOs too (goodput's and a sweep's), named as the user gave them: --slo or the file's slo[i].
  const flag = [...options.overrides].reverse().find((o) => o.path === 'slo');
  for (const slo of new Set(loaded.variants.map((v) => v.scenario.slo)))
    checkSlos(slo, (i) => (flag?.origin !== undefined ? flag.origin : `${loaded.file}: slo[${i}]`));
  return loaded;
}

export async function runChecked(options: CheckedRunOptions): Promise<CheckedRunOutcome> {
  // Everything that can be wrong with the check inputs is found before a request is sent.
  // The files the checks are written to at the end, found writable before a request is sent.
  checkOutputFiles(
    [
      ['--save-baseline', options.saveBaseline],
      ['--markdown', options.markdownFile],
      ['--junit', options.junitFile],
      ['--json', options.jsonFile],
    ],
    options.out,
  );
  const settings = compareSettings({
    toleranceFlags: options.toleranceFlags ?? [],
    ...(options.tolerancesFile !== undefined ? { file: readToleranceFile(options.tolerancesFile) } : {}),
  });
  const baseline: Baseline | undefined =
    options.baseline !== undefined
      ? {
          label: options.baseline,
          stats: await readStats(options.baseline),
          allowScenarioChange: options.allowScenarioChange ?? false,
          settings,
        }
      : undefined;
  const loaded = loadCheckedScenario(options);
  if (baseline) {
    // The run as planned, against the baseline: another workload is refused before a request is sent.
    const planned: RunStats = {
      ...baseline.stats,
      schemaVersion: SCHEMA_VERSION,
      scenario: { name: loaded.name, sha256: loaded.sha256 },
      variants: loaded.variants.map((v) => ({
        name: v.name,
        load: describeLoad(v.plan),
        effective: measuredFields(effectiveScenario(v), resolveTarget(v.scenario, loaded.file).kind),
        metrics: {},
      })),
    };
    checkComparable(
      baseline.stats,
      planned,
      { baseline: baseline.label, current: 'this run' },
      baseline.allowScenarioChange,
    );
  }
  // With another format on stdout (junit, json...), the run's own tables go to stderr: stdout holds that format alone.
  const format = options.format ?? 'console';
  const runOut = format === 'console' ? options.stdout : options.stderr;

  let runDir: string;
  const summaries: RunSummary[] = [];
  const tables: Array<Record<string, RequestTable>> = [];
  let comparison: CheckReport['comparison'];
  if (options.repeat <= 1) {
    // The comparison is made as the reports are built, so that report.html leads with it.
    let problem: unknown;
    const outcome = await runScenario({
      ...options,
      stdout: runOut,
      ...(baseline
        ? {
            compare: (summary: RunSummary, byVariant: Record<string, RequestTable>) => {
              try {
                comparison = compareWithBaseline(baseline, runStats([summary], [byVariant]), options.out ?? 'this run');
                return { scenario: loaded.name, subject: 'this run', thresholds: summary.thresholds ?? [], comparison };
              } catch (err) {
                problem = err;
                return undefined;
              }
            },
          }
        : {}),
    });
    if (outcome.exitCode === ExitCode.runFailed) return { exitCode: outcome.exitCode, runDir: outcome.runDir };
    if (problem !== undefined) throw problem;
    runDir = outcome.runDir;
    summaries.push(outcome.summary);
    tables.push(outcome.tables);
    // The labels name the folder now that it is known.
    if (comparison) comparison.current.label = runDir;
  } else {
    const existed = options.out !== undefined && existsSync(options.out);
    runDir = createRunDir(options.reportsRoot, runIdFor(new Date(), loaded.name), options.out).dir;
    for (let i = 1; i <= options.repeat; i++) {
      runOut.write(`\n== run ${i} of ${options.repeat}\n`);
      const outcome = await runScenario({ ...options, stdout: runOut, out: join(runDir, repeatRunDir(i)) }).catch(
        (err: unknown) => {
          // A problem the first run finds before sending (an engine check) leaves no empty folder behind.
          if (i === 1 && !existed && readdirSync(runDir).length === 0) rmdirSync(runDir);
          throw err;
        },
      );
      if (outcome.exitCode === ExitCode.runFailed) {
        options.stderr.write(`podbench: run ${i} of ${options.repeat} did not complete; no aggregate was written.\n`);
        return { exitCode: outcome.exitCode, runDir };
      }
      summaries.push(outcome.summary);
      tables.push(outcome.tables);
    }
  }

  const stats = runStats(summaries, tables);
  const thresholds = repeatThresholds(summaries, stats);
  if (options.repeat > 1) {
    writeFileSync(
      join(runDir, AGGREGATE_FILE),
      `${JSON.stringify({ ...stats, ...(thresholds.length > 0 ? { thresholds } : {}) }, null, 2)}\n`,
    );
    runOut.write(
      `\n${options.repeat} runs: ${join(runDir, AGGREGATE_FILE)} holds each metric's mean and 95% confidence interval\n`,
    );
    if (thresholds.length > 0)
      runOut.write(`thresholds over the ${options.repeat} runs (their mean):\n${thresholdLines(thresholds)}\n`);
    if (baseline) comparison = compareWithBaseline(baseline, stats, runDir);
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
    if (format === 'console') {
      // The thresholds were printed under each run's table; print the comparison in full.
      options.stdout.write(`\n${renderConsole(report, { thresholds: false })}`);
    }
    runOut.write(`checks: ${runDir}/ (${Object.values(CHECK_FILES).join(', ')})\n`);
    // Each run of a repeat leads its page with the comparison it took part in (now in the folder's checks.json).
    if (options.repeat > 1 && comparison) {
      for (let i = 1; i <= options.repeat; i++) await buildReports(join(runDir, repeatRunDir(i)));
    }
  }
  if (format !== 'console') options.stdout.write(renderFor(report, format));
  // The job summary gets the checks when there are any; files asked for by name are always written.
  writeCheckFiles(report, options, thresholds.length > 0 || comparison ? options.env : {});
  if (options.saveBaseline !== undefined) {
    if (failures === 0) {
      writeFileSync(options.saveBaseline, `${JSON.stringify(stats, null, 2)}\n`);
      runOut.write(`baseline saved: ${options.saveBaseline}\n`);
      const shrunk = baselineShrinkNote(
        options.saveBaseline,
        options.baseline,
        baseline?.stats.runs.length,
        stats.runs.length,
      );
      if (shrunk) options.stderr.write(`podbench: note: ${shrunk}\n`);
    } else {
      options.stderr.write(
        `podbench: the checks failed, so ${options.saveBaseline} was not written (a regression must not become the baseline)\n`,
      );
    }
  }
  return { exitCode: failures > 0 ? ExitCode.checkFailed : ExitCode.ok, runDir, stats, report };
}

/**
 * The baseline just compared with, replaced by one of fewer runs (--baseline b.json
 * --save-baseline b.json without the --repeat it was saved with): checks against it see more
 * noise and detect less from now on, which the user may not have meant. Undefined otherwise.
 */
export function baselineShrinkNote(
  savedTo: string,
  comparedWith: string | undefined,
  runsBefore: number | undefined,
  runsNow: number,
): string | undefined {
  if (comparedWith === undefined || runsBefore === undefined || resolve(savedTo) !== resolve(comparedWith))
    return undefined;
  if (runsNow >= runsBefore) return undefined;
  return `${savedTo} held ${runsBefore} runs and now holds ${runsNow}: later checks against it see more noise and detect less (--repeat ${runsBefore} saves a baseline of ${runsBefore})`;
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
