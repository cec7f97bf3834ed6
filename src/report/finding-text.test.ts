import { describe, expect, it } from 'vitest';
import type { CapacityFinding } from '../core/findings.js';
import { findingText } from './finding-text.js';

const capacity: CapacityFinding = {
  kind: 'capacity',
  field: 'load.concurrency',
  level: 8,
  requestsPerSec: 19.818,
  requestsPerSecInterval: { low: 19.502, high: 20.145 },
  outputTokensPerSec: 158.5,
  workers: 1,
  kneeLevel: 4,
  sweepConclusion: 'throughput stopped rising (19.6 → 19.8 req/s at 8)',
  ttftP95Ms: 210,
  e2eP95Ms: 420,
};

describe('the capacity finding in words', () => {
  it('quotes the steady throughput with its interval, and says why the table reads lower', () => {
    const text = findingText(capacity);
    expect(text).toContain('8 in flight: 19.82 req/s in its steady part (95% interval 19.5-20.15;');
    expect(text).toContain("the table's req/s also counts the ramp-up and drain");
  });

  it('says when the step was too short for an interval, and says nothing for findings from before', () => {
    expect(findingText({ ...capacity, requestsPerSecInterval: null })).toContain(
      '19.82 req/s (too few requests in its steady part for an interval)',
    );
    const { requestsPerSecInterval: _, ...old } = capacity;
    expect(findingText(old)).toContain('8 in flight: 19.82 req/s and 159 output tokens/s');
  });
});
