import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.js';
import { rateLimitWarnings } from './rate-limits.js';

const variant = (extra: string) =>
  parseScenario(`name: t\nsampling_params: { max_tokens: 100 }\n${extra}`, 't.yaml').variants[0]!;

describe('rateLimitWarnings', () => {
  it('warns when polling many jobs often spends more than /status allows', () => {
    const warnings = rateLimitWarnings(
      variant('mode: async\npolling: { interval: 250ms }\nload: { concurrency: 200, requests: 2000 }'),
    );
    expect(warnings).toEqual([
      // 200 users, each request at least 1 s (100 tokens at 10 ms): up to 200 submissions a second.
      "up to 200 /run calls a second (one per request) against Runpod's limit of 1000 per 10 s: expect 429s",
      "up to 800 /status calls a second (200 jobs in flight, polled every 250 ms) against Runpod's limit of 2000 per 10 s: expect 429s",
    ]);
  });

  it('stays quiet about submissions when the whole run sends fewer than a 10 s window allows', () => {
    // A sweep's throughput step: 32 requests at once, a burst no 10 s window can hold 1,000 of.
    expect(
      rateLimitWarnings(variant('mode: sync\nload: { concurrency: 32, requests: 32, warmup: 2 }')).filter((w) =>
        w.includes('/runsync calls a second'),
      ),
    ).toEqual([]);
    // The same rate over a run long enough to fill the window is warned of.
    expect(
      rateLimitWarnings(variant('mode: sync\nload: { concurrency: 320, requests: 5000 }')).some((w) =>
        w.startsWith('up to 320 /runsync calls a second'),
      ),
    ).toBe(true);
  });

  it('stays quiet for a modest load', () => {
    expect(
      rateLimitWarnings(variant('mode: stream\npolling: { interval: 250ms }\nload: { concurrency: 8, requests: 100 }')),
    ).toEqual([]);
  });

  it('counts long-polls against the concurrency limit', () => {
    const warnings = rateLimitWarnings(
      variant('mode: stream\npolling: { wait: 5s }\nload: { concurrency: 500, requests: 1000 }'),
    );
    expect(warnings.some((w) => w.includes("500 /stream calls in flight against Runpod's limit of 400"))).toBe(true);
  });

  it('estimates long-polls at one return per round trip, and never more jobs in flight than requests', () => {
    // 8 long-polled streams: about 80 calls a second at most, well under 200.
    expect(
      rateLimitWarnings(variant('mode: stream\npolling: { wait: 10s }\nload: { concurrency: 8, requests: 16 }')),
    ).toEqual([]);
    // 30 of them pass it.
    expect(
      rateLimitWarnings(variant('mode: stream\npolling: { wait: 10s }\nload: { concurrency: 30, requests: 60 }')),
    ).toEqual([
      "up to 300 /stream calls a second (30 jobs in flight, long-polling) against Runpod's limit of 2000 per 10 s: expect 429s",
    ]);
    // A closed loop of 300 sending 1 request has 1 job in flight.
    expect(
      rateLimitWarnings(variant('mode: stream\npolling: { interval: 1ms }\nload: { concurrency: 300, requests: 1 }')),
    ).toEqual([
      "up to 1000 /stream calls a second (1 job in flight, polled every 1 ms) against Runpod's limit of 2000 per 10 s: expect 429s",
    ]);
  });

  it('checks open-loop submissions against /run', () => {
    const warnings = rateLimitWarnings(
      variant('mode: async\npolling: { interval: 10s }\nload: { rate: 150, duration: 1m }'),
    );
    expect(warnings[0]).toMatch(
      /^about 150 \/run calls a second \(one per request\) against Runpod's limit of 1000 per 10 s/,
    );
  });

  it("warns only past Runpod's limits, not at them", () => {
    // Open loop through /runsync: 200 submissions a second is exactly 2000 per 10 s.
    const at = (rate: number) => rateLimitWarnings(variant(`mode: sync\nload: { rate: ${rate}, duration: 10s }`));
    expect(at(200)).toEqual([]);
    expect(at(201)).toEqual([
      "about 201 /runsync calls a second (one per request) against Runpod's limit of 2000 per 10 s: expect 429s",
    ]);
    // Long-polls in flight: 400 is the limit of /stream.
    const held = (n: number) =>
      rateLimitWarnings(variant(`mode: stream\npolling: { wait: 10s }\nload: { concurrency: ${n}, requests: 1000 }`));
    expect(held(400).filter((w) => w.includes('in flight against'))).toEqual([]);
    expect(held(401).filter((w) => w.includes('in flight against'))).toEqual([
      "about 401 /stream calls in flight against Runpod's limit of 400: expect 429s",
    ]);
  });

  it('estimates requests in flight from the rate and the shortest request, or the requests a loop sends', () => {
    // 450 req/s of 100 tokens, at least 1 s each: about 450 in flight.
    const open = rateLimitWarnings(variant('mode: sync\nload: { rate: 450, duration: 10s }'));
    expect(open).toEqual([
      "about 450 /runsync calls a second (one per request) against Runpod's limit of 2000 per 10 s: expect 429s",
      "about 450 /runsync calls in flight against Runpod's limit of 400: expect 429s",
    ]);
    // 500 users but only 300 measured + 150 warmup requests: at most 450 in flight.
    const closed = rateLimitWarnings(variant('mode: sync\nload: { concurrency: 500, requests: 300, warmup: 150 }'));
    expect(closed.filter((w) => w.includes('in flight against'))).toEqual([
      "about 450 /runsync calls in flight against Runpod's limit of 400: expect 429s",
    ]);
  });
});
