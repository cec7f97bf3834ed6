// The hostile-target suite's tools: small servers on 127.0.0.1 that each misbehave in one
// way, and a runner of the built CLI that measures what a test asserts: the exit code, the
// wall time (against a bound derived from the configured deadlines, with generous slack),
// the process's peak memory, and where the API key appears (it must appear nowhere).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, vi } from 'vitest';
import { BIN, ROOT, tempDir } from '../support/cli.js';
import { readRecords } from '../support/run-files.js';

/** What podbench sends as its key in these tests; it must never come back out. */
export const KEY = 'rpa_HOSTILE_4f1c9a2e7b3d8e6a0c5b';

/** Slack on every time bound: a busy shared 2-core machine runs podbench late. */
export const SLACK_MS = 5000;
/**
 * More slack on a bound of the whole process (spawn to exit): it adds node's start, loading
 * podbench and writing the reports, seconds on a busy machine. Bounds of the run itself are
 * checked on its own clock (run.json's durationMs) with SLACK_MS.
 */
export const PROCESS_SLACK_MS = 15_000;

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface HostileServer {
  /** http://127.0.0.1:<port>/v2/hostile */
  endpointUrl: string;
  /** Every request's method and path (after /v2/hostile), in arrival order. */
  calls: Array<{ method: string; route: string; body: string }>;
  callsTo(prefix: string): Array<{ method: string; route: string; body: string }>;
  close(): Promise<void>;
}

const BASE = '/v2/hostile';
export const HEALTHY = JSON.stringify({
  jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
  workers: { idle: 1, initializing: 0, ready: 1, running: 0, throttled: 0, unhealthy: 0 },
});

export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * A server whose answers `handler` decides (after the request body has arrived); GET /health
 * answers healthy unless the handler answers it. Requests that the handler leaves open stay
 * open until close(), which ends every socket.
 */
export async function startHostileServer(handler: Handler, options: { health?: boolean } = {}): Promise<HostileServer> {
  const calls: HostileServer['calls'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const url = req.url ?? '';
      const route = url.startsWith(BASE) ? url.slice(BASE.length) : url;
      const body = Buffer.concat(chunks).toString('utf8');
      calls.push({ method: req.method ?? '', route, body });
      if (route === '/health' && options.health !== false) return json(res, 200, HEALTHY);
      handler(Object.assign(req, { url: route }), res, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hostile: HostileServer = {
    endpointUrl: `http://127.0.0.1:${port}${BASE}`,
    calls,
    callsTo: (prefix) => calls.filter((c) => c.route.startsWith(prefix)),
    close: () => {
      started.delete(hostile);
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };
  started.add(hostile);
  return hostile;
}

/** Servers started and not closed yet: useHostileSuite closes them after each test. */
const started = new Set<HostileServer>();

/**
 * A hostile test file's setup: generous timeouts (each test starts podbench, and some an
 * emulator, as a process: seconds each on a busy machine), and every server a test started
 * closed after it, whatever the test did.
 */
export function useHostileSuite(): void {
  vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
  afterEach(async () => {
    await Promise.all([...started].map((server) => server.close()));
  });
}

/** Sends `bytes` one at a time, `everyMs` apart, until the client goes or `max` bytes went. */
export function trickle(res: ServerResponse, everyMs: number, byte = ' ', max = Number.POSITIVE_INFINITY): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent >= max) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(byte);
    sent += 1;
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

export interface PodbenchRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, on this process's clock. */
  wallMs: number;
  /** Peak resident memory of the podbench process (getrusage maxrss), in MB; undefined if it could not say. */
  maxRssMb: number | undefined;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** A shell prefix for the command, e.g. `ulimit -f 200;`. */
  shell?: string;
  /** Kill after this long (a test failure: podbench did not bound itself). */
  killAfterMs?: number;
  /** Called with the child once it runs (to send it signals). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

/** Runs the built CLI, measuring time and peak memory. */
export function runPodbench(args: string[], options: RunOptions = {}): Promise<PodbenchRun> {
  const rssFile = join(tempDir('podbench-rss-'), 'maxrss');
  const preload = fileURLToPath(new URL('./max-rss.cjs', import.meta.url));
  const argv = ['--require', preload, BIN, ...args];
  const env = { ...process.env, PODBENCH_TEST_MAXRSS_FILE: rssFile, ...options.env };
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child =
    options.shell !== undefined
      ? spawn('/bin/sh', ['-c', `${options.shell} exec ${[process.execPath, ...argv].map(quote).join(' ')}`], {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const startMs = performance.now();
  options.onSpawn?.(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = options.killAfterMs ?? 120_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`podbench ${args.join(' ')} was still running after ${limit} ms\n${stderr}`));
    }, limit);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const kb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
      resolve({
        code,
        signal,
        stdout,
        stderr,
        wallMs: performance.now() - startMs,
        maxRssMb: Number.isFinite(kb) ? kb / 1024 : undefined,
      });
    });
  });
}

/** How long the run took on its own clock (run.json's durationMs, from the run's start to its reports). */
export function runDurationMs(out: string): number {
  const meta = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { durationMs?: number };
  expect(meta.durationMs).toBeGreaterThan(0);
  return meta.durationMs as number;
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The key is in no file of the run folder, and in neither output stream. */
export function expectKeyNowhere(run: PodbenchRun, out: string, key = KEY): void {
  expect(run.stdout, 'stdout').not.toContain(key);
  expect(run.stderr, 'stderr').not.toContain(key);
  for (const file of filesUnder(out)) expect(readFileSync(file, 'utf8'), file).not.toContain(key);
}

/** One line of error, no stack trace. */
export function expectOneLine(text: string): void {
  expect(
    text
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('podbench:')).length,
  ).toBeGreaterThan(0);
  expect(text).not.toMatch(/^\s+at .+(\(|:\d+:\d+)/m);
  expect(text).not.toMatch(/internal error/);
}

/** A scenario pointing at `endpointUrl`, with `extra` YAML lines; its path. */
export function hostileScenario(endpointUrl: string, extra: string, name = 'hostile'): string {
  const dir = tempDir('podbench-hostile-');
  const path = join(dir, 'scenario.yaml');
  writeFileSync(path, `name: ${name}\ntarget: { endpoint: "${endpointUrl}" }\n${extra}\n`);
  return path;
}

/**
 * A hostile server answering as `handler` says, and podbench run once against it with `extra`
 * scenario lines (health polls off, 20 ms poll interval) and `args`; the key must appear
 * nowhere. The run, its folder, its records and how long it took.
 */
export async function runAgainstServer(extra: string, handler: Handler, args: string[] = []) {
  const server = await startHostileServer(handler);
  const out = join(tempDir(), 'run');
  const scenario = hostileScenario(server.endpointUrl, `${extra}\npolling: { health: 0, interval: 20ms }`);
  const run = await runPodbench(['run', scenario, '--out', out, '--quiet', ...args], {
    env: { RUNPOD_API_KEY: KEY },
  });
  expectKeyNowhere(run, out);
  return { server, run, out, records: readRecords(out), durationMs: runDurationMs(out) };
}
