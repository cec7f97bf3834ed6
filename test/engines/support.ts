// Shared by the engine tests: the k6 binary (K6_BINARY, PATH or ~/go/bin, as the engine
// finds it), an in-process run helper, and record statistics.
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { expect } from 'vitest';
import { findK6Binary, K6_INSTALL_HINT } from '../../src/engines/k6/binary.js';
import type { EngineName } from '../../src/engines/types.js';
import type { RequestRecord } from '../../src/core/record.js';
import { quantile, sortedSamples } from '../../src/metrics/percentiles.js';
import { runScenario } from '../../src/runner/run.js';
import { tempDir, writeScenario } from '../support/cli.js';
import { readRecords } from '../support/run-files.js';

export const K6_BINARY = findK6Binary(process.env);
const inCi = process.env.CI === 'true';

/**
 * Tests that need k6 are skipped with a note when it is missing, except in CI (CI=true),
 * where .ci/run installs it and a missing binary is a failure.
 */
export const skipWithoutK6 = !K6_BINARY && !inCi;
if (skipWithoutK6) console.warn(`k6 engine tests SKIPPED: no k6 binary; ${K6_INSTALL_HINT}.`);

export function requireK6(): string {
  if (!K6_BINARY) throw new Error(`CI=true and no k6 binary: ${K6_INSTALL_HINT}; .ci/run should have installed it`);
  return K6_BINARY;
}

/** Runs a scenario in this process (the embedded emulator or the scenario's target) and returns its records. */
export async function runEngine(
  engine: EngineName,
  scenarioText: string,
  env: Record<string, string> = {},
  options: { workers?: number } = {},
): Promise<{ out: string; records: RequestRecord[]; exitCode: number }> {
  const out = join(tempDir(), 'run');
  const sink = new PassThrough();
  sink.resume();
  const outcome = await runScenario({
    scenarioFile: writeScenario(scenarioText),
    overrides: [],
    engine,
    ...options,
    out,
    reportsRoot: tempDir(),
    env: { RUNPOD_API_KEY: 'unused', ...env },
    stdout: sink as unknown as NodeJS.WriteStream,
    stderr: sink as unknown as NodeJS.WriteStream,
    quiet: true,
    graceMs: 1000,
  });
  return { out, records: readRecords(out), exitCode: outcome.exitCode };
}

export function median(values: number[]): number {
  return quantile(sortedSamples(values), 0.5) as number;
}

/** Every record ok, with its error shown when not. */
export function expectAllOk(records: RequestRecord[]): void {
  for (const r of records) expect(r.outcome, `#${r.seq} ${r.variant}: ${r.error}`).toBe('ok');
}
