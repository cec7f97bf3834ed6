// Every comparison operator at its limit and on both sides of it: a strict operator fails
// at equality, an inclusive one passes (a measured value can equal a limit: Runpod reports
// whole milliseconds, and percentiles of few samples are often sample values).
import { describe, expect, it } from 'vitest';
import { evaluateRecorded } from '../../src/checks/thresholds.js';
import { summarizeRecords } from '../../src/metrics/summarize.js';
import { makeRecord, makeVariantMeta } from '../support/records.js';

// E2E 100, 200 and 300 ms: the p50 is 200.
const summary = {
  variants: summarizeRecords(
    [100, 200, 300].map((e2e, seq) => makeRecord({ seq, sentMs: 0, endMs: e2e })),
    [makeVariantMeta()],
  ),
};

// limit: 199 (the value is above), 200 (equal), 201 (below).
const EXPECTED = {
  '<': [false, false, true],
  '<=': [false, true, true],
  '>': [true, false, false],
  '>=': [true, true, false],
  '==': [false, true, false],
} as const;

describe('threshold operators', () => {
  it.each(Object.entries(EXPECTED))('%s against a measured 200', (op, expected) => {
    const results = evaluateRecorded(
      [199, 200, 201].map((limit) => `e2eMs.p50 ${op} ${limit}`),
      summary,
    );
    expect(results.map((r) => r.value)).toEqual([200, 200, 200]);
    expect(
      results.map((r) => r.passed),
      op,
    ).toEqual(expected);
    expect(results.map((r) => r.status)).toEqual(expected.map((passed) => (passed ? 'pass' : 'fail')));
  });
});
