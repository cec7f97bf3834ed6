import { describe, expect, it } from 'vitest';
import { createValueCounter } from './counts.js';

describe('createValueCounter', () => {
  it('counts small, large and negative values in one ascending curve', () => {
    const counter = createValueCounter();
    for (const v of [7, 1, 7, 5000, -3, 1.4, 1023, 1024, 7]) counter.add(v);
    expect(counter.finish()).toEqual({
      count: 9,
      values: [-3, 1, 7, 1023, 1024, 5000],
      shareAtOrBelow: [0.11111, 0.33333, 0.66667, 0.77778, 0.88889, 1],
      distinct: 6,
    });
  });
});
