// A zero-latency stand-in for an endpoint, for benchmarks that measure podbench itself:
// every /runsync answers at once with a finished job, /health answers, nothing else is
// modelled. It runs in its own process (`node dist/bench/fast-target.js`), prints
// "listening <port>" and serves until SIGTERM. Far cheaper per request than the emulator,
// so the load generator, not the target, is what a benchmark measures.
import { createServer } from 'node:http';

const DONE = Buffer.from(
  JSON.stringify({
    delayTime: 0,
    executionTime: 0,
    id: 'sync-00000000-0000-4000-8000-000000000000-u1',
    output: [{ choices: [{ tokens: ['ok'] }], usage: { input: 4, output: 1 } }],
    status: 'COMPLETED',
    workerId: 'fast',
  }),
);
const HEALTH = Buffer.from(
  JSON.stringify({
    jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
    workers: { idle: 0, initializing: 0, ready: 1, running: 0, throttled: 0, unhealthy: 0 },
  }),
);

const server = createServer((req, res) => {
  // Drain the body without keeping it.
  req.on('data', () => {});
  req.on('end', () => {
    const body = req.url?.includes('/health') ? HEALTH : DONE;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
