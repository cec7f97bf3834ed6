import { describe, expect, it } from 'vitest';
import { MIN_BATCHED_REQUESTS, steadyThroughput, type SteadyRequest } from './steady-throughput.js';

/**
 * A closed loop of `users` against a server that runs `slots` requests at once for
 * `serviceMs` each, first come first served: the records it would produce (the client
 * sends again the instant a request ends). Its true throughput is slots / serviceMs.
 */
function closedLoop(
  users: number,
  slots: number,
  serviceMs: number,
  requests: number,
  tokens = 10,
  spreadMs = 0,
): SteadyRequest[] {
  const slotFree = Array.from({ length: slots }, () => 0);
  const userFree = Array.from({ length: users }, () => 0);
  const out: SteadyRequest[] = [];
  for (let i = 0; i < requests; i++) {
    const u = userFree.indexOf(Math.min(...userFree));
    const sentMs = userFree[u] as number;
    const s = slotFree.indexOf(Math.min(...slotFree));
    const startMs = Math.max(sentMs, slotFree[s] as number);
    // spreadMs: the requests of one batch finish a little apart, as on a real server.
    const endMs = startMs + serviceMs + (i % slots) * spreadMs;
    slotFree[s] = endMs;
    userFree[u] = endMs;
    out.push({ scheduledMs: sentMs, sentMs, endMs, ok: true, outputTokens: tokens });
  }
  return out;
}

