import { describe, expect, it } from 'vitest';
import { createRng } from '../util/rng.js';
import { Float64Column, SmallIntColumn } from './columns.js';

describe('Float64Column', () => {
  it('gives back every value in order across blocks, the last one replaceable', () => {
    const column = new Float64Column();
    const values = Array.from({ length: 40_000 }, (_, i) => i / 7);
    for (const v of values) column.push(v);
    column.setLast(-1);
    values[values.length - 1] = -1;
    expect(column.length).toBe(values.length);
    expect(Array.from(column.toArray())).toEqual(values);
    expect(column.get(20_000)).toBe(values[20_000]);
  });
});

describe('SmallIntColumn', () => {
  it('keeps any value exactly while it widens from one byte to doubles, NaN as none', () => {
    const rng = createRng(7);
    const odd = [0, 254, 255, 256, 65_534, 65_535, 70_000, -1, -0, 2.5, Number.NaN, 2 ** 31, -(2 ** 31), 1e15];
    odd.push(2 ** 31 - 1, -(2 ** 31 - 1), Number.POSITIVE_INFINITY);
    for (let trial = 0; trial < 30; trial++) {
      const column = new SmallIntColumn();
      const expected: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const v =
          rng.next() < 0.002 * (trial % 4)
            ? (odd[Math.floor(rng.next() * odd.length)] as number)
            : rng.next() < 0.1
              ? Number.NaN
              : Math.floor(rng.next() * 200);
        if (expected.length > 0 && rng.next() < 0.2) {
          column.setLast(v);
          expected[expected.length - 1] = v;
        } else {
          column.push(v);
          expected.push(v);
        }
      }
      const got = Array.from({ length: column.length }, (_, i) => column.get(i));
      // Object.is: -0 stays -0, NaN stays NaN.
      expect(got.every((v, i) => Object.is(v, expected[i]))).toBe(true);
    }
  });

  it('is compact while every value is a whole number under 65,535', () => {
    const column = new SmallIntColumn();
    column.push(300);
    expect(column.compact).toBe(true);
    column.push(70_000);
    expect(column.compact).toBe(false);
    expect([column.get(0), column.get(1)]).toEqual([300, 70_000]);
  });
});

describe('countKept', () => {
  it('counts the values that are not none among the kept, across blocks and levels', () => {
    const rng = createRng(3);
    const n = 40_000;
    const keep = Uint8Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    const values = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Number.NaN : i % 1000));
    const small = new SmallIntColumn();
    const doubles = new Float64Column();
    for (const v of values) {
      small.push(v);
      doubles.push(v);
    }
    const expected = values.filter((v, i) => keep[i] && !Number.isNaN(v)).length;
    expect(small.countKept(keep)).toBe(expected);
    expect(doubles.countKept(keep)).toBe(expected);
    small.push(1e15); // widens to doubles: NaN stays none
    expect(small.countKept(Uint8Array.from([...keep, 1]))).toBe(expected + 1);
  });
});
