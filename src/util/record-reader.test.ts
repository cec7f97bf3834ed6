import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { readRecordBlock } from '../core/record-block.js';
import type { RequestRecord } from '../core/record.js';
import { recordLine } from '../core/record-check.js';
import { describeFsError } from './fs-error.js';
import { readNdjson, type ReadWarnings } from './read-ndjson.js';
import { readRecordBlocksOnThread } from './record-reader.js';

async function onThread(path: string): Promise<{ records: RequestRecord[]; warnings: ReadWarnings }> {
  const warnings: ReadWarnings = { skipped: [] };
  const records: RequestRecord[] = [];
  for await (const block of readRecordBlocksOnThread(path, warnings)) records.push(...readRecordBlock(block));
  return { records, warnings };
}

describe('records parsed on their own thread', () => {
  it('gives the records and the warnings the reader on this thread gives, over many blocks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-reader-'));
    const path = join(dir, 'results.ndjson');
    const lines: string[] = [];
    for (let seq = 0; seq < 12_000; seq++)
      lines.push(JSON.stringify(makeRecord({ seq, jobId: `job-${seq}`, chunks: [[seq + 0.5, 3]] })));
    lines[10] = '{"seq": 10, "variant": "default"'; // damaged
    lines[20] = JSON.stringify({ ...makeRecord({ seq: 20 }), delayMs: -5 }); // a field left out
    lines[30] = JSON.stringify({ seq: 30 }); // not a record
    writeFileSync(path, `${lines.join('\n')}\n{"seq": 12000, "vari`); // a torn last line
    const here: ReadWarnings = { skipped: [] };
    const expected: RequestRecord[] = [];
    for await (const record of readNdjson(path, here, recordLine)) expected.push(record);
    const { records, warnings } = await onThread(path);
    expect(records).toHaveLength(12_000 - 2);
    expect(records).toStrictEqual(expected);
    expect(warnings).toEqual(here);
    expect(warnings.skippedCount).toBe(3);
    expect(warnings.dropped).toEqual({ delayMs: 1 });
  });

  it('throws the fs error of a file it cannot read, as one described line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-reader-'));
    const missing = join(dir, 'results.ndjson');
    const err = await onThread(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(describeFsError(err)?.message).toMatch(new RegExp(`^${missing}: cannot .*\\(ENOENT\\)$`));
  });
});