describe('steady throughput', () => {
  it("reads a saturated server's true rate over the first completion → last send", () => {
    // 4 slots of 200 ms: 20 req/s. 64 requests at 8 in flight: 4 end every 200 ms.
    const records = closedLoop(8, 4, 200, 64);
    const steady = steadyThroughput(records, { model: 'closed', concurrency: 8 });
    expect(steady?.windowStartMs).toBe(200);
    // The last send is when the 56th request ended: 56 / 4 × 200 ms. Sent inside the window
    // (strictly after 200 ms): requests 13 to 64, each waiting one round for a slot (400 ms):
    // 8 / 0.4 s.
    expect(steady?.windowMs).toBe(2800 - 200);
    expect(steady?.completions).toBe(52);
    expect(steady?.requestsPerSec).toBeCloseTo(20, 9);
    expect(steady?.outputTokensPerSec).toBeCloseTo(200, 9);
  });

  it('leaves out the drain of a closed loop at fewer users than slots, and the ramp-up', () => {
    // 3 users, 4 slots, 100 ms: 30 req/s while all users are busy. Staggered first sends
    // (a ramp) and an uneven end would pull a whole-run figure down; the steady one is exact.
    const records = closedLoop(3, 4, 100, 30).map((r, i) => (i < 3 ? { ...r, sentMs: r.sentMs - 50 * i } : r));
    const steady = steadyThroughput(records, { model: 'closed', concurrency: 3 });
    expect(steady?.requestsPerSec).toBeCloseTo(30, 9);
    const wholeRun = (records.length * 1000) / (Math.max(...records.map((r) => r.endMs)) + 100);
    expect(wholeRun).toBeLessThan(29);
  });

  it('is not thrown off by a window edge inside a batch of completions', () => {
    // 12 users, 4 slots of 200 ms: completions in fours. A count of completions from the
    // first one to the last send would take in the rest of the first four.
    const records = closedLoop(12, 4, 200, 100, 10, 0.01);
    const steady = steadyThroughput(records, { model: 'closed', concurrency: 12 });
    expect(steady?.requestsPerSec).toBeCloseTo(20, 2);
    const { startMs, endMs } = {
      startMs: steady?.windowStartMs as number,
      endMs: (steady?.windowStartMs as number) + (steady?.windowMs as number),
    };
    const counted = records.filter((r) => r.endMs > startMs && r.endMs <= endMs).length;
    expect((counted * 1000) / (endMs - startMs)).toBeGreaterThan(20.5);
  });

  it("counts the time from when the user was free, so the client's own send delay is in the loop", () => {
    // 1 user, 90 ms requests, each sent 10 ms after its user was free: 10 req/s, not 11.1.
    let t = 0;
    const records = Array.from({ length: 40 }, () => {
      const r = { scheduledMs: t, sentMs: t + 10, endMs: t + 100, ok: true, outputTokens: 1 };
      t += 100;
      return r;
    });
    expect(steadyThroughput(records, { model: 'closed', concurrency: 1 })?.requestsPerSec).toBeCloseTo(10, 9);
  });

  it('gives a closed loop an interval from batch means of latency, zero wide for a deterministic server', () => {
    const records = closedLoop(8, 4, 200, 200);
    const steady = steadyThroughput(records, { model: 'closed', concurrency: 8 });
    expect(steady?.interval).toEqual({ low: 20, high: 20, method: 'little' });
  });

  it('widens the interval by the spread of the batch means (hand-computed)', () => {
    // 1 user sending back to back; latencies alternate in pairs: 90, 90, 110, 110, 90, ...
    const latencies = Array.from({ length: 23 }, (_, i) => (Math.floor(i / 2) % 2 === 0 ? 90 : 110));
    let t = 0;
    const records = latencies.map((l) => {
      const r = { scheduledMs: t, sentMs: t, endMs: t + l, ok: true, outputTokens: 1 };
      t += l;
      return r;
    });
    const steady = steadyThroughput(records, { model: 'closed', concurrency: 1 });
    // The window runs from the first end (the second send) to the last send; the requests
    // sent strictly inside it are the 3rd to the 23rd: 21 latencies, 10 batches of 2 (the
    // last latency is left over).
    const inWindow = latencies.slice(2, 22);
    const means = Array.from(
      { length: 10 },
      (_, b) => ((inWindow[2 * b] as number) + (inWindow[2 * b + 1] as number)) / 2,
    );
    const mean = means.reduce((a, m) => a + m, 0) / 10;
    const sd = Math.sqrt(means.reduce((a, m) => a + (m - mean) ** 2, 0) / 9);
    const relative = (2.2621571627 * sd) / Math.sqrt(10) / mean;
    expect(relative).toBeGreaterThan(0.05);
    // The value: 1 user over the mean time of all 21 requests sent inside the window.
    const all = latencies.slice(2, 23);
    const rate = 1000 / (all.reduce((a, l) => a + l, 0) / all.length);
    expect(steady?.requestsPerSec).toBeCloseTo(rate, 9);
    expect(steady?.interval?.low).toBeCloseTo(rate / (1 + relative), 9);
    expect(steady?.interval?.high).toBeCloseTo(rate / (1 - relative), 9);
  });

  it('counts an open loop as Poisson: ±1.96/√k', () => {
    // 5 req/s for 20 s, each taking 50 ms.
    const records = Array.from({ length: 100 }, (_, i) => ({
      scheduledMs: i * 200,
      sentMs: i * 200,
      endMs: i * 200 + 50,
      ok: true,
      outputTokens: 2,
    }));
    const steady = steadyThroughput(records, { model: 'open' });
    // Window 50 → 19800 ms; completions in (50, 19800]: the requests ending at 250 ... 19650 (98 of them).
    expect(steady?.completions).toBe(98);
    expect(steady?.requestsPerSec).toBeCloseTo((98 * 1000) / 19750, 9);
    const rel = 1.959963984540054 / Math.sqrt(98);
    expect(steady?.interval?.low).toBeCloseTo((steady?.requestsPerSec as number) * (1 - rel), 9);
    expect(steady?.interval?.method).toBe('poisson');
  });

  it('reads a burst (every request at once) from its drain: completions after the first over first → last end', () => {
    // 64 users, 64 requests, 4 slots of 200 ms: 20 req/s. Ends in fours at 200, 400, ... 3200 ms.
    const records = closedLoop(64, 4, 200, 64);
    // As a plain closed loop there is no send inside the window: no figure.
    expect(steadyThroughput(records, { model: 'closed', concurrency: 64 })).toBeUndefined();
    const steady = steadyThroughput(records, { model: 'closed', concurrency: 64, burst: true });
    expect(steady?.windowStartMs).toBe(200);
    expect(steady?.windowMs).toBe(3000);
    // The first four end with the window's start: 60 inside it.
    expect(steady?.completions).toBe(60);
    expect(steady?.requestsPerSec).toBeCloseTo(20, 9);
    expect(steady?.interval?.method).toBe('poisson');
    // Ends spread within a batch (a real server) stay near the truth too.
    const spread = steadyThroughput(closedLoop(64, 4, 200, 64, 10, 5), {
      model: 'closed',
      concurrency: 64,
      burst: true,
    });
    expect(spread?.requestsPerSec).toBeGreaterThan(19);
    expect(spread?.requestsPerSec).toBeLessThan(21);
  });

  it('has no figure without a steady part, and no interval for a closed loop too short to batch', () => {
    // Everything sent before the first request ended: no steady part.
    expect(steadyThroughput(closedLoop(16, 4, 200, 16), { model: 'closed', concurrency: 16 })).toBeUndefined();
    expect(steadyThroughput([], { model: 'open' })).toBeUndefined();
    // Too few completions in the window.
    expect(steadyThroughput(closedLoop(4, 4, 200, 10), { model: 'closed', concurrency: 4 })).toBeUndefined();
    const short = steadyThroughput(closedLoop(2, 4, 100, MIN_BATCHED_REQUESTS), { model: 'closed', concurrency: 2 });
    expect(short?.requestsPerSec).toBeCloseTo(20, 9);
    expect(short?.interval).toBeNull();
  });

  it('counts failures as the end of a slot but not as throughput', () => {
    const records = closedLoop(2, 2, 100, 40).map((r, i) => (i % 4 === 3 ? { ...r, ok: false } : r));
    const steady = steadyThroughput(records, { model: 'closed', concurrency: 2 });
    // 20 req/s of answers, a quarter of them failures; the share is over those sent inside the window.
    const inside = records.filter((r) => r.sentMs > 100);
    const ok = inside.filter((r) => r.ok).length;
    expect(steady?.requestsPerSec).toBeCloseTo((20 * ok) / inside.length, 9);
    expect(steady?.outputTokensPerSec).toBeCloseTo((20 * ok * 10) / inside.length, 9);
  });
});
