import { describe, expect, it } from 'vitest';
import { resolveEmulatorSettings } from '../settings/schema.js';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  const settings = resolveEmulatorSettings({
    rateLimits: { routes: { run: { per10s: 3, concurrent: 2 } }, perWorkerPer10s: 2 },
    workers: { max: 3 },
  });

  it('admits per10s requests in any 10 s window, then 429s until the window slides', () => {
    const limiter = new RateLimiter(settings);
    const admitted = [0, 1, 2, 3].map((t) => {
      const result = limiter.admit('run', 1000 + t, 0);
      limiter.release('run');
      return result;
    });
    expect(admitted).toEqual(['ok', 'ok', 'ok', 'rate']);
    expect(limiter.admit('run', 10_999, 0)).toBe('rate');
    expect(limiter.admit('run', 11_000.5, 0)).toBe('ok'); // the first accept left the window
  });

  it('limits requests in flight', () => {
    const limiter = new RateLimiter(settings);
    expect(limiter.admit('run', 0, 0)).toBe('ok');
    expect(limiter.admit('run', 0, 0)).toBe('ok');
    expect(limiter.admit('run', 0, 0)).toBe('concurrency');
    limiter.release('run');
    expect(limiter.admit('run', 0, 0)).toBe('ok');
  });

  it('raises the limit with running workers when perWorkerPer10s is set', () => {
    const limiter = new RateLimiter(settings);
    const results: string[] = [];
    for (let i = 0; i < 7; i++) {
      results.push(limiter.admit('run', i, 3)); // max(3, 3 workers x 2) = 6
      limiter.release('run');
    }
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'rate']);
  });
});
