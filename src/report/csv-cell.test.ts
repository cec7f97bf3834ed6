import { describe, expect, it } from 'vitest';
import { csvSafeText } from './csv-cell.js';

describe('csvSafeText (OWASP CSV injection)', () => {
  it('quotes text a spreadsheet would run, and only that', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvSafeText(text)).toBe(`'${text}`);
    for (const text of ['ok', 'job-1', '', 'a=b', ' =1']) expect(csvSafeText(text)).toBe(text);
  });
});
