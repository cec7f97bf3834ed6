// `podbench report <run-dir>`: rebuilds every report of a run from its results.ndjson.
import { ExitCode } from '../core/errors.js';
import { consoleReport, thresholdsFailed } from '../report/console-report.js';
import { defineCommand } from './command.js';
import { cleanText } from '../util/redact.js';

interface ReportArgs {
  runDir: string;
}

export const reportCommand = defineCommand<ReportArgs>({
  command: 'report <run-dir>',
  describe:
    'Rebuild the CSV, JSON and HTML reports of a run from its results.ndjson (sends no request); exit 1 if a threshold of the run fails',
  builder: (y) =>
    y
      .positional('run-dir', {
        type: 'string',
        describe: 'A run folder, e.g. reports/20261126-101500-quick',
        demandOption: true,
      })
      .example('$0 report reports/20261126-101500-quick', 'Rebuild after editing nothing, or after a crash'),
  run: async (args) => {
    // Loaded when the command runs, not when the CLI starts: --help and the other commands stay quick.
    const { buildReports } = await import('../runner/build-reports.js');
    const built = await buildReports(args.runDir);
    for (const warning of built.warnings) process.stderr.write(`podbench: warning: ${cleanText(warning)}\n`);
    process.stdout.write(`${consoleReport(built.summary)}\n`);
    process.stdout.write(`reports: ${cleanText(args.runDir)}/ (${built.files.join(', ')})\n`);
    if (built.incomplete) {
      // Killed (or the machine stopped) before the end: the reports hold what was recorded, and say no more.
      const { planned, recorded } = built.incomplete;
      process.stderr.write(
        `podbench: incomplete: ${planned ?? 'an unknown number of'} scheduled, ${recorded} recorded; the run ended without its summary (killed?), so the reports cover only what it recorded\n`,
      );
      return ExitCode.runFailed;
    }
    // The run's thresholds are checked again on the rebuilt summary: same exit code as the run.
    return thresholdsFailed(built.summary) ? ExitCode.checkFailed : ExitCode.ok;
  },
});
