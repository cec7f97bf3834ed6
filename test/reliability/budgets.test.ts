// Budgets protect a paid endpoint; the key may come from a file; a second signal exits at
// once with results.ndjson intact.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, ROOT, runCli, tempDir, writeScenario } from '../support/cli.js';
import { readMeta, readRecords } from '../support/run-files.js';
import { requireK6, skipWithoutK6 } from '../engines/support.js';

/** The event-loop monitor's period (src/util/loop-delay.ts): a stall is seen to within one period. */
const LOOP_RESOLUTION_MS = 5;
/** Node's timers keep whole milliseconds: one may fire up to 1 ms early or late against performance.now(). */
const TIMER_SLACK_MS = 1;

const LONG = `name: budget
mode: stream
sampling_params: { max_tokens: 16 }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 4, requests: 100000 }
emulator: { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1, max: 1 } }
`;

describe('budgets', () => {
  it('--max-requests stops scheduling at the cap, warmup included', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli([
      'run',
      writeScenario(LONG),
      '--out',
      out,
      '--quiet',
      '--max-requests',
      '25',
      '--warmup',
      '5',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(readRecords(out)).toHaveLength(25);
    expect(result.stdout).toMatch(/the run stopped early: budget\.maxRequests \(25\) sent/);
    expect(readMeta(out).stoppedBy).toBe('budget.maxRequests (25) sent');
  });

  // k6's log reaches podbench up to a second late: the cap is in its script, so it is exact too.
  it.skipIf(skipWithoutK6).each([
    ['a closed loop by time', 'load: { concurrency: 16, duration: 60s }'],
    ['an open loop', 'load: { rate: 200, duration: 60s }'],
  ])('--max-requests is exact with the k6 engine too (%s)', async (_name, load) => {
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(
      LONG.replace('mode: stream', 'mode: sync')
        .replace(/load: .*\n/, `${load}\n`)
        .replace('min: 1, max: 1', 'min: 2, max: 2'),
    );
    const result = await runCli(['run', scenario, '--out', out, '--quiet', '--engine', 'k6', '--max-requests', '30'], {
      env: { K6_BINARY: requireK6() },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readRecords(out)).toHaveLength(30);
    expect(readMeta(out).stoppedBy).toBe('budget.maxRequests (30) sent');
  });

  it('--max-output-tokens stops once that many tokens were generated', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli(['run', writeScenario(LONG), '--out', out, '--quiet', '--max-output-tokens', '200']);
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(out);
    const tokens = records.reduce((n, r) => n + (r.outputTokens ?? 0), 0);
    expect(tokens).toBeGreaterThanOrEqual(200);
    // At most the requests already in flight when the budget ran out come after it.
    expect(tokens).toBeLessThan(200 + 4 * 16 + 1);
  });

  describe('--max-duration', () => {
    // An emulator of the test's own, so the run's first request goes out a few ms after the
    // budget's timer is set (no embedded emulator to start in between).
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulatorInWorker(
        { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1, max: 1 }, rateLimits: { enabled: false } },
        { apiKey: 'k' },
      );
    });
    afterAll(() => emulator.close());

    it('ends the run in time', async () => {
      const out = join(tempDir(), 'run');
      const scenario = writeScenario(
        LONG.replace(
          'emulator: { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1, max: 1 } }',
          `target: { endpoint: ${emulator.endpointUrl} }`,
        ),
      );
      const result = await runCli(
        ['run', scenario, '--out', out, '--quiet', '--max-duration', '1500ms', '--grace', '200ms'],
        { env: { RUNPOD_API_KEY: 'k' } },
      );
      expect(result.code, result.stderr).toBe(0);
      const meta = readMeta(out);
      expect(meta.stoppedBy).toMatch(/^budget\.maxDuration/);
      // The budget's timer cannot fire early: the run lasted at least the budget.
      expect(meta.durationMs).toBeGreaterThanOrEqual(1500 - TIMER_SLACK_MS);
      // Nothing was sent after the budget's timer fired. It was set before the first send, for
      // 1500 ms, and it fired late by no more than podbench's own event loop was late (run.json
      // keeps the worst delay of a 5 ms timer over the variant): a bound that moves with a busy
      // machine, where a fixed one (1600 ms on the run clock) could be passed.
      const records = readRecords(out);
      expect(records.length).toBeGreaterThan(0);
      const firstSentMs = Math.min(...records.map((r) => r.sentMs ?? Number.POSITIVE_INFINITY));
      const lateMs = meta.variants[0]?.clientLoopDelayMs?.max as number;
      expect(lateMs).toBeGreaterThanOrEqual(0);
      for (const r of records)
        expect(r.sentMs ?? 0).toBeLessThanOrEqual(firstSentMs + 1500 + lateMs + LOOP_RESOLUTION_MS + TIMER_SLACK_MS);
    });
  });
});

describe('the API key from a file', () => {
  const KEY = 'file-key-7c2b9d';
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulatorInWorker(
      { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1, max: 1 } },
      { apiKey: KEY },
    );
  });
  afterAll(() => emulator.close());

  it('is read from --api-key-file and written nowhere', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, `${KEY}\n`);
    const out = join(dir, 'run');
    const scenario = writeScenario(
      `name: keyfile\ntarget: { endpoint: ${emulator.endpointUrl} }\nsampling_params: { max_tokens: 4 }\npolling: { health: 0 }\nload: { concurrency: 1, requests: 3 }\n`,
    );
    const result = await runCli(['run', scenario, '--out', out, '--quiet', '--api-key-file', keyFile], {
      env: { RUNPOD_API_KEY: '' },
    });
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['run.json', 'results.ndjson', 'summary.json', 'requests.csv', 'report.html']) {
      expect(readFileSync(join(out, name), 'utf8')).not.toContain(KEY);
    }
    const missing = await runCli(['run', scenario, '--api-key-file', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--api-key-file .*nope: cannot read it \(ENOENT\)/);
  });
});

describe('a second signal', () => {
  const GRACE_MS = 60_000;
  it('exits at once, leaving every finished request in results.ndjson', { timeout: GRACE_MS + 30_000 }, async () => {
    // OpenAI streams have no job to cancel: after the first signal they keep streaming for
    // the whole grace period (60 s), unless a second signal ends the run at once.
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(`name: second-signal
mode: openai-stream
sampling_params: { max_tokens: 4000, ignore_eos: true }
polling: { health: 100ms }
load: { concurrency: 4, requests: 100000 }
emulator: { timeScale: 5, network: { roundTrip: 0 }, workers: { min: 1, max: 1 } }
`);
    const child = spawn(process.execPath, [BIN, 'run', scenario, '--out', out, '--quiet', '--grace', `${GRACE_MS}ms`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The first /health sample: the preflight is over and the variant runs (a first Ctrl-C
    // during the preflight ends the run at once, before a second signal could matter).
    const health = join(out, 'health.ndjson');
    const deadline = Date.now() + 20_000;
    while (!existsSync(health) || readFileSync(health, 'utf8') === '') {
      if (Date.now() > deadline) throw new Error('the run did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 500));
    const firstSignalMs = performance.now();
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const code = await closed;
    // It ended before the grace the first signal started could run out (that timer cannot
    // fire early): the second signal did not wait for it, however slow the machine.
    expect(performance.now() - firstSignalMs).toBeLessThan(GRACE_MS);
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/SIGINT: stopping/);
    expect(stderr).toMatch(/exiting at once, without reports; .*\(podbench report .* writes the reports from it\)/);
    // Every line parses: nothing torn by the exit.
    const text = readFileSync(join(out, 'results.ndjson'), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
