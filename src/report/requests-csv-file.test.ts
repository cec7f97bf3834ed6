// requests.csv is written on a worker thread, whose module state is its own: it must clean
// text cells with the secrets the main thread registered, as every other way out does.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { registerSecret } from '../util/redact.js';
import { startRequestsCsv } from './requests-csv-file.js';
import type { RequestRecord } from '../core/record.js';
import { RecordBlockWriter, type RecordBlock } from '../core/record-block.js';

function blockOf(records: RequestRecord[]): RecordBlock {
  const writer = new RecordBlockWriter();
  for (const record of records) writer.add(record);
  return writer.take();
}

describe('requests.csv on its thread', () => {
  it("removes a secret the main thread registered from the rows' text", async () => {
    const secret = 'sk-worker-secret-0123456789abcdef';
    registerSecret(secret);
    const dir = mkdtempSync(join(tmpdir(), 'podbench-csv-secret-'));
    // A record read from a file written before its text was cleaned (an older podbench, a hand edit).
    const record = makeRecord({ outcome: 'http_error', httpStatus: 401, error: `HTTP 401: bad key ${secret}` });
    const csv = join(dir, 'requests.csv');
    const job = startRequestsCsv(csv);
    await job.forward(blockOf([record]));
    job.end();
    void job.verdicts(new Set());
    job.finish();
    await job.done;
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain('HTTP 401: bad key [redacted]');
    expect(text).not.toContain(secret);
  });

  it('fails with the path when the file cannot be written, without holding up the records or the intervals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-csv-fail-'));
    const csv = join(dir, 'no-such-folder', 'requests.csv');
    const job = startRequestsCsv(csv);
    // Far more blocks than may wait in flight: a worker that failed answers none of them.
    for (let from = 0; from < 50_000; from += 1000)
      await job.forward(blockOf(Array.from({ length: 1000 }, (_, i) => makeRecord({ seq: from + i }))));
    job.end();
    const tables = {
      default: {
        total: 0,
        load: { model: 'other' as const },
        outcome: [],
        class: [],
        slotMs: [],
        scheduledMs: [],
        pickupDelayMs: [],
        columns: {},
      },
    };
    await expect(job.verdicts(new Set(), tables as never)).resolves.toBeUndefined();
    job.finish();
    await expect(job.done).rejects.toThrow(`writing ${csv} failed`);
  });
});
