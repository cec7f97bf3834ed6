// The emulator keeps the limits vLLM and Runpod have: n and best_of (vLLM's max_num_seqs),
// max_tokens against the context window, the payload size. Past them it answers as they do
// (a 400, a FAILED job, a 413) at once and without allocating the work; uploads that trickle
// and connections that send nothing are closed within the configured bounds.
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startClient, type Client } from '../emulator/helpers.js';
import { SLACK_MS } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

let c: Client | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const MB = 1024 * 1024;

describe('vLLM and Runpod limits', () => {
  it('n or best_of of a million: a 400 on the OpenAI route, a FAILED job on the queue, no memory spent', async () => {
    c = await startClient({ timeScale: 100, workers: { min: 1, max: 1 }, rateLimits: { enabled: false } });
    const before = process.memoryUsage().rss;
    const chat = await c.post('/openai/v1/chat/completions', {
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 16,
      n: 1_000_000,
    });
    expect(chat.status).toBe(400);
    expect(chat.text).toMatch(/n and best_of must be at most 256 \(max_num_seqs\), got n=1000000/);
    const id = await c.run({ prompt: 'hi', sampling_params: { max_tokens: 16, best_of: 1_000_000 } });
    const job = await c.settle(id);
    expect(job.status).toBe('FAILED');
    expect(String(job.error)).toMatch(/at most 256/);
    // Nothing the size of a million sequences was built (it took about 1 GB before).
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MB);
  });

  it('max_tokens past the context window is a 400; a body past 10 MB a 413', async () => {
    c = await startClient({ timeScale: 100, workers: { min: 1, max: 1 }, rateLimits: { enabled: false } });
    const long = await c.post('/openai/v1/completions', {
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      prompt: 'hi',
      max_tokens: 1_000_000_000,
    });
    expect(long.status).toBe(400);
    expect(long.text).toMatch(/maximum context length is 8192 tokens/);
    const big = await c.post('/run', { input: { prompt: 'x'.repeat(11 * MB) } });
    expect(big.status).toBe(413);
  });
});

describe('slow uploads and idle connections', () => {
  const boundMs = 500;

  async function raw(port: number, send: (socket: import('node:net').Socket) => void) {
    const startMs = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('connect', () => send(socket));
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    return { text, closedAfterMs: performance.now() - startMs };
  }

  it('a body trickled a byte at a time gets a 408 and its socket closed within requestTimeout', async () => {
    c = await startClient({
      http: { requestTimeoutMs: boundMs, idleTimeoutMs: 60_000 },
      rateLimits: { enabled: false },
    });
    const port = Number(new URL(c.emulator.endpointUrl).port);
    let timer: NodeJS.Timeout | undefined;
    const { text, closedAfterMs } = await raw(port, (socket) => {
      socket.write(
        'POST /v2/e/run HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{',
      );
      timer = setInterval(() => socket.write(' '), 50);
    });
    clearInterval(timer);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(boundMs + SLACK_MS);
  });

  it('a connection that never sends a byte is closed within idleTimeout', async () => {
    c = await startClient({
      http: { requestTimeoutMs: 60_000, idleTimeoutMs: boundMs },
      rateLimits: { enabled: false },
    });
    const port = Number(new URL(c.emulator.endpointUrl).port);
    const { text, closedAfterMs } = await raw(port, () => undefined);
    expect(text).toBe('');
    expect(closedAfterMs).toBeLessThan(boundMs + SLACK_MS);
  });
});
