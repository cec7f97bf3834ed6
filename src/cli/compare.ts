// `podbench compare <baseline> <current>`: per variant and metric, the change and a verdict;
// exit 1 on a regression, 2 when the two cannot be compared.
import { appendFileSync, writeFileSync } from 'node:fs';
import { checkComparable, compareStats } from '../checks/compare.js';
import { readStats, readToleranceFile } from '../checks/inputs.js';
import { renderConsole } from '../checks/render-console.js';
import { renderJunit } from '../checks/render-junit.js';
import { renderMarkdown } from '../checks/render-markdown.js';
import { renderJson, type CheckReport } from '../checks/report.js';
import { compareSettings } from '../checks/tolerance.js';
import { ExitCode } from '../core/errors.js';
import { defineCommand } from './command.js';

const RENDERERS = { console: renderConsole, markdown: renderMarkdown, junit: renderJunit, json: renderJson } as const;
type Format = keyof typeof RENDERERS;

interface CompareArgs {
  baseline: string;
  current: string;
  metric?: string[];
  tolerance?: string[];
  tolerances?: string;
  format: Format;
  markdown?: string;
  junit?: string;
  json?: string;
  allowScenarioChange: boolean;
}

export const compareCommand = defineCommand<CompareArgs>({
  command: 'compare <baseline> <current>',
  describe: 'Compare a run with a baseline: per variant and metric, better / same / worse (exit 1 on a regression)',
  builder: (y) =>
    y
      .positional('baseline', {
        type: 'string',
        describe: 'Baseline file (--save-baseline), summary.json, aggregate.json or run folder',
        demandOption: true,
      })
      .positional('current', {
        type: 'string',
        describe: 'The run to judge: the same kinds of input',
        demandOption: true,
      })
      .option('metric', {
        type: 'string',
        array: true,
        describe: 'Compare these metrics instead of the default set (repeatable)',
      })
      .option('tolerance', {
        type: 'string',
        array: true,
        describe: 'Band of a metric: warm.ttftMs.p95=15%, errorRate=0.02, *=20% (repeatable)',
      })
      .option('tolerances', {
        type: 'string',
        describe: 'YAML/JSON file: {metrics: [...], tolerances: {metric: band}}',
      })
      .option('format', {
        type: 'string',
        choices: Object.keys(RENDERERS),
        default: 'console',
        describe: 'What to print on stdout',
      })
      .option('markdown', { type: 'string', describe: 'Also write Markdown to this file' })
      .option('junit', { type: 'string', describe: 'Also write JUnit XML to this file' })
      .option('json', { type: 'string', describe: 'Also write JSON to this file' })
      .option('allow-scenario-change', {
        type: 'boolean',
        default: false,
        describe: "Compare even though the scenario file (same name) or a variant's load changed",
      })
      .example('$0 compare baseline.json reports/20261126-101500-quick', 'A run against the stored baseline')
      .example(
        '$0 compare a/summary.json b/summary.json --tolerance warm.ttftMs.p95=20% --junit compare.xml',
        'Custom band, JUnit for CI',
      ),
  run: async (args) => {
    const settings = compareSettings({
      metricFlags: args.metric ?? [],
      toleranceFlags: args.tolerance ?? [],
      ...(args.tolerances !== undefined ? { file: readToleranceFile(args.tolerances) } : {}),
    });
    const baseline = readStats(args.baseline);
    const current = readStats(args.current);
    const labels = { baseline: args.baseline, current: args.current };
    checkComparable(baseline, current, labels, args.allowScenarioChange);
    const comparison = compareStats(baseline, current, settings, labels);
    const report: CheckReport = {
      scenario: current.scenario.name,
      subject: `${args.current} against ${args.baseline}`,
      thresholds: [],
      comparison,
    };
    process.stdout.write(RENDERERS[args.format](report));
    if (args.markdown !== undefined) writeFileSync(args.markdown, renderMarkdown(report));
    if (args.junit !== undefined) writeFileSync(args.junit, renderJunit(report));
    if (args.json !== undefined) writeFileSync(args.json, renderJson(report));
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) appendFileSync(stepSummary, `${renderMarkdown(report)}\n`);
    return comparison.regressions > 0 ? ExitCode.checkFailed : ExitCode.ok;
  },
});
