// Auth, malformed and oversized requests, unknown routes and jobs, rate limits: every one
// is a 4xx with a JSON body, and the emulator keeps serving afterwards.
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAST, startClient, type Client } from './helpers.js';

describe('auth', () => {
  let c: Client;
  beforeAll(async () => {
    c = await startClient(FAST, { apiKey: 'sekret' });
  });
  afterAll(() => c.close());

  it('accepts "Bearer <key>" and the raw key, and answers 401 JSON otherwise', async () => {
    const health = (authorization?: string) =>
      fetch(`${c.url}/health`, { headers: authorization === undefined ? {} : { authorization } }).then(async (r) => ({
        status: r.status,
        body: await r.text(),
      }));
    expect((await health('Bearer sekret')).status).toBe(200);
    expect((await health('sekret')).status).toBe(200);
    expect(await health()).toEqual({ status: 401, body: '{"error":"Unauthorized"}' });
    expect((await health('Bearer wrong')).status).toBe(401);
    const debug = await fetch(`http://127.0.0.1:${c.emulator.port}/_emulator/stats`);
    expect(debug.status).toBe(401);
  });
});

describe('bad input', () => {
  let c: Client;
  beforeAll(async () => {
    c = await startClient(FAST);
  });
  afterAll(() => c.close());

  it.each([
    ['malformed JSON', '{"input": {'],
    ['no body', ''],
    ['a JSON array', '[]'],
    ['null', 'null'],
    ['no input', '{"prompt":"hi"}'],
    ['input not an object', '{"input":"hi"}'],
    ['input an array', '{"input":[1]}'],
    ['a bad policy', '{"input":{},"policy":{"ttl":5}}'],
    ['a bad webhook', '{"input":{},"webhook":3}'],
  ])('answers /run with %s as 400 JSON', async (_what, body) => {
    const r = await c.post('/run', body);
    expect(r.status).toBe(400);
    expect(typeof r.json.error).toBe('string');
  });

  it('rejects a bad ?wait before reading the body', async () => {
    for (const wait of ['999', '300001', 'abc']) {
      const r = await c.post(`/runsync?wait=${wait}`, { input: { prompt: 'x' } });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/wait/);
    }
  });

  it('refuses bodies over 10 MB on /run (20 MB on /runsync) with 413 JSON', async () => {
    const big = JSON.stringify({ input: { prompt: 'x'.repeat(10 * 1024 * 1024) } });
    const r = await c.post('/run', big);
    expect(r.status).toBe(413);
    expect(r.json.error).toMatch(/10 MB/);
    // A body between the two limits is fine on /runsync.
    const ok = await c.post('/runsync', {
      input: { prompt: 'x'.repeat(10 * 1024 * 1024), sampling_params: { max_tokens: 1 } },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.status).toBe('FAILED'); // far beyond the context window
  });

  it('stops keeping a chunked body as soon as it crosses the limit, and the 413 reaches the client', async () => {
    // The 413 itself must arrive: a socket error before any answer fails the test.
    const answer = await new Promise<{ status: number; body: string; sentMb: number }>((resolve, reject) => {
      let sentMb = 0;
      let answered = false;
      const req = request(
        `${c.url}/run`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          answered = true;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body, sentMb });
            req.destroy();
          });
          res.on('error', (err) => reject(new Error(`the answer was cut short: ${err.message}`)));
        },
      );
      req.on('error', (err) => {
        if (!answered) reject(new Error(`no answer before the socket failed: ${err.message}`));
      });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      req.write('{"input":{"prompt":"');
      const pump = (): void => {
        while (sentMb < 40 && !answered) {
          sentMb++;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end('"}}');
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: 'Request body exceeds the 10 MB limit of /run' });
    // The answer came while the client was still sending: the server did not wait for the whole body.
    expect(answer.sentMb).toBeLessThan(40);
  });

  it('answers unknown routes, unknown jobs and wrong methods with JSON, and keeps serving', async () => {
    const unknownRoute = await c.get('/nope');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.json.error).toBeDefined();
    const outside = await fetch(`http://127.0.0.1:${c.emulator.port}/v1/whatever`);
    expect(outside.status).toBe(404);
    const unknownJob = await c.get('/status/does-not-exist-u1');
    expect(unknownJob).toMatchObject({ status: 404, json: { error: 'request does not exist' } });
    for (const path of ['/stream/x', '/status-sync/x', '/cancel/x', '/retry/x']) {
      const r = path.startsWith('/cancel') || path.startsWith('/retry') ? await c.post(path) : await c.get(path);
      expect(r.status).toBe(404);
    }
    const wrongMethod = await c.get('/run');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    const badEscape = await c.get('/status/%E0%A4%A');
    expect(badEscape.status).toBe(404);
    expect((await c.get('/health')).status).toBe(200);
  });

  it('accepts GET and POST on /status, /status-sync and /stream', async () => {
    const id = await c.run({ prompt: 'x', sampling_params: { max_tokens: 2 } });
    for (const route of ['status', 'status-sync', 'stream']) {
      expect((await c.get(`/${route}/${id}`)).status).toBe(200);
      expect((await c.post(`/${route}/${id}`)).status).toBe(200);
    }
  });
});

describe('rate limits', () => {
  let c: Client | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('answer 429 JSON past the per-10s limit of a route', async () => {
    c = await startClient({
      ...FAST,
      rateLimits: { enabled: true, routes: { run: { per10s: 3 }, health: { per10s: 2 } } },
    });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await c.post('/run', { input: { prompt: 'x', sampling_params: { max_tokens: 1 } } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await c.post('/run', { input: {} });
    expect(limited.json).toEqual({ error: 'Too many requests' });
    // Other routes have their own budgets.
    expect((await c.get('/health')).status).toBe(200);
  });

  it('count held long-polls against the concurrent limit', async () => {
    c = await startClient({
      ...FAST,
      timeScale: 1,
      workers: { min: 0, max: 1 },
      rateLimits: { enabled: true, routes: { status: { per10s: 100, concurrent: 1 } } },
    });
    const id = await c.run({ prompt: 'x' }, { policy: { lowPriority: true } }); // never picked up
    const controller = new AbortController();
    const held = fetch(`${c.url}/status-sync/${id}?wait=10000`, { signal: controller.signal }).catch(() => undefined);
    // The hold is registered once /status-sync has been routed; a plain /status then exceeds the limit.
    let status = 0;
    for (let i = 0; i < 200 && status !== 429; i++) {
      status = (await c.get(`/status/${id}`)).status;
      if (status !== 429) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(status).toBe(429);
    controller.abort();
    await held;
  });

  it('can be switched off', async () => {
    c = await startClient({ ...FAST, rateLimits: { enabled: false, routes: { health: { per10s: 1 } } } });
    for (let i = 0; i < 5; i++) expect((await c.get('/health')).status).toBe(200);
  });
});
