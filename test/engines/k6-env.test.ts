// The collector settings k6 gets in podbench's own runs: a larger heap between collections,
// capped at half the machine's memory, and the user's own settings kept when given.
import { describe, expect, it } from 'vitest';
import { k6GcEnv } from '../../src/engines/k6/index.js';

describe('k6GcEnv', () => {
  it('GOGC=400 with a soft limit of half the memory', () => {
    expect(k6GcEnv({}, 8 * 2 ** 30)).toEqual({ GOGC: '400', GOMEMLIMIT: String(4 * 2 ** 30) });
  });

  it("passes on the user's own GOGC or GOMEMLIMIT, and adds nothing to them", () => {
    expect(k6GcEnv({ GOGC: '100' }, 8 * 2 ** 30)).toEqual({ GOGC: '100' });
    expect(k6GcEnv({ GOMEMLIMIT: '2GiB' }, 8 * 2 ** 30)).toEqual({ GOMEMLIMIT: '2GiB' });
  });
});
