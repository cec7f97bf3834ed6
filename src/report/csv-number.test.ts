import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.js';
import { csvNumber, writeCsvNumber } from './csv-number.js';

describe('csvNumber', () => {
  it('prints what JavaScript prints, for times in µs and for any other number', () => {
    const rng = createRng(20);
    const values = [0, -0, 1, -1, 0.001, -0.001, 0.01, 0.1, 0.5, 1.05, 10.25, 999.999, 1e12 - 0.001, 1e12, 1e15];
    values.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1 / 3, 2 ** 53, 1e-7, 123.4567);
    // Where the digits are written two at a time, and where int32 arithmetic ends.
    values.push(
      9,
      10,
      99,
      100,
      101,
      999,
      1000,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 31 + 1,
      -(2 ** 31),
      2 ** 31 - 0.001,
      2 ** 32 + 0.5,
    );
    for (let i = 0; i < 200_000; i++) {
      const scale = 10 ** Math.floor(rng.next() * 13);
      const raw = (rng.next() - 0.2) * scale;
      values.push(Math.round(raw * 1000) / 1000, raw, Math.round(raw));
    }
    // The byte writer prints the same characters, at any offset in its buffer.
    const out = Buffer.alloc(64);
    const wrong: string[] = [];
    for (const [i, v] of values.entries()) {
      const from = i % 7;
      const bytes = out.toString('latin1', from, writeCsvNumber(out, from, v));
      if (csvNumber(v) !== `${v}` || bytes !== `${v}`) wrong.push(`${v}: ${csvNumber(v)} / ${bytes}`);
    }
    expect(wrong).toEqual([]);
    expect(values.length).toBeGreaterThan(600_000);
  });
});
