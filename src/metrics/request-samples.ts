// A variant's metric values as the summarizer keeps them until finish(): request by request,
// in typed columns, so a run of a million requests costs about 80 bytes a request (and 10
// a chunk) instead of objects. Every value is kept exactly, because every percentile in
// summary.json is computed from all of them (./percentiles.ts), overall and per class (warm
// or cold), and the class of a request is known only at finish.
//
//   per-request metrics  one column each, a value or NaN per request (no metric's value can
//                        be NaN: records carry finite numbers only, src/core/record-check.ts)
//   chunk metrics        pooled over chunks: the values in order, and each request's number
//                        of chunks, which says whose they are. Gaps are kept as the chunk
//                        times they come from, in whole µs (two or four bytes a chunk) while every
//                        time is one (records keep three decimals): a gap is then computed
//                        again from the same two doubles, the same number to the last bit
//   chunkTokens          small whole numbers, a byte or two each (./columns.ts), summarized
//                        from a histogram while they are below 65,536
import type { Distribution } from '../core/distribution.js';
import { PER_REQUEST_METRICS, type MetricName } from '../core/summary.js';
import { Float64Column, SmallIntColumn } from './columns.js';
import { EMPTY_DISTRIBUTION, distributionOfCounts, distributionOfSorted } from './percentiles.js';
import { sortValues } from './sort-values.js';

export const REQUEST_METRICS = PER_REQUEST_METRICS;
export type RequestMetric = (typeof REQUEST_METRICS)[number];

/** Metrics that are whole numbers in practice (counts, the server's ms): four bytes a value while they are. */
const WHOLE: ReadonlySet<RequestMetric> = new Set(['delayMs', 'executionMs', 'polls', 'promptTokens', 'outputTokens']);

interface Column {
  push(value: number): void;
  setLast(value: number): void;
  get(index: number): number;
  countKept(keep: ArrayLike<number>): number;
  toArray(): Float64Array;
}

const INDEX = Object.fromEntries(REQUEST_METRICS.map((m, i) => [m, i])) as Record<RequestMetric, number>;
/** Histograms of chunk sizes span every value two bytes hold. */
const SMALL_VALUES = 0x10000;

export class RequestSamples {
  private readonly seqs = new SmallIntColumn();
  private readonly columns: Column[] = REQUEST_METRICS.map((m) =>
    WHOLE.has(m) ? new SmallIntColumn() : new Float64Column(),
  );
  /** Values per metric: a distribution's size, without counting NaNs. */
  private readonly counts = new Array<number>(REQUEST_METRICS.length).fill(0);
  private readonly chunks = new SmallIntColumn();
  /** The gaps themselves, once a chunk time is not a whole number of µs. */
  private gaps: Float64Column | undefined;
  /** Else: each request's first chunk time in µs (NaN without chunks), and the µs from each chunk to the next. */
  private firstAtUs: Float64Column | undefined = new Float64Column();
  private stepsUs: SmallIntColumn | undefined = new SmallIntColumn();
  /** The current request's last chunk time: in µs while compact, else in ms. */
  private lastAt = 0;
  private readonly tokens = new SmallIntColumn();

  /** Starts a request: the values set next are its own. */
  begin(seq: number): void {
    this.seqs.push(seq);
    for (const column of this.columns) column.push(Number.NaN);
    this.chunks.push(0);
    this.firstAtUs?.push(Number.NaN);
  }

  set(metric: RequestMetric, value: number): void {
    const i = INDEX[metric];
    (this.columns[i] as Column).setLast(value);
    this.counts[i] = (this.counts[i] as number) + 1;
  }

  /** A chunk of the current request: its tokens and when it came (chunks in the record's order). */
  chunk(tokens: number, atMs: number): void {
    this.tokens.push(tokens);
    const request = this.chunks.length - 1;
    const first = this.chunks.get(request) === 0;
    this.addTime(atMs, first);
    // Counted last: a widening above reads this request's gaps so far.
    this.chunks.setLast(this.chunks.get(request) + 1);
  }

