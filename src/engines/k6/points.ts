// Reading k6's JSON output (--out json=FILE): one JSON object per line, `Metric` lines
// declaring metrics and `Point` lines with one sample each:
//
//   {"metric":"podbench_events","type":"Point","data":{"time":"2026-11-26T06:28:46.581291231Z",
//    "value":1,"tags":{"event":"sent",...},"metadata":{"podbench_req":"0","phase":"measure"}}}
//
// Only the samples podbench rebuilds records from are kept: its own events, and
// dropped_iterations (arrivals k6 could not start for lack of a free VU). Pure.
import { K6_METRICS } from './thresholds.js';

export interface K6Point {
  metric: string;
  /** Sample time as epoch milliseconds (sub-millisecond: k6 writes nanoseconds). */
  epochMs: number;
  value: number;
  tags: Record<string, string>;
  metadata: Record<string, string>;
}

/** The metrics whose samples podbench reads; the others' lines can be dropped unread. */
export const WANTED_METRICS = [K6_METRICS.events, 'dropped_iterations'] as const;
const WANTED: readonly string[] = WANTED_METRICS;

/**
 * Epoch milliseconds of an RFC 3339 time with up to nanoseconds and any zone. Date.parse
 * keeps milliseconds only, so the fraction is added apart (a double near 1.8e12 ms still
 * resolves a quarter of a microsecond).
 */
export function epochMsOf(time: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return Number.NaN;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return whole + fraction;
}

/** An object's values as strings (tags and metadata are strings to podbench); {} for what is not an object. */
export function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, v] of Object.entries(value)) out[key] = typeof v === 'string' ? v : String(v);
  return out;
}

/**
 * One output line as a point podbench wants, or undefined (other metrics, Metric lines, and
 * lines that are not k6 JSON at all, such as log lines mixed into `kubectl logs`).
 */
export function parsePointLine(line: string): K6Point | undefined {
  // Most lines are http_req_* samples: skip them before paying for JSON.parse.
  if (!WANTED.some((name) => line.includes(`"${name}"`))) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { metric, type, data } = parsed as { metric?: unknown; type?: unknown; data?: unknown };
  if (type !== 'Point' || typeof metric !== 'string' || !WANTED.includes(metric)) return undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const { time, value, tags, metadata } = data as {
    time?: unknown;
    value?: unknown;
    tags?: unknown;
    metadata?: unknown;
  };
  if (typeof time !== 'string' || typeof value !== 'number') return undefined;
  const epochMs = epochMsOf(time);
  if (!Number.isFinite(epochMs)) return undefined;
  return { metric, epochMs, value, tags: strings(tags), metadata: strings(metadata) };
}

/**
 * True for a line that begins as a JSON object but does not parse: a torn write (k6 killed
 * while writing its last line). Log lines mixed in by `kubectl logs` do not begin with "{".
 */
export function isTornJsonLine(line: string): boolean {
  if (!line.trimStart().startsWith('{')) return false;
  try {
    JSON.parse(line);
    return false;
  } catch {
    return true;
  }
}
