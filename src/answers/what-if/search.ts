// The endpoint settings what-if tries: each --search dimension is a settings path and its
// values, and the candidates are every combination (workers.min above workers.max left out).
// Without --search, a grid sized from the traffic: active workers from none to the workers
// the traffic keeps busy, max workers from that up to twice it, and two idle timeouts. Pure.
import { parseDocument } from 'yaml';
import { UsageError } from '../../core/errors.js';

export interface SearchDimension {
  path: string;
  values: unknown[];
}

/** Paths what-if may search: the endpoint's settings, not the model's. */
export const SEARCHABLE = [
  'workers.min',
  'workers.max',
  'workers.concurrency',
  'workers.idleTimeout',
  'workers.scaler',
  'workers.flashboot.enabled',
] as const;

function parseValue(path: string, text: string, flag: string): unknown {
  if (path === 'workers.scaler') {
    const [type, value, extra] = text.split(':');
    const upper = (type ?? '').toUpperCase();
    if (
      (upper !== 'QUEUE_DELAY' && upper !== 'REQUEST_COUNT') ||
      value === undefined ||
      extra !== undefined ||
      !(Number(value) > 0)
    )
      throw new UsageError(`${flag}: expected QUEUE_DELAY:<seconds> or REQUEST_COUNT:<divisor>, got "${text}"`);
    return { type: upper, value: Number(value) };
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new UsageError(`${flag}: "${text}" is not a value`);
  return doc.toJS();
}

/** `workers.min=0,1,2`, `workers.max=1..6`, `workers.idleTimeout=5s,60s`, `workers.scaler=QUEUE_DELAY:4,REQUEST_COUNT:1`. */
export function parseSearch(text: string): SearchDimension {
  const flag = `--search ${text}`;
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag}: expected path=values, e.g. --search workers.max=1..6`);
  const path = text.slice(0, eq).trim();
  if (!(SEARCHABLE as readonly string[]).includes(path))
    throw new UsageError(`${flag}: what-if searches the endpoint's settings: ${SEARCHABLE.join(', ')}`);
  const spec = text.slice(eq + 1).trim();
  const range = /^(\d+)\.\.(\d+)$/.exec(spec);
  let values: unknown[];
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from) throw new UsageError(`${flag}: the range ends below its start`);
    if (to - from > 64) throw new UsageError(`${flag}: more than 64 values in one range`);
    values = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  } else {
    values = spec
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '')
      .map((v) => parseValue(path, v, flag));
  }
  if (values.length === 0) throw new UsageError(`${flag}: no values`);
  return { path, values };
}

export type Candidate = Record<string, unknown>;

/** Every combination of the dimensions' values; a later dimension of the same path replaces an earlier one. */
export function candidatesOf(dimensions: readonly SearchDimension[]): Candidate[] {
  const byPath = new Map<string, unknown[]>();
  for (const d of dimensions) byPath.set(d.path, d.values);
  let out: Candidate[] = [{}];
  for (const [path, values] of byPath) out = out.flatMap((c) => values.map((v) => ({ ...c, [path]: v })));
  return out.filter((c) => {
    const min = c['workers.min'];
    const max = c['workers.max'];
    return !(typeof min === 'number' && typeof max === 'number' && min > max);
  });
}

/**
 * The default grid. `busyWorkers`: the most workers the traffic kept live on the calibrated
 * endpoint with room to grow (a pilot simulation); `idleTimeoutMs`: the calibrated one.
 */
export function defaultSearch(busyWorkers: number, idleTimeoutMs: number): SearchDimension[] {
  const w = Math.max(1, busyWorkers);
  const mins = [...new Set([0, 1, Math.ceil(w / 2), w].filter((m) => m <= w))].sort((a, b) => a - b);
  const maxes = [...new Set([w, w + 1, w + 2, 2 * w])].sort((a, b) => a - b);
  const idles = [...new Set([Math.round(idleTimeoutMs), 60_000])].sort((a, b) => a - b);
  return [
    { path: 'workers.min', values: mins },
    { path: 'workers.max', values: maxes },
    { path: 'workers.idleTimeout', values: idles },
  ];
}
