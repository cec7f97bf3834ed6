// The API key never appears in any output; `podbench report` rebuilds every file from
// results.ndjson alone; an interrupted run cancels its jobs and still writes its reports.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, ROOT, runCli, tempDir, writeScenario } from '../support/cli.js';
import { readRecords, readSummary } from '../support/run-files.js';

const KEY = 'rpa_TESTKEY_2f9c1d7e8a6b4c3d';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('against an external endpoint with a key', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulatorInWorker(
      {
        timeScale: 50,
        network: { roundTrip: 0 },
        workers: { min: 2, max: 2 },
        faults: { http5xx: 0.1, http429: 0.1, failed: 0.1 },
        rateLimits: { enabled: false },
      },
      { apiKey: KEY },
    );
  });
  afterAll(() => emulator.close());

  it('never writes the key to a file, a log line or an error', async () => {
    const out = join(tempDir(), 'run');
    // input.model named: at these fault rates (about 3 answers in 10 fail) the model lookup's
    // four tries all failed now and then (a usage error, exit 2), and the lookup is not what
    // this test is about.
    const scenario = writeScenario(`name: secret
target: { endpoint: ${emulator.endpointUrl} }
input: { model: meta-llama/Llama-3.1-8B-Instruct }
sampling_params: { max_tokens: 8 }
retry: { maxRetries: 1, baseDelay: 1ms, maxDelay: 2ms }
polling: { interval: 5ms, health: 20ms }
load: { concurrency: 4, requests: 30 }
matrix:
  mode: [sync, stream, openai-stream]
`);
    const result = await runCli(['run', scenario, '--out', out], { env: { RUNPOD_API_KEY: KEY } });
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(out);
    expect(records.some((r) => r.outcome !== 'ok')).toBe(true); // errors were recorded too
    expect(result.stdout + result.stderr).not.toContain(KEY);
    for (const file of filesUnder(out)) expect(readFileSync(file, 'utf8'), file).not.toContain(KEY);
    // ... and a wrong key is a configuration error.
    const wrong = await runCli(['run', scenario, '--quiet'], { env: { RUNPOD_API_KEY: 'wrong-key' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/rejected the API key in \$RUNPOD_API_KEY \(HTTP 401\)/);
    expect(wrong.stderr).not.toContain('wrong-key');
    // A local endpoint needs no key until it answers 401, and then says which variable to set.
    const none = await runCli(['run', scenario, '--quiet'], { env: { RUNPOD_API_KEY: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/answered HTTP 401: it needs an API key; set the environment variable RUNPOD_API_KEY/);
  });

  it('runs against a local endpoint without a key when it asks for none', async () => {
    const open = await startEmulatorInWorker({ timeScale: 50, workers: { min: 1, max: 1 } }, {});
    onTestFinished(() => open.close());
    const scenario = writeScenario(
      `name: keyless\nemulator: { workers: { max: 1 } }\nsampling_params: { max_tokens: 4 }\nload: { concurrency: 1, requests: 2 }\n`,
    );
    const result = await runCli(
      ['run', scenario, '--quiet', '--endpoint', open.endpointUrl, '--out', join(tempDir(), 'r')],
      {
        env: { RUNPOD_API_KEY: '' },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    // The scenario's emulator block goes unused: one note says so.
    expect(result.stderr.match(/emulator: block is ignored/g)).toHaveLength(1);
  });

  it('cancels the jobs it submitted when interrupted, and writes the reports', async () => {
    // Its own emulator: the shared one injects faults into /health too.
    const emulator = await startEmulatorInWorker(
      { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 2, max: 2 }, rateLimits: { enabled: false } },
      { apiKey: KEY },
    );
    onTestFinished(() => emulator.close());
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(`name: interrupted
target: { endpoint: ${emulator.endpointUrl} }
mode: async
sampling_params: { max_tokens: 2000, ignore_eos: true }
polling: { interval: 20ms, health: 0 }
load: { rate: 20, duration: 60s }
`);
    const child = spawn(process.execPath, [BIN, 'run', scenario, '--out', out, '--quiet', '--grace', '200ms'], {
      cwd: ROOT,
      env: { ...process.env, RUNPOD_API_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Wait until jobs are running on the endpoint, then interrupt.
    const started = Date.now();
    for (;;) {
      const health = (await (
        await fetch(`${emulator.endpointUrl}/health`, { headers: { authorization: KEY } })
      ).json()) as {
        jobs: { inProgress: number; inQueue: number };
      };
      if (health.jobs.inProgress + health.jobs.inQueue >= 5) break;
      if (Date.now() - started > 20_000) throw new Error('jobs never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/SIGINT: stopping/);
    const summary = readSummary(out);
    const records = readRecords(out);
    expect(records.length).toBeGreaterThan(0);
    expect(summary.run.interrupted).toBe(true);
    // Every job podbench submitted ended: none is left queued or running.
    const health = (await (
      await fetch(`${emulator.endpointUrl}/health`, { headers: { authorization: KEY } })
    ).json()) as {
      jobs: { inProgress: number; inQueue: number };
    };
    expect(health.jobs.inProgress + health.jobs.inQueue).toBe(0);
    const outcomes = new Set(records.map((r) => r.outcome));
    expect(
      [...outcomes].every((o) =>
        ['ok', 'aborted', 'job_cancelled', 'not_sent', 'http_error', 'job_failed'].includes(o),
      ),
    ).toBe(true);
  });
});

describe('podbench report', () => {
  it('rebuilds identical reports from results.ndjson', async () => {
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(`name: rebuild
mode: stream
sampling_params: { max_tokens: 16 }
polling: { interval: 5ms, health: 10ms }
load: { concurrency: 3, requests: 9 }
emulator: { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1 } }
`);
    expect((await runCli(['run', scenario, '--out', out, '--quiet'])).code).toBe(0);
    const before = Object.fromEntries(
      ['summary.json', 'summary.csv', 'requests.csv'].map((f) => [f, readFileSync(join(out, f), 'utf8')]),
    );
    for (const f of Object.keys(before)) rmSync(join(out, f));
    rmSync(join(out, 'report.html'));
    const rebuilt = await runCli(['report', out]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    for (const [f, text] of Object.entries(before)) expect(readFileSync(join(out, f), 'utf8'), f).toBe(text);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<html');
  });

  it('skips a torn last line with a warning', async () => {
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(`name: torn
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
load: { concurrency: 1, requests: 3 }
emulator: { timeScale: 50, network: { roundTrip: 0 }, workers: { min: 1 } }
`);
    expect((await runCli(['run', scenario, '--out', out, '--quiet'])).code).toBe(0);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(join(out, 'results.ndjson'), '{"seq": 99, "variant": "def');
    const rebuilt = await runCli(['report', out]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/warning: results\.ndjson line 4 skipped: not valid JSON: a torn last line/);
    expect(readSummary(out).variants[0]!.counts.scheduled).toBe(3);
    // A damaged line elsewhere is named as damage, not as a torn end.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const lines = readFileSync(join(out, 'results.ndjson'), 'utf8').split('\n');
    lines[1] = '{"seq": oops';
    writeFileSync(join(out, 'results.ndjson'), lines.join('\n'));
    const damaged = await runCli(['report', out]);
    expect(damaged.stderr).toMatch(/line 2 skipped: not valid JSON: the file was edited or damaged here/);
  });
});
