import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { addRecord, fractionDone, newProgressState, progressLines } from './progress-view.js';

describe('the live console', () => {
  it('counts as the final table does: warmup apart, aborted neither ok nor an error', () => {
    const state = newProgressState('[quick]', { requests: 10 }, 0);
    state.sent = 9;
    addRecord(state, makeRecord({ seq: 0, phase: 'warmup', endMs: 50 }));
    addRecord(state, makeRecord({ seq: 1, endMs: 100, sentMs: 10, firstTokenMs: 40, outputTokens: 20 }));
    addRecord(state, makeRecord({ seq: 2, outcome: 'http_error', endMs: 120 }));
    addRecord(state, makeRecord({ seq: 3, outcome: 'aborted', endMs: 130 }));
    addRecord(state, makeRecord({ seq: 4, outcome: 'not_sent', endMs: 130 }));
    expect(state).toMatchObject({ ok: 1, errors: 1, aborted: 1, warmupDone: 1, done: 4 });
    const lines = progressLines(state, 1000);
    expect(lines[1]).toBe('  ok 1/10  errors 1  aborted 1  in flight 5  warmup 1');
    expect(lines[2]).toMatch(/req\/s .* tok\/s {2}TTFT p50 30 ms p95 30 ms$/);
  });

  it('shows a bar and an ETA for a bounded run, none for an unbounded one', () => {
    const bounded = newProgressState('[x]', { requests: 4 }, 0);
    bounded.sent = 2;
    addRecord(bounded, makeRecord({ seq: 0, sentMs: 1000, endMs: 2000 }));
    expect(fractionDone(bounded, 3000)).toBe(0.25);
    // A quarter done two seconds after the first send: six to go.
    expect(progressLines(bounded, 3000)[0]).toBe('[x]  3.00s  [#####...............] 25%  ETA 6.00s');
    const timed = newProgressState('[x]', { durationMs: 10_000 }, 0);
    addRecord(timed, makeRecord({ seq: 0, sentMs: 0, endMs: 500 }));
    expect(fractionDone(timed, 5000)).toBe(0.5);
    expect(progressLines(newProgressState('[x]', {}, 0), 2000)[0]).toBe('[x]  2.00s');
  });

  it('drops requests older than the rolling window and shows the workers /health reported', () => {
    const state = newProgressState('[x]', {}, 0);
    addRecord(state, makeRecord({ seq: 0, endMs: 1000 }));
    addRecord(state, makeRecord({ seq: 1, endMs: 30_000 }));
    state.health = {
      tMs: 29_000,
      variant: 'x',
      workers: { running: 1, initializing: 1, idle: 1 },
      jobs: { inQueue: 3 },
    };
    const lines = progressLines(state, 30_500);
    expect(state.recent).toHaveLength(1);
    expect(lines.at(-1)).toBe('  workers (/health): 1 up, 1 starting  queue 3  in progress 0');
  });
});
