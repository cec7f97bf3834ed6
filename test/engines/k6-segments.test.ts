// Acceptance: a two-instance k6 run via execution segments against the emulator, merged by
// podbench, counts every request once. The export is made by the CLI, the two k6
// processes run at the same time as plain k6 (as two machines would), and `podbench
// report` merges their raw outputs.
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import { segments } from '../../src/engines/k6/distributed.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readMeta, readRecords, readSummary } from '../support/run-files.js';
import { requireK6, skipWithoutK6 } from './support.js';

const KEY = 'segments-secret-key-4d1f';
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulatorInWorker(
    { seed: 3, timeScale: 20, workers: { min: 4, max: 4 }, generation: { jitter: 0 }, rateLimits: { enabled: false } },
    { apiKey: KEY },
  );
});
afterAll(() => emulator.close());

function runK6(binary: string, cwd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd,
      // The key only in the environment, as the export's README says.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: cwd,
        PODBENCH_ENDPOINT_URL: emulator.endpointUrl,
        RUNPOD_API_KEY: KEY,
        K6_NO_USAGE_REPORT: 'true',
        K6_AUTO_EXTENSION_RESOLUTION: 'false',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe.skipIf(skipWithoutK6)('podbench k6 export --instances 2, two k6 instances, podbench report', () => {
  it('merges both outputs into one run that holds every request exactly once', async () => {
    const binary = requireK6();
    const bundle = join(tempDir(), 'bundle');
    const scenario = writeScenario(`name: two-machines
mode: async
sampling_params: { max_tokens: 8 }
polling: { interval: 20ms, health: 0 }
load: { concurrency: 6, requests: 30, warmup: 4 }
thresholds: ["errorRate < 0.5", "e2eMs.p50 < 60s"]
`);
    const exported = await runCli(['k6', 'export', scenario, '--out', bundle, '--instances', '2']);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);

    const runs = await Promise.all(
      segments(2).map((s) =>
        runK6(binary, bundle, [
          'run',
          '--no-usage-report',
          '--quiet',
          '--execution-segment',
          s.segment,
          '--execution-segment-sequence',
          s.sequence,
          '--out',
          `json=k6/default-${s.index + 1}.json`,
          'default.ts',
        ]),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);

    const report = await runCli(['report', bundle]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    const records = readRecords(bundle);
    expect(records).toHaveLength(34);
    expect(records.filter((r) => r.phase === 'warmup')).toHaveLength(4);
    for (const r of records) expect(r.outcome, r.error).toBe('ok');
    // Once each: distinct sequence numbers and jobs, and every job is one the emulator ran.
    expect(new Set(records.map((r) => r.seq)).size).toBe(34);
    const jobIds = new Set(records.map((r) => r.jobId as string));
    expect(jobIds.size).toBe(34);
    for (const id of jobIds) expect((await emulator.jobTruth(id))?.completedAt).toBeDefined();
    // Both instances did part of the work.
    const sizes = readdirSync(join(bundle, 'k6'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => statSync(join(bundle, 'k6', f)).size);
    expect(sizes).toHaveLength(2);
    for (const size of sizes) expect(size).toBeGreaterThan(1000);

    const summary = readSummary(bundle);
    expect(summary.variants[0]?.counts).toMatchObject({ scheduled: 30, sent: 30, ok: 30, warmup: 4 });
    // Percentiles over all 30 measured requests of both instances.
    expect(summary.variants[0]?.metrics.e2eMs.count).toBe(30);
    expect(summary.thresholds?.every((t) => t.passed)).toBe(true);
    const meta = readMeta(bundle);
    expect(meta.startedEpochMs).toBeGreaterThan(0);
    expect(Math.min(...records.map((r) => r.sentMs as number))).toBeGreaterThanOrEqual(0);

    // The key was only ever in the environment.
    for (const path of filesUnder(bundle)) expect(readFileSync(path, 'utf8').includes(KEY), path).toBe(false);

    // The same segment twice is refused rather than counted twice.
    copyFileSync(join(bundle, 'k6', 'default-1.json'), join(bundle, 'k6', 'default-1-copy.json'));
    rmSync(join(bundle, 'results.ndjson'));
    const twice = await runCli(['report', bundle]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/both hold request \d+ of variant default/);

    // One segment's output missing, the other's last line torn: merged, but never in silence.
    rmSync(join(bundle, 'k6', 'default-1-copy.json'));
    rmSync(join(bundle, 'k6', 'default-2.json'));
    appendFileSync(join(bundle, 'k6', 'default-1.json'), '{"broken');
    rmSync(join(bundle, 'results.ndjson'), { force: true });
    const half = await runCli(['report', bundle]);
    expect(half.code, half.stderr).toBe(0);
    expect(half.stderr).toMatch(
      /warning: .*k6\/: variant default: outputs of 1 of the 2 k6 instances the export planned \(default-1\.json\); the requests of the 1 missing execution segment are not in this report/,
    );
    expect(half.stderr).toMatch(
      /warning: .*default-1\.json: the last line is not whole JSON \("\{\\"broken"\): k6 was killed/,
    );
    expect(readRecords(bundle).length).toBeLessThan(34);
  }, 120_000);
});
