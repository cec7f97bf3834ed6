// Webhooks: the final status JSON is POSTed to the job's webhook; a non-200 answer is
// retried twice, retryInterval apart (to a local 127.0.0.1 server only).
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, startClient, until, type Client } from './helpers.js';

let c: Client | undefined;
let hook: Server | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
  await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
  hook = undefined;
});

/** A webhook receiver answering the given statuses in turn (then 200). */
async function receiver(statuses: number[]): Promise<{ url: string; calls: Array<{ body: any; at: number }> }> {
  const calls: Array<{ body: any; at: number }> = [];
  hook = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      calls.push({ body: JSON.parse(text), at: performance.now() });
      res.writeHead(statuses[calls.length - 1] ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => hook!.listen(0, '127.0.0.1', resolve));
  const address = hook.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`, calls };
}

describe('webhooks', () => {
  it('POST the final status JSON once when answered 200', async () => {
    const target = await receiver([200]);
    c = await startClient(FAST);
    const id = await c.run({ prompt: 'x', sampling_params: { max_tokens: 3 } }, { webhook: target.url });
    await until(async () => target.calls.length === 1 || undefined, 'the webhook');
    const status = (await c.get(`/status/${id}`)).json;
    expect(target.calls[0]?.body).toEqual(status);
    expect(status.status).toBe('COMPLETED');
  });

  it('retry a failing webhook twice, retryInterval apart, then give up', async () => {
    const target = await receiver([500, 503, 500, 500]);
    const lines: string[] = [];
    c = await startClient({ ...FAST, webhook: { retryInterval: '50s' } }, { log: (line) => lines.push(line) }); // 50 ms apart
    await c.run({ prompt: 'x', sampling_params: { max_tokens: 3 } }, { webhook: target.url });
    await until(async () => target.calls.length === 3 || undefined, 'three attempts');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.calls).toHaveLength(3);
    const [a, b, d] = target.calls.map((call) => call.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(49);
    expect(d - b).toBeGreaterThanOrEqual(49);
    expect(lines.some((line) => line.includes('giving up'))).toBe(true);
  });

  it('stop retrying once answered 200', async () => {
    const target = await receiver([502]);
    c = await startClient({ ...FAST, webhook: { retryInterval: '10s' } });
    const failed = await c.post('/run', { input: { prompt: 'x', sampling_params: { top_k: 0 } }, webhook: target.url });
    await until(async () => target.calls.length === 2 || undefined, 'the retry');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(target.calls).toHaveLength(2);
    expect(target.calls[1]?.body).toMatchObject({ id: failed.json.id, status: 'FAILED' });
  });
});
