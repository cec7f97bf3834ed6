// Fault injection (settings.faults), each kind at probability 1 so the outcome is certain.
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, startClient, until, type Client } from './helpers.js';
import type { EmulatorSettingsInput } from '../../src/emulator/index.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function withFaults(
  faults: NonNullable<EmulatorSettingsInput['faults']>,
  extra: EmulatorSettingsInput = {},
): Promise<Client> {
  c = await startClient({ ...FAST, ...extra, faults });
  return c;
}

describe('per-request faults', () => {
  it('http429 answers 429 and creates no job', async () => {
    const client = await withFaults({ http429: 1 });
    const r = await client.post('/run', { input: { prompt: 'x' } });
    expect(r.status).toBe(429);
    expect(r.json.error).toBeDefined();
  });

  it('http5xx answers 500, 502 or 503 with a JSON body', async () => {
    const client = await withFaults({ http5xx: 1 });
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) seen.add((await client.get('/health')).status);
    expect([...seen].every((s) => [500, 502, 503].includes(s))).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('reset destroys the connection without an answer', async () => {
    const client = await withFaults({ reset: 1 });
    await expect(fetch(`${client.url}/health`)).rejects.toThrow();
  });

  it('slow answers after slowMs (emulated), with a normal body', async () => {
    const client = await withFaults({ slow: 1, slowMs: '100s' }); // 100 ms at timeScale 1000
    const started = performance.now();
    const r = await client.get('/health');
    expect(performance.now() - started).toBeGreaterThanOrEqual(99);
    expect(r.status).toBe(200);
    expect(r.json.jobs).toBeDefined();
  });

  it('malformed answers 200 with JSON cut short', async () => {
    const client = await withFaults({ malformed: 1 });
    const r = await client.get('/health');
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow();
  });
});

describe('per-job faults', () => {
  it("failed ends the job FAILED in the legacy worker's error shape", async () => {
    const client = await withFaults({ failed: 1 });
    const r = await client.post('/runsync', { input: { prompt: 'x', sampling_params: { max_tokens: 50 } } });
    expect(r.json.status).toBe('FAILED');
    expect(r.json.error).toMatch(
      /^\{'error': \{'message': 'EngineCore encountered an issue\..*injected failure\]', 'type': 'BadRequestError', 'param': None, 'code': 400\}\}$/,
    );
    expect((await client.get('/health')).json.jobs.failed).toBe(1);
  });

  it('failed ends a proxy job FAILED with a worker_error dict', async () => {
    const client = await withFaults({ failed: 1 }, { worker: 'proxy' });
    const r = await client.post('/runsync', { input: { prompt: 'x', sampling_params: { max_tokens: 50 } } });
    expect(r.json.error).toMatch(/^\{'message': 'vLLM returned HTTP 500: .*', 'type': 'worker_error', 'code': None\}$/);
  });

  it('timeout ends the job TIMED_OUT', async () => {
    const client = await withFaults({ timeout: 1 });
    const r = await client.post('/runsync', { input: { prompt: 'x', sampling_params: { max_tokens: 5 } } });
    expect(r.json.status).toBe('TIMED_OUT');
  });

  it('crash fails every job of the worker, which is unhealthy and then cold-starts again', async () => {
    const client = await withFaults(
      { crash: 1, crashDowntime: '10s' },
      { timeScale: 100, workers: { min: 1, max: 1, coldStart: '1s' } },
    );
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(await client.run({ prompt: 'x', sampling_params: { max_tokens: 200, ignore_eos: true } }));
    const first = await client.settle(ids[0] as string);
    expect(first.status).toBe('FAILED');
    expect(first.error).toContain('injected worker crash');
    for (const id of ids) expect((await client.settle(id)).status).toBe('FAILED');
    await until(
      async () => ((await client.get('/health')).json.workers.unhealthy === 0 ? true : undefined),
      'the worker to recover',
    );
    // The active worker comes back on its own.
    await until(
      async () => ((await client.get('/health')).json.workers.ready === 1 ? true : undefined),
      'the worker to be warm again',
    );
  });

  it('stall stops the stream until the execution timeout, then TIMED_OUT', async () => {
    const client = await withFaults({ stall: 1 }, { timeScale: 100 });
    const id = await client.run(
      { prompt: 'x', stream: true, sampling_params: { max_tokens: 1000, ignore_eos: true } },
      { policy: { executionTimeout: 5000 } },
    );
    const { items, final } = await client.stream(id);
    expect(final.status).toBe('TIMED_OUT');
    const tokens = items.reduce((sum, item) => sum + item.choices[0].tokens.length, 0);
    expect(tokens).toBeLessThan(1000);
  });

  it('draws the same faults for the same seed', async () => {
    const outcomes: string[][] = [];
    for (let round = 0; round < 2; round++) {
      const client = await withFaults({ failed: 0.5 }, { seed: 42 });
      const statuses = [];
      for (let i = 0; i < 12; i++)
        statuses.push(
          (await client.post('/runsync', { input: { prompt: 'x', sampling_params: { max_tokens: 3 } } })).json.status,
        );
      outcomes.push(statuses);
      await client.close();
      c = undefined;
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(new Set(outcomes[0])).toEqual(new Set(['COMPLETED', 'FAILED']));
  });
});
