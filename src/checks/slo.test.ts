import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { checkSlos } from './slo.js';

const origin = (i: number) => `s.yaml: slo[${i}]`;

describe('checkSlos', () => {
  it('accepts per-request SLOs, lists of them and percentile SLOs', () => {
    expect(() =>
      checkSlos(['ttft<=500ms', 'e2e <= 5s, itl<=50ms', 'e2eMs.p95 < 2s', 'ttftMs < 1s'], origin),
    ).not.toThrow();
  });

  it.each([
    [
      'a per-request limit without a unit',
      'ttft<=500',
      /^s\.yaml: slo\[1\] "ttft<=500": the limit 500 has no unit: write 500ms or 500s$/,
    ],
    ['one part of a list without a unit', 'e2e<=5s, itl<=50', /slo\[1\] "e2e<=5s, itl<=50": the limit 50 has no unit/],
    ['a lower limit per request', 'ttft>=5ms', '>=: a per-request SLO is an upper limit on ttft; use < or <='],
    ['a limit that is no duration', 'e2e<5 seconds', /"5 seconds" is not a duration/],
    ['a mistyped per-request name', 'tft<=500ms', /unknown per-request SLO metric "tft" \(did you mean "ttft"\?\)/],
    ['an unknown percentile metric', 'e2eMs.p96 < 2s', /slo\[1\] "e2eMs.p96 < 2s": unknown statistic "p96" of e2eMs/],
  ])('refuses %s, naming the entry', (_label, entry, message) => {
    const run = () => checkSlos(['e2e<=5s', entry], origin);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});
