// Runs for the report page tests: a small hand-made one that exercises every chart (two
// variants along load.concurrency, streaming, server timing, cold starts, warmup, errors
// with hostile text, /health samples), and a synthetic large one for the size bounds.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestRecord } from '../../src/core/record.js';
import { SCHEMA_VERSION, type RunMeta, type RunSummary } from '../../src/core/summary.js';
import { createSummarizer } from '../../src/metrics/summarize.js';
import type { HealthSample } from '../../src/core/health.js';
import { createReportCollector, type CollectLimits, type ReportData } from '../../src/report/html/index.js';
import { createRng } from '../../src/util/rng.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';

export interface RunFixture {
  meta: RunMeta;
  records: RequestRecord[];
  health: HealthSample[];
}

/** Text a scenario or an endpoint could send to break out of the page. */
export const HOSTILE = `<script>alert("x")</script> & 'quotes' </script><!--`;

export function runMeta(variants: RunMeta['variants'], overrides: Partial<RunMeta> = {}): RunMeta {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: '20261126-101500-fixture',
    podbenchVersion: '0.1.0',
    scenario: {
      name: 'fixture',
      description: 'Two concurrencies against the emulator',
      file: 'scenarios/fixture.yaml',
      sha256: 'ab'.repeat(32),
      text: `name: fixture\n# ${HOSTILE}\n`,
    },
    target: { kind: 'emulator', host: '127.0.0.1', endpointId: 'local', workerFormat: 'legacy' },
    engine: 'native',
    seed: 7,
    startedAt: '2026-11-26T10:15:00.000Z',
    durationMs: 21_000,
    prompts: '3 built-in prompts',
    variants,
    ...overrides,
  } as RunMeta;
}

/** A streamed ok request: sent at sentMs, picked up after delayMs, chunks every gapMs. */
function streamed(
  seq: number,
  variant: string,
  worker: string,
  sentMs: number,
  delayMs: number,
  chunkTokens: number[],
  gapMs: number,
  extra: Partial<RequestRecord> = {},
): RequestRecord {
  const firstTokenMs = sentMs + delayMs + 120;
  const chunks = chunkTokens.map((tokens, i) => [firstTokenMs + i * gapMs, tokens] as [number, number]);
  const lastTokenMs = (chunks[chunks.length - 1] as [number, number])[0];
  const endMs = lastTokenMs + 30;
  return makeRecord({
    seq,
    variant,
    mode: 'stream',
    workerFormat: 'legacy',
    workerId: worker,
    jobId: `job-${seq}`,
    scheduledMs: sentMs - (seq % 3 === 0 ? 2 : 0),
    sentMs,
    firstTokenMs,
    lastTokenMs,
    endMs,
    delayMs,
    executionMs: endMs - sentMs - delayMs - 40,
    promptTokens: 20,
    outputTokens: chunkTokens.reduce((a, b) => a + b, 0),
    chunks,
    polls: 2 + chunkTokens.length,
    ttftUncertaintyMs: 25,
    ...extra,
  });
}

export function smallRun(): RunFixture {
  const a = 'concurrency=1';
  const b = 'concurrency=4';
  const meta = runMeta([
    makeVariantMeta({
      name: a,
      mode: 'stream',
      params: { 'load.concurrency': 1 },
      load: 'closed loop, concurrency 1, 10 requests',
    }),
    makeVariantMeta({
      name: b,
      mode: 'stream',
      params: { 'load.concurrency': 4 },
      load: 'closed loop, concurrency 4, 12 requests',
    }),
  ]);
  const records: RequestRecord[] = [];
  // Variant a: a cold warmup request, then one at a time.
  records.push(streamed(0, a, 'w1', 0, 2600, [1, 4, 5], 60, { phase: 'warmup' }));
  let t = 3200;
  for (let seq = 1; seq <= 9; seq++) {
    const r = streamed(seq, a, 'w1', t, 40 + seq * 3, [1, 3, 5, 5, 2], 45 + seq);
    records.push(r);
    t = r.endMs + 5;
  }
  records.push(
    makeRecord({
      seq: 10,
      variant: a,
      mode: 'stream',
      outcome: 'http_error',
      httpStatus: 429,
      error: `HTTP 429: ${HOSTILE}`,
      scheduledMs: t,
      sentMs: t,
      endMs: t + 15,
      retries: 2,
    }),
  );
  // Variant b: four at a time on two warm workers, and w4, which boots cold for the first request.
  t = 10_000;
  for (let seq = 11; seq <= 22; seq++) {
    const i = seq - 11;
    const cold = i === 0;
    records.push(
      streamed(
        seq,
        b,
        cold ? 'w4' : i % 2 === 0 ? 'w2' : 'w3',
        t + Math.floor(i / 4) * 1500 + (i % 4) * 10,
        cold ? 3100 : 60 + i * 11,
        [2, 6, 6, 4],
        80 + i,
      ),
    );
  }
  records.push(
    makeRecord({
      seq: 23,
      variant: b,
      mode: 'stream',
      outcome: 'job_failed',
      error: 'worker raised: CUDA out of memory',
      workerId: 'w3',
      scheduledMs: 16_000,
      sentMs: 16_001,
      endMs: 16_900,
      delayMs: 50,
      executionMs: 700,
      polls: 4,
    }),
  );
  records.push(
    makeRecord({
      seq: 24,
      variant: b,
      mode: 'stream',
      outcome: 'not_sent',
      scheduledMs: 20_500,
      sentMs: undefined,
      endMs: 20_500,
    }),
  );
  // Completion order, as results.ndjson has it.
  records.sort((x, y) => x.endMs - y.endMs || x.seq - y.seq);

  const health: HealthSample[] = [];
  for (let tMs = 0; tMs <= 20_000; tMs += 1000) {
    const variant = tMs < 10_000 ? a : b;
    if (tMs === 7000) {
      health.push({ tMs, variant, error: 'HTTP 503' });
      continue;
    }
    const booting = tMs < 3000 || (tMs >= 10_000 && tMs < 13_000);
    health.push({
      tMs,
      variant,
      jobs: {
        completed: tMs / 1000,
        failed: 0,
        inProgress: variant === a ? 1 : 3,
        inQueue: booting ? 2 : 0,
        retried: 0,
      },
      workers: {
        idle: 0,
        initializing: booting ? 1 : 0,
        ready: 0,
        running: variant === a ? 1 : 2,
        throttled: 0,
        unhealthy: 0,
      },
    });
  }
  return { meta, records, health };
}

