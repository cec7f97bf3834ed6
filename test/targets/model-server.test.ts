// A bare OpenAI-compatible server as the target: the emulator's model server at /v1 (as
// `vllm serve` answers), embedded or served apart, with the synthetic model and with a real
// GGUF model (node-llama-cpp). podbench sends only the OpenAI calls there, takes the model
// from /v1/models, asks for no /health, and reports no server times it was not given.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir, writeScenario } from '../support/cli.js';
import { readMeta, readRecords, readSummary } from '../support/run-files.js';
import { describeLlama, MODEL_PATH } from '../emulator-llama/support.js';

const FAST = `emulator:
  timeScale: 20
  workers: { min: 1, max: 1 }
  generation: { eosProbability: 0 }
  network: { roundTrip: 0 }
`;

function scenario(extra = FAST): string {
  return `name: bare
input: { format: messages, synthetic: { promptTokens: 30 } }
sampling_params: { max_tokens: 12 }
load: { concurrency: 2, requests: 4 }
${extra}`;
}

async function run(args: string[], env: Record<string, string> = {}, text = scenario()) {
  const out = join(tempDir(), 'run');
  const result = await runCli(['run', writeScenario(text), '--out', out, '--quiet', ...args], {
    timeoutMs: 120_000,
    env,
  });
  return { out, result };
}

describe('the embedded emulator as a bare model server (--target openai)', () => {
  it('streams from /v1 with TTFT, usage counts and no server times', async () => {
    const { out, result } = await run(['--target', 'openai', '--mode', 'openai-stream']);
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(out);
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.outcome).toBe('ok');
      expect(r.outputTokens).toBe(12);
      expect(r.tokenSource).toBe('usage');
      expect(r.firstTokenMs).toBeGreaterThan(r.sentMs as number);
      expect(r.delayMs).toBeUndefined();
      expect(r.responseId).toMatch(/^chatcmpl-/);
    }
    const meta = readMeta(out);
    expect(meta.target).toMatchObject({ kind: 'emulator', api: 'openai' });
    expect(readSummary(out).variants[0]?.notMeasured).toEqual({
      delayMs: 'no-server-timing',
      executionMs: 'no-server-timing',
      overheadMs: 'no-server-timing',
    });
  }, 150_000);

  it('refuses the queue modes: a model server has no jobs', async () => {
    const { result } = await run(['--target', 'openai', '--mode', 'async']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mode async: a bare OpenAI-compatible server has no queue or jobs/);
  });
});

describe('a model server served apart, named by URL', () => {
  let emulator: RunningEmulator;
  const KEY = 'model-server-key';
  beforeAll(async () => {
    emulator = await startEmulator(
      { timeScale: 20, workers: { min: 1, max: 1 }, generation: { eosProbability: 0 }, network: { roundTrip: 0 } },
      { apiKey: KEY },
    );
  });
  afterAll(() => emulator.close());

  it('takes a …/v1 URL as a model server, with the key from a variable the user names', async () => {
    const { out, result } = await run(
      ['--endpoint', emulator.modelServerUrl, '--mode', 'openai', '--api-key-env', 'MS_KEY'],
      {
        MS_KEY: KEY,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(out);
    expect(records.every((r) => r.outcome === 'ok' && r.outputTokens === 12)).toBe(true);
    expect(readMeta(out).target.api).toBe('openai');
  }, 150_000);

  it('never sends $RUNPOD_API_KEY to a model server: a server that wants a key says so', async () => {
    const { result } = await run(['--endpoint', emulator.modelServerUrl, '--mode', 'openai'], { RUNPOD_API_KEY: KEY });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/asks for an API key \(HTTP 401 on \/v1\/models\): name the environment variable/);
  }, 90_000);

  it('asks a bare origin what it is: an emulator without a key answers /v1/models there', async () => {
    // (With a key the emulator answers 401 to every path, /health too, as Runpod's API does.)
    const open = await startEmulator({ timeScale: 20, workers: { min: 1, max: 1 }, network: { roundTrip: 0 } });
    try {
      const origin = new URL(open.modelServerUrl).origin;
      const { out, result } = await run(['--endpoint', origin, '--mode', 'openai-stream']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/is a bare OpenAI-compatible server/);
      expect(readMeta(out).variants[0]?.target?.api).toBe('openai');
    } finally {
      await open.close();
    }
  }, 150_000);

  it('and its /v2/local as Runpod’s queue API', async () => {
    const { out, result } = await run(['--endpoint', emulator.endpointUrl, '--mode', 'sync'], { RUNPOD_API_KEY: KEY });
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(out);
    expect(records.every((r) => r.outcome === 'ok' && r.delayMs !== undefined)).toBe(true);
    expect(readMeta(out).target.api).toBe('runpod');
  }, 150_000);
});

describeLlama('a real model behind the model server (node-llama-cpp)', () => {
  it('streams real tokens from /v1', async () => {
    const text = scenario(`emulator:
  backend: llama
  llama: { model: ${JSON.stringify(MODEL_PATH)} }
  workers: { min: 0, max: 1, concurrency: 2 }
  network: { roundTrip: 0 }
`);
    const { out, result } = await run(['--target', 'openai', '--mode', 'openai-stream'], {}, text);
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(out);
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.outcome).toBe('ok');
      expect(r.outputTokens).toBeGreaterThan(0);
      expect(r.outputTokens).toBeLessThanOrEqual(12);
      expect(r.firstTokenMs).toBeDefined();
    }
  }, 180_000);
});
