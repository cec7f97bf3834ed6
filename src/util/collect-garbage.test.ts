import { describe, expect, it } from 'vitest';
import { collectGarbage } from './collect-garbage.js';

function unreachable(): WeakRef<object> {
  return new WeakRef({ columns: new Float64Array(1024) });
}

describe('collectGarbage', () => {
  it('frees what nothing holds any more, each time it is called', async () => {
    for (let round = 0; round < 2; round++) {
      const ref = unreachable();
      // A WeakRef keeps its target until the current job ends.
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
      expect(ref.deref()).toBeUndefined();
    }
  });
});
