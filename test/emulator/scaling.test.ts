// Workers and scaling: scale from zero, REQUEST_COUNT and QUEUE_DELAY, idle scale-down,
// active (min) workers, FlashBoot revivals, lowPriority jobs. Assertions are about states,
// counts and orders, plus lower bounds on durations (a timer never fires early).
import { afterEach, describe, expect, it } from 'vitest';
import { startClient, until, type Client } from './helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const SLOW_JOB = { prompt: 'x', sampling_params: { max_tokens: 1000, ignore_eos: true } };

describe('scaling', () => {
  it('REQUEST_COUNT boots ceil((inQueue + inProgress) / value) workers, clamped to max', async () => {
    c = await startClient({
      timeScale: 1,
      network: { roundTrip: 0 },
      workers: { max: 5, scaler: { type: 'REQUEST_COUNT', value: 2 }, coldStart: '60s' },
      rateLimits: { enabled: false },
    });
    for (let i = 0; i < 5; i++) await c.run(SLOW_JOB);
    expect((await c.get('/health')).json).toMatchObject({
      jobs: { inQueue: 5, inProgress: 0 },
      workers: { initializing: 3, idle: 2 },
    });
    for (let i = 0; i < 20; i++) await c.run(SLOW_JOB);
    expect((await c.get('/health')).json.workers).toMatchObject({ initializing: 5, idle: 0 });
  });

  it('QUEUE_DELAY starts one worker at once, and another only after a job has waited the delay', async () => {
    // Cold start 10 s, delay 2 s, at timeScale 10: 1 s and 200 ms. (At timeScale 100 the 20 ms
    // delay passed before a busy machine answered the first /health, and a second worker was
    // already booting.)
    c = await startClient({
      timeScale: 10,
      network: { roundTrip: 0 },
      workers: { max: 2, scaler: { type: 'QUEUE_DELAY', value: 2 }, coldStart: '10s', idleTimeout: '10m' },
      rateLimits: { enabled: false },
    });
    const submitted = performance.now();
    await c.run({ prompt: 'x', sampling_params: { max_tokens: 5 } });
    // No live worker: the first queued job starts one at once (while /run is handled).
    expect((await c.get('/health')).json.workers).toMatchObject({ initializing: 1, idle: 1 });
    await c.run({ prompt: 'y', sampling_params: { max_tokens: 5 } });
    await until(async () => {
      const w = (await c!.get('/health')).json.workers;
      return w.idle === 0 ? w : undefined;
    }, 'a second worker');
    // Never before the oldest job has waited the delay (timers do not fire early).
    expect(performance.now() - submitted).toBeGreaterThanOrEqual(199);
    // It was added before the first worker was warm, so both end up warm.
    await until(async () => {
      const w = (await c!.get('/health')).json.workers;
      return w.ready + w.running === 2 ? w : undefined;
    }, 'two warm workers');
  });

  it('QUEUE_DELAY adds no second worker while jobs wait less than the delay', async () => {
    c = await startClient({
      timeScale: 100,
      network: { roundTrip: 0 },
      workers: { max: 3, scaler: { type: 'QUEUE_DELAY', value: 1000 }, coldStart: '5s', idleTimeout: '10m' },
      rateLimits: { enabled: false },
    });
    const ids = [
      await c.run({ prompt: 'x', sampling_params: { max_tokens: 5 } }),
      await c.run({ prompt: 'y', sampling_params: { max_tokens: 5 } }),
    ];
    for (const id of ids) expect((await c.settle(id)).status).toBe('COMPLETED');
    expect((await c.get('/health')).json.workers).toMatchObject({ ready: 1, idle: 2, initializing: 0 });
  });

  it('counts the cold start in delayTime and marks the jobs that waited for it', async () => {
    c = await startClient({
      timeScale: 100,
      network: { roundTrip: 0 },
      workers: { max: 1, coldStart: '10s' },
      rateLimits: { enabled: false },
    });
    const cold = await c.settle(await c.run({ prompt: 'x', sampling_params: { max_tokens: 3 } }));
    expect(cold.delayTime).toBeGreaterThanOrEqual(99); // 10 s / 100, minus rounding
    expect((await c.emulator.jobTruth(cold.id))?.coldStart).toBe(true);
    const warm = await c.settle(await c.run({ prompt: 'x', sampling_params: { max_tokens: 3 } }));
    expect((await c.emulator.jobTruth(warm.id))?.coldStart).toBe(false);
    expect(warm.workerId).toBe(cold.workerId);
  });

  it('scales idle workers down after the idle timeout, but never the active (min) ones', async () => {
    // Each job holds its worker for 1000 steps (>= 220 ms); a cold start takes 10 ms.
    c = await startClient({
      timeScale: 100,
      network: { roundTrip: 0 },
      workers: {
        min: 1,
        max: 3,
        concurrency: 1,
        scaler: { type: 'REQUEST_COUNT', value: 1 },
        coldStart: '1s',
        idleTimeout: '5s',
      },
      rateLimits: { enabled: false },
    });
    expect((await c.get('/health')).json.workers).toMatchObject({ ready: 1, idle: 2 });
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(await c.run({ prompt: 'x', sampling_params: { max_tokens: 1000, ignore_eos: true } }));
    for (const id of ids) await c.settle(id);
    const workers = await until(async () => {
      const w = (await c!.get('/health')).json.workers;
      return w.idle === 2 ? w : undefined;
    }, 'the flex workers to scale down');
    expect(workers).toMatchObject({ ready: 1, running: 0, initializing: 0 });
    const usedWorkers = new Set(
      (await Promise.all(ids.map((id) => c!.get(`/status/${id}`)))).map((r) => r.json.workerId),
    );
    expect(usedWorkers.size).toBe(3);
  });

  it('revives a scaled-down worker with FlashBoot (fast) when enabled', async () => {
    // A cold start is 2 s of real time, a FlashBoot revival 1 ms.
    c = await startClient({
      timeScale: 100,
      network: { roundTrip: 0 },
      workers: {
        max: 1,
        coldStart: '200s',
        idleTimeout: '1s',
        flashboot: { enabled: true, probability: 1, start: '100ms' },
      },
      rateLimits: { enabled: false },
    });
    const first = await c.settle(await c.run({ prompt: 'x', sampling_params: { max_tokens: 2 } }));
    expect(first.delayTime).toBeGreaterThanOrEqual(1999);
    await until(async () => ((await c!.get('/health')).json.workers.idle === 1 ? true : undefined), 'scale-down');
    const revived = await c.settle(await c.run({ prompt: 'x', sampling_params: { max_tokens: 2 } }));
    expect(revived.delayTime).toBeLessThan(1999);
    expect((await c.emulator.jobTruth(revived.id))?.coldStart).toBe(true);
  });

  it('does not scale for lowPriority jobs', async () => {
    c = await startClient({
      timeScale: 100,
      network: { roundTrip: 0 },
      workers: { max: 2, coldStart: '1s' },
      rateLimits: { enabled: false },
    });
    await c.run({ prompt: 'x' }, { policy: { lowPriority: true } });
    expect((await c.get('/health')).json).toMatchObject({
      jobs: { inQueue: 1 },
      workers: { idle: 2, initializing: 0 },
    });
  });

  it('runs the jobs of a worker as one continuous batch: 40 sequences make every step longer', async () => {
    // All 40 jobs queue during a 1 s cold start, then join the same first step. Alone, 50
    // steps take 50 x 22 ms; with 40 sequences each step is 22 + 0.5 x 39 = 41.5 ms.
    c = await startClient({
      timeScale: 100,
      network: { roundTrip: 0 },
      workers: { max: 1, concurrency: 100, coldStart: '100s' },
      generation: { eosProbability: 0, jitter: 0 },
      rateLimits: { enabled: false },
    });
    const many = [];
    for (let i = 0; i < 40; i++) many.push(await c.run({ prompt: 'x', sampling_params: { max_tokens: 50 } }));
    const settled = await Promise.all(many.map((id) => c!.settle(id)));
    for (const job of settled) expect(job.executionTime).toBeGreaterThanOrEqual(Math.floor((50 * 41.5) / 100));
    const truth = await c.emulator.jobTruth(many[0] as string);
    expect(truth?.outputTokens).toBe(50);
    expect(truth?.coldStart).toBe(true);
  });
});
