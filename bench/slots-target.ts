// An endpoint whose capacity is known exactly, for bench/capacity.ts: Runpod's queue API
// (/run, /stream with long-polls, /status, /cancel, /health) in front of `slots` job slots
// that each hold a job for exactly `holdMs`, first come first served. A job takes a free
// slot the moment it is submitted or the moment one frees (no step boundary, no dispatch
// delay), so with a job always waiting the endpoint completes slots / holdMs jobs per ms.
// Each job streams one token when it starts and the rest when it ends; its executionTime
// is the hold it really got (timers run late on a busy machine), so the bench can also
// state the capacity as served. Own process: `node dist/bench/slots-target.js <slots>
// <holdMs>`, prints "listening <port>", serves until SIGTERM.
import { createServer, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

const slots = Number(process.argv[2] ?? 4);
const holdMs = Number(process.argv[3] ?? 200);
const TOKENS = 8;

interface Job {
  id: string;
  submittedMs: number;
  startedMs?: number;
  endedMs?: number;
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';
  /** Partials not yet read from /stream. */
  unread: unknown[];
  /** Long-polls waiting for news. */
  waiters: Array<() => void>;
}

const jobs = new Map<string, Job>();
const queue: Job[] = [];
let busy = 0;
let completed = 0;
let nextId = 1;

function partial(tokens: number, total: number) {
  return { output: { choices: [{ tokens: ['x'.repeat(tokens)] }], usage: { input: 4, output: total } } };
}

function notify(job: Job): void {
  const waiters = job.waiters;
  job.waiters = [];
  for (const wake of waiters) wake();
}

function start(job: Job): void {
  busy += 1;
  job.status = 'IN_PROGRESS';
  job.startedMs = performance.now();
  job.unread.push(partial(1, 1));
  notify(job);
  setTimeout(() => finish(job), holdMs);
}

function finish(job: Job): void {
  busy -= 1;
  if (job.status === 'IN_PROGRESS') {
    job.status = 'COMPLETED';
    job.endedMs = performance.now();
    job.unread.push(partial(TOKENS - 1, TOKENS));
    completed += 1;
    notify(job);
  }
  const next = queue.shift();
  if (next) start(next);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function statusBody(job: Job, withStream: boolean) {
  const base: Record<string, unknown> = { id: job.id, status: job.status };
  if (job.startedMs !== undefined) base.delayTime = Math.round(job.startedMs - job.submittedMs);
  if (job.endedMs !== undefined && job.startedMs !== undefined) {
    base.executionTime = Math.round(job.endedMs - job.startedMs);
    base.output = [partial(TOKENS, TOKENS).output];
  }
  if (withStream) {
    base.stream = job.unread;
    job.unread = [];
  }
  return base;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean); // v2, endpoint, route, id?
    const route = parts[2];
    const job = parts[3] ? jobs.get(parts[3]) : undefined;
    if (route === 'run') {
      const created: Job = {
        id: `job-${nextId++}`,
        submittedMs: performance.now(),
        status: 'IN_QUEUE',
        unread: [],
        waiters: [],
      };
      jobs.set(created.id, created);
      if (busy < slots) start(created);
      else queue.push(created);
      return send(res, 200, { id: created.id, status: created.status });
    }
    if (route === 'health') {
      return send(res, 200, {
        jobs: { completed, failed: 0, inProgress: busy, inQueue: queue.length, retried: 0 },
        workers: {
          idle: busy === 0 ? 1 : 0,
          initializing: 0,
          ready: 0,
          running: busy > 0 ? 1 : 0,
          throttled: 0,
          unhealthy: 0,
        },
      });
    }
    if (!job) return send(res, 404, { error: 'job not found' });
    if (route === 'status') return send(res, 200, statusBody(job, false));
    if (route === 'cancel') {
      if (job.status === 'IN_QUEUE') queue.splice(queue.indexOf(job), 1);
      if (job.status === 'IN_QUEUE' || job.status === 'IN_PROGRESS') job.status = 'CANCELLED';
      notify(job);
      return send(res, 200, { id: job.id, status: job.status });
    }
    if (route === 'stream') {
      const wait = Math.min(Number(url.searchParams.get('wait') ?? 0), 10_000);
      const done = job.status === 'COMPLETED' || job.status === 'CANCELLED';
      if (job.unread.length > 0 || done || wait <= 0) return send(res, 200, statusBody(job, true));
      const timer = setTimeout(() => wake(), wait);
      const wake = () => {
        clearTimeout(timer);
        if (!res.writableEnded) send(res, 200, statusBody(job, true));
      };
      job.waiters.push(wake);
      return;
    }
    send(res, 404, { error: `no route ${url.pathname}` });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
