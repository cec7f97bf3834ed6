// A synthetic run folder of any size, for benchmarks of the report builder: run.json and a
// results.ndjson of realistic stream-mode records (10 chunks each, server timing, a few
// errors), written as a stream so a million records never sit in memory here either.
// run.json's durationMs is the end of the last request, as a finished run's is (its clock
// when the run ended).
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { SCHEMA_VERSION, type RunMeta } from '../src/core/summary.js';
import type { RequestRecord } from '../src/core/record.js';
import { createRng } from '../src/util/rng.js';

export async function writeSyntheticRun(dir: string, records: number, variants = 4): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: variants }, (_, i) => `concurrency=${2 ** i}`);
  const meta: RunMeta = {
    schemaVersion: SCHEMA_VERSION,
    runId: 'synthetic',
    podbenchVersion: 'bench',
    scenario: {
      name: 'synthetic',
      description: 'benchmark data',
      file: 'synthetic.yaml',
      sha256: '0'.repeat(64),
      text: 'name: synthetic\n',
    },
    target: { kind: 'emulator', host: '127.0.0.1', endpointId: 'local', workerFormat: 'legacy' },
    engine: 'native',
    seed: 1,
    startedAt: new Date(0).toISOString(),
    startedEpochMs: 0,
    // Set below from the records, as a run sets it: its clock when the last request ended.
    durationMs: 0,
    prompts: 'synthetic',
    variants: names.map((name, i) => ({
      name,
      params: { 'load.concurrency': 2 ** i },
      mode: 'stream',
      coldStartRule: { thresholdMs: 1000, idleGapMs: 5000 },
      load: 'synthetic',
    })),
  };
  const out = createWriteStream(join(dir, 'results.ndjson'));
  const rng = createRng(1);
  const perVariant = Math.ceil(records / variants);
  let lastEndMs = 0;
  for (let seq = 0; seq < records; seq++) {
    const scheduledMs = seq * 2;
    const sentMs = scheduledMs + rng.next() * 0.5;
    const ttft = 80 + rng.exponential(60);
    const chunks: Array<[number, number]> = [];
    let at = sentMs + ttft;
    for (let c = 0; c < 10; c++) {
      chunks.push([Math.round(at * 1000) / 1000, c === 0 ? 1 : 7]);
      at += 20 + rng.next() * 30;
    }
    const failed = rng.chance(0.01);
    const record: RequestRecord = {
      seq,
      variant: names[Math.min(variants - 1, Math.floor(seq / perVariant))] as string,
      phase: seq % perVariant < 10 ? 'warmup' : 'measure',
      mode: 'stream',
      outcome: failed ? 'job_failed' : 'ok',
      ...(failed ? { error: "{'message': 'synthetic failure', 'type': 'worker_error', 'code': None}" } : {}),
      jobId: `${seq.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000-u1`,
      workerId: `worker-${seq % 8}`,
      workerFormat: 'legacy',
      scheduledMs,
      sentMs: Math.round(sentMs * 1000) / 1000,
      firstTokenMs: chunks[0]![0],
      lastTokenMs: chunks.at(-1)![0],
      endMs: Math.round((at + 5) * 1000) / 1000,
      delayMs: Math.round(rng.exponential(20)),
      executionMs: Math.round(at - sentMs - 10),
      promptTokens: 128,
      outputTokens: 64,
      tokenSource: 'usage',
      chunks,
      polls: 12,
      retries: 0,
      ttftUncertaintyMs: Math.round(rng.next() * 100 * 1000) / 1000,
    };
    lastEndMs = Math.max(lastEndMs, record.endMs);
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  meta.durationMs = Math.ceil(lastEndMs);
  writeFileSync(join(dir, 'run.json'), JSON.stringify(meta));
}
