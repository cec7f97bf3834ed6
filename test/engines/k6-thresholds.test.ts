// Scenario thresholds → k6 thresholds: what maps, and why the rest does not.
import { describe, expect, it } from 'vitest';
import { k6Thresholds } from '../../src/engines/k6/thresholds.js';

describe('k6Thresholds', () => {
  it('maps latency statistics and the error rate onto the script metrics, in their units', () => {
    const result = k6Thresholds(
      [
        'ttftMs.p95 < 800ms',
        'e2eMs.p50 <= 2s',
        'e2eMs.mean < 900',
        'delayMs.max < 10s',
        'executionMs.p99 > 1',
        'errorRate < 1%',
      ],
      'default',
    );
    expect(result.mapped).toEqual({
      podbench_ttft: ['p(95)<800'],
      podbench_e2e: ['med<=2000', 'avg<900'],
      podbench_delay: ['max<10000'],
      podbench_execution: ['p(99)>1'],
      podbench_failed: ['rate<0.01'],
    });
    expect(result.unmapped).toEqual([]);
  });

  it('keeps what needs the whole run apart, with the reason', () => {
    const result = k6Thresholds(
      ['warm.ttftMs.p95 < 800', 'outputTokensPerSec > 100', 'ttftMs.count > 3', 'coldStarts.delayMs.p90 < 20s'],
      'default',
    );
    expect(result.mapped).toEqual({});
    expect(result.unmapped.map((u) => [u.text, u.reason])).toEqual([
      ['warm.ttftMs.p95 < 800', 'cold and warm requests are told apart only from the whole run'],
      ['outputTokensPerSec > 100', 'the k6 script does not measure it (podbench computes it from the records)'],
      ['ttftMs.count > 3', 'k6 Trends have no count statistic'],
      ['coldStarts.delayMs.p90 < 20s', 'cold and warm requests are told apart only from the whole run'],
    ]);
  });

  it('applies a variant selector', () => {
    expect(k6Thresholds(['[concurrency=4] e2eMs.p95 < 2s'], 'concurrency=4').mapped).toEqual({
      podbench_e2e: ['p(95)<2000'],
    });
    expect(k6Thresholds(['[concurrency=4] e2eMs.p95 < 2s'], 'concurrency=1').mapped).toEqual({});
  });
});
