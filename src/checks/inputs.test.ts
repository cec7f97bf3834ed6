// The files compare and --baseline read (inputs.ts): which file of a run folder is taken, and
// the message for each file that is not one podbench wrote.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeStats } from '../../test/checks/fixtures.js';
import { makeRecord, makeVariantMeta } from '../../test/support/records.js';
import { UsageError } from '../core/errors.js';
import type { RunSummary } from '../core/summary.js';
import { summarizeRecords } from '../metrics/summarize.js';
import { readStats, readToleranceFile, statsFromFile } from './inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'podbench-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const summary: RunSummary = {
  schemaVersion: 1,
  run: { runId: 'r1', startedAt: 'T', scenario: { name: 'nightly', sha256: 'abc' } } as RunSummary['run'],
  variants: summarizeRecords([makeRecord({ seq: 0, endMs: 250 })], [makeVariantMeta()]),
};

/** Sync or async: the call fails with a UsageError whose message matches. */
const usage = async (fn: () => unknown, message: RegExp) => {
  let error: unknown;
  try {
    await fn();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toMatch(message);
};

describe('readStats', () => {
  it("reads a summary.json, and a folder's aggregate.json before its summary.json", async () => {
    const single = write('run/summary.json', summary);
    expect((await statsFromFile(single)).variants[0]!.metrics['e2eMs.p50']).toMatchObject({ n: 1, mean: 250 });
    expect((await readStats(join(dir, 'run'))).runs).toEqual([{ runId: 'r1', startedAt: 'T' }]);
    write('repeat/summary.json', summary);
    write('repeat/aggregate.json', makeStats({ default: { 'e2eMs.p50': [100, 200] } }));
    expect((await readStats(join(dir, 'repeat'))).runs).toHaveLength(2);
  });

  it('names what is wrong with a path or a file', async () => {
    await usage(() => readStats(join(dir, 'nothing')), /nothing: no such file or folder/);
    mkdirSync(join(dir, 'empty'));
    await usage(() => readStats(join(dir, 'empty')), /empty: no summary.json or aggregate.json in this folder/);
    await usage(() => statsFromFile(write('bad.json', '{nope')), /bad.json: not JSON/);
    await usage(() => statsFromFile(join(dir, 'missing.json')), /missing.json: no such file$/);
    await usage(() => statsFromFile(write('list.json', [1])), /list.json: not a podbench summary.json, aggregate.json/);
    await usage(
      () => statsFromFile(write('old.json', { ...summary, schemaVersion: 0 })),
      /old.json: schemaVersion 0, this podbench reads 1/,
    );
    const stats = makeStats({ default: {} });
    await usage(
      () => statsFromFile(write('v9.json', { ...stats, formatVersion: 9 })),
      /v9.json: a podbench-stats file of formatVersion 9; this podbench reads 1 and 2/,
    );
    await usage(() => statsFromFile(write('s0.json', { ...stats, schemaVersion: 0 })), /s0.json: schemaVersion 0/);
  });
});

describe('readToleranceFile', () => {
  it('reads YAML, and names a file it cannot read or parse', async () => {
    expect(readToleranceFile(write('t.yaml', 'tolerances:\n  errorRate: 2pp\n')).content).toEqual({
      tolerances: { errorRate: '2pp' },
    });
    await usage(
      () => readToleranceFile(join(dir, 'none.yaml')),
      /none.yaml: cannot read the tolerances file: no such file or folder \(ENOENT\)$/,
    );
    await usage(() => readToleranceFile(write('bad.yaml', 'a: [1\n')), /bad.yaml: not valid YAML or JSON/);
  });
});
