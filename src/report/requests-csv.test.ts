import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { cleanText } from '../util/redact.js';
import { csvSafeText } from './csv-cell.js';
import { COLD_PENDING, REQUEST_COLUMNS, openCsv, requestRow } from './requests-csv.js';

describe('requestRow', () => {
  it('gives one cell per column, in column order', () => {
    const record = makeRecord({ outcome: 'job_failed', error: 'boom', delayMs: 12, chunks: [[5, 1]] });
    const row = requestRow(record, COLD_PENDING);
    expect(row).toHaveLength(REQUEST_COLUMNS.length);
    const cell = (column: (typeof REQUEST_COLUMNS)[number]) => row[REQUEST_COLUMNS.indexOf(column)];
    expect(cell('variant')).toBe(record.variant);
    expect(cell('seq')).toBe(record.seq);
    expect(cell('outcome')).toBe('job_failed');
    expect(cell('delayMs')).toBe(12);
    expect(cell('chunks')).toBe(1);
    expect(cell('cold')).toBe(COLD_PENDING);
    expect(cell('error')).toBe('boom');
  });
});

describe('openCsv', () => {
  it('writes every text cell byte for byte, cached or not, ASCII or not, short or long', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbench-csv-'));
    try {
      const path = join(dir, 'rows.csv');
      const csv = openCsv(path, ['a', 'b']);
      const texts: string[] = [];
      // More unique texts than the writer caches, so most take the uncached road.
      for (let i = 0; i < 6000; i++) {
        const kinds = [
          `job-${i}`,
          `ünïcode ✓ ${i}`,
          `comma, ${i}`,
          `"quoted" ${i}`,
          `=formula ${i}`,
          `${'x'.repeat(250 + (i % 20))}é${i}`,
          'x'.repeat(300 + (i % 7)),
        ];
        texts.push(kinds[i % kinds.length] as string);
      }
      for (const [i, text] of texts.entries()) await csv.write([text, i]);
      await csv.close();
      const quote = (t: string) => (/[",\n\r]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
      const expected = ['a,b', ...texts.map((t, i) => `${quote(csvSafeText(cleanText(t)))},${i}`)].join('\n');
      expect(readFileSync(path, 'utf8')).toBe(`${expected}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
