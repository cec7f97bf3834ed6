import { describe, expect, it } from 'vitest';
import { batchSizesFor, createBatchSize, growBatchSize } from './batch-size.js';
import { batchConfigFromInput } from '../formats/batch-config.js';

const defaults = { maxBatchSize: 50, minBatchSize: 1, growthFactor: 3 };

describe('BatchSize (worker-vllm <= v2.23.0)', () => {
  it('cuts 100 updates into 1, 3, 9, 27, 50, 10 with the defaults', () => {
    expect(batchSizesFor(100, defaults)).toEqual([1, 3, 9, 27, 50, 10]);
  });

  it('has no trailing item when the last update lands on a threshold', () => {
    expect(batchSizesFor(40, defaults)).toEqual([1, 3, 9, 27]);
    expect(batchSizesFor(0, defaults)).toEqual([]);
    expect(batchSizesFor(1, defaults)).toEqual([1]);
  });

  it('keeps growing up to the max and stays there', () => {
    expect(batchSizesFor(200, defaults)).toEqual([1, 3, 9, 27, 50, 50, 50, 10]);
  });

  it('is fixed at max when not dynamic (growth <= 1, min < 1, or max <= min)', () => {
    expect(createBatchSize({ maxBatchSize: 50, minBatchSize: 1, growthFactor: 1 })).toEqual({
      dynamic: false,
      current: 50,
    });
    expect(createBatchSize({ maxBatchSize: 50, minBatchSize: 0, growthFactor: 3 })).toEqual({
      dynamic: false,
      current: 50,
    });
    expect(createBatchSize({ maxBatchSize: 5, minBatchSize: 5, growthFactor: 3 })).toEqual({
      dynamic: false,
      current: 5,
    });
    expect(batchSizesFor(12, { maxBatchSize: 5, minBatchSize: 5, growthFactor: 3 })).toEqual([5, 5, 2]);
  });

  it('gives float thresholds with a float growth factor, compared with >=', () => {
    const config = { maxBatchSize: 10, minBatchSize: 1, growthFactor: 1.5 };
    const batch = createBatchSize(config);
    const thresholds = [batch.current];
    for (let i = 0; i < 6; i++) {
      growBatchSize(batch, config);
      thresholds.push(batch.current);
    }
    expect(thresholds).toEqual([1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10]);
    // counts reach 1, then 2 >= 1.5, 3 >= 2.25, 4 >= 3.375, 6 >= 5.0625, 8 >= 7.59375, 10
    expect(batchSizesFor(40, config)).toEqual([1, 2, 3, 4, 6, 8, 10, 6]);
  });

  it('reads per-request overrides the way the worker does', () => {
    expect(
      batchConfigFromInput({ max_batch_size: 10, min_batch_size: '2', batch_size_growth_factor: '2' }, defaults),
    ).toEqual({
      config: { maxBatchSize: 10, minBatchSize: 2, growthFactor: 2 },
    });
    // Falsy values fall back to the env defaults.
    expect(
      batchConfigFromInput({ max_batch_size: 0, min_batch_size: null, batch_size_growth_factor: '' }, defaults),
    ).toEqual({ config: defaults });
    expect(batchSizesFor(30, { maxBatchSize: 10, minBatchSize: 2, growthFactor: 2 })).toEqual([2, 4, 8, 10, 6]);
    expect(batchConfigFromInput({ min_batch_size: 'abc' }, defaults)).toEqual({
      error: 'invalid literal for int() with base 10: "abc"',
    });
  });
});
