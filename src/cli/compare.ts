// `podbench compare <baseline> <current>`: per variant and metric, the change and a verdict;
// exit 1 on a regression, 2 when the two cannot be compared.
import { checkComparable, compareStats } from '../checks/compare.js';
import { readStats, readToleranceFile } from '../checks/inputs.js';
import type { CheckFormat } from '../checks/render.js';
import type { CheckReport } from '../checks/report.js';
import { compareSettings } from '../checks/tolerance.js';
import { ExitCode } from '../core/errors.js';
import { renderFor, writeCheckFiles } from '../runner/check-outputs.js';
import { defineCommand } from './command.js';
import { checkOutputFlags } from './output-flags.js';
import { checkOutputFiles } from '../util/output-file.js';

interface CompareArgs {
  baseline: string;
  current: string;
  metric?: string[];
  tolerance?: string[];
  tolerances?: string;
  format: CheckFormat;
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
      .options(checkOutputFlags())
      .option('allow-scenario-change', {
        type: 'boolean',
        default: false,
        describe: 'Compare even though the two runs measured another workload (the differing fields are listed)',
      })
      .example('$0 compare baseline.json reports/20261126-101500-quick', 'A run against the stored baseline')
      .example(
        '$0 compare a/summary.json b/summary.json --tolerance warm.ttftMs.p95=20% --junit compare.xml',
        'Custom band, JUnit for CI',
      ),
  run: async (args) => {
    checkOutputFiles([
      ['--markdown', args.markdown],
      ['--junit', args.junit],
      ['--json', args.json],
    ]);
    const settings = compareSettings({
      metricFlags: args.metric ?? [],
      toleranceFlags: args.tolerance ?? [],
      ...(args.tolerances !== undefined ? { file: readToleranceFile(args.tolerances) } : {}),
    });
    const baseline = await readStats(args.baseline);
    const current = await readStats(args.current);
    const labels = { baseline: args.baseline, current: args.current };
    checkComparable(baseline, current, labels, args.allowScenarioChange);
    const comparison = compareStats(baseline, current, settings, labels);
    const report: CheckReport = {
      scenario: current.scenario.name,
      subject: `${args.current} against ${args.baseline}`,
      thresholds: [],
      comparison,
    };
    process.stdout.write(renderFor(report, args.format));
    writeCheckFiles(
      report,
      {
        ...(args.markdown !== undefined ? { markdownFile: args.markdown } : {}),
        ...(args.junit !== undefined ? { junitFile: args.junit } : {}),
        ...(args.json !== undefined ? { jsonFile: args.json } : {}),
      },
      process.env,
    );
    return comparison.regressions > 0 ? ExitCode.checkFailed : ExitCode.ok;
  },
});
