// A job's life beyond generation: retention, TTL, execution timeout, cancel, retry,
// /status echoing input, /status-sync and /stream long-polls.
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, startClient, until, type Client } from './helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('job lifecycle', () => {
  it('keeps /run results for retention.run and /runsync results for retention.runsync, then 404', async () => {
    // /run results live 2 s of real time: long enough to be seen, short enough to wait out.
    c = await startClient({ ...FAST, retention: { run: '2000s', runsync: '1s' } });
    const id = await c.run({ prompt: 'x', sampling_params: { max_tokens: 2 } });
    expect((await c.settle(id)).status).toBe('COMPLETED');
    const gone = await until(async () => {
      const r = await c!.get(`/status/${id}`);
      return r.status === 404 ? r : undefined;
    }, 'the /run result to expire');
    expect(gone.json).toEqual({ error: 'request does not exist' });
    const sync = await c.post('/runsync', { input: { prompt: 'x', sampling_params: { max_tokens: 2 } } });
    expect(sync.json.status).toBe('COMPLETED');
    await until(
      async () => ((await c!.get(`/status/${sync.json.id}`)).status === 404 ? true : undefined),
      'the /runsync result to expire',
    );
    // The emulator still knows what happened.
    expect((await c.emulator.jobTruth(sync.json.id))?.status).toBe('COMPLETED');
    const debug = await fetch(`http://127.0.0.1:${c.emulator.port}/_emulator/jobs/${sync.json.id}`);
    expect(((await debug.json()) as { status: string }).status).toBe('COMPLETED');
  });

  it('deletes a job when its ttl runs out, even mid-run (policy.ttl or ?ttl)', async () => {
    c = await startClient({ ...FAST, timeScale: 100 });
    const slow = { prompt: 'x', sampling_params: { max_tokens: 8000, ignore_eos: true } };
    const viaPolicy = await c.run(slow, { policy: { ttl: 10_000 } });
    const viaQuery = (await c.post('/run?ttl=10000', { input: slow })).json.id as string;
    for (const id of [viaPolicy, viaQuery]) {
      await until(
        async () => ((await c!.get(`/status/${id}`)).status === 404 ? true : undefined),
        `job ${id} to expire`,
      );
      expect((await c.emulator.jobTruth(id))?.status).toBe('TTL_EXPIRED');
    }
    expect((await c.get('/health')).json.jobs).toMatchObject({ inProgress: 0, inQueue: 0 });
  });

  it('times a job out after policy.executionTimeout', async () => {
    c = await startClient({ ...FAST, timeScale: 100 });
    const id = await c.run(
      { prompt: 'x', sampling_params: { max_tokens: 8000, ignore_eos: true } },
      { policy: { executionTimeout: 5000 } },
    );
    const final = await c.settle(id);
    expect(final.status).toBe('TIMED_OUT');
    expect(final.executionTime).toBeGreaterThanOrEqual(49);
    expect((await c.get('/health')).json.jobs.failed).toBe(1);
  });

  it('echoes the input while running, cancels a running job, retries only FAILED or TIMED_OUT jobs', async () => {
    c = await startClient({ ...FAST, timeScale: 1 });
    const input = { prompt: 'echo me', sampling_params: { max_tokens: 8000, ignore_eos: true } };
    const id = await c.run(input);
    const running = await until(async () => {
      const r = await c!.get(`/status/${id}`);
      return r.json.status === 'IN_PROGRESS' ? r.json : undefined;
    }, 'IN_PROGRESS');
    expect(running).toMatchObject({
      id,
      status: 'IN_PROGRESS',
      input,
      workerId: expect.any(String),
      delayTime: expect.any(Number),
    });
    expect((await c.post(`/retry/${id}`)).status).toBe(400);
    expect((await c.post(`/cancel/${id}`)).json).toEqual({ id, status: 'CANCELLED' });
    expect((await c.get(`/status/${id}`)).json.status).toBe('CANCELLED');

    const failed = await c.post('/runsync', { input: { prompt: 'x', sampling_params: { top_p: 0 } } });
    expect(failed.json.status).toBe('FAILED');
    const retried = await c.post(`/retry/${failed.json.id}`);
    expect(retried.json).toEqual({ id: failed.json.id, status: 'IN_QUEUE' });
    expect((await c.settle(failed.json.id)).status).toBe('FAILED');
    expect((await c.get('/health')).json.jobs.retried).toBe(1);
  });

  it('holds /status-sync until the job ends and /stream?wait until data arrives', async () => {
    c = await startClient({ ...FAST, timeScale: 100 });
    const id = await c.run({ prompt: 'x', stream: true, sampling_params: { max_tokens: 20 } });
    const sync = await c.get(`/status-sync/${id}?wait=60000`);
    expect(sync.json.status).toBe('COMPLETED');
    const id2 = await c.run({ prompt: 'x', stream: true, sampling_params: { max_tokens: 20 } });
    const first = await c.get(`/stream/${id2}?wait=60000`);
    expect(first.json.stream.length).toBeGreaterThan(0);
    // Without ?wait the answer is immediate and always carries `stream`.
    const queued = await c.run({ prompt: 'x' }, { policy: { lowPriority: true } });
    const idle = await startClient({ ...FAST, workers: { min: 0, max: 1 } });
    try {
      const waiting = await idle.run({ prompt: 'x' }, { policy: { lowPriority: true } });
      expect((await idle.get(`/stream/${waiting}`)).json).toEqual({ status: 'IN_QUEUE', stream: [] });
      expect((await idle.post(`/stream/${waiting}?wait=1000`)).json).toEqual({ status: 'IN_QUEUE', stream: [] });
      expect((await idle.get(`/status-sync/${waiting}?wait=1000`)).json).toEqual({ id: waiting, status: 'IN_QUEUE' });
      const runsync = await idle.post('/runsync?wait=1000', { input: { prompt: 'x' }, policy: { lowPriority: true } });
      expect(runsync.json).toEqual({ id: expect.stringMatching(/^sync-/), status: 'IN_QUEUE' });
    } finally {
      await idle.close();
    }
    expect(typeof queued).toBe('string');
  });
});
