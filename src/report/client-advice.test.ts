import { describe, expect, it } from 'vitest';
import type { RunSummary, VariantSummary } from '../core/summary.js';
import { clientAdvice, clientThreadsText } from './client-advice.js';

type Loop = NonNullable<VariantSummary['clientLoopDelay']>;

function summaryOf(engine: string, cores: number | undefined, loadAverage1m?: number): RunSummary {
  const cpu = { model: 'x', cores, ...(loadAverage1m === undefined ? {} : { loadAverage1m }) };
  const provenance = cores === undefined ? {} : { provenance: { overrides: [], node: 'v20', os: 'linux', cpu } };
  return { schemaVersion: 1, run: { engine, ...provenance }, variants: [] } as unknown as RunSummary;
}

const loop = (neededThreads: number | undefined): Loop => ({
  ms: { p50: 0.2, p99: 12, max: 40 },
  busy: true,
  share: 0.2,
  against: 'TTFT p50 (60 ms)',
  significant: true,
  threads: 1,
  ...(neededThreads === undefined ? {} : { neededThreads }),
});

describe('clientAdvice', () => {
  it('names the client threads when this machine has the cores for them', () => {
    expect(clientAdvice(summaryOf('native', 8), loop(6))).toBe(
      'About 6 client threads would remove it: run with --workers 6 (this machine has 8 cores).',
    );
  });

  it('past the cores: every core, and the machines the rest needs', () => {
    const text = clientAdvice(summaryOf('native', 2), loop(5));
    expect(text).toContain("more than this machine's 2 cores: run with --workers 2");
    expect(text).toContain('--instances 3');
  });

  it('a closed loop with fewer requests in flight than the estimate: the delay is not its own', () => {
    const capped = { ...loop(4), inFlightCap: 4 };
    const text = clientAdvice(summaryOf('native', 8), capped);
    expect(text).toMatch(/^At most 4 client threads could share the work \(--workers 4\)/);
    expect(text).toContain('comes mostly from elsewhere on this machine');
    // One request in flight, or no more requests than threads: no thread count helps.
    expect(clientAdvice(summaryOf('native', 8), { ...loop(1), inFlightCap: 1 })).toMatch(
      /^More client threads would not remove it: a delay this large for one request in flight/,
    );
    expect(clientAdvice(summaryOf('k6', 8), capped)).toMatch(/^More client threads would not remove it/);
  });

  it('says when the machine was already busy before the run', () => {
    expect(clientAdvice(summaryOf('native', 2, 3.5), loop(2))).toContain(
      'The machine was busy before the run started (load average 3.5 on 2 cores)',
    );
    expect(clientAdvice(summaryOf('native', 2, 0.4), loop(2))).not.toContain('busy before');
  });

  it('other engines, or no estimate: split across machines', () => {
    expect(clientAdvice(summaryOf('autocannon', 8), loop(6))).toMatch(/^To remove it, split the load across machines/);
    expect(clientAdvice(summaryOf('native', 8), loop(undefined))).toMatch(/^To remove it, split/);
  });
});

describe('clientThreadsText', () => {
  it("says how many threads and each one's p99 delay, and nothing for one thread", () => {
    const two = {
      ...loop(undefined),
      threads: 2,
      perThreadMs: [
        { p50: 0.1, p99: 3.14, max: 9 },
        { p50: 0.1, p99: 2.8, max: 7 },
      ],
    };
    expect(clientThreadsText(two)).toBe('2 client threads, event-loop delay p99 3.1 / 2.8 ms');
    expect(clientThreadsText(loop(undefined))).toBeUndefined();
  });
});
