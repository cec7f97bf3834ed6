import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../test/support/records.js';
import { COLD_PENDING, REQUEST_COLUMNS, requestRow } from './requests-csv.js';

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
