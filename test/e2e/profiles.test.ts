// GuideLLM's profiles (load.profile, --profile): the synchronous and throughput runs, and a
// sweep whose constant rates come from what those two measured, on the embedded emulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepThroughput } from '../../src/answers/sweep-steps.js';
import type { ProfileSweepFinding } from '../../src/core/findings.js';
import type { RunMeta } from '../../src/core/summary.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { hasStackTrace, ROOT, runCli, tempDir, writeScenario } from '../support/cli.js';
import { readSummary } from '../support/run-files.js';

// One worker that runs 4 jobs at once, 8 tokens at 25 ms a step (200 ms a job), twice as
// fast in real time. The file's own load is a closed loop: --profile replaces it.
const SCENARIO = `name: profiles
mode: sync
sampling_params: { max_tokens: 8, ignore_eos: true }
input: { synthetic: { promptTokens: 16 } }
polling: { health: 0 }
load: { concurrency: 3, requests: 16 }
emulator:
  timeScale: 2
  network: { roundTrip: 0 }
  workers: { min: 1, max: 1, concurrency: 4 }
  generation: { stepMs: 25, stepMsPerSequence: 0, prefillMsPerToken: 0, jitter: 0, eosProbability: 0 }
`;

async function run(args: string[]) {
  const out = join(tempDir(), 'run');
  const result = await runCli(['run', writeScenario(SCENARIO), '--out', out, '--quiet', ...args], {
    timeoutMs: 180_000,
  });
  expect(result.code, result.stderr).toBe(0);
  const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunMeta;
  return { out, stdout: result.stdout, summary: readSummary(out), meta };
}

describe('the sweep profile', () => {
  it('runs synchronous, throughput, then constant rates evenly spaced between their steady throughputs', async () => {
    const { summary, meta, stdout } = await run(['--profile', 'sweep', '--rate', '5']);
    // --rate 5: five benchmarks in all, as GuideLLM's sweep counts them.
    expect(summary.variants.map((v) => v.name.replace(/=.*/, '='))).toEqual([
      'synchronous',
      'throughput',
      'rate=',
      'rate=',
      'rate=',
    ]);
    const [sync, burst, ...constant] = summary.variants;
    const synchronousRps = stepThroughput(sync!).requestsPerSec;
    const throughputRps = stepThroughput(burst!).requestsPerSec;
    // Both are steady figures (the throughput run's from its drain), not whole-run ones.
    expect(sync!.throughput.steady?.requestsPerSec).toBe(synchronousRps);
    expect(burst!.throughput.steady?.requestsPerSec).toBe(throughputRps);
    expect(throughputRps).toBeGreaterThan(synchronousRps);
    const rates = constant.map((v) => v.params['load.rate'] as number);
    // Evenly spaced from the synchronous figure to the throughput figure: the step between
    // the synchronous rate and the first, and between each pair after, is one and the same.
    const step = (throughputRps - synchronousRps) / 3;
    rates.forEach((rate, i) => {
      expect(rate).toBeGreaterThan(synchronousRps);
      expect(rate).toBeLessThanOrEqual(throughputRps + 0.001);
      expect(rate).toBeCloseTo(synchronousRps + step * (i + 1), 2);
    });
    expect(rates.at(-1)).toBeCloseTo(throughputRps, 2);
    // Each constant-rate run was an open loop at its rate.
    for (const [i, v] of constant.entries()) {
      expect(meta.variants[i + 2]?.effective?.load).toMatchObject({ rate: rates[i] });
      expect(v.name).toBe(`rate=${rates[i]}`);
    }
    expect(meta.variants[1]?.load).toMatch(/16/);
    const finding = summary.findings?.find((f) => f.kind === 'profile-sweep') as ProfileSweepFinding | undefined;
    expect(finding?.rates.map((r) => r.rate)).toEqual(rates);
    expect(finding?.synchronousRps).toBe(synchronousRps);
    expect(stdout).toMatch(/sweep: One request at a time \(synchronous\): [\d.]+ req\/s/);
  });
});

describe('profile flags', () => {
  async function expectUsage(args: string[], message: RegExp) {
    const result = await runCli(['run', writeScenario(SCENARIO), ...args]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  }

  it('says when every step starts from zero workers, and so holds a cold start', async () => {
    const args = [
      'run',
      writeScenario(SCENARIO),
      '--quiet',
      '--profile',
      'sweep',
      '--rate',
      '3',
      '--max-requests',
      '2',
    ];
    const cold = await runCli([...args, '--out', join(tempDir(), 'run'), '--set', 'emulator.workers.min=0']);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stderr).toMatch(/note: each step starts the emulator afresh with emulator\.workers\.min 0/);
    const warm = await runCli([...args, '--out', join(tempDir(), 'run')]);
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.stderr).not.toMatch(/starts the emulator afresh/);
  });

  it('refuses a load of its own beside a profile, and a sweep size that is not a count', async () => {
    await expectUsage(['--profile', 'throughput', '--rate', '5'], /--rate and --profile throughput/);
    await expectUsage(['--profile', 'sweep', '--concurrency', '2'], /--concurrency and --profile sweep/);
    await expectUsage(['--profile', 'sweep', '--rate', '1.5'], /--rate: with --profile sweep it is the number of/);
    await expectUsage(['--profile', 'fastest'], /--profile: "fastest" is not one of synchronous, throughput, sweep/);
    await expectUsage(
      ['--profile', 'sweep', '--set', 'matrix.seed=[1,2]'],
      /load.profile: a sweep cannot be combined with a matrix/,
    );
  });

  it('bundles scenarios/sweep.yaml, a sweep of 6 with requests counted', () => {
    const loaded = loadScenarioFile(join(ROOT, 'scenarios', 'sweep.yaml'));
    expect(loaded.variants).toHaveLength(1);
    expect(loaded.variants[0]?.scenario.load).toMatchObject({ profile: 'sweep', sweepSize: 6, requests: 32 });
    expect(loaded.variants[0]?.plan.profile).toEqual([{ atMs: 0, level: 1 }]);
  });
});
