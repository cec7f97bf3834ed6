// The emulator under random and malformed requests: it never crashes, never answers 5xx
// on its own (fault injection is off), and answers malformed input with a 4xx.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createRng, type Rng } from '../../src/util/rng.js';

let emulator: RunningEmulator;
let origin: string;
let base: string;

beforeAll(async () => {
  emulator = await startEmulator({
    timeScale: 1000,
    network: { roundTrip: 0 },
    workers: { min: 1, max: 2 },
    rateLimits: { enabled: false },
  });
  base = new URL(emulator.endpointUrl).pathname; // /v2/local
  origin = new URL(emulator.endpointUrl).origin;
});
afterAll(() => emulator.close());

const ROUTES = [
  '/run',
  '/runsync',
  '/status/x',
  '/status-sync/x',
  '/stream/x',
  '/cancel/x',
  '/retry/x',
  '/purge-queue',
  '/health',
  '/openai/v1/chat/completions',
  '/openai/v1/completions',
  '/openai/v1/models',
  '/nope',
  '',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

function randomJson(rng: Rng, depth = 0): unknown {
  const kind = rng.int(0, depth > 3 ? 4 : 7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.int(-1e9, 1e9) / rng.int(1, 1000);
    case 3:
      return 'x'.repeat(rng.int(0, 40)) + String.fromCharCode(rng.int(0, 0xffff));
    case 4:
      return rng.int(0, 3) === 0 ? Number.MAX_SAFE_INTEGER : -0;
    case 5:
      return Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth + 1));
    default: {
      const keys = [
        'input',
        'prompt',
        'messages',
        'sampling_params',
        'stream',
        'max_tokens',
        'n',
        'policy',
        'webhook',
        'openai_route',
        'openai_input',
        'model',
        'max_batch_size',
        'ttl',
        'executionTimeout',
        'role',
        'content',
      ];
      return Object.fromEntries(
        Array.from({ length: rng.int(0, 5) }, () => [
          keys[rng.int(0, keys.length - 1)] as string,
          randomJson(rng, depth + 1),
        ]),
      );
    }
  }
}

function randomBody(rng: Rng): string | undefined {
  switch (rng.int(0, 5)) {
    case 0:
      return undefined;
    case 1: {
      const text = JSON.stringify(randomJson(rng));
      return text.slice(0, rng.int(0, text.length)); // truncated
    }
    case 2:
      return Buffer.from(Array.from({ length: rng.int(1, 200) }, () => rng.int(0, 255))).toString('latin1');
    case 3:
      return JSON.stringify({ input: randomJson(rng) });
    default:
      return JSON.stringify(randomJson(rng));
  }
}

describe('emulator fuzzing', () => {
  it('answers 2,000 random requests with 200 or 4xx and keeps serving', async () => {
    const rng = createRng(20261126);
    const statuses = new Map<number, number>();
    const requests = Array.from({ length: 2000 }, () => {
      const method = METHODS[rng.int(0, METHODS.length - 1)] as string;
      const route = ROUTES[rng.int(0, ROUTES.length - 1)] as string;
      const query = rng.chance(0.3) ? `?wait=${rng.int(-5, 400000)}&ttl=${rng.int(-1, 10)}` : '';
      const body = method === 'GET' || method === 'HEAD' ? undefined : randomBody(rng);
      return { method, path: `${base}${route}${query}`, body };
    });
    for (let i = 0; i < requests.length; i += 50) {
      await Promise.all(
        requests.slice(i, i + 50).map(async ({ method, path, body }) => {
          const response = await fetch(origin + path, {
            method,
            body,
            headers: { 'content-type': 'application/json' },
            signal: AbortSignal.timeout(5000),
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(
            response.status === 200 || (response.status >= 400 && response.status < 500),
            `${method} ${path} → ${response.status}`,
          ).toBe(true);
        }),
      );
    }
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    const health = await fetch(`${emulator.endpointUrl}/health`);
    expect(health.status).toBe(200);
  });

  it('answers garbage that is not HTTP with 400 and stays up', async () => {
    const { port } = new URL(emulator.endpointUrl);
    const garbage = [
      '\x00\x01\x02\x03',
      'GET / HTTP/9.9\r\n\r\n',
      'POST /v2/local/run HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
      'NOTAMETHOD /x HTTP/1.1\r\nHost: a\r\n\r\n',
    ];
    for (const text of garbage) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
        socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
      });
      expect(answer === '' || /^HTTP\/1\.1 4\d\d/.test(answer), JSON.stringify(answer.slice(0, 80))).toBe(true);
    }
    expect((await fetch(`${emulator.endpointUrl}/health`)).status).toBe(200);
  });
});
