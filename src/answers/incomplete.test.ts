// A run stopped before its sweep or matrix ended (a Ctrl-C, a budget) answers from what it
// measured in full, and every answer says so in its own sentence: no knee, no plan sized on
// an unfinished search, no "best of the settings" as if all had run.
import { describe, expect, it } from 'vitest';
import { makeRecord, makeRunMeta, makeVariantMeta } from '../../test/support/records.js';
import type { RequestRecord } from '../core/record.js';
import type { AnalysisSettings, RunMeta } from '../core/summary.js';
import { deriveRun, type RunHealth } from '../derive/derive-run.js';
import { recommendationOf } from '../report/recommendation.js';

/** n ok requests of one variant, one at a time from t0, each taking e2eMs on worker w1. */
function requests(
  variant: string,
  seq0: number,
  t0: number,
  n: number,
  e2eMs: number,
  mode: 'sync' | 'stream' = 'sync',
) {
  return Array.from({ length: n }, (_, i): RequestRecord => {
    const start = t0 + i * e2eMs;
    return makeRecord({
      seq: seq0 + i,
      variant,
      mode,
      scheduledMs: start,
      sentMs: start,
      endMs: start + e2eMs,
      workerId: 'w1',
      delayMs: 5,
      executionMs: e2eMs - 10,
      outputTokens: 32,
      ...(mode === 'stream' ? { firstTokenMs: start + 100, polls: 3 } : {}),
    });
  });
}

/** One worker serving all along, sampled every 100 ms. */
function health(variants: string[], untilMs: number): RunHealth {
  return Array.from({ length: untilMs / 100 }, (_, i) => ({
    tMs: i * 100,
    variant: variants[Math.min(variants.length - 1, Math.floor((i * 100) / (untilMs / variants.length)))] as string,
    workers: { ready: 1 },
  }));
}

const analysis: AnalysisSettings = {
  slo: ['e2eMs.p95 < 1200ms'],
  sweep: { field: 'load.concurrency', start: 1, factor: 2, max: 64, refine: 3, maxErrorRate: 0.01, minGain: 0.05 },
  plan: { targetRps: 20, headroom: 0.25, pricePerSecond: 0.00033 },
  idleTimeoutMs: 5000,
};

// A capacity search at 1 in flight (16 requests, all within the SLOs), then 2 in flight
// cut short after 3 of its 16 requests: run.json has no sweepConclusion.
function sweepRun(over: Partial<RunMeta>): { meta: RunMeta; records: RequestRecord[] } {
  const variants = [
    makeVariantMeta({ name: 'concurrency=1', params: { 'load.concurrency': 1 }, plannedRequests: 16 }),
    makeVariantMeta({ name: 'concurrency=2', params: { 'load.concurrency': 2 }, plannedRequests: 16 }),
  ];
  const records = [...requests('concurrency=1', 0, 0, 16, 500), ...requests('concurrency=2', 16, 8_000, 3, 500)];
  return { meta: makeRunMeta({ variants, analysis, ...over }), records };
}

// The findings as summary.json's recommendations state them (the console and report.html share the words).
const reasons = async (meta: RunMeta, records: RequestRecord[], samples: RunHealth = []) =>
  ((await deriveRun(meta, records, samples)).summary.findings ?? []).map(recommendationOf).map((r) => ({
    kind: r.kind,
    value: r.value,
    reason: r.reason,
  }));

describe('answers from a run that stopped early', () => {
  it('gives an interrupted capacity search as a lower bound, without a knee or a plan', async () => {
    const { meta, records } = sweepRun({ interrupted: true });
    const recs = await reasons(meta, records, health(['concurrency=1', 'concurrency=2'], 10_000));
    const capacity = recs.find((r) => r.kind === 'capacity');
    expect(capacity?.reason).toMatch(
      /^The sweep stopped at 1 in flight \(the run was interrupted; concurrency=2 was cut short and is left out\): the most load within the SLOs is at least 1 in flight, with 2 req\/s/,
    );
    expect(capacity?.reason).toContain('the knee was not reached and is not given');
    expect(capacity?.reason).not.toMatch(/\(the knee\)/);
    // No plan to act on; the bound it rests on, in words.
    const plans = recs.filter((r) => r.kind === 'capacity-plan');
    expect(plans[0]).toMatchObject({ value: null });
    expect(plans[0]?.reason).toMatch(
      /^No plan for 20 req\/s: the capacity sweep did not finish \(the run was interrupted\), so the capacity per worker is only a lower bound: a worker takes at least 2 req\/s within the SLOs, so 20 req\/s needs at most 10 workers/,
    );
    expect(recs.map((r) => r.reason).join(' ')).not.toMatch(/workers\.min/);
  });

  it('says which budget stopped it', async () => {
    const { meta, records } = sweepRun({ stoppedBy: 'budget.maxRequests (19) reached' });
    const recs = await reasons(meta, records, health(['concurrency=1', 'concurrency=2'], 10_000));
    expect(recs.find((r) => r.kind === 'capacity')?.reason).toMatch(
      /^The sweep stopped at 1 in flight \(the run stopped early \(budget\.maxRequests \(19\) reached\); concurrency=2 was cut short/,
    );
  });

  it('answers nothing from a search stopped inside its first step', async () => {
    const { meta } = sweepRun({ interrupted: true });
    const records = requests('concurrency=1', 0, 0, 3, 500);
    const recs = await reasons(meta, records);
    expect(recs.find((r) => r.kind === 'capacity')?.reason).toMatch(
      /^No answer: the run was interrupted before the sweep measured its first step in full \(concurrency=1 was cut short\)/,
    );
  });

  it('keeps the answer of a search that concluded before the stop', async () => {
    const { meta, records } = sweepRun({ interrupted: true });
    const done = { ...meta, analysis: { ...analysis, sweepConclusion: 'reached the end' } };
    const full = [...records.slice(0, 16), ...requests('concurrency=2', 16, 8_000, 16, 500)];
    const recs = await reasons(done, full, health(['concurrency=1', 'concurrency=2'], 16_000));
    expect(recs.find((r) => r.kind === 'capacity')?.reason).toMatch(/^The most load within the SLOs is 2 in flight/);
    expect(recs.find((r) => r.kind === 'capacity-plan')?.value).not.toBeNull();
  });

  it('answers a stream tuning run from the settings that ran, and says how many of how many', async () => {
    const names = ['poll=100ms', 'poll=400ms', 'poll=long'];
    const variants = names.map((name, i) =>
      makeVariantMeta({ name, mode: 'stream', params: { 'polling.interval': i }, plannedRequests: 8 }),
    );
    const meta = makeRunMeta({
      variants,
      interrupted: true,
      analysis: { slo: [], ttftTargetMs: 50, idleTimeoutMs: 5000 },
    });
    const records = [
      ...requests('poll=100ms', 0, 0, 8, 500, 'stream'),
      ...requests('poll=400ms', 8, 5_000, 8, 600, 'stream').map((r) => ({
        ...r,
        firstTokenMs: r.scheduledMs + 200,
        polls: 2,
      })),
      ...requests('poll=long', 16, 10_000, 2, 500, 'stream'),
    ];
    const recs = await reasons(meta, records);
    const tuning = recs.filter((r) => r.kind === 'stream-batching');
    expect(tuning).toHaveLength(1);
    expect(tuning[0]?.reason).toMatch(
      /^From the 2 of 3 settings run in full before the run was interrupted \(poll=long was cut short and is left out\): no setting meets the TTFT target of 50 ms;/,
    );
    expect(tuning[0]?.reason).toMatch(/The 1 setting not run in full could change this answer\.$/);
  });
});
