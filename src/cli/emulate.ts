// `podbench emulate`: serve the embedded emulator of a Runpod Serverless endpoint running
// worker-vllm until SIGINT/SIGTERM. Settings come from defaults, then --config, then flags
// and --set overrides; the merged settings are validated once, and each problem names the
// flag or file that set the field.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { RunError, UsageError } from '../core/errors.js';
import { z } from 'zod';
import {
  emulatorSettingsSchema,
  parseColdStartFlag,
  parseFaultsFlag,
  parseScalerFlag,
  type EmulatorSettings,
  type FlagResult,
  type SettingsObject,
} from '../emulator/settings/index.js';
import type { RunningEmulator } from '../emulator/index.js';
import { getPath, hasPath, isPlainObject } from '../util/field-path.js';
import { unitHint } from '../util/duration.js';
import { unitlessDurations } from '../util/schema-walk.js';
import { applyOverrides, parseSetFlag, setsField, type Override } from '../util/override.js';
import { formatIssues } from '../util/schema.js';
import { defineCommand } from './command.js';

interface EmulateArgs {
  host: string;
  port: number;
  config?: string;
  apiKey?: string;
  seed?: number;
  timeScale?: number;
  worker?: string;
  backend?: string;
  model?: string;
  tokenDelayMs?: number;
  workersMin?: number;
  workersMax?: number;
  concurrency?: number;
  idleTimeout?: string;
  coldStart?: string;
  flashboot?: boolean;
  scaler?: string;
  faults?: string;
  rateLimits: boolean;
  set?: string[];
  verbose: boolean;
}

/** The --config file: the settings every flag refines. */
interface ConfigFile {
  source: string;
  value: SettingsObject;
}

/**
 * Validates the merged settings once (cross-field rules need them all) and names, for each
 * problem, the last flag that set the field in question, else the file, else `fallback`.
 */
function validate(config: ConfigFile | undefined, overrides: readonly Override[], fallback: string): EmulatorSettings {
  const input = applyOverrides(config?.value ?? {}, overrides);
  const ownerOf = (keys: ReadonlyArray<ReadonlyArray<PropertyKey>>): string => {
    const flag = [...overrides].reverse().find((override) => keys.some((path) => setsField(override, path)));
    return (
      flag?.origin ??
      (config && keys.some((path) => hasPath(config.value, path)) ? config.source : undefined) ??
      fallback
    );
  };
  const unitless = unitlessDurations(emulatorSettingsSchema, input);
  if (unitless.length > 0)
    throw new UsageError(
      unitless.map((path) => `${ownerOf([path.split('.')])}: ${path}: ${unitHint(getPath(input, path))}`).join('\n'),
    );
  const result = emulatorSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return formatIssues(ownerOf(keys), new z.ZodError([issue]), undefined, { schema: emulatorSettingsSchema, input });
  });
  throw new UsageError(lines.join('\n'));
}

function shorthand<T>(flag: string, result: FlagResult<T>): T {
  if (!result.ok) throw new UsageError(`${flag}: ${result.message}`);
  return result.value;
}

function numberFlag(flag: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value)) throw new UsageError(`${flag}: expected a number`);
  return value;
}

