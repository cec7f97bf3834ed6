// `podbench what-if`: search endpoint settings on the calibrated emulator (src/runner/what-if.ts).
import { join } from 'node:path';
import { ExitCode, UsageError } from '../core/errors.js';
import { INPUT_LIMITS } from '../core/input-limits.js';
import { findingText } from '../report/finding-text.js';
import { parseSearch } from '../answers/what-if/search.js';
import { cleanText } from '../util/redact.js';
import { defineCommand } from './command.js';

interface WhatIfArgs {
  calibration: string;
  scenario?: string;
  variant?: string;
  rateCurve?: string;
  trace?: string;
  slo?: string[];
  search?: string[];
  pricePerHour?: number;
  activePricePerHour?: number;
  promptTokens?: number;
  maxTokens?: number;
  seeds: number;
  seed: number;
  jobs?: number;
  out?: string;
}

function positive(flag: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0)) throw new UsageError(`${flag}: expected a number above 0, got ${value}`);
}

/** A token count: whole, above 0, and within what a scenario's synthetic prompt may ask (docs/safety.md). */
function tokens(flag: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!(Number.isInteger(value) && value > 0 && value <= INPUT_LIMITS.promptTokens))
    throw new UsageError(
      `${flag}: expected a whole number of tokens from 1 to ${INPUT_LIMITS.promptTokens.toLocaleString('en-US')}, got ${value}`,
    );
}

export const whatIfCommand = defineCommand<WhatIfArgs>({
  command: 'what-if',
  describe:
    "Search endpoint settings (workers, idle timeout, scaler, concurrency) on the calibrated emulator: the cheapest that meets the SLOs, with costs, trade-off curves and the one real run that would confirm it (a model's answer; sends no request)",
  builder: (y) =>
    y
      .option('calibration', {
        type: 'string',
        demandOption: true,
        describe: 'A calibration (folder or calibration.json from podbench calibrate), or plain emulator settings',
      })
      .option('scenario', {
        type: 'string',
        describe: "Traffic: a scenario's load, prompts and sampling (and its slo:)",
        group: 'Traffic:',
      })
      .option('variant', {
        type: 'string',
        describe: 'The scenario variant (or trace variant) to use',
        group: 'Traffic:',
      })
      .option('rate-curve', {
        type: 'string',
        describe:
          'Traffic: a YAML list of { at: <duration>, rate: <requests/s> } points (a day, say), Poisson arrivals',
        group: 'Traffic:',
      })
      .option('trace', {
        type: 'string',
        describe: "Traffic: a run folder's requests as they were sent (default: the calibrated run)",
        group: 'Traffic:',
      })
      .option('prompt-tokens', {
        type: 'number',
        describe: 'Prompt size for a rate curve (default: the calibrated run’s median)',
        group: 'Traffic:',
      })
      .option('max-tokens', {
        type: 'number',
        describe: 'max_tokens for a rate curve (default: the calibrated run’s)',
        group: 'Traffic:',
      })
      .option('slo', {
        type: 'string',
        array: true,
        describe: 'An SLO in the thresholds language, e.g. "ttftMs.p95 < 2s" (repeatable)',
      })
      .option('search', {
        type: 'string',
        array: true,
        describe:
          'A setting and its values: workers.min=0,1,2 | workers.max=1..6 | workers.idleTimeout=5s,60s | workers.scaler=QUEUE_DELAY:4,REQUEST_COUNT:1 | workers.concurrency=8,16 | workers.flashboot.enabled=true,false (default: a grid sized by the traffic)',
      })
      .option('price-per-hour', {
        type: 'number',
        // The name `podbench run` gives the same price.
        alias: 'gpu-price-per-hour',
        describe: 'GPU price per flex worker-hour (default: costs in worker-hours)',
      })
      .option('active-price-per-hour', {
        type: 'number',
        describe: 'Price per active worker-hour (workers.min), if it differs',
      })
      .option('seeds', {
        type: 'number',
        default: 3,
        describe: 'Simulations per setting, each with its own seed; figures are averaged',
      })
      .option('seed', { type: 'number', default: 1, describe: 'The first seed (traffic and simulations)' })
      .option('jobs', { type: 'number', describe: 'Simulations at once (default: the cores of this machine)' })
      .option('out', { type: 'string', describe: 'Folder to write into (default: <calibration folder>/what-if)' })
      .example(
        '$0 what-if --calibration reports/r1/calibration --slo "ttftMs.p95 < 2s" --price-per-hour 1.19',
        "The calibrated run's own traffic; the default grid",
      )
      .example(
        '$0 what-if --calibration reports/r1/calibration --rate-curve day.yaml --slo "e2eMs.p95 < 8s" --search workers.min=0..2 --search workers.max=2..6',
        'A day of traffic, a grid of your own',
      ),
  run: async (args) => {
    // Loaded when the command runs, not when the CLI starts: --help and the other commands stay quick.
    const { runWhatIf } = await import('../runner/what-if.js');
    positive('--price-per-hour', args.pricePerHour);
    positive('--active-price-per-hour', args.activePricePerHour);
    tokens('--prompt-tokens', args.promptTokens);
    tokens('--max-tokens', args.maxTokens);
    if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs > 0))
      throw new UsageError(`--jobs: expected a whole number above 0, got ${args.jobs}`);
    if (!Number.isInteger(args.seed)) throw new UsageError(`--seed: expected a whole number, got ${args.seed}`);
    const out = args.out ?? join(args.calibration.replace(/\/(calibration\.json|emulator\.ya?ml)$/, ''), 'what-if');
    const outcome = await runWhatIf({
      calibration: args.calibration,
      ...(args.scenario !== undefined ? { scenario: args.scenario } : {}),
      ...(args.variant !== undefined ? { variant: args.variant } : {}),
      ...(args.rateCurve !== undefined ? { rateCurve: args.rateCurve } : {}),
      ...(args.trace !== undefined ? { trace: args.trace } : {}),
      ...(args.pricePerHour !== undefined ? { pricePerHour: args.pricePerHour } : {}),
      ...(args.activePricePerHour !== undefined ? { activePricePerHour: args.activePricePerHour } : {}),
      ...(args.promptTokens !== undefined ? { promptTokens: args.promptTokens } : {}),
      ...(args.maxTokens !== undefined ? { maxTokens: args.maxTokens } : {}),
      ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
      slo: args.slo ?? [],
      search: (args.search ?? []).map(parseSearch),
      seeds: args.seeds,
      seed: args.seed,
      out,
    });
    for (const warning of outcome.warnings) process.stderr.write(`podbench: warning: ${cleanText(warning)}\n`);
    process.stdout.write(`${findingText(outcome.finding)}\n`);
    process.stdout.write(`what-if: ${outcome.dir}/ (${outcome.files.join(', ')})\n`);
    return outcome.finding.kind === 'what-if-answer' ? ExitCode.ok : ExitCode.checkFailed;
  },
});
