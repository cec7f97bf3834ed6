import { describe, expect, it } from 'vitest';
import { queueDelayDecision, requestCountTarget } from './scaler.js';
import { stepDurationMs } from '../worker/engine.js';
import { resolveEmulatorSettings } from '../settings/schema.js';

describe('REQUEST_COUNT', () => {
  it('targets ceil((inQueue + inProgress) / value), clamped to [min, max]', () => {
    expect(requestCountTarget({ queued: 3, inProgress: 2, oldestQueuedAt: 0 }, 1, 0, 10)).toBe(5);
    expect(requestCountTarget({ queued: 3, inProgress: 2, oldestQueuedAt: 0 }, 2, 0, 10)).toBe(3);
    expect(requestCountTarget({ queued: 30, inProgress: 0, oldestQueuedAt: 0 }, 1, 0, 3)).toBe(3);
    expect(requestCountTarget({ queued: 0, inProgress: 0, oldestQueuedAt: undefined }, 1, 2, 3)).toBe(2);
  });
});

describe('QUEUE_DELAY', () => {
  const state = { live: 1, max: 3, lastAddedAt: Number.NEGATIVE_INFINITY, delayMs: 4000 };
  it('starts a worker at once when none is live', () => {
    expect(queueDelayDecision({ queued: 1, inProgress: 0, oldestQueuedAt: 100 }, { ...state, live: 0 }, 100)).toEqual({
      add: true,
    });
  });
  it('adds one when the oldest job has waited the delay, else says when to look again', () => {
    expect(queueDelayDecision({ queued: 1, inProgress: 0, oldestQueuedAt: 100 }, state, 1000)).toEqual({
      add: false,
      recheckAt: 4100,
    });
    expect(queueDelayDecision({ queued: 1, inProgress: 0, oldestQueuedAt: 100 }, state, 4100)).toEqual({ add: true });
  });
  it('adds at most one per delay period, never beyond max, never for an empty queue', () => {
    expect(
      queueDelayDecision({ queued: 1, inProgress: 0, oldestQueuedAt: 0 }, { ...state, lastAddedAt: 9000 }, 10_000),
    ).toEqual({ add: false, recheckAt: 13_000 });
    expect(queueDelayDecision({ queued: 1, inProgress: 0, oldestQueuedAt: 0 }, { ...state, live: 3 }, 10_000)).toEqual({
      add: false,
      recheckAt: undefined,
    });
    expect(queueDelayDecision({ queued: 0, inProgress: 5, oldestQueuedAt: undefined }, state, 10_000)).toEqual({
      add: false,
      recheckAt: undefined,
    });
  });
});

describe('decode step duration', () => {
  const settings = resolveEmulatorSettings({
    generation: { stepMs: 20, stepMsPerSequence: 0.5, prefillMsPerToken: 0.1, jitter: 0.1 },
  });
  it('grows with active sequences and admitted prompt tokens', () => {
    expect(stepDurationMs(settings, 1, 0, 0.5)).toBe(20);
    expect(stepDurationMs(settings, 41, 0, 0.5)).toBe(40);
    expect(stepDurationMs(settings, 1, 1000, 0.5)).toBe(120);
  });
  it('varies by at most the jitter', () => {
    expect(stepDurationMs(settings, 1, 0, 0)).toBeCloseTo(18);
    expect(stepDurationMs(settings, 1, 0, 1)).toBeCloseTo(22);
  });
});
