import { describe, expect, it } from 'vitest';
import { makeRecord, makeRunMeta } from '../../test/support/records.js';
import type { RequestRecord } from '../core/record.js';
import type { RunMeta } from '../core/summary.js';
import { deriveRun } from './derive-run.js';

const meta = makeRunMeta({
  scenario: { name: 's', description: '', file: 's.yaml', sha256: 'x', text: 'name: s\n' },
  thresholds: ['e2eMs.p50 < 150ms'],
});

// Two requests queued behind one boot of w1 (cold), then a warm one after it.
const records: RequestRecord[] = [
  makeRecord({ seq: 0, sentMs: 0, endMs: 2_100, workerId: 'w1', delayMs: 2_000, executionMs: 90 }),
  makeRecord({ seq: 1, sentMs: 10, endMs: 2_200, workerId: 'w1', delayMs: 2_100, executionMs: 80 }),
  makeRecord({ seq: 2, sentMs: 2_300, endMs: 2_400, workerId: 'w1', delayMs: 5, executionMs: 90 }),
];

async function* oneAtATime(list: readonly RequestRecord[]): AsyncGenerator<RequestRecord> {
  for (const record of list) yield record;
}

describe('deriveRun', () => {
  it('derives the same run from records read one at a time as from a list', async () => {
    const streamed = await deriveRun(meta, oneAtATime(records), []);
    const listed = await deriveRun(meta, records, []);
    expect(streamed).toEqual(listed);
    expect(streamed.lastEndMs).toBe(2_400);
    expect([...streamed.coldSeqs].sort()).toEqual([0, 1]);
  });

  it('checks the thresholds and states the findings, and leaves the scenario text out', async () => {
    const { summary } = await deriveRun(meta, records, []);
    expect(summary.run.scenario).not.toHaveProperty('text');
    expect(summary.variants[0]?.counts.ok).toBe(3);
    // E2E is 2,100, 2,190 and 100 ms: p50 2,100 ms, so the threshold fails with that value.
    expect(summary.thresholds).toMatchObject([{ metric: 'e2eMs.p50', value: 2_100, passed: false }]);
    expect(summary.findings).toMatchObject([
      { kind: 'cold-starts', variant: 'default', coldRequests: 2, warmRequests: 1, warmP50Ms: 5 },
    ]);
  });

  it('leaves thresholds and findings out of a run that had none', async () => {
    // One warm request, no thresholds given (an empty list, as from a scenario without any).
    const plain = [makeRecord({ seq: 0, sentMs: 0, endMs: 100, workerId: 'w1', delayMs: 5, executionMs: 90 })];
    for (const thresholds of [undefined, []]) {
      const { summary } = await deriveRun({ ...meta, thresholds } as RunMeta, plain, []);
      expect(summary).not.toHaveProperty('thresholds');
      expect(summary).not.toHaveProperty('findings');
    }
  });
});
