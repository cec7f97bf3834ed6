// The emulated network (settings.network), the queue's pickup delay (settings.queue) and
// the model server at /v1: what each adds, seen from a client on loopback. Only lower bounds
// on time: a busy machine makes things later, never earlier.
import { afterEach, describe, expect, it } from 'vitest';
import { startClient, type Client } from './helpers.js';

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const ORIGIN = (c: Client) => new URL(c.emulator.modelServerUrl).origin;

describe('the network round trip', () => {
  it('every answer takes at least the configured round trip, error answers too', async () => {
    client = await startClient({ workers: { min: 1, max: 1 }, network: { roundTrip: 80 } });
    for (const path of ['/health', '/status/nope']) {
      const t0 = performance.now();
      const r = await client.get(path);
      expect(r.status).toBe(path === '/health' ? 200 : 404);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(79);
    }
  });

  it('keeps the pieces of a streamed answer in order', async () => {
    client = await startClient({
      timeScale: 10,
      workers: { min: 1, max: 1 },
      generation: { eosProbability: 0 },
      network: { roundTrip: { min: 5, max: 60 } },
    });
    const res = await fetch(`${client.emulator.modelServerUrl}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: client.emulator.settings.model,
        prompt: 'Once upon a time',
        max_tokens: 30,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    const text = await res.text();
    const events = text.split('\n\n').filter((e) => e !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(chunks.at(-1).usage.completion_tokens).toBe(30);
    // vLLM's order: content chunks, the one with finish_reason, then usage alone.
    const finish = chunks.findIndex((c) => c.choices[0]?.finish_reason);
    expect(finish).toBe(chunks.length - 2);
  });
});

describe("the queue's pickup delay", () => {
  it('lands in delayTime, first in, first out', async () => {
    client = await startClient({
      workers: { min: 1, max: 1 },
      network: { roundTrip: 0 },
      queue: { pickupDelay: { min: 20, max: 200 } },
      generation: { eosProbability: 0 },
    });
    const c = client;
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await c.run({ prompt: 'hi', sampling_params: { max_tokens: 2 } }));
    const truths = [];
    for (const id of ids) {
      const status = await c.settle(id);
      expect(status.status).toBe('COMPLETED');
      expect(status.delayTime).toBeGreaterThanOrEqual(19);
      truths.push(await c.emulator.jobTruth(id));
    }
    const started = truths.map((t) => t!.startedAt as number);
    expect([...started].sort((a, b) => a - b)).toEqual(started);
    for (const t of truths) expect(t!.startedAt! - t!.submittedAt).toBeGreaterThanOrEqual(20);
  });
});

describe('the model server at /v1', () => {
  it('serves the model without the queue: no pickup delay, no cold start, no job on /v2', async () => {
    client = await startClient(
      {
        workers: { min: 0, max: 1, coldStart: 60_000 },
        network: { roundTrip: 0 },
        queue: { pickupDelay: 500 },
        generation: { eosProbability: 0 },
        timeScale: 20,
      },
      { apiKey: 'k' },
    );
    const auth = { authorization: 'Bearer k', 'content-type': 'application/json' };
    const models: any = await (await fetch(`${client.emulator.modelServerUrl}/models`, { headers: auth })).json();
    expect(models.data[0].id).toBe(client.emulator.settings.model);
    const res = await fetch(`${client.emulator.modelServerUrl}/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: models.data[0].id, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }),
    });
    expect(res.status).toBe(200);
    const answer: any = await res.json();
    expect(answer.object).toBe('chat.completion');
    expect(answer.usage.completion_tokens).toBe(4);
    const truth = await client.emulator.jobTruth(answer.id);
    expect(truth?.coldStart).toBe(false);
    expect(truth?.startedAt).toBe(truth?.submittedAt);
    // Not a job of the endpoint: /v2 neither shows nor counts it, and no worker booted for it.
    const jobId = truth!.id;
    expect((await client.get(`/status/${jobId}`, { authorization: 'Bearer k' })).status).toBe(404);
    const health = (await client.get('/health', { authorization: 'Bearer k' })).json;
    expect(health.jobs.completed).toBe(0);
    expect(health.workers.initializing + health.workers.ready + health.workers.running).toBe(0);
  });

  it('answers like vLLM: one method per route, the key asked for', async () => {
    client = await startClient({ network: { roundTrip: 0 } }, { apiKey: 'k' });
    const origin = ORIGIN(client);
    expect((await fetch(`${origin}/v1/models`)).status).toBe(401);
    const wrong = await fetch(`${origin}/v1/chat/completions`, { headers: { authorization: 'Bearer k' } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await fetch(`${origin}/v1/embeddings`, { headers: { authorization: 'Bearer k' } })).status).toBe(404);
  });
});
