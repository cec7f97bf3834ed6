import { describe, expect, it } from 'vitest';
import { scalingFacts } from './scaling.js';

const sample = (tMs: number, ready: number, running: number, initializing = 0) => ({
  tMs,
  workers: { idle: 0, initializing, ready, running, throttled: 0, unhealthy: 0 },
});

describe('scalingFacts', () => {
  it('times scale-from-zero and scale-out from the first request', () => {
    const facts = scalingFacts(
      [sample(0, 0, 0), sample(1000, 0, 0, 2), sample(2000, 0, 1, 1), sample(3000, 0, 2), sample(4000, 2, 0)],
      500,
    );
    expect(facts).toEqual({
      maxServing: 2,
      initialServing: 0,
      timeToFirstWorkerMs: 1500,
      timeToMaxWorkersMs: 2500,
      resolutionMs: 1000,
      changes: [
        { tMs: 0, serving: 0 },
        { tMs: 2000, serving: 1 },
        { tMs: 3000, serving: 2 },
      ],
    });
  });

  it('has no time to first worker when workers were already serving', () => {
    expect(scalingFacts([sample(0, 1, 0), sample(1000, 0, 1)], 0)?.timeToFirstWorkerMs).toBeNull();
  });

  it('ignores samples that failed', () => {
    expect(scalingFacts([{ tMs: 0 }], 0)).toBeUndefined();
  });
});
