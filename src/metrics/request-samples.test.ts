import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.js';
import { distribution } from './percentiles.js';
import { RequestSamples } from './request-samples.js';

/** Requests with chunks at three-decimal times (as records keep them), one time off that grid when `offGrid`. */
function fill(seed: number, offGrid: boolean, bigTokens: number) {
  const rng = createRng(seed);
  const samples = new RequestSamples();
  const gaps: number[] = [];
  const warmGaps: number[] = [];
  const tokens: number[] = [];
  const warmTokens: number[] = [];
  const e2e: number[] = [];
  const keep: number[] = [];
  const offAt = offGrid ? Math.floor(rng.next() * 300) : -1;
  let chunk = 0;
  for (let k = 0; k < 200; k++) {
    samples.begin(k);
    const warm = rng.next() < 0.7;
    keep.push(warm ? 1 : 0);
    if (rng.next() < 0.9) {
      const v = Math.round(rng.next() * 1e6) / 1000;
      samples.set('e2eMs', v);
      if (warm) e2e.push(v);
    }
    let t = rng.next() * 1e7;
    let previous = 0;
    const n = Math.floor(rng.next() * 6);
    for (let c = 0; c < n; c++) {
      const at = chunk++ === offAt ? t + 1e-7 : Math.round(t * 1000) / 1000;
      const size = rng.next() < 0.01 ? bigTokens : Math.floor(rng.next() * 20);
      tokens.push(size);
      if (warm) warmTokens.push(size);
      if (c > 0) {
        gaps.push(at - previous);
        if (warm) warmGaps.push(at - previous);
      }
      samples.chunk(size, at);
      previous = at;
      t += rng.next() * 100 - (seed % 3 === 0 ? 60 : 0);
    }
  }
  return { samples, gaps, warmGaps, tokens, warmTokens, e2e, keep: Uint8Array.from(keep) };
}

describe('RequestSamples', () => {
  it('summarizes chunk gaps, chunk sizes and per-request values as distribution() does, overall and per class', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const f = fill(seed, seed % 2 === 0, [5, 300, 70_000, 2.5][seed % 4] as number);
      expect(f.samples.distribution('chunkGapMs')).toEqual(distribution(f.gaps));
      expect(f.samples.distribution('chunkGapMs', f.keep)).toEqual(distribution(f.warmGaps));
      expect(f.samples.distribution('chunkTokens')).toEqual(distribution(f.tokens));
      expect(f.samples.distribution('chunkTokens', f.keep)).toEqual(distribution(f.warmTokens));
      expect(f.samples.distribution('e2eMs', f.keep)).toEqual(distribution(f.e2e));
      expect(f.samples.count('chunkTokens', f.keep)).toBe(f.warmTokens.length);
      expect(f.samples.count('ttftMs')).toBe(0);
    }
  });
});
