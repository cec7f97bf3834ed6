// Exact distributions of small whole numbers (tokens per chunk, polls per request): a count
// per distinct value, which stays small however many observations there are (a value is
// bounded by the tokens of one answer or the polls of one request). No percentile is
// estimated, so chunk sizes of 1, 5 and 5 read as one third at 1 and two thirds at 5,
// not as the in-between values an interpolated quantile would give.
import type { DiscreteCdf } from './types.js';

/** Most points a curve keeps; beyond, every k-th distinct value (and the last) is kept. */
export const MAX_DISCRETE_POINTS = 400;

export interface ValueCounter {
  readonly seen: number;
  add(value: number): void;
  finish(): DiscreteCdf;
}

/** Values below this are counted in an array (a Map lookup per chunk was a large share of the page's cost). */
const DENSE = 1024;

export function createValueCounter(): ValueCounter {
  const dense = new Float64Array(DENSE);
  const counts = new Map<number, number>();
  let seen = 0;
  return {
    get seen() {
      return seen;
    },
    add(value) {
      const key = Math.round(value);
      if (key >= 0 && key < DENSE) dense[key] = (dense[key] as number) + 1;
      else counts.set(key, (counts.get(key) ?? 0) + 1);
      seen += 1;
    },
    finish() {
      const sorted = [...counts.entries()];
      for (let key = 0; key < DENSE; key++) if ((dense[key] as number) > 0) sorted.push([key, dense[key] as number]);
      sorted.sort((a, b) => a[0] - b[0]);
      const stride = Math.ceil(sorted.length / MAX_DISCRETE_POINTS);
      const values: number[] = [];
      const shareAtOrBelow: number[] = [];
      let below = 0;
      // Shares keep five decimals: a tail of 1 in 100,000 still shows below 100 %.
      sorted.forEach(([value, count], i) => {
        below += count;
        if (i % stride === 0 || i === sorted.length - 1) {
          values.push(value);
          shareAtOrBelow.push(Math.round((below / seen) * 1e5) / 1e5);
        }
      });
      return { count: seen, values, shareAtOrBelow, distinct: sorted.length };
    },
  };
}
