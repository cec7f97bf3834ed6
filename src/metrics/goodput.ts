// Goodput: the throughput of requests that met every per-request SLO. A per-request SLO is
// a limit on one request's own latency, written without a statistic in the scenario's
// `slo:` list beside the sweep's percentile SLOs ("ttftMs.p95 < 2s"):
//
//   request-slo := metric ("<" | "<=") number unit      e.g. "ttft <= 500ms", "e2e<=5s, itl<=50ms"
//   metric      := ttft | ttftMs | e2e | e2eMs | itl | tpot | tpotMs
//
// Values per request are those of src/metrics/summarize.ts: TTFT firstTokenMs - sentMs,
// E2E endMs - sentMs, ITL (time per output token after the first chunk) as tpotMs. A request
// meets the SLOs when it ended ok and every limited value is known and within its limit: a
// request without a first token (a non-streaming mode) cannot show that it met a TTFT SLO.
import type { RequestRecord } from '../core/record.js';
import { parseDurationMs } from '../util/duration.js';

export type RequestSloMetric = 'ttftMs' | 'e2eMs' | 'tpotMs';

export interface RequestSlo {
  /** As written (one entry). */
  text: string;
  metric: RequestSloMetric;
  op: '<' | '<=';
  limitMs: number;
}

const NAMES: Record<string, RequestSloMetric> = {
  ttft: 'ttftMs',
  ttftms: 'ttftMs',
  e2e: 'e2eMs',
  e2ems: 'e2eMs',
  itl: 'tpotMs',
  tpot: 'tpotMs',
  tpotms: 'tpotMs',
};

/** The names a per-request SLO may limit, as written. */
export const REQUEST_SLO_NAMES: readonly string[] = ['ttft', 'e2e', 'itl', 'tpot', 'ttftMs', 'e2eMs', 'tpotMs'];

/** True when `name` is one a per-request SLO limits (any case): ttft, e2e, itl... */
export function isRequestSloName(name: string): boolean {
  return NAMES[name.toLowerCase()] !== undefined;
}

const ENTRY = /^\s*([A-Za-z0-9]+)\s*(<=|<)\s*(\S+)\s*$/;

/** One entry as a per-request SLO, or undefined when it is not one (a percentile SLO, say). */
export function parseRequestSlo(text: string): RequestSlo | undefined {
  const m = ENTRY.exec(text);
  if (!m) return undefined;
  const metric = NAMES[(m[1] as string).toLowerCase()];
  const limitMs = parseDurationMs(m[3] as string);
  if (!metric || limitMs === undefined) return undefined;
  return { text: text.trim(), metric, op: m[2] as '<' | '<=', limitMs };
}

/** Entries may hold several SLOs separated by commas ("ttft<=500ms, e2e<=5s"): one per item. */
function entries(slo: readonly string[]): string[] {
  return slo.flatMap((s) => s.split(',')).filter((s) => s.trim() !== '');
}

/** The per-request SLOs of a `slo:` list. */
export function requestSlos(slo: readonly string[]): RequestSlo[] {
  return entries(slo).flatMap((s) => {
    const parsed = parseRequestSlo(s);
    return parsed ? [parsed] : [];
  });
}

/** The rest of a `slo:` list: the percentile SLOs a capacity sweep keeps. */
export function aggregateSlos(slo: readonly string[]): string[] {
  return slo.filter((s) => !entries([s]).every((part) => parseRequestSlo(part) !== undefined));
}

/** The value a per-request SLO limits, or undefined when the record cannot show it. */
export function requestValue(record: RequestRecord, metric: RequestSloMetric): number | undefined {
  if (record.sentMs === undefined) return undefined;
  switch (metric) {
    case 'ttftMs':
      return record.firstTokenMs === undefined ? undefined : record.firstTokenMs - record.sentMs;
    case 'e2eMs':
      return record.endMs - record.sentMs;
    case 'tpotMs': {
      const first = record.chunks?.[0];
      if (!first || record.firstTokenMs === undefined || record.lastTokenMs === undefined) return undefined;
      if (record.outputTokens === undefined) return undefined;
      const after = record.outputTokens - first[1];
      // One chunk only: no token came after the first, so no gap between tokens can break a limit.
      return after > 0 ? (record.lastTokenMs - record.firstTokenMs) / after : 0;
    }
    default: {
      const never: never = metric;
      throw new Error(`unknown SLO metric ${String(never)}`);
    }
  }
}

export function meetsSlos(record: RequestRecord, slos: readonly RequestSlo[]): boolean {
  if (record.outcome !== 'ok') return false;
  return slos.every((slo) => {
    const value = requestValue(record, slo.metric);
    if (value === undefined) return false;
    return slo.op === '<' ? value < slo.limitMs : value <= slo.limitMs;
  });
}
