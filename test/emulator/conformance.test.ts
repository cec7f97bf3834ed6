// The official JS client, runpod-sdk@1.1.2, pointed at the emulator with its baseUrl option:
// what it does against api.runpod.ai it must be able to do here (run, status, stream,
// runSync incl. the status-sync continuation, cancel, health, purgeQueue).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import runpodSdk from 'runpod-sdk';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { legacyText } from './helpers.js';

const KEY = 'test-key';

function endpointOf(emulator: RunningEmulator) {
  const base = emulator.endpointUrl.replace(/\/local$/, '');
  const endpoint = runpodSdk(KEY, { baseUrl: base }).endpoint('local');
  if (endpoint === null) throw new Error('runpod-sdk gave no endpoint');
  return endpoint;
}

describe('runpod-sdk against a warm endpoint', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator(
      { timeScale: 200, workers: { min: 1, max: 2 }, generation: { eosProbability: 0 } },
      { apiKey: KEY },
    );
  });
  afterAll(() => emulator.close());

  it('runs a job and reads its status', async () => {
    const endpoint = endpointOf(emulator);
    const run = await endpoint.run({
      input: { prompt: 'The capital of France is', sampling_params: { max_tokens: 20 } },
    });
    expect(run).toEqual({ id: expect.stringMatching(/-u1$/), status: 'IN_QUEUE' });
    let status: any;
    for (let i = 0; i < 2000; i++) {
      status = await endpoint.status(run.id);
      if (status.completed) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(status).toMatchObject({ status: 'COMPLETED', started: true, completed: true, succeeded: true, id: run.id });
    expect(status.output[0].usage).toEqual({ input: 6, output: 20 });
  });

  it('streams: ends, delivers no partial twice, and the partials add up to the final output', async () => {
    const endpoint = endpointOf(emulator);
    const run = await endpoint.run({
      input: { prompt: 'Write a short story about a robot.', stream: true, sampling_params: { max_tokens: 100 } },
    });
    const received: any[] = [];
    for await (const chunk of endpoint.stream(run.id)) received.push(chunk.output);
    const status: any = await endpoint.status(run.id);
    expect(status.status).toBe('COMPLETED');
    expect(received).toEqual(status.output);
    expect(received.map((item) => item.choices[0].tokens.length)).toEqual([1, 3, 9, 27, 50, 10]);
    expect(legacyText(received)).toBe(legacyText(status.output));
    const truth = await emulator.jobTruth(run.id);
    expect(truth?.partials).toHaveLength(received.length);
  });

  it('runSync returns the completed job', async () => {
    const endpoint = endpointOf(emulator);
    const result: any = await endpoint.runSync({ input: { prompt: 'hi', sampling_params: { max_tokens: 5 } } });
    expect(result).toMatchObject({ status: 'COMPLETED', started: true, completed: true, succeeded: true });
    expect(result.id).toMatch(/^sync-/);
    expect(result.output[0].usage.output).toBe(5);
  });

  it('reports health with the job and worker counters', async () => {
    const health: any = await endpointOf(emulator).health();
    expect(Object.keys(health.jobs).sort()).toEqual(['completed', 'failed', 'inProgress', 'inQueue', 'retried']);
    expect(Object.keys(health.workers).sort()).toEqual([
      'idle',
      'initializing',
      'ready',
      'running',
      'throttled',
      'unhealthy',
    ]);
    expect(health.jobs.completed).toBeGreaterThanOrEqual(3);
  });
});

describe('runpod-sdk against a cold endpoint', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());

  it('runSync goes on with status-sync when the runsync wait expires', async () => {
    // With a timeout of 3000 the SDK sends ?wait=3000: 150 ms at timeScale 20, against a
    // 500 ms cold start; it then loops on /status-sync for up to 3000 ms of real time.
    emulator = await startEmulator({ timeScale: 20, workers: { coldStart: '10s' } }, { apiKey: KEY });
    const endpoint = endpointOf(emulator);
    const result: any = await endpoint.runSync({ input: { prompt: 'hi', sampling_params: { max_tokens: 3 } } }, 3000);
    expect(result).toMatchObject({ status: 'COMPLETED', completed: true, succeeded: true });
    expect(result.output[0].usage.output).toBe(3);
    // The job ended after /runsync's wait ran out (the emulator's timeline keeps that order),
    // so /runsync answered IN_QUEUE and the result came from /status-sync.
    const truth = await emulator.jobTruth(result.id);
    expect(truth?.coldStart).toBe(true);
    expect((truth?.completedAt as number) - (truth?.submittedAt as number)).toBeGreaterThan(3000 / 20);
  });

  it('cancels a queued job and purges the queue', async () => {
    emulator = await startEmulator({ timeScale: 1, workers: { coldStart: '60s' } }, { apiKey: KEY });
    const endpoint = endpointOf(emulator);
    const first = await endpoint.run({ input: { prompt: 'a' } });
    const cancelled: any = await endpoint.cancel(first.id);
    expect(cancelled).toEqual({ id: first.id, status: 'CANCELLED' });
    expect(((await endpoint.status(first.id)) as any).status).toBe('CANCELLED');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await endpoint.run({ input: { prompt: String(i) } })).id);
    expect(await endpoint.purgeQueue()).toEqual({ removed: 3, status: 'completed' });
    for (const id of ids) expect(((await endpoint.status(id)) as any).status).toBe('CANCELLED');
    const health: any = await endpoint.health();
    expect(health.jobs.inQueue).toBe(0);
    expect(health.workers.initializing).toBe(1);
  });
});
