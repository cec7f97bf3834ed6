// Which metrics compare looks at, and how far each may move before the change counts.
// A band is ± max(absolute, relative × |baseline|) around the baseline. Defaults: 10% for
// warm latencies and throughput, 25% for cold starts (few and bimodal), absolute bands for
// shares (a 0% error rate has no meaningful relative change) and counts.
//
// Spec texts (flags `--tolerance metric=spec`, or a file's `tolerances:` map):
//   "15%"        relative to the baseline (always relative, also for shares)
//   "50ms", "2s" absolute, in the metric's unit ("1pp" = one percentage point for shares;
//                a bare number is in the metric's own unit)
//   "10%,50ms"   both: the wider one wins
// The metric "*" sets the relative part of the band of every metric without its own. Shares
// (errorRate, coldStarts.share) keep their absolute default: relative to a baseline of 0% a
// band is 0, and one failed request would be a regression.
import { UsageError } from '../core/errors.js';
import { isPlainObject } from '../util/field-path.js';
import { lookupMetric, type MetricInfo } from './metrics.js';
import { unknownMetric } from './threshold-parse.js';
import { SUFFIXES, fmtAmount, fmtNumber } from './units.js';

export interface Band {
  relative?: number;
  absolute?: number;
}

/** Compared when no --metric or file `metrics:` says otherwise: overall health, warm requests, cold starts. */
export const DEFAULT_METRICS = [
  'errorRate',
  'requestsPerSec',
  'outputTokensPerSec',
  'warm.ttftMs.p50',
  'warm.ttftMs.p95',
  'warm.e2eMs.p50',
  'warm.e2eMs.p95',
  'warm.tpotMs.p50',
  'warm.tpotMs.p95',
  'coldStarts.share',
  'coldStarts.delayMs.p50',
  'coldStarts.delayMs.p90',
] as const;

export function defaultBand(metric: MetricInfo): Band {
  if (metric.population === 'cold') return { relative: 0.25 };
  switch (metric.unit) {
    case 'share':
      return { absolute: metric.name === 'errorRate' ? 0.01 : 0.05 };
    case 'count':
      return { relative: 0.1, absolute: 1 };
    default:
      return { relative: 0.1 };
  }
}

export interface CompareSettings {
  metrics: MetricInfo[];
  bands: Map<string, Band>;
  /** The "*" band: replaces the relative part of the default of every metric without its own. */
  all?: Band;
}

export function bandFor(settings: CompareSettings, metric: MetricInfo): Band {
  const own = settings.bands.get(metric.name);
  if (own) return own;
  const fallback = defaultBand(metric);
  return settings.all?.relative !== undefined && fallback.relative !== undefined
    ? { ...fallback, relative: settings.all.relative }
    : fallback;
}

export function bandWidth(band: Band, baseline: number): number {
  return Math.max(band.absolute ?? 0, (band.relative ?? 0) * Math.abs(baseline));
}

export function describeBand(band: Band, metric: MetricInfo): string {
  const parts: string[] = [];
  if (band.relative !== undefined) parts.push(`±${fmtNumber(band.relative * 100, 2)}%`);
  if (band.absolute !== undefined) parts.push(`±${fmtAmount(band.absolute, metric.unit)}`);
  return parts.join(' or ') || '±0';
}

function resolveComparable(name: string, origin: string): MetricInfo {
  const metric = lookupMetric(name);
  if (!metric) throw new UsageError(`${origin}: ${unknownMetric(name).message}`);
  if (metric.better === 'neither') {
    throw new UsageError(
      `${origin}: ${metric.name} has no better direction (the load plan sets it), so it cannot be compared`,
    );
  }
  return metric;
}

export function parseBand(spec: string, metric: MetricInfo | undefined, origin: string): Band {
  const band: Band = {};
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    const match = /^([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*([a-z%]*)$/.exec(part);
    const value = match ? Number(match[1]) : Number.NaN;
    const unit = match?.[2] ?? '';
    if (!match || !(value >= 0))
      throw new UsageError(`${origin}: "${part}" is not a tolerance; expected e.g. 10%, 50ms or 0.01`);
    if (unit === '%') {
      band.relative = value / 100;
      continue;
    }
    if (!metric) throw new UsageError(`${origin}: "*" takes a relative band such as 10%, got "${part}"`);
    const factor = metric.unit === 'share' ? { '': 1, pp: 0.01 }[unit] : unit === '' ? 1 : SUFFIXES[metric.unit][unit];
    if (factor === undefined) throw new UsageError(`${origin}: the unit "${unit}" does not fit ${metric.name}`);
    band.absolute = value * factor;
  }
  return band;
}

/** --tolerance metric=spec */
export function parseToleranceFlag(text: string): { name: string; spec: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--tolerance ${text}: expected metric=band, e.g. --tolerance warm.ttftMs.p95=15%`);
  return { name: text.slice(0, eq).trim(), spec: text.slice(eq + 1).trim() };
}

export interface SettingsInput {
  /** --metric flags: replace the default set. */
  metricFlags?: readonly string[];
  /** --tolerance flags, applied after the file. */
  toleranceFlags?: readonly string[];
  /** A parsed tolerances file ({metrics?, tolerances?}) and its path. */
  file?: { path: string; content: unknown };
}

export function compareSettings(input: SettingsInput): CompareSettings {
  const settings: CompareSettings = { metrics: [], bands: new Map() };
  const setBand = (name: string, spec: string, origin: string) => {
    if (name === '*') {
      settings.all = parseBand(spec, undefined, origin);
      return;
    }
    const metric = resolveComparable(name, origin);
    settings.bands.set(metric.name, parseBand(spec, metric, origin));
  };
  let names: readonly string[] = DEFAULT_METRICS;
  let namesOrigin = 'default metrics';
  if (input.file) {
    const { path, content } = input.file;
    if (!isPlainObject(content)) throw new UsageError(`${path}: expected a map with metrics: and/or tolerances:`);
    for (const key of Object.keys(content)) {
      if (key !== 'metrics' && key !== 'tolerances')
        throw new UsageError(`${path}: unknown field "${key}" (expected metrics, tolerances)`);
    }
    const metrics = content.metrics;
    if (metrics !== undefined) {
      if (!Array.isArray(metrics) || !metrics.every((m) => typeof m === 'string'))
        throw new UsageError(`${path}: metrics: expected a list of metric names`);
      names = metrics as string[];
      namesOrigin = `${path}: metrics`;
    }
    const tolerances = content.tolerances;
    if (tolerances !== undefined) {
      if (!isPlainObject(tolerances))
        throw new UsageError(`${path}: tolerances: expected a map of metric name to band, e.g. warm.ttftMs.p95: 15%`);
      for (const [name, spec] of Object.entries(tolerances)) setBand(name, String(spec), `${path}: tolerances.${name}`);
    }
  }
  if (input.metricFlags && input.metricFlags.length > 0) {
    names = input.metricFlags;
    namesOrigin = '--metric';
  }
  for (const text of input.toleranceFlags ?? []) {
    const { name, spec } = parseToleranceFlag(text);
    setBand(name, spec, `--tolerance ${text}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    const metric = resolveComparable(name, namesOrigin);
    if (!seen.has(metric.name)) settings.metrics.push(metric);
    seen.add(metric.name);
  }
  return settings;
}
