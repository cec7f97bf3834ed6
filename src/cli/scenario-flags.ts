// The `podbench run` flags that are shorthands for one scenario field, declared once: the
// flag, the field it sets (checked against the scenario's fields and their types), the
// fields it clears, and how its text becomes the value. As overrides (src/util/override.ts)
// they win over the file and over its matrix (src/scenario/load.ts), and --set comes last.
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Mode } from '../core/record.js';
import type { TargetApi } from '../core/target-api.js';
import type { ScenarioField, ScenarioInput } from '../scenario/schema.js';
import { parseDurationMs, unitHint } from '../util/duration.js';
import type { ValueAt } from '../util/field-path.js';
import { parseSetFlag, type Override } from '../util/override.js';
import type { LoadProfile } from '../schedule/load-schema.js';

/** The parsed flags the table reads (yargs's `choices` keep mode and arrival to their values). */
export interface ScenarioFlagArgs {
  target?: TargetApi;
  endpoint?: string;
  modelServer?: string;
  endpointId?: string;
  apiKeyEnv?: string;
  mode?: Mode;
  concurrency?: number;
  rate?: number;
  profile?: LoadProfile;
  arrival?: 'constant' | 'poisson';
  requests?: number;
  duration?: string;
  warmup?: string;
  pollInterval?: string;
  seed?: number;
  targetRps?: number;
  maxRequests?: number;
  maxDuration?: string;
  maxOutputTokens?: number;
  gpuPricePerHour?: number;
  ttftTarget?: string;
  slo?: string[];
  tokenizer?: string;
  set?: string[];
}

export function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  // yargs turns text that is not a number into NaN, so the text itself is gone here.
  if (Number.isNaN(value)) throw new UsageError(`--${name}: expected a positive number, got text that is not a number`);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`--${name}: expected a positive number, got ${value}`);
  return value;
}

export function duration(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(value);
  if (ms === undefined)
    throw new UsageError(
      `--${name}: ${unitHint(value) || `expected a duration such as 500ms, 30s or 2m, got "${value}"`}`,
    );
  return ms;
}

/** The flag's text, once it reads as a duration: the scenario field gets what the user wrote. */
function durationText(name: string, value: string | undefined): string | undefined {
  return duration(name, value) === undefined ? undefined : (value as string).trim();
}

interface FlagField {
  flag: string;
  field: ScenarioField;
  clears: ScenarioField[];
  value: (args: ScenarioFlagArgs) => unknown;
}

/** One row: the reader must give the field's own type, so a flag cannot feed a field the wrong kind of value. */
function row<P extends ScenarioField>(
  flag: string,
  field: P,
  value: (args: ScenarioFlagArgs) => ValueAt<ScenarioInput, P> | undefined,
  clears: ScenarioField[] = [],
): FlagField {
  return { flag, field, clears, value };
}

/** The fields a profile sets the load with, which a flag that sets the load itself replaces. */
const PROFILE_FIELDS: ScenarioField[] = ['load.profile', 'load.sweepSize'];

