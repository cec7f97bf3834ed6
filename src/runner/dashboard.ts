// podbench run --dashboard: an HTTP server on 127.0.0.1 serving the report page as it
// stands while the run goes on. The page is rebuilt by `snapshot` (the records written so far
// → the same renderer as report.html), at most once per interval and never more often than
// twice the time the last rebuild took, so a large run spends at most a third of its time
// on the page; each new page is announced to the browsers on /events (server-sent events).
// At the end `finish` serves report.html as written, tells the browsers, and closes the
// server once they have it (or after a bounded wait).
//
// Bounded on purpose: only GET and HEAD of four fixed paths, no files served from disk, a
// Host header naming this server (so a web page elsewhere cannot reach it by DNS rebinding),
// and every byte served passes through cleanText (src/util/redact.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { UsageError, messageOf } from '../core/errors.js';
import { LIVE_PATHS, LIVE_SHELL_CSP, renderLiveShell, type LiveState } from '../report/html/live-shell.js';
import { cleanText } from '../util/redact.js';

export const DASHBOARD_HOST = '127.0.0.1';

export interface Snapshot {
  html: string;
  records: number;
}

export interface DashboardOptions {
  /** 0: a free port the system picks. */
  port: number;
  title: string;
  /** The page from the records written so far. */
  snapshot: () => Promise<Snapshot>;
  /** A rebuild that failed (said once; the page keeps its last version). */
  warn: (line: string) => void;
  minIntervalMs?: number;
  /** After the run: how long open pages get to load the final report before the server closes. */
  lingerMs?: number;
}

export interface Dashboard {
  url: string;
  /** Records were written: a rebuild is due (at the bounded rate). */
  changed(): void;
  /** The run ended and report.html is `finalHtml`: serve it, tell the pages, close when they have it. */
  finish(finalHtml: string, records: number): Promise<void>;
  /** Closes at once (idempotent). */
  close(): void;
}

const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const lingerMs = options.lingerMs ?? 5000;
  const shell = cleanText(renderLiveShell(options.title));
  let state: LiveState = { version: 0, records: 0, finished: false };
  let page = '';
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => handle(req, res));
  server.on('connection', (socket) => {
    // The run, not a browser, decides how long podbench lives.
    socket.unref();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `--dashboard-port ${options.port}: cannot listen on ${DASHBOARD_HOST}:${options.port} (${err.code ?? messageOf(err)}); pick another port, or 0 for any free one`,
        ),
      ),
    );
    server.listen(options.port, DASHBOARD_HOST, () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  const hosts = new Set([`${DASHBOARD_HOST}:${port}`, `localhost:${port}`]);

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (!hosts.has(req.headers.host ?? '')) return plain(res, 403, 'forbidden: not this host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'method not allowed\n');
    }
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case LIVE_PATHS.shell:
        return send(res, 'text/html; charset=utf-8', shell, { 'Content-Security-Policy': LIVE_SHELL_CSP });
      case LIVE_PATHS.page:
        if (state.version === 0) return plain(res, 404, 'no page yet: no request has ended\n');
        return send(res, 'text/html; charset=utf-8', page, { 'Content-Security-Policy': "frame-ancestors 'self'" });
      case LIVE_PATHS.status:
        return send(res, 'application/json', `${JSON.stringify(state)}\n`);
      case LIVE_PATHS.events:
        return openStream(req, res);
      default:
        return plain(res, 404, 'not found\n');
    }
  }

  function send(res: ServerResponse, type: string, body: string, extra: Record<string, string> = {}): void {
    res.writeHead(200, { ...COMMON_HEADERS, ...extra, 'Content-Type': type });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  function plain(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  }

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream' });
    if (req.method === 'HEAD') return void res.end();
    res.write('retry: 1000\n\n');
    res.write(event(state));
    streams.add(res);
    req.on('close', () => {
      streams.delete(res);
      if (state.finished && streams.size === 0) allGone?.();
    });
  }

  const event = (s: LiveState) => `data: ${JSON.stringify(s)}\n\n`;
  const publish = (html: string, records: number, finished: boolean) => {
    page = cleanText(html);
    state = { version: state.version + 1, records, finished };
    for (const res of streams) res.write(event(state));
  };

  // Rebuilds: one at a time, spaced by max(minInterval, 2 × the last one's time).
  let dirty = false;
  let building: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastEnd = 0;
  let lastTookMs = 0;
  let warned = false;
  let closed = false;
  let allGone: (() => void) | undefined;
  const schedule = () => {
    if (!dirty || building || timer || state.finished || closed) return;
    const waitMs = Math.max(0, lastEnd + Math.max(minIntervalMs, 2 * lastTookMs) - performance.now());
    timer = setTimeout(rebuild, waitMs);
    timer.unref();
  };
  const rebuild = () => {
    timer = undefined;
    dirty = false;
    const started = performance.now();
    building = options
      .snapshot()
      .then(
        (snap) => {
          if (!state.finished && !closed) publish(snap.html, snap.records, false);
        },
        (err: unknown) => {
          if (!warned) options.warn(`dashboard: could not rebuild the page (${messageOf(err)}); it shows the last one`);
          warned = true;
        },
      )
      .finally(() => {
        lastEnd = performance.now();
        lastTookMs = lastEnd - started;
        building = undefined;
        schedule();
      });
  };

  const close = () => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    for (const res of streams) res.end();
    server.close();
    for (const socket of sockets) socket.destroy();
  };

  return {
    url: `http://${DASHBOARD_HOST}:${port}/`,
    changed() {
      dirty = true;
      schedule();
    },
    async finish(finalHtml, records) {
      if (closed) return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await building;
      publish(finalHtml, records, true);
      // Open pages load the final report, then close their event stream; the server goes when all have.
      if (streams.size > 0) {
        await new Promise<void>((resolve) => {
          const timeout = setTimeout(resolve, lingerMs);
          allGone = () => {
            clearTimeout(timeout);
            resolve();
          };
        });
      }
      close();
    },
    close,
  };
}
