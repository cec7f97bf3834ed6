// A scripted Runpod endpoint on 127.0.0.1, for tests that must choose each answer and its
// timing (retries, Retry-After, held answers) where the emulator would decide for itself.
// Every call is kept with the time its request had fully arrived, taken before the answer
// is sent: so a client that waits for an answer before its next call cannot make two
// arrivals look closer together than its own wait, however busy the machine is.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  method: string;
  /** The path after the endpoint's base, with its query: "/runsync", "/stream/job-0?wait=1000". */
  route: string;
  body: string;
  /** performance.now() of this process when the request had fully arrived. */
  atMs: number;
}

export interface Reply {
  status: number;
  json?: unknown;
  /** A raw body instead of json. */
  text?: string;
  headers?: Record<string, string>;
  /** Hold the answer this long after the request arrived. */
  afterMs?: number;
}

/** The answer to one call (every earlier call is in `calls`); undefined: /health answers 200, anything else 404. */
export type Script = (call: Arrival, calls: readonly Arrival[]) => Reply | undefined;

export interface FakeEndpoint {
  /** http://127.0.0.1:<port>/v2/fake */
  endpointUrl: string;
  calls: Arrival[];
  /** The calls to one route (its path without the query). */
  callsTo(path: string): Arrival[];
  close(): Promise<void>;
}

const BASE = '/v2/fake';
const HEALTHY = {
  jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
  workers: { idle: 1, initializing: 0, ready: 1, running: 0, throttled: 0, unhealthy: 0 },
};

function answer(res: ServerResponse, reply: Reply): void {
  const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...reply.headers,
  });
  res.end(body);
}

export async function startFakeEndpoint(script: Script): Promise<FakeEndpoint> {
  const calls: Arrival[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const atMs = performance.now();
      const url = req.url ?? '';
      const call: Arrival = {
        method: req.method ?? '',
        route: url.startsWith(BASE) ? url.slice(BASE.length) : url,
        body,
        atMs,
      };
      const earlier = [...calls];
      calls.push(call);
      const reply =
        script(call, earlier) ??
        (call.route === '/health' ? { status: 200, json: HEALTHY } : { status: 404, json: { error: 'not scripted' } });
      // Timers may fire a little early against performance.now(): check, and wait again if so.
      const dueMs = atMs + (reply.afterMs ?? 0);
      const release = (): void => {
        const left = dueMs - performance.now();
        if (left <= 0) return answer(res, reply);
        const timer = setTimeout(() => {
          timers.delete(timer);
          release();
        }, Math.ceil(left));
        timers.add(timer);
      };
      release();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpointUrl: `http://127.0.0.1:${port}${BASE}`,
    calls,
    callsTo: (path) => calls.filter((c) => c.route.split('?')[0] === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
