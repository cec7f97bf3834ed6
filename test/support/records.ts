// Factories for test records: a complete ok request with overrides.
import type { RequestRecord } from '../../src/core/record.js';
import type { RunVariantMeta } from '../../src/core/summary.js';

export function makeRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    seq: 0,
    variant: 'default',
    phase: 'measure',
    mode: 'sync',
    outcome: 'ok',
    scheduledMs: 0,
    sentMs: 0,
    endMs: 100,
    tokenSource: 'usage',
    polls: 0,
    retries: 0,
    ...overrides,
  };
}

export function makeVariantMeta(overrides: Partial<RunVariantMeta> = {}): RunVariantMeta {
  return {
    name: 'default',
    params: {},
    mode: 'sync',
    coldStartRule: { thresholdMs: 1000, idleGapMs: 5000 },
    load: 'closed loop, concurrency 1, 1 requests',
    ...overrides,
  };
}
