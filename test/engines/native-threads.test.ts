// The native engine on client threads (--workers): one clock across threads, every request
// recorded once, the schedule kept by the runner's thread, and the thread count a user gets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { perfMinusMonotonicMs, threadClock } from '../../src/engines/native/thread-clock.js';
import { startModuleWorker } from '../../src/util/module-worker.js';
import { readMeta, readSummary } from '../support/run-files.js';
import { expectAllOk, runEngine } from './support.js';
import { hasStackTrace, runCli } from '../support/cli.js';

/** The run's clock minus the shared monotonic clock, for pairs read back to back. */
function offsets(pairs: Array<[string, number]>): number[] {
  return pairs.map(([ns, clockMs]) => clockMs - Number(BigInt(ns) / 1000n) / 1000);
}

describe('the run clock across threads', () => {
  it('a client thread reads the same clock as the runner: within 20 µs, where timeOrigin alone can be off by a millisecond', async () => {
    const runStartPerfMs = performance.now() - 1234.5;
    const base = { runStartPerfMs, mainPerfMinusMonotonicMs: perfMinusMonotonicMs() };
    const mainClock = () => Math.round((performance.now() - runStartPerfMs) * 1000) / 1000;
    const here: Array<[string, number]> = [];
    for (let i = 0; i < 200; i++) here.push([String(process.hrtime.bigint()), mainClock()]);
    const worker = startModuleWorker(import.meta.url, './fixtures/clock-probe.js', { clockBase: base });
    const there = await new Promise<Array<[string, number]>>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    // The run's clock is read just after the monotonic one, so each offset is the true one
    // plus the gap between the two readings (and the clock's µs rounding): the smallest is the tightest.
    const mainOffset = Math.min(...offsets(here));
    const threadOffset = Math.min(...offsets(there));
    expect(Math.abs(threadOffset - mainOffset)).toBeLessThan(0.02);
    // threadClock on this thread itself is the runner's clock.
    const same = threadClock(base);
    const a = mainClock();
    const b = same();
    const c = mainClock();
    expect(b).toBeGreaterThanOrEqual(a - 0.002);
    expect(b).toBeLessThanOrEqual(c + 0.002);
  });
});

const EMULATOR = `emulator:
  timeScale: 20
  network: { roundTrip: 0 }
  workers: { min: 4, max: 4 }
  generation: { jitter: 0 }
  rateLimits: { enabled: false }
`;

function scenario(mode: string, load: string): string {
  return `name: native-threads
mode: ${mode}
sampling_params: { max_tokens: 8 }
polling: { interval: 10ms, health: 0 }
load: ${load}
${EMULATOR}`;
}

describe('native engine on client threads', () => {
  it.each([
    ['stream', '{ concurrency: 6, requests: 40, warmup: 4 }'],
    ['openai-stream', '{ rate: 40, requests: 40, warmup: 4 }'],
    ['async', '{ concurrency: 5, requests: 30 }'],
  ])('%s, %s on 2 threads: one record per request, numbered without gaps, in clock order', async (mode, load) => {
    const { out, records, exitCode } = await runEngine('native', scenario(mode, load), {}, { workers: 2 });
    expect(exitCode).toBe(0);
    expectAllOk(records);
    const seqs = records.map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    // Scheduled on the runner's thread, sent and time-stamped on a client thread: on one clock,
    // nothing is sent before it was due, and nothing answers before it was sent.
    for (const r of records) {
      const sent = r.sentMs as number;
      expect(sent, `#${r.seq} sent before it was due`).toBeGreaterThanOrEqual(r.scheduledMs);
      if (r.firstTokenMs !== undefined) expect(r.firstTokenMs).toBeGreaterThanOrEqual(sent);
      expect(r.endMs).toBeGreaterThanOrEqual(r.firstTokenMs ?? sent);
    }
    const threads = readMeta(out).variants[0]?.clientThreads;
    expect(threads?.count).toBe(2);
    expect(threads?.loopDelayMs.length).toBeGreaterThanOrEqual(1);
    const summary = readSummary(out).variants[0];
    expect(summary?.clientLoopDelay?.threads).toBe(2);
    // The report says how many threads and how late each one's loop ran.
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(
      /2 client threads(, event-loop delay p99 [\d.]+ \/ [\d.]+ ms)?/,
    );
  });

  it('one thread by default at a few requests in flight: no client threads in run.json', async () => {
    const { out, exitCode } = await runEngine('native', scenario('sync', '{ concurrency: 2, requests: 6 }'));
    expect(exitCode).toBe(0);
    expect(readMeta(out).variants[0]?.clientThreads).toBeUndefined();
  });
});

describe('--workers on the command line', () => {
  it.each([
    [['--workers', '0'], /--workers: expected a whole number of client threads \(1 to 64\), got 0/],
    [['--workers', '1.5'], /--workers: expected a whole number/],
    [['--workers', '65'], /--workers: expected a whole number/],
    [['--workers', '2', '--engine', 'autocannon'], /--workers: client threads belong to the native engine/],
  ])('%j is refused with one line and exit 2', async (flags, message) => {
    const run = await runCli(['run', 'quick', ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
