// The phase rules in phases.ts's header: warmup until both its count and its duration are
// met, then measured requests until load.requests are handed out or load.duration has passed
// since measuring began. Times start at 100 ms so that "since the start" is visible.
import { describe, expect, it } from 'vitest';
import { createPhases } from './phases.js';

const START = 100;

describe('createPhases', () => {
  it('measures from the start without a warmup, and stops after load.requests', () => {
    const p = createPhases({ warmup: { requests: 0, durationMs: 0 }, requests: 3 }, START);
    expect(p.measureStartMs()).toBe(START);
    expect(p.exhausted()).toBe(false);
    expect([p.next(100), p.next(110), p.next(120)]).toEqual(['measure', 'measure', 'measure']);
    expect(p.exhausted()).toBe(true);
    expect(p.next(130)).toBeUndefined();
  });

  it('sends the warmup count first, then measures from the first measured request', () => {
    const p = createPhases({ warmup: { requests: 2, durationMs: 0 }, requests: 1 }, START);
    expect(p.measureStartMs()).toBeUndefined();
    expect([p.next(100), p.next(150)]).toEqual(['warmup', 'warmup']);
    expect(p.profileMs(160)).toBe(0); // still warming up: the profile has not started
    expect(p.next(200)).toBe('measure');
    expect(p.measureStartMs()).toBe(200);
    expect(p.profileMs(260)).toBe(60);
    expect(p.next(270)).toBeUndefined();
  });

  it('warms up for the duration since the start, measuring at exactly its end', () => {
    const p = createPhases({ warmup: { requests: 0, durationMs: 1000 } }, START);
    expect(p.measureStartMs()).toBeUndefined();
    expect([p.next(100), p.next(1099)]).toEqual(['warmup', 'warmup']);
    expect(p.next(1100)).toBe('measure');
    expect(p.measureStartMs()).toBe(1100);
  });

  it('needs both the warmup count and the warmup duration', () => {
    const p = createPhases({ warmup: { requests: 1, durationMs: 1000 } }, START);
    expect(p.next(100)).toBe('warmup'); // the count is met after this one
    expect(p.next(600)).toBe('warmup'); // the duration is not
    expect(p.next(1100)).toBe('measure');
    const q = createPhases({ warmup: { requests: 3, durationMs: 10 } }, START);
    expect([q.next(100), q.next(200), q.next(300), q.next(400)]).toEqual(['warmup', 'warmup', 'warmup', 'measure']);
  });

  it('stops measuring once load.duration has passed since measuring began, not before', () => {
    const p = createPhases({ warmup: { requests: 1, durationMs: 0 }, durationMs: 1000 }, START);
    expect(p.next(100)).toBe('warmup');
    expect(p.next(500)).toBe('measure'); // measuring begins at 500
    expect(p.next(1499)).toBe('measure');
    expect(p.next(1500)).toBeUndefined();
    expect(p.exhausted()).toBe(false); // over by time, not by count
  });
});