/** In the order they apply (and are checked: the first bad flag is the one reported). */
const FLAG_FIELDS: readonly FlagField[] = [
  row('endpoint', 'target.endpoint', (a) => a.endpoint, ['target.endpointId']),
  row('endpoint-id', 'target.endpointId', (a) => a.endpointId, ['target.endpoint']),
  row('target', 'target.kind', (a) => a.target),
  row('model-server', 'target.modelServer', (a) => a.modelServer),
  row('api-key-env', 'target.apiKeyEnv', (a) => a.apiKeyEnv),
  row('mode', 'mode', (a) => a.mode),
  row('concurrency', 'load.concurrency', (a) => positive('concurrency', a.concurrency), [
    'load.rate',
    'load.stages',
    'load.arrival',
    'load.maxInFlight',
    ...PROFILE_FIELDS,
  ]),
  // With --profile sweep, --rate is GuideLLM's: how many benchmarks the sweep runs.
  row('rate', 'load.rate', (a) => (a.profile === undefined ? positive('rate', a.rate) : undefined), [
    'load.concurrency',
    'load.stages',
    ...PROFILE_FIELDS,
  ]),
  row('profile', 'load.profile', (a) => a.profile, [
    'load.concurrency',
    'load.rate',
    'load.stages',
    'load.probes',
    'load.gap',
    'load.untilIdle',
    'load.replay',
    'sweep',
  ]),
  row('rate', 'load.sweepSize', (a) => (a.profile === 'sweep' ? sweepSize(a.rate) : undefined)),
  row('arrival', 'load.arrival', (a) => a.arrival),
  row('requests', 'load.requests', (a) => positive('requests', a.requests)),
  row('duration', 'load.duration', (a) => durationText('duration', a.duration)),
  row('warmup', 'load.warmup', (a) => {
    if (a.warmup === undefined) return undefined;
    const count = /^\d+$/.test(a.warmup) ? Number(a.warmup) : undefined;
    return count ?? { duration: durationText('warmup', a.warmup) };
  }),
  row('poll-interval', 'polling.interval', (a) => durationText('poll-interval', a.pollInterval)),
  row('seed', 'seed', (a) => a.seed),
  row('max-requests', 'budget.maxRequests', (a) => floor(positive('max-requests', a.maxRequests))),
  row('max-duration', 'budget.maxDuration', (a) => durationText('max-duration', a.maxDuration)),
  row('max-output-tokens', 'budget.maxOutputTokens', (a) => floor(positive('max-output-tokens', a.maxOutputTokens))),
  row('target-rps', 'plan.targetRps', (a) => positive('target-rps', a.targetRps)),
  row('gpu-price-per-hour', 'plan.gpuPricePerHour', (a) => positive('gpu-price-per-hour', a.gpuPricePerHour), [
    'plan.gpuPricePerSecond',
  ]),
  row('ttft-target', 'tuning.ttftTarget', (a) => durationText('ttft-target', a.ttftTarget)),
  row('slo', 'slo', (a) => a.slo),
  // A path on the command line is the shell's, relative to where podbench runs (the field's is the scenario file's).
  row('tokenizer', 'input.tokenizer', (a) => (a.tokenizer === undefined ? undefined : resolve(a.tokenizer))),
];

/** --profile sweep --rate N: N benchmarks in all (GuideLLM's meaning), at least the synchronous and throughput runs. */
function sweepSize(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 2)
    throw new UsageError(
      `--rate: with --profile sweep it is the number of benchmarks (synchronous, throughput and the constant rates): expected a whole number of at least 2, got ${Number.isNaN(value) ? 'text that is not a number' : value}`,
    );
  return value;
}

function floor(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.floor(value);
}

/** Flags are shorthands for scenario fields; they win over the file and over its matrix. */
export function overridesFromFlags(args: ScenarioFlagArgs): Override[] {
  // Flags that contradict each other are refused, as the same pair in a scenario is.
  if (args.endpoint !== undefined && args.endpointId !== undefined)
    throw new UsageError('--endpoint and --endpoint-id: give one of them');
  if (args.rate !== undefined && args.concurrency !== undefined) {
    throw new UsageError('--rate and --concurrency: give --concurrency (closed loop) or --rate (open loop), not both');
  }
  if (args.profile !== undefined && args.concurrency !== undefined)
    throw new UsageError(`--concurrency and --profile ${args.profile}: the profile sets the load; give one of them`);
  if (args.profile !== undefined && args.profile !== 'sweep' && args.rate !== undefined)
    throw new UsageError(
      `--rate and --profile ${args.profile}: the profile sets the load (--rate goes with --profile sweep, as its number of benchmarks)`,
    );
  const out: Override[] = [];
  for (const { flag, field, clears, value: read } of FLAG_FIELDS) {
    const value = read(args);
    if (value !== undefined)
      out.push({ path: field, value, ...(clears.length > 0 ? { clears } : {}), origin: `--${flag}` });
  }
  for (const text of args.set ?? []) out.push(parseSetFlag(text));
  return out;
}
