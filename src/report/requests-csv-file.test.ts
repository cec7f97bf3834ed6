// requests.csv is written on a worker thread, whose module state is its own: it must clean
// text cells with the secrets the main thread registered, as every other way out does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { registerSecret } from '../util/redact.js';
import { startRequestsCsv } from './requests-csv-file.js';

describe('requests.csv on its thread', () => {
  it("removes a secret the main thread registered from the rows' text", async () => {
    const secret = 'sk-worker-secret-0123456789abcdef';
    registerSecret(secret);
    const dir = mkdtempSync(join(tmpdir(), 'podbench-csv-secret-'));
    const results = join(dir, 'results.ndjson');
    // A results file written before its text was cleaned (an older podbench, a hand edit).
    const record = makeRecord({ outcome: 'http_error', httpStatus: 401, error: `HTTP 401: bad key ${secret}` });
    writeFileSync(results, `${JSON.stringify(record)}\n`);
    const csv = join(dir, 'requests.csv');
    const job = startRequestsCsv(results, csv);
    job.resolve(new Set());
    await job.done;
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain('HTTP 401: bad key [redacted]');
    expect(text).not.toContain(secret);
  });
});