function readConfig(file: string): SettingsObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let value: unknown;
  try {
    value = parseYaml(text); // YAML is a superset of JSON: one parser reads both
  } catch (err) {
    throw new UsageError(
      `--config ${file}: not valid YAML or JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) throw new UsageError(`--config ${file}: expected a mapping of settings at the top level`);
  return value;
}

export function settingsFromArgs(args: EmulateArgs): EmulatorSettings {
  const config =
    args.config !== undefined ? { source: `--config ${args.config}`, value: readConfig(args.config) } : undefined;
  // Every flag refines the file (and the flags before it) field by field: merged, not replaced.
  const overrides: Override[] = [];
  const add = (origin: string, path: string, value: unknown): void => {
    overrides.push({ path, value, merge: true, origin });
  };
  const seed = numberFlag('--seed', args.seed);
  if (seed !== undefined) add('--seed', 'seed', seed);
  const timeScale = numberFlag('--time-scale', args.timeScale);
  if (timeScale !== undefined) add('--time-scale', 'timeScale', timeScale);
  if (args.worker !== undefined) add('--worker', 'worker', args.worker);
  if (args.backend !== undefined) add('--backend', 'backend', args.backend);
  // --model names the GGUF file with the llama backend (as the settings say, whichever way
  // they say it), and the served model name otherwise.
  const modelAt = overrides.length;
  const tokenDelayMs = numberFlag('--token-delay-ms', args.tokenDelayMs);
  if (tokenDelayMs !== undefined) add('--token-delay-ms', 'llama.tokenDelayMs', tokenDelayMs);
  const min = numberFlag('--workers-min', args.workersMin);
  if (min !== undefined) add('--workers-min', 'workers.min', min);
  const max = numberFlag('--workers-max', args.workersMax);
  if (max !== undefined) add('--workers-max', 'workers.max', max);
  const concurrency = numberFlag('--concurrency', args.concurrency);
  if (concurrency !== undefined) add('--concurrency', 'workers.concurrency', concurrency);
  if (args.idleTimeout !== undefined) add('--idle-timeout', 'workers.idleTimeout', args.idleTimeout);
  if (args.coldStart !== undefined)
    add('--cold-start', 'workers.coldStart', shorthand('--cold-start', parseColdStartFlag(args.coldStart)));
  if (args.flashboot !== undefined) add('--flashboot', 'workers.flashboot.enabled', args.flashboot);
  if (args.scaler !== undefined) add('--scaler', 'workers.scaler', shorthand('--scaler', parseScalerFlag(args.scaler)));
  if (args.faults !== undefined) add('--faults', 'faults', shorthand('--faults', parseFaultsFlag(args.faults)));
  if (!args.rateLimits) add('--no-rate-limits', 'rateLimits.enabled', false);
  for (const text of args.set ?? []) overrides.push({ ...parseSetFlag(text, 'workers.max=5'), merge: true });
  if (args.model !== undefined) {
    const merged = applyOverrides(config?.value ?? {}, overrides);
    const path = merged.backend === 'llama' ? 'llama.model' : 'model';
    overrides.splice(modelAt, 0, { path, value: args.model, merge: true, origin: '--model' });
  }
  return validate(config, overrides, 'emulator settings');
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      // Let go of the signals only after this one has been dispatched: a library's
      // signal-exit handler (node-llama-cpp loads one) re-sends a signal that it finds no
      // other listener for, which would kill the process before the emulator closes.
      setImmediate(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export const emulateCommand = defineCommand<EmulateArgs>({
  command: 'emulate',
  describe: 'Serve an emulated Runpod Serverless endpoint running the vLLM worker',
  builder: (y) =>
    y
      .usage(
        `$0 emulate [options]

Serves a local, seeded emulator of a Runpod Serverless endpoint running worker-vllm: the
queue API under /v2/<any endpoint id>/ (run, runsync, status, status-sync, stream, cancel,
retry, purge-queue, health), the OpenAI routes under /v2/<id>/openai/v1/, cold starts,
scaling, continuous batching, batched streaming, rate limits and injected faults. Prints the base URL on its
first line (the model server's /v1 URL on the second), then serves until Ctrl-C (SIGINT) or
SIGTERM.

Settings: defaults mimic a small real endpoint; --config FILE overrides them; flags override
the file; --set overrides any single setting. Durations take units (250ms, 12s, 2m) and are
emulated time: --time-scale 100 runs them all 100 times faster (reported delayTime and
executionTime stay real milliseconds). Emulator-only debug routes: GET /_emulator/jobs/<id>
(the job's ground truth) and GET /_emulator/stats (the emulator's own latencies).`,
      )
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .option('port', {
        type: 'number',
        default: 0,
        describe: 'Port to listen on; 0 picks a free one (the printed line says which)',
      })
      .option('config', {
        type: 'string',
        describe: 'Settings file (YAML or JSON) with any subset of the emulator settings',
      })
      .option('api-key', {
        type: 'string',
        describe:
          'Require this key (Authorization: Bearer <key> or the raw key); also read from PODBENCH_EMULATOR_API_KEY',
      })
      .option('seed', {
        type: 'number',
        describe: 'Seed of every random draw (texts, lengths, jitter, cold starts, faults)',
      })
      .option('time-scale', {
        type: 'number',
        describe: 'Run every emulated duration this many times faster (tests use 100-1000)',
      })
      .option('worker', {
        type: 'string',
        choices: ['legacy', 'proxy'],
        describe:
          'worker-vllm generation: legacy (<= v2.23.0, token batches) or proxy (>= v2.24.0, OpenAI JSON / raw SSE)',
      })
      .option('backend', {
        type: 'string',
        choices: ['synthetic', 'llama'],
        describe:
          'What generates the tokens: synthetic (seeded made-up text, the default) or llama (a real GGUF model through node-llama-cpp; npm run install:llama first)',
      })
      .option('model', {
        type: 'string',
        describe:
          'With --backend llama: the GGUF model file (default: stories260K.gguf from shared/models). Otherwise: the served model name (/openai/v1/models, `model` in OpenAI answers)',
      })
      .option('token-delay-ms', {
        type: 'number',
        describe:
          'llama backend: emulated ms added to every decode step on top of the real decode, to look like a big model on a GPU',
      })
      .option('workers-min', { type: 'number', describe: 'Active workers: warm from the start, never scaled down' })
      .option('workers-max', { type: 'number', describe: 'Most workers the scaler may run' })
      .option('concurrency', {
        type: 'number',
        describe: 'Jobs one worker runs at once (worker-vllm MAX_CONCURRENCY, default 30)',
      })
      .option('idle-timeout', {
        type: 'string',
        describe: 'A worker with no job for this long scales down (default 5s)',
      })
      .option('cold-start', {
        type: 'string',
        describe: 'Cold start before a new worker takes jobs: 12s | median:12s,sigma:0.3 | min:5s,max:20s',
      })
      .option('flashboot', {
        type: 'boolean',
        describe: 'Revive scaled-down workers with FlashBoot (fast start, with workers.flashboot.probability)',
      })
      .option('scaler', {
        type: 'string',
        describe: 'QUEUE_DELAY:<seconds> or REQUEST_COUNT:<divisor> (default QUEUE_DELAY:4)',
      })
      .option('faults', {
        type: 'string',
        describe:
          'Injected fault rates: http429, http5xx, reset, slow, malformed (per request); failed, timeout, crash, stall (per job); slowMs, crashDowntime',
      })
      .option('rate-limits', {
        type: 'boolean',
        default: true,
        describe: "Apply Runpod's per-route rate limits (--no-rate-limits turns them off)",
      })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'Any setting by its path, e.g. --set generation.stepMs=15 (repeatable; value read as YAML)',
      })
      .option('verbose', {
        type: 'boolean',
        default: false,
        describe: 'Log webhook failures and internal errors to stderr',
      })
      .example('$0 emulate', 'Defaults: legacy worker, 0-3 workers, 12 s cold starts, on a free port')
      .example('$0 emulate --port 8000 --workers-min 1 --time-scale 10', 'One warm worker, everything 10x faster')
      .example(
        '$0 emulate --worker proxy --scaler REQUEST_COUNT:1 --cold-start median:20s,sigma:0.5',
        'The new worker generation, scaled per request',
      )
      .example(
        '$0 emulate --faults http429=0.05,http5xx=0.02,reset=0.01,failed=0.02,timeout=0.01,crash=0.001',
        'Inject failures',
      )
      .example(
        '$0 emulate --config emulator.yaml --set generation.stepMs=15 --no-rate-limits',
        'A settings file, one override, no rate limits',
      )
      .example(
        '$0 emulate --backend llama --workers-min 1 --token-delay-ms 20',
        'Real tokens from stories260K, each decode step 20 ms longer',
      ),
  run: async (args) => {
    // Loaded when the command runs, not when the CLI starts: --help and the other commands stay quick.
    const { startEmulator } = await import('../emulator/index.js');
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
      throw new UsageError(`--port: expected 0-65535, got ${args.port}`);
    const settings = settingsFromArgs(args);
    const apiKey = args.apiKey ?? process.env.PODBENCH_EMULATOR_API_KEY;
    const signal = untilSignal();
    let emulator: RunningEmulator;
    try {
      emulator = await startEmulator(settings, {
        host: args.host,
        port: args.port,
        ...(apiKey === undefined || apiKey === '' ? {} : { apiKey }),
        ...(args.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
      });
    } catch (err) {
      // The llama backend's own problems (package, model file) are already worded for the user.
      if (err instanceof UsageError || err instanceof RunError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      // A port or address the user named that cannot be had is a setting to change (exit 2), as --dashboard-port's.
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
        throw new UsageError(
          `--port ${args.port}: cannot listen on ${args.host}:${args.port} (${code}); pick another port, or 0 for any free one`,
        );
      throw new RunError(
        `cannot listen on ${args.host}:${args.port}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    process.stdout.write(`podbench emulator listening on ${emulator.endpointUrl}\n`);
    process.stderr.write(
      `podbench emulator: the model server itself, as vllm serve answers, at ${emulator.modelServerUrl}\n`,
    );
    if (emulator.backendInfo !== undefined) process.stderr.write(`${emulator.backendInfo}\n`);
    await signal;
    await emulator.close();
    return 0;
  },
});
