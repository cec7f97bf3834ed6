// Every number of a variant's summary that a threshold or a comparison can name, with its
// unit and which way is better. Names are the summary.json path with the obvious prefixes
// dropped (`ttftMs.p95` for metrics.ttftMs.p95, `errorRate` for counts.errorRate,
// `outputTokensPerSec` for throughput.outputTokensPerSec); the full paths work as aliases.
// `warm.` and `cold.` select the same distributions over warm or cold requests only, and
// `coldStarts.delayMs.<stat>` is the delayTime of cold requests (Runpod's cold-start figure).
// Counts kept per key (byOutcome.<outcome>, httpStatus.<code>, tokenSources.<source>,
// workerFormats.<format>) are 0 when the summary has no such key.
import { OUTCOMES, TOKEN_SOURCES } from '../core/record.js';
import { METRIC_NAMES, type MetricName, type VariantSummary } from '../core/summary.js';

export type Unit = 'ms' | 'share' | 'count' | 'tokens' | 'perSec';
/** Which way is an improvement; `neither` for numbers the load plan fixes (token counts, request counts). */
export type Better = 'lower' | 'higher' | 'neither';
/** Which requests a number is over: all measured ones, warm ones, or cold starts. */
export type Population = 'all' | 'warm' | 'cold';

export interface MetricInfo {
  /** Canonical name, e.g. "warm.ttftMs.p95". */
  name: string;
  /** Where it sits in a VariantSummary, e.g. ["warm", "metrics", "ttftMs", "p95"]. */
  path: readonly string[];
  unit: Unit;
  better: Better;
  population: Population;
  /** The measured quantity without population and statistic ("ttftMs", "errorRate", "coldStarts.delayMs"). */
  base: string;
  stat?: string;
  /**
   * An empty sample means no request was cold, which cannot break a limit on cold starts:
   * thresholds on such a metric pass when there is no data.
   */
  emptyPasses: boolean;
  /** A count kept per key: a key the summary lacks counted nothing. */
  absentIsZero?: boolean;
}

export const DIST_STATS = ['count', 'mean', 'min', 'p50', 'p90', 'p95', 'p99', 'max'] as const;
export const COLD_STATS = ['count', 'p50', 'p70', 'p90', 'p98', 'max'] as const;

function unitOf(metric: MetricName): Unit {
  if (metric.endsWith('Ms')) return 'ms';
  return metric === 'polls' ? 'count' : 'tokens';
}

function betterOf(metric: MetricName): Better {
  return unitOf(metric) === 'tokens' ? 'neither' : 'lower';
}

