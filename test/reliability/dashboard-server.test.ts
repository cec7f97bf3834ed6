// The --dashboard server on its own (src/runner/dashboard.ts), fed pages by a test: it listens
// on 127.0.0.1 only, serves GET and HEAD of its own four paths and nothing else (no files,
// no other methods, no other Host), passes what it serves through the redaction boundary,
// announces each new page on /events, and at the end serves the final page and closes.
// Then through the CLI: Ctrl-C during a run with --dashboard writes the reports and closes it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveState } from '../../src/report/html/live-shell.js';
import { startDashboard, type Dashboard } from '../../src/runner/dashboard.js';
import { registerSecret } from '../../src/util/redact.js';
import { BIN, ROOT, tempDir, writeScenario } from '../support/cli.js';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(url: string, options: { method?: string; host?: string; path?: string } = {}): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: options.path ?? u.pathname,
        method: options.method ?? 'GET',
        headers: options.host ? { host: options.host } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5000);
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** An /events stream held open (a page left open), until `close`. */
async function holdStream(url: string): Promise<{ close: () => void }> {
  const u = new URL('/events', url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname }, (res) => {
      res.once('data', () => resolve({ close: () => req.destroy() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The states /events sends, until one says finished; then the stream is closed, as the page does. */
function eventsUntilFinished(url: string): Promise<LiveState[]> {
  const u = new URL('/events', url);
  return new Promise((resolve, reject) => {
    const got: LiveState[] = [];
    const req = request({ host: u.hostname, port: u.port, path: u.pathname }, (res) => {
      let buffer = '';
      res.on('data', (d: Buffer) => {
        buffer += d.toString();
        for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, at))?.[1];
          buffer = buffer.slice(at + 2);
          if (data === undefined) continue;
          const state = JSON.parse(data) as LiveState;
          got.push(state);
          if (state.finished) {
            req.destroy();
            resolve(got);
          }
        }
      });
      res.on('end', () => reject(new Error(`stream ended before finished: ${JSON.stringify(got)}`)));
    });
    req.on('error', (err) => (got.at(-1)?.finished ? undefined : reject(err)));
    req.end();
  });
}

async function status(url: string): Promise<LiveState> {
  return JSON.parse((await get(url, { path: '/status.json' })).body) as LiveState;
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the --dashboard server', () => {
  let dashboard: Dashboard | undefined;
  afterEach(() => dashboard?.close());

  it('listens on 127.0.0.1 only', async () => {
    dashboard = await startDashboard({
      port: 0,
      title: 't',
      snapshot: async () => ({ html: 'page', records: 1 }),
      warn: () => undefined,
    });
    const url = new URL(dashboard.url);
    expect(url.hostname).toBe('127.0.0.1');
    const port = Number(url.port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    // Every other address of this machine refuses it (IPv6 loopback and each other interface).
    const others = Object.values(networkInterfaces())
      .flat()
      .flatMap((a) => (a && a.address !== '127.0.0.1' ? [a.address] : []));
    for (const address of ['::1', ...others]) expect(await accepts(address, port), address).toBe(false);
  });

  it('serves GET and HEAD of its own paths only, for its own Host only', async () => {
    dashboard = await startDashboard({
      port: 0,
      title: 'paths',
      snapshot: async () => ({ html: '<p>page</p>', records: 3 }),
      warn: () => undefined,
    });
    const url = dashboard.url;
    const shell = await get(url);
    expect(shell.status).toBe(200);
    expect(shell.headers['content-security-policy']).toContain("default-src 'none'");
    expect(shell.body).toContain('id="live-banner"');
    expect((await get(url, { method: 'HEAD' })).status).toBe(200);
    // No page before the first record.
    expect((await get(url, { path: '/report.html' })).status).toBe(404);
    expect(await status(url)).toEqual({ version: 0, records: 0, finished: false });
    for (const path of ['/index.html', '/report.html/', '/../package.json', '/etc/passwd', '/results.ndjson', '//'])
      expect((await get(url, { path })).status, path).toBe(404);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const answer = await get(url, { method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
    // A name that resolves here by DNS rebinding is not this server's name.
    const port = new URL(url).port;
    expect((await get(url, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(url, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('announces each page, redacts it, ends on the final page and closes once the pages have it', async () => {
    const secret = 'sk-dashboard-test-secret-0123456789';
    registerSecret(secret);
    let n = 0;
    const d = await startDashboard({
      port: 0,
      title: 'pages',
      minIntervalMs: 10,
      // Far beyond the test's own bound: finishing must not wait for it once the open page has gone.
      lingerMs: 600_000,
      snapshot: async () => {
        n += 1;
        return { html: `<p>page ${n} ${secret}</p>`, records: n * 10 };
      },
      warn: () => undefined,
    });
    dashboard = d;
    const url = d.url;
    const seen = eventsUntilFinished(url);
    d.changed();
    await until('the first page', async () => (await status(url)).version >= 1);
    const first = await get(url, { path: '/report.html?v=1' });
    expect(first.body).toBe('<p>page 1 [redacted]</p>');
    d.changed();
    await until('the second page', async () => (await status(url)).version >= 2);
    expect((await status(url)).records).toBe(20);
    // A second page still open: the server waits for it, and meanwhile serves the final page as given.
    const open = await holdStream(url);
    const finishing = d.finish('<p>final</p>', 25);
    const got = await seen;
    expect((await get(url, { path: '/report.html?v=3' })).body).toBe('<p>final</p>');
    expect(await status(url)).toEqual({ version: 3, records: 25, finished: true });
    open.close();
    await finishing;
    expect(got.at(-1)).toEqual({ version: 3, records: 25, finished: true });
    const versions = got.map((s) => s.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // Closed: nothing listens any more.
    expect(await accepts('127.0.0.1', Number(new URL(url).port))).toBe(false);
  }, 60_000);
});

describe('podbench run --dashboard and Ctrl-C', () => {
  it('ends the run with its reports written and the server closed', async () => {
    const out = join(tempDir(), 'run');
    // Far longer than the test waits: only the signal ends it.
    const scenario = writeScenario(`name: interrupted
mode: stream
sampling_params: { max_tokens: 8, ignore_eos: true }
polling: { interval: 20ms, health: 200ms }
load: { rate: 4, duration: 10m }
emulator: { workers: { min: 1, max: 1 }, generation: { stepMs: 10 } }
`);
    const child = spawn(process.execPath, [BIN, 'run', scenario, '--out', out, '--quiet', '--dashboard'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      let url: string | undefined;
      await until(
        'the dashboard URL',
        async () => {
          url = /podbench: dashboard: (\S+)/.exec(stderr)?.[1];
          return url !== undefined;
        },
        60_000,
      );
      await until('a page with records', async () => (await status(url as string)).records > 0, 60_000);
      child.kill('SIGINT');
      const code = await closed;
      expect(code, stderr).toBe(3);
      expect(existsSync(join(out, 'report.html'))).toBe(true);
      expect(existsSync(join(out, 'summary.json'))).toBe(true);
      expect(await accepts('127.0.0.1', Number(new URL(url as string).port))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
