// run.json says what ran: each variant's effective scenario after every flag and --set (the
// emulator's settings included), the command line with secrets removed, Node, OS and CPU;
// the console says which values the flags set; the page shows the effective values.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunMeta } from '../../src/core/summary.js';
import { startEmulatorInWorker, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';

const KEY = 'rpa_PROVENANCE_7c1e9b2d4f';

const SCENARIO = `name: provenance
sampling_params: { max_tokens: 64, temperature: 0.5 }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 2, requests: 4 }
emulator: { timeScale: 50, workers: { min: 1, max: 1 }, rateLimits: { enabled: false } }
`;

function meta(out: string): RunMeta {
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunMeta;
}

describe('provenance in run.json', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulatorInWorker({ timeScale: 50, workers: { min: 1, max: 1 } }, { apiKey: KEY });
  });
  afterAll(() => emulator.close());

  it('records the effective scenario after every flag and --set, and the machine', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli([
      'run',
      writeScenario(SCENARIO),
      '--out',
      out,
      '--quiet',
      '--requests',
      '3',
      '--set',
      'sampling_params.max_tokens=16',
      '--set',
      'emulator.generation.stepMs=30',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = meta(out);
    const effective = run.variants[0]!.effective as {
      sampling_params: { max_tokens: number; temperature: number };
      load: { requests: number; concurrency: number };
      emulator: { generation: { stepMs: number; jitter: number }; timeScale: number };
    };
    expect(effective.sampling_params).toEqual({ max_tokens: 16, temperature: 0.5 });
    expect(effective.load).toMatchObject({ requests: 3, concurrency: 2 });
    // The emulator's effective settings, its defaults filled in.
    expect(effective.emulator.generation).toMatchObject({ stepMs: 30, jitter: 0.05 });
    expect(effective.emulator.timeScale).toBe(50);
    // The file's own text stays as written, beside it.
    expect(run.scenario.text).toContain('max_tokens: 64');
    expect(run.provenance?.overrides).toEqual([
      { origin: '--requests', path: 'load.requests', value: 3 },
      { origin: '--set sampling_params.max_tokens', path: 'sampling_params.max_tokens', value: 16 },
      { origin: '--set emulator.generation.stepMs', path: 'emulator.generation.stepMs', value: 30 },
    ]);
    expect(run.provenance?.commandLine).toMatch(
      /^podbench run \S+ --out \S+ --quiet --requests 3 --set sampling_params\.max_tokens=16 --set emulator\.generation\.stepMs=30$/,
    );
    expect(run.provenance).toMatchObject({ node: process.version, cpu: { cores: cpus().length } });
    expect(run.provenance?.os).toMatch(/^linux \S+ \S+$/);
    expect(run.provenance?.cpu.model.length).toBeGreaterThan(0);
    // The console names the values the flags set.
    expect(result.stderr).toContain(
      'podbench: effective: load.requests = 3 (--requests), sampling_params.max_tokens = 16 (--set sampling_params.max_tokens), emulator.generation.stepMs = 30 (--set emulator.generation.stepMs)',
    );
    // The page shows the effective values, not only the file.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('sampling_params.max_tokens');
    expect(html).toContain(
      '<td><code>--set sampling_params.max_tokens</code></td><td><code>sampling_params.max_tokens</code></td><td>16</td>',
    );
    expect(html).toMatch(/<pre>[^<]*max_tokens: 16[^<]*<\/pre>/);
  });

  it('removes the key and URL credentials from the command line it records', async () => {
    const out = join(tempDir(), 'run');
    const scenario = writeScenario(`name: secret-args
target: { endpoint: ${emulator.endpointUrl} }
sampling_params: { max_tokens: 4 }
polling: { interval: 5ms, health: 0 }
load: { concurrency: 1, requests: 2 }
`);
    // A careless user puts the key (and a URL with credentials) where flags keep text.
    const result = await runCli(
      ['run', scenario, '--out', out, '--quiet', '--set', `description=key ${KEY} at https://me:pw@example.com/x`],
      { env: { RUNPOD_API_KEY: KEY } },
    );
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(join(out, 'run.json'), 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('me:pw');
    expect(meta(out).provenance?.commandLine).toContain(
      "'description=key [redacted] at https://[redacted]@example.com/x'",
    );
  });

  it('keeps a --set that unsets a field (path=null) as null, and the page shows it unset', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli([
      'run',
      writeScenario(SCENARIO),
      '--out',
      out,
      '--quiet',
      '--set',
      'sampling_params.temperature=null',
    ]);
    // It once crashed while writing report.html, after the whole run.
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('sampling_params.temperature = null (unset)');
    const run = meta(out);
    expect(run.provenance?.overrides).toContainEqual({
      origin: '--set sampling_params.temperature=null',
      path: 'sampling_params.temperature',
      value: null,
    });
    expect((run.variants[0]!.effective as { sampling_params: Record<string, unknown> }).sampling_params).toEqual({
      max_tokens: 64,
    });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('null (unset)');
  });
});
