import { describe, expect, it } from 'vitest';
import type { LoadPlan } from '../../schedule/load-plan.js';
import type { Variant } from '../../scenario/load.js';
import { clientThreadsFor } from './thread-count.js';

function variantWith(plan: Partial<LoadPlan>): Variant {
  const full: LoadPlan = {
    model: 'closed',
    profile: [{ atMs: 0, level: 1 }],
    arrival: 'constant',
    warmup: { requests: 0, durationMs: 0 },
    ...plan,
  };
  return { plan: full } as unknown as Variant;
}

describe('clientThreadsFor', () => {
  it('one thread up to 511 in flight, one per 256 above, never more than the cores', () => {
    const closed = (level: number) => variantWith({ profile: [{ atMs: 0, level }] });
    expect(clientThreadsFor(closed(1), undefined, 8)).toBe(1);
    expect(clientThreadsFor(closed(511), undefined, 8)).toBe(1);
    expect(clientThreadsFor(closed(512), undefined, 8)).toBe(2);
    expect(clientThreadsFor(closed(1000), undefined, 8)).toBe(3);
    expect(clientThreadsFor(closed(5000), undefined, 8)).toBe(8);
    expect(clientThreadsFor(closed(5000), undefined, 2)).toBe(2);
  });

  it('a ramp counts at its peak; an open loop by its cap, else its peak rate', () => {
    const ramp = variantWith({
      profile: [
        { atMs: 0, level: 10 },
        { atMs: 1000, level: 1100 },
        { atMs: 2000, level: 0 },
      ],
    });
    expect(clientThreadsFor(ramp, undefined, 16)).toBe(4);
    expect(
      clientThreadsFor(
        variantWith({ model: 'open', profile: [{ atMs: 0, level: 50 }], maxInFlight: 1024 }),
        undefined,
        16,
      ),
    ).toBe(4);
    expect(clientThreadsFor(variantWith({ model: 'open', profile: [{ atMs: 0, level: 600 }] }), undefined, 16)).toBe(2);
  });

  it('what the user asked for, except for probes (one request at a time)', () => {
    expect(clientThreadsFor(variantWith({}), 3, 2)).toBe(3);
    expect(clientThreadsFor(variantWith({ model: 'probe' }), 3, 8)).toBe(1);
  });
});