  private addTime(atMs: number, first: boolean): void {
    if (this.firstAtUs !== undefined && this.stepsUs !== undefined) {
      const us = Math.round(atMs * 1000);
      const step = us - this.lastAt;
      const exact = us / 1000 === atMs && Number.isSafeInteger(us) && !Object.is(atMs, -0);
      if (exact && (first || (step >= -0x80000000 && step <= 0x7fffffff))) {
        if (first) this.firstAtUs.setLast(us);
        else this.stepsUs.push(step);
        this.lastAt = us;
        return;
      }
      this.widenGaps();
    }
    if (!first) (this.gaps as Float64Column).push(atMs - this.lastAt);
    this.lastAt = atMs;
  }

  /** From chunk times in µs to the gaps themselves (the current request's last time in ms). */
  private widenGaps(): void {
    const gaps = new Float64Column();
    this.forEachGap((gap) => gaps.push(gap));
    this.gaps = gaps;
    this.lastAt /= 1000;
    this.firstAtUs = undefined;
    this.stepsUs = undefined;
  }

  /** Every gap in order, with the request it belongs to. */
  private forEachGap(each: (gap: number, request: number) => void): void {
    if (this.gaps !== undefined) {
      let at = 0;
      for (let k = 0; k < this.requests; k++) {
        const n = Math.max(0, this.chunks.get(k) - 1);
        for (let g = 0; g < n; g++) each(this.gaps.get(at++), k);
      }
      return;
    }
    const firstAtUs = this.firstAtUs as Float64Column;
    const stepsUs = this.stepsUs as SmallIntColumn;
    let step = 0;
    for (let k = 0; k < this.requests; k++) {
      const n = Math.max(0, this.chunks.get(k) - 1);
      let us = firstAtUs.get(k);
      for (let g = 0; g < n; g++) {
        const next = us + stepsUs.get(step++);
        // As the record's own times subtract: (next / 1000) and (us / 1000) are those doubles.
        each(next / 1000 - us / 1000, k);
        us = next;
      }
    }
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
    if (metric === 'chunkGapMs') return distributionOfSorted(sortValues(this.gapValues(keep)));
    const i = INDEX[metric];
    const all = (this.columns[i] as Column).toArray();
    let n = 0;
    for (let k = 0; k < all.length; k++) if (!Number.isNaN(all[k] as number) && (keep === undefined || keep[k])) n += 1;
    if (n === 0) return EMPTY_DISTRIBUTION;
    // Every request has a value (the common case): the copy is the values already, and a
    // million-request run's finish holds one array per metric fewer.
    if (n === all.length) return distributionOfSorted(sortValues(all));
    const values = new Float64Array(n);
    let at = 0;
    for (let k = 0; k < all.length; k++) {
      const v = all[k] as number;
      if (!Number.isNaN(v) && (keep === undefined || keep[k])) values[at++] = v;
    }
    return distributionOfSorted(sortValues(values));
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
    return (this.columns[i] as Column).countKept(keep);
  }

  /** The gaps of the requests `keep` marks (every request without it), in order: forEachGap's, in a loop of its own (millions of them). */
  private gapValues(keep?: Uint8Array): Float64Array {
    const out = new Float64Array(this.count('chunkGapMs', keep));
    let at = 0;
    if (this.gaps !== undefined) {
      this.forEachGap((gap, k) => {
        if (keep === undefined || keep[k]) out[at++] = gap;
      });
      return out;
    }
    const firstAtUs = this.firstAtUs as Float64Column;
    const stepsUs = this.stepsUs as SmallIntColumn;
    let step = 0;
    for (let k = 0; k < this.requests; k++) {
      const n = Math.max(0, this.chunks.get(k) - 1);
      if (keep !== undefined && !keep[k]) {
        step += n;
        continue;
      }
      let us = firstAtUs.get(k);
      for (let g = 0; g < n; g++) {
        const next = us + stepsUs.get(step++);
        // As forEachGap computes it: (next / 1000) and (us / 1000) are the record's doubles.
        out[at++] = next / 1000 - us / 1000;
        us = next;
      }
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
    return histogram ? distributionOfCounts(histogram) : distributionOfSorted(sortValues(values as Float64Array));
  }
}