function build(): { list: MetricInfo[]; byName: Map<string, MetricInfo> } {
  const list: MetricInfo[] = [];
  const byName = new Map<string, MetricInfo>();
  const add = (info: Omit<MetricInfo, 'emptyPasses'>, aliases: string[] = []) => {
    const full = { ...info, emptyPasses: info.population === 'cold' };
    list.push(full);
    for (const key of [info.name, ...aliases]) byName.set(key, full);
  };
  const simple = (name: string, group: string, unit: Unit, better: Better) =>
    add({ name, path: [group, name], unit, better, population: 'all', base: name }, [`${group}.${name}`]);
  simple('errorRate', 'counts', 'share', 'lower');
  simple('failed', 'counts', 'count', 'lower');
  simple('retries', 'counts', 'count', 'lower');
  simple('requestsRetried', 'counts', 'count', 'lower');
  for (const n of ['scheduled', 'sent', 'ok', 'warmup']) simple(n, 'counts', 'count', 'neither');
  for (const n of ['requestsPerSec', 'outputTokensPerSec', 'totalTokensPerSec'])
    simple(n, 'throughput', 'perSec', 'higher');
  simple('windowMs', 'throughput', 'ms', 'neither');
  // Goodput (present when the run has per-request SLOs): goodput.requestsPerSec and so on.
  for (const [n, unit] of [
    ['requestsPerSec', 'perSec'],
    ['outputTokensPerSec', 'perSec'],
    ['share', 'share'],
  ] as const)
    add({
      name: `goodput.${n}`,
      path: ['goodput', n],
      unit,
      better: 'higher',
      population: 'all',
      base: `goodput.${n}`,
    });
  simple('windowStartMs', 'throughput', 'ms', 'neither');
  const keyed = (group: string, key: string, better: Better, under: string[] = [group]) =>
    add(
      {
        name: `${group}.${key}`,
        path: [...under, key],
        unit: 'count',
        better,
        population: 'all',
        base: group,
        absentIsZero: true,
      },
      under.length > 1 ? [[...under, key].join('.')] : [],
    );
  for (const outcome of OUTCOMES)
    keyed('byOutcome', outcome, outcome === 'ok' ? 'neither' : 'lower', ['counts', 'byOutcome']);
  for (const source of TOKEN_SOURCES) keyed('tokenSources', source, 'neither');
  for (const format of ['legacy', 'proxy', 'openai']) keyed('workerFormats', format, 'neither');
  add({
    name: 'sendLag.lateOver1msShare',
    path: ['sendLag', 'lateOver1msShare'],
    unit: 'share',
    better: 'lower',
    population: 'all',
    base: 'sendLag.lateOver1msShare',
  });
  add({
    name: 'coldStarts.count',
    path: ['coldStarts', 'count'],
    unit: 'count',
    better: 'lower',
    population: 'all',
    base: 'coldStarts.count',
  });
  add({
    name: 'coldStarts.share',
    path: ['coldStarts', 'share'],
    unit: 'share',
    better: 'lower',
    population: 'all',
    base: 'coldStarts.share',
  });
  for (const stat of COLD_STATS) {
    const isCount = stat === 'count';
    const common = {
      unit: isCount ? 'count' : 'ms',
      better: isCount ? 'neither' : 'lower',
      base: 'coldStarts.delayMs',
      stat,
    } as const;
    add(
      {
        ...common,
        name: `coldStarts.delayMs.${stat}`,
        path: ['coldStarts', 'delayMs', 'cold', stat],
        population: 'cold',
      },
      [`coldStarts.delayMs.cold.${stat}`],
    );
    add({
      ...common,
      name: `coldStarts.delayMs.warm.${stat}`,
      path: ['coldStarts', 'delayMs', 'warm', stat],
      population: 'warm',
    });
  }
  for (const population of ['all', 'warm', 'cold'] as const) {
    const prefix = population === 'all' ? '' : `${population}.`;
    if (population !== 'all')
      add({ name: `${prefix}ok`, path: [population, 'ok'], unit: 'count', better: 'neither', population, base: 'ok' });
    for (const metric of METRIC_NAMES) {
      for (const stat of DIST_STATS) {
        const isCount = stat === 'count';
        const path = population === 'all' ? ['metrics', metric, stat] : [population, 'metrics', metric, stat];
        add(
          {
            name: `${prefix}${metric}.${stat}`,
            path,
            unit: isCount ? 'count' : unitOf(metric),
            better: isCount ? 'neither' : betterOf(metric),
            population,
            base: metric,
            stat,
          },
          [path.join('.')],
        );
      }
    }
  }
  return { list, byName };
}

const CATALOG = build();

/** Every canonical metric name, in a stable order. */
export const METRICS: readonly MetricInfo[] = CATALOG.list;

/** The metric a name (canonical or full summary path) stands for. */
export function lookupMetric(name: string): MetricInfo | undefined {
  const known = CATALOG.byName.get(name);
  if (known) return known;
  // HTTP status codes are open-ended: any three-digit code names a count.
  const status = /^(?:counts\.)?httpStatus\.([1-5]\d\d)$/.exec(name)?.[1];
  if (status === undefined) return undefined;
  return {
    name: `httpStatus.${status}`,
    path: ['counts', 'httpStatus', status],
    unit: 'count',
    better: 'lower',
    population: 'all',
    base: 'httpStatus',
    emptyPasses: false,
    absentIsZero: true,
  };
}

/** Every name lookupMetric accepts, for suggestions. */
export function knownMetricNames(): string[] {
  return [...CATALOG.byName.keys()];
}

/** The metric's value in a variant's summary; null when it was not measured (or the summary predates it). */
export function metricValue(variant: VariantSummary, metric: MetricInfo): number | null {
  let at: unknown = variant;
  for (const key of metric.path) {
    if (at === null || typeof at !== 'object') return metric.absentIsZero && at === undefined ? 0 : null;
    at = (at as Record<string, unknown>)[key];
  }
  if (at === undefined && metric.absentIsZero) return 0;
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

/** Names of distributions ("ttftMs", "warm.ttftMs", "coldStarts.delayMs"...), for "name a statistic" hints. */
export function statsOf(base: string): readonly string[] | undefined {
  if (base === 'coldStarts.delayMs' || base === 'coldStarts.delayMs.cold' || base === 'coldStarts.delayMs.warm')
    return COLD_STATS;
  const bare = base.replace(/^(warm|cold)\./, '').replace(/^(warm\.|cold\.)?metrics\./, '');
  return (METRIC_NAMES as readonly string[]).includes(bare) ? DIST_STATS : undefined;
}
