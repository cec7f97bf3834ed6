import { describe, expect, it } from 'vitest';
import { checkRecord } from './record-check.js';

const RECORD = {
  seq: 1,
  variant: 'v',
  phase: 'measure',
  mode: 'sync',
  outcome: 'ok',
  scheduledMs: 1,
  sentMs: 2,
  endMs: 3,
  tokenSource: 'usage',
  polls: 0,
  retries: 0,
};

describe('checkRecord', () => {
  it('passes a record as it is', () => {
    expect(checkRecord({ ...RECORD, delayMs: 4, chunks: [[2.5, 3]], streamedWhole: true })).toEqual({
      ok: true,
      record: { ...RECORD, delayMs: 4, chunks: [[2.5, 3]], streamedWhole: true },
      dropped: [],
    });
  });

  it("keeps every token source, the tokenizer's included", () => {
    for (const tokenSource of ['usage', 'tokenizer', 'estimated', 'none']) {
      const checked = checkRecord({ ...RECORD, tokenSource });
      expect(checked.ok && checked.record.tokenSource).toBe(tokenSource);
    }
  });

  it('skips what lacks what every record has', () => {
    const { endMs: _end, ...noEnd } = RECORD;
    expect(checkRecord(noEnd)).toEqual({ ok: false, reason: 'endMs is not a number' });
    expect(checkRecord({ ...RECORD, outcome: 'great' })).toEqual({ ok: false, reason: 'no known outcome' });
    expect(checkRecord([1])).toEqual({ ok: false, reason: 'not a JSON object' });
  });

  it('leaves out optional values that cannot be, and names them', () => {
    const checked = checkRecord({
      ...RECORD,
      delayMs: -1,
      executionMs: null,
      chunks: [null],
      jobId: 7,
      streamedWhole: 'yes',
    });
    expect(checked.ok && checked.dropped.sort()).toEqual([
      'chunks',
      'delayMs',
      'executionMs',
      'jobId',
      'streamedWhole',
    ]);
    expect(checked.ok && checked.record).toEqual(RECORD);
  });
});