/** A big streamed run, deterministic: `count` requests over `variants` concurrencies, one after the other. */
export function* syntheticRecords(count: number, variants: readonly string[], seed = 1): Generator<RequestRecord> {
  const rng = createRng(seed);
  const perVariant = Math.ceil(count / variants.length);
  for (let seq = 0; seq < count; seq++) {
    const v = Math.floor(seq / perVariant);
    const i = seq % perVariant;
    const sentMs = v * 600_000 + i * (600_000 / perVariant) + rng.next() * 3;
    const delayMs = i % 5000 === 0 ? 3000 + rng.next() * 2000 : 20 + rng.exponential(30);
    const firstTokenMs = sentMs + delayMs + 80 + rng.exponential(40);
    const chunks: Array<[number, number]> = [];
    let at = firstTokenMs;
    for (let c = 0; c < 8; c++) {
      chunks.push([at, 1 + rng.int(0, 9)]);
      at += 20 + rng.exponential(15);
    }
    const lastTokenMs = (chunks[chunks.length - 1] as [number, number])[0];
    const ok = rng.next() > 0.01;
    yield makeRecord({
      seq,
      variant: variants[v] as string,
      phase: i < 20 ? 'warmup' : 'measure',
      mode: 'stream',
      outcome: ok ? 'ok' : 'http_error',
      httpStatus: ok ? undefined : 503,
      error: ok ? undefined : 'HTTP 503: no workers available',
      workerId: `w${seq % 16}`,
      workerFormat: 'legacy',
      scheduledMs: sentMs,
      sentMs,
      firstTokenMs: ok ? firstTokenMs : undefined,
      lastTokenMs: ok ? lastTokenMs : undefined,
      endMs: ok ? lastTokenMs + 10 : sentMs + 50,
      delayMs: ok ? delayMs : undefined,
      executionMs: ok ? lastTokenMs - sentMs - delayMs : undefined,
      promptTokens: 30,
      outputTokens: ok ? chunks.reduce((n, [, t]) => n + t, 0) : undefined,
      chunks: ok ? chunks : undefined,
      polls: 9,
    });
  }
}

/** One /health sample a second, workers growing with each variant of syntheticRecords. */
export function syntheticHealth(durationMs: number, variants: readonly string[]): HealthSample[] {
  const lines: HealthSample[] = [];
  for (let tMs = 0; tMs < durationMs; tMs += 1000) {
    const v = Math.min(variants.length - 1, Math.floor(tMs / 600_000));
    lines.push({
      tMs,
      variant: variants[v] as string,
      workers: { idle: 0, initializing: tMs % 600_000 < 20_000 ? 1 : 0, running: 2 + v, throttled: 0, unhealthy: 0 },
      jobs: { inQueue: tMs % 600_000 < 20_000 ? 5 : 0, inProgress: 8 * 2 ** v },
    });
  }
  return lines;
}

/** What buildReports does in memory: summary, then the page data fed in a second pass. */
export function buildPageData(
  run: { meta: RunMeta; records: () => Iterable<RequestRecord>; health?: HealthSample[] },
  limits?: Partial<CollectLimits>,
): { data: ReportData; summary: RunSummary } {
  const summarizer = createSummarizer(run.meta.variants);
  let lastEndMs = 0;
  for (const r of run.records()) {
    summarizer.add(r);
    lastEndMs = Math.max(lastEndMs, r.endMs);
  }
  const { variants, coldSeqs } = summarizer.finish();
  const { text: _text, ...scenario } = run.meta.scenario;
  const summary: RunSummary = { schemaVersion: SCHEMA_VERSION, run: { ...run.meta, scenario }, variants };
  const collector = createReportCollector({
    variants: variants.map((v) => v.name),
    spanMs: Math.max(lastEndMs, run.meta.durationMs ?? 0),
    coldSeqs,
    seed: run.meta.seed,
    limits,
  });
  for (const r of run.records()) collector.addRecord(r);
  for (const line of run.health ?? []) collector.addHealth(line);
  return { data: collector.finish(variants), summary };
}

/** A run folder as the runner leaves it (run.json, results.ndjson, health.ndjson). */
export function writeRunDir(dir: string, run: RunFixture): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run.meta, null, 2));
  writeFileSync(join(dir, 'results.ndjson'), `${run.records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(join(dir, 'health.ndjson'), `${run.health.map((h) => JSON.stringify(h)).join('\n')}\n`);
}
