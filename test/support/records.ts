// Factories for test records: a complete ok request, a variant's and a run's meta, with overrides.
import type { RequestRecord } from '../../src/core/record.js';
import { SCHEMA_VERSION, type RunMeta, type RunVariantMeta } from '../../src/core/summary.js';

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

/** A run.json of one emulator run with one default variant. */
export function makeRunMeta(overrides: Partial<RunMeta> = {}): RunMeta {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: 'r',
    podbenchVersion: '0',
    scenario: { name: 's', description: '', file: 's.yaml', sha256: 'x', text: '' },
    target: { kind: 'emulator', host: '127.0.0.1', endpointId: 'local' },
    engine: 'native',
    seed: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    startedEpochMs: 0,
    prompts: '',
    variants: [makeVariantMeta()],
    ...overrides,
  } as RunMeta;
}

/**
 * n stream requests from a closed loop of `users`: each starts when its user's previous one
 * ended, its E2E from e2eMs(seq) (called once per request, in order), and the rest of the
 * record from `fields` (start and E2E given).
 */
export function closedLoopRecords(
  n: number,
  users: number,
  e2eMs: (seq: number) => number,
  fields: (seq: number, startMs: number, e2eMs: number) => Partial<RequestRecord>,
): RequestRecord[] {
  const free = Array.from({ length: users }, () => 0);
  const records: RequestRecord[] = [];
  for (let seq = 0; seq < n; seq++) {
    const user = free.indexOf(Math.min(...free));
    const start = free[user] as number;
    const e2e = e2eMs(seq);
    free[user] = start + e2e;
    records.push(
      makeRecord({
        seq,
        mode: 'stream',
        scheduledMs: start,
        sentMs: start,
        endMs: start + e2e,
        ...fields(seq, start, e2e),
      }),
    );
  }
  return records;
}
