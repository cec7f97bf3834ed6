import { describe, expect, it } from 'vitest';
import { startLoopDelay } from './loop-delay.js';

describe('startLoopDelay', () => {
  it('sees a stall of the event loop (a lower bound: a busier machine only adds delay)', async () => {
    const monitor = startLoopDelay();
    await new Promise((resolve) => setTimeout(resolve, 20)); // let the timer tick before the stall
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // 60 ms of work with no await: every answer arriving now would wait for it
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const delay = monitor.stop();
    expect(delay.max).toBeGreaterThanOrEqual(50);
    expect(delay.p50).toBeLessThanOrEqual(delay.p99);
    expect(delay.p99).toBeLessThanOrEqual(delay.max);
  });
});
