import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { createRng } from '../util/rng.js';
import type { RequestRecord } from './record.js';
import { RecordBlockView, RecordBlockWriter, readRecordBlock } from './record-block.js';

/** Records with every optional field present or absent, chunks absent, empty or many, texts repeated and unique. */
function variedRecords(n: number): RequestRecord[] {
  const rng = createRng(5);
  const maybe = <T>(value: T): T | undefined => (rng.chance(0.5) ? value : undefined);
  const records: RequestRecord[] = [];
  for (let seq = 0; seq < n; seq++) {
    const chunks = rng.chance(0.2)
      ? undefined
      : Array.from({ length: rng.int(0, 12) }, (_, i): [number, number] => [
          seq + i * 0.001 + rng.next(),
          rng.int(0, 9),
        ]);
    const fields: Partial<RequestRecord> = {
      seq,
      variant: `variant ${seq % 3}`,
      phase: rng.chance(0.1) ? 'warmup' : 'measure',
      mode: rng.chance(0.5) ? 'stream' : 'openai-stream',
      outcome: rng.chance(0.9) ? 'ok' : 'http_error',
      scheduledMs: seq * 2.5,
      endMs: seq * 2.5 + 123.456,
      tokenSource: rng.chance(0.5) ? 'usage' : 'none',
      polls: rng.int(0, 5),
      retries: rng.int(0, 2),
      httpStatus: maybe(503),
      error: maybe(rng.chance(0.5) ? 'HTTP 503: "busy", ünïcode ✓' : `error ${seq}`),
      jobId: maybe(`job-${seq}`),
      responseId: maybe(`chatcmpl-${seq}`),
      workerId: maybe(`worker-${seq % 4}`),
      workerFormat: maybe('proxy'),
      sentMs: maybe(seq * 2.5 + 0.125),
      firstTokenMs: maybe(seq * 2.5 + 80.5),
      lastTokenMs: maybe(seq * 2.5 + 120.75),
      inProgressSeenMs: maybe(seq * 2.5 + 40),
      delayMs: maybe(rng.int(0, 3000)),
      executionMs: maybe(rng.int(0, 3000)),
      promptTokens: maybe(rng.int(1, 500)),
      outputTokens: maybe(0),
      ttftUncertaintyMs: maybe(rng.next() * 100),
      streamedWhole: maybe(true as const),
      chunks,
    };
    // Absent, not undefined: a record read from a line has no key for a field it lacks.
    for (const key of Object.keys(fields) as Array<keyof RequestRecord>)
      if (fields[key] === undefined) delete fields[key];
    const record = makeRecord(fields);
    if (fields.sentMs === undefined) delete record.sentMs;
    records.push(record);
  }
  return records;
}

describe('records in blocks', () => {
  it('reads back every record as it was added, across blocks, with only the fields it had', () => {
    const records = variedRecords(3000);
    const writer = new RecordBlockWriter(64); // small: the block grows as records come
    const read: RequestRecord[] = [];
    for (const [i, record] of records.entries()) {
      writer.add(record);
      if (i % 700 === 699) read.push(...readRecordBlock(writer.take()));
    }
    read.push(...readRecordBlock(writer.take()));
    expect(read).toHaveLength(records.length);
    expect(read).toStrictEqual(records);
  });

  it('sends each repeated text once per block, and an empty block as no records', () => {
    const writer = new RecordBlockWriter();
    for (let seq = 0; seq < 100; seq++) writer.add(makeRecord({ seq, jobId: `job-${seq}` }));
    const block = writer.take();
    // variant, phase, mode, outcome, tokenSource once each; the job ids end to end, apart.
    expect(block.texts).toHaveLength(5);
    expect(block.ids).toBe(Array.from({ length: 100 }, (_, seq) => `job-${seq}`).join(''));
    expect([...readRecordBlock(writer.take())]).toEqual([]);
  });

  it('reads the same records in place: one object overwritten, every field as readRecordBlock gives it', () => {
    const records = variedRecords(3000);
    // A long stream too: its chunk list is not one of the reused ones.
    records.push(
      makeRecord({ seq: 3000, chunks: Array.from({ length: 300 }, (_, i): [number, number] => [i * 1.5, 1]) }),
    );
    const writer = new RecordBlockWriter(64);
    const view = new RecordBlockView();
    const seen = new Set<RequestRecord>();
    const read: RequestRecord[] = [];
    const take = () => {
      for (const record of view.records(writer.take())) {
        seen.add(record);
        // A copy as a reader that keeps nothing would take it: absent fields dropped, chunks copied.
        const copy = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as RequestRecord;
        if (record.chunks) copy.chunks = record.chunks.map(([atMs, tokens]) => [atMs, tokens]);
        read.push(copy);
      }
    };
    for (const [i, record] of records.entries()) {
      writer.add(record);
      if (i % 700 === 699) take();
    }
    take();
    expect(read).toStrictEqual(records);
    expect(seen.size).toBe(1);
  });
});
