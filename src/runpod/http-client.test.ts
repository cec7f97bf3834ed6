// When a request is sent: the client says when it starts going onto its socket, which is
// later than the call when the request waits for a socket. The record's sentMs is that time,
// so a request podbench held back shows as send lag, not as a slow answer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client.js';

let server: Server;
let origin: string;

beforeAll(async () => {
  // Each answer waits 30 ms: a second request on the same (only) socket must wait for it.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => res.end('{"ok":true}'), 30));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createHttpClient onWrite', () => {
  it('reports a request queued behind another on the only socket as written after that one was answered', async () => {
    const http = createHttpClient(undefined, { maxConnections: 1 });
    const written: number[] = [];
    const options = (i: number) => ({ timeoutMs: 5000, onWrite: (atMs: number) => (written[i] = atMs) });
    const calledMs = performance.now();
    const [first, second] = await Promise.all([
      http.call('GET', `${origin}/a`, undefined, options(0)),
      http.call('GET', `${origin}/b`, undefined, options(1)),
    ]);
    await http.close();
    expect(first?.kind).toBe('response');
    expect(second?.kind).toBe('response');
    const firstAnsweredMs = (first as { receivedMs: number }).receivedMs;
    // Both calls were made at once; the second went onto the socket only once the first was answered.
    expect(written[0]).toBeGreaterThanOrEqual(calledMs);
    expect(written[0]).toBeLessThan(firstAnsweredMs);
    expect(written[1]).toBeGreaterThanOrEqual(firstAnsweredMs);
  });

  it('is not called for a request that never reached a socket', async () => {
    const http = createHttpClient(undefined);
    let written = false;
    // Nothing listens on port 9 of 127.0.0.1 (discard): the connection is refused.
    const result = await http.call('GET', 'http://127.0.0.1:9/x', undefined, {
      timeoutMs: 5000,
      onWrite: () => (written = true),
    });
    await http.close();
    expect(result.kind).toBe('network_error');
    expect(written).toBe(false);
  });
});
