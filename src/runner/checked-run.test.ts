import { describe, expect, it } from 'vitest';
import { baselineShrinkNote } from './checked-run.js';

describe('baselineShrinkNote', () => {
  it('says when the baseline compared with is replaced by one of fewer runs', () => {
    expect(baselineShrinkNote('b.json', './b.json', 3, 1)).toBe(
      'b.json held 3 runs and now holds 1: later checks against it see more noise and detect less (--repeat 3 saves a baseline of 3)',
    );
  });

  it('says nothing for another file, the same number of runs, or no baseline', () => {
    expect(baselineShrinkNote('next.json', 'b.json', 3, 1)).toBeUndefined();
    expect(baselineShrinkNote('b.json', 'b.json', 3, 3)).toBeUndefined();
    expect(baselineShrinkNote('b.json', undefined, undefined, 1)).toBeUndefined();
  });
});
