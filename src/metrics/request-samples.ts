// A variant's metric values as the summarizer keeps them until finish(): request by request,
// in typed columns, so a run of a million requests costs about 80 bytes a request (and 10
// a chunk) instead of objects. Every value is kept exactly, because every percentile in
// summary.json is computed from all of them (./percentiles.ts), overall and per class (warm
// or cold), and the class of a request is known only at finish.
//
//   per-request metrics  one column each, a value or NaN per request (no metric's value can
//                        be NaN: records carry finite numbers only, src/core/record-check.ts)
//   chunk metrics        pooled over chunks: the values in order, and each request's number
//                        of chunks, which says whose they are
//   chunkTokens          small whole numbers, two bytes each (./columns.ts), summarized
//                        from a histogram while they fit in one
import type { Distribution } from '../core/distribution.js';
import type { MetricName } from '../core/summary.js';
import { CompactColumn, CountColumn, Float64Column } from './columns.js';
import { EMPTY_DISTRIBUTION, distributionOfCounts, distributionOfSorted } from './percentiles.js';

export const REQUEST_METRICS = [
  'ttftMs',
  'e2eMs',
  'e2eFromScheduledMs',
  'tpotMs',
  'delayMs',
  'executionMs',
  'overheadMs',
  'sendLagMs',
  'ttftUncertaintyMs',
  'polls',
  'promptTokens',
  'outputTokens',
] as const satisfies readonly MetricName[];
export type RequestMetric = (typeof REQUEST_METRICS)[number];

/** Metrics that are whole numbers in practice (counts, the server's ms): four bytes a value while they are. */
const WHOLE: ReadonlySet<RequestMetric> = new Set(['delayMs', 'executionMs', 'polls', 'promptTokens', 'outputTokens']);

interface Column {
  push(value: number): void;
  setLast(value: number): void;
  get(index: number): number;
}

const INDEX = Object.fromEntries(REQUEST_METRICS.map((m, i) => [m, i])) as Record<RequestMetric, number>;
/** Histograms of chunk sizes span every value two bytes hold. */
const SMALL_VALUES = 0x10000;

export class RequestSamples {
  private readonly seqs = new CompactColumn();
  private readonly columns: Column[] = REQUEST_METRICS.map((m) =>
    WHOLE.has(m) ? new CompactColumn() : new Float64Column(),
  );
  /** Values per metric: a distribution's size, without counting NaNs. */
  private readonly counts = new Array<number>(REQUEST_METRICS.length).fill(0);
  private readonly chunks = new CompactColumn();
  private readonly gaps = new Float64Column();
  private readonly tokens = new CountColumn();

  /** Starts a request: the values set next are its own. */
  begin(seq: number): void {
    this.seqs.push(seq);
    for (const column of this.columns) column.push(Number.NaN);
    this.chunks.push(0);
  }

  set(metric: RequestMetric, value: number): void {
    const i = INDEX[metric];
    (this.columns[i] as Column).setLast(value);
    this.counts[i] = (this.counts[i] as number) + 1;
  }

  /** A chunk of the current request: its tokens, and the time since the previous chunk (none for the first). */
  chunk(tokens: number, gapMs?: number): void {
    this.tokens.push(tokens);
    if (gapMs !== undefined) this.gaps.push(gapMs);
    this.chunks.setLast(this.chunks.get(this.chunks.length - 1) + 1);
  }

  get requests(): number {
    return this.seqs.length;
  }

  seqAt(request: number): number {
    return this.seqs.get(request);
  }

  /**
   * A metric's distribution over the requests `keep` selects (every request without it), by
   * the one percentile method; the same numbers `distribution` gives for those values.
   */
  distribution(metric: MetricName, keep?: Uint8Array): Distribution {
    if (metric === 'chunkTokens') return this.tokenDistribution(keep);
    if (metric === 'chunkGapMs') return distributionOfSorted(this.gapValues(keep).sort());
    const i = INDEX[metric];
    const column = this.columns[i] as Column;
    let n = 0;
    if (keep === undefined) n = this.counts[i] as number;
    else for (let k = 0; k < this.requests; k++) if (keep[k] && !Number.isNaN(column.get(k))) n += 1;
    if (n === 0) return EMPTY_DISTRIBUTION;
    const values = new Float64Array(n);
    let at = 0;
    for (let k = 0; k < this.requests; k++) {
      const v = column.get(k);
      if (!Number.isNaN(v) && (keep === undefined || keep[k])) values[at++] = v;
    }
    return distributionOfSorted(values.sort());
  }

  /** How many values `distribution` would summarize. */
  count(metric: MetricName, keep?: Uint8Array): number {
    if (metric === 'chunkTokens' || metric === 'chunkGapMs') {
      let n = 0;
      for (let k = 0; k < this.requests; k++) {
        if (keep !== undefined && !keep[k]) continue;
        const chunks = this.chunks.get(k);
        n += metric === 'chunkTokens' ? chunks : Math.max(0, chunks - 1);
      }
      return n;
    }
    const i = INDEX[metric];
    if (keep === undefined) return this.counts[i] as number;
    const column = this.columns[i] as Column;
    let n = 0;
    for (let k = 0; k < this.requests; k++) if (keep[k] && !Number.isNaN(column.get(k))) n += 1;
    return n;
  }

  private gapValues(keep?: Uint8Array): Float64Array {
    if (keep === undefined) return this.gaps.toArray();
    const out = new Float64Array(this.count('chunkGapMs', keep));
    let at = 0;
    let from = 0;
    for (let k = 0; k < this.requests; k++) {
      const gaps = Math.max(0, this.chunks.get(k) - 1);
      if (keep[k]) for (let g = 0; g < gaps; g++) out[at++] = this.gaps.get(from + g);
      from += gaps;
    }
    return out;
  }

  private tokenDistribution(keep?: Uint8Array): Distribution {
    const compact = this.tokens.compact;
    const histogram = compact ? new Float64Array(SMALL_VALUES) : undefined;
    const values = compact ? undefined : new Float64Array(this.count('chunkTokens', keep));
    let at = 0;
    let from = 0;
    for (let k = 0; k < this.requests; k++) {
      const chunks = this.chunks.get(k);
      if (keep === undefined || keep[k])
        for (let c = from; c < from + chunks; c++) {
          const v = this.tokens.get(c);
          if (histogram) histogram[v] = (histogram[v] as number) + 1;
          else (values as Float64Array)[at++] = v;
        }
      from += chunks;
    }
    return histogram ? distributionOfCounts(histogram) : distributionOfSorted((values as Float64Array).sort());
  }
}
