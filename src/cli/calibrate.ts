// `podbench calibrate <run-dir>`: fit the emulator to a measured run (src/runner/calibrate.ts).
import { ExitCode, UsageError } from '../core/errors.js';
import { calibrationText } from '../report/calibration-text.js';
import { cleanText } from '../util/redact.js';
import { parseSetFlag } from '../util/override.js';
import { defineCommand } from './command.js';

interface CalibrateArgs {
  runDir: string;
  out?: string;
  timeScale?: number;
  variant?: string[];
  set?: string[];
  seed: number;
  replay: boolean;
}

export const calibrateCommand = defineCommand<CalibrateArgs>({
  command: 'calibrate <run-dir>',
  describe:
    'Fit the emulator to a measured run: step time, batching, prefill, output length, cold starts, idle timeout, overheads, each with its uncertainty and a replay check; writes emulator.yaml and calibration.json (sends no request)',
  builder: (y) =>
    y
      .positional('run-dir', {
        type: 'string',
        describe: 'A run folder, e.g. reports/20261126-101500-quick',
        demandOption: true,
      })
      .option('out', { type: 'string', describe: 'Folder to write into (default: <run-dir>/calibration)' })
      .option('time-scale', {
        type: 'number',
        describe:
          "The run's emulator time scale, if it was set by a flag at run time (run.json's scenario says otherwise)",
      })
      .option('variant', { type: 'string', array: true, describe: 'Calibrate from these variants only (default: all)' })
      .option('set', {
        type: 'string',
        array: true,
        describe:
          'An emulator setting the run cannot measure, or that you know: --set workers.scaler.type=REQUEST_COUNT --set workers.max=3',
      })
      .option('seed', { type: 'number', default: 1, describe: 'Seeds the bootstrap' })
      .option('replay', {
        type: 'boolean',
        default: true,
        describe: 'Replay the run on the fitted emulator as a check (--no-replay skips it)',
      })
      .example(
        '$0 calibrate reports/20261126-101500-prod',
        'Fit, check, and write reports/.../calibration/emulator.yaml',
      )
      .example(
        '$0 calibrate reports/20261126-101500-prod --set workers.scaler.type=REQUEST_COUNT --set workers.scaler.value=4',
        'Say what the run cannot: the endpoint’s scaler',
      ),
  run: async (args) => {
    // Loaded when the command runs, not when the CLI starts: --help and the other commands stay quick.
    const { calibrateRun } = await import('../runner/calibrate.js');
    if (args.timeScale !== undefined && !(args.timeScale > 0))
      throw new UsageError(`--time-scale: expected a number above 0, got ${args.timeScale}`);
    if (!Number.isInteger(args.seed)) throw new UsageError(`--seed: expected a whole number, got ${args.seed}`);
    const overrides = (args.set ?? []).map((text) => ({ ...parseSetFlag(text, 'workers.max=3'), merge: true }));
    const outcome = await calibrateRun({
      runDir: args.runDir,
      ...(args.out !== undefined ? { out: args.out } : {}),
      ...(args.timeScale !== undefined ? { timeScale: args.timeScale } : {}),
      ...(args.variant !== undefined ? { variants: args.variant } : {}),
      overrides,
      seed: args.seed,
      replay: args.replay,
    });
    for (const warning of outcome.warnings) process.stderr.write(`podbench: warning: ${cleanText(warning)}\n`);
    process.stdout.write(`${calibrationText(outcome.calibration)}\n`);
    process.stdout.write(`calibration: ${outcome.dir}/ (${outcome.files.join(', ')})\n`);
    return ExitCode.ok;
  },
});
