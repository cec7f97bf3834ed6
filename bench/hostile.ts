// `npm run bench:hostile`: podbench's peak memory when a server sends what it cannot hold.
// Three runs of the same scenario (sync, 3 requests one at a time; openai-stream for the
// stream), each against a server on 127.0.0.1 that answers
//   normal    a small COMPLETED answer (the reference)
//   body      200 MB of body (podbench reads 16 MB, limits.maxBodyBytes, then stops)
//   sse-line  an event stream whose one line never ends (podbench keeps 1 MB, then stops)
// and, for scale, the 200 MB body with the cap raised to 1 GB (what holding it costs).
// The peak is the kernel's (VmHWM in /proc, sampled every 20 ms until the process exits).
// Target: body and sse-line within 100 MB of normal. Loopback only; about a minute.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, machine, writeBenchJson } from './support.js';

const MB = 1024 * 1024;
const KEY = 'bench-hostile-key';
type Kind = 'normal' | 'body' | 'sse-line';

function pour(res: ServerResponse, total: number, fill: Buffer): void {
  let sent = 0;
  const more = () => {
    while (sent < total && !res.destroyed) {
      sent += fill.length;
      if (!res.write(fill)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

async function serve(kind: Kind): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/health')) return void res.end('{"jobs":{},"workers":{"ready":1}}');
      if (kind === 'normal') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({
            id: 'j',
            status: 'COMPLETED',
            delayTime: 1,
            executionTime: 1,
            output: [{ choices: [{ tokens: ['hello'] }], usage: { input: 1, output: 1 } }],
          }),
        );
      }
      if (kind === 'body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"j","status":"COMPLETED","output":"');
        return pour(res, 200 * MB, Buffer.alloc(MB, 'a'));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"delta":{"content":"');
      pour(res, 200 * MB, Buffer.alloc(64 * 1024, 'x'));
    });
  });
  server.on('connection', (socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/bench`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function peakMb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface HostileMemory {
  kind: Kind | 'body, cap raised to 1 GB';
  peakRssMb: number;
  outcomes: string;
  seconds: number;
}

async function measure(kind: Kind, extra = ''): Promise<Omit<HostileMemory, 'kind'>> {
  const server = await serve(kind);
  const dir = mkdtempSync(join(tmpdir(), 'podbench-hostile-bench-'));
  const scenario = join(dir, 's.yaml');
  const mode = kind === 'sse-line' ? 'mode: openai-stream\ninput: { model: m }' : 'mode: sync';
  writeFileSync(
    scenario,
    `name: hostile-${kind}\ntarget: { endpoint: "${server.url}" }\n${mode}\nload: { concurrency: 1, requests: 3 }\nretry: { maxRetries: 0 }\npolling: { health: 0 }\n${extra}`,
  );
  const startMs = performance.now();
  const child = spawn(process.execPath, [BIN, 'run', scenario, '--out', join(dir, 'run'), '--quiet'], {
    env: { ...process.env, RUNPOD_API_KEY: KEY },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, peakMb(child.pid as number) ?? 0);
  }, 20);
  await new Promise((resolve) => child.on('close', resolve));
  clearInterval(timer);
  await server.close();
  const records = readFileSync(join(dir, 'run', 'results.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { outcome: string }).outcome);
  return {
    peakRssMb: Math.round(peak),
    outcomes: [...new Set(records)].map((o) => `${records.filter((r) => r === o).length} ${o}`).join(', '),
    seconds: Math.round((performance.now() - startMs) / 100) / 10,
  };
}

if (process.argv[1]?.endsWith('hostile.js')) {
  const results: HostileMemory[] = [];
  for (const kind of ['normal', 'body', 'sse-line'] as const) results.push({ kind, ...(await measure(kind)) });
  results.push({ kind: 'body, cap raised to 1 GB', ...(await measure('body', 'limits: { maxBodyBytes: 1GB }\n')) });
  const normal = results[0]?.peakRssMb ?? 0;
  for (const r of results)
    console.log(
      `${r.kind.padEnd(26)} peak RSS ${String(r.peakRssMb).padStart(5)} MB (${r.peakRssMb - normal >= 0 ? '+' : ''}${r.peakRssMb - normal} MB)  ${r.seconds} s  ${r.outcomes}`,
    );
  const within = results.slice(1, 3).every((r) => r.peakRssMb - normal <= 100);
  console.log(within ? 'within 100 MB of the normal run: yes' : 'within 100 MB of the normal run: NO');
  console.log(`written ${writeBenchJson('hostile', { machine: machine(), runs: results })}`);
  if (!within) process.exitCode = 1;
}
