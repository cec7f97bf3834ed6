// The node:http server around an Endpoint. Keep-alive is generous (load generators reuse
// connections), request timeouts are off (long-polls and streams are held on purpose), and
// close() ends every socket so a test process exits cleanly.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { createRng } from '../../util/rng.js';
import type { EmulatorSettings } from '../settings/schema.js';
import { Endpoint } from '../platform/endpoint.js';
import type { Backend } from '../worker/backend.js';
import { RateLimiter } from '../platform/rate-limit.js';
import { RequestFaults } from './request-faults.js';
import { createRequestHandler } from './router.js';
import type { ServerContext } from './exchange.js';
import { Network } from './network.js';
import { modelServerSettings } from '../platform/model-server.js';

const BAD_REQUEST = '{"error":"Bad HTTP request"}';
const LISTEN_BACKLOG = 8192;
const REQUEST_TIMEOUT = '{"error":"The request did not arrive in time"}';

export interface ListeningServer {
  readonly port: number;
  readonly host: string;
  readonly endpoint: Endpoint;
  /** The model server behind the endpoint, served at /v1 as `vllm serve` serves it. */
  readonly modelServer: Endpoint;
  close(): Promise<void>;
}

export interface ServeOptions {
  host: string;
  port: number;
  apiKey: string | undefined;
  log: (line: string) => void;
  /** What generates the tokens (default: the synthetic model). */
  backend?: Backend;
}

export async function serve(settings: EmulatorSettings, options: ServeOptions): Promise<ListeningServer> {
  const endpoint = new Endpoint(settings, options.log, options.backend);
  // Same backend, its own always-warm worker; it loads its model on its first request.
  const modelServer = new Endpoint(modelServerSettings(settings), options.log, endpoint.backend, false);
  const closeBoth = () => Promise.all([modelServer.close(), endpoint.close()]).then(() => undefined);
  try {
    await endpoint.warmUp();
  } catch (err) {
    await closeBoth();
    throw err;
  }
  const context: ServerContext = {
    settings,
    endpoint,
    modelServer,
    limiter: settings.rateLimits.enabled ? new RateLimiter(settings) : undefined,
    log: options.log,
    network: new Network(settings, endpoint.timeline, createRng(settings.seed).fork('network')),
  };
  const handler = createRequestHandler(context, {
    apiKey: options.apiKey,
    faults: new RequestFaults(settings, createRng(settings.seed).fork('request-faults')),
  });
  // A request must arrive whole within requestTimeout (slow uploads end with a 408), and a
  // connection with no request in flight closes after idleTimeout; answers are held as long
  // as a route wants (long-polls, streams): these bound what the client sends, not the holds.
  const { requestTimeoutMs, idleTimeoutMs } = settings.http;
  const server: Server = createServer(
    {
      keepAlive: true,
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, idleTimeoutMs),
      keepAliveTimeout: idleTimeoutMs,
      // How often Node checks those bounds: a tenth of the shortest, within 50 ms to 30 s.
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.min(requestTimeoutMs, idleTimeoutMs) / 10)),
    },
    handler,
  );
  server.keepAliveTimeout = idleTimeoutMs;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    // A connection that never sends a byte: Node's own timeouts start with the first one.
    const silent = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, idleTimeoutMs);
    silent.unref();
    socket.once('close', () => {
      clearTimeout(silent);
      sockets.delete(socket);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Unparseable HTTP, or a request that did not arrive in time: answer if the socket can still take it, never throw.
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const body = timedOut ? REQUEST_TIMEOUT : BAD_REQUEST;
    if (socket.writable)
      socket.end(
        `HTTP/1.1 ${timedOut ? '408 Request Timeout' : '400 Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
    else socket.destroy();
  });

  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      void closeBoth().finally(() => reject(err));
    };
    server.once('error', onError);
    // Thousands of clients may connect within a second (a load test's ramp); Node's default
    // backlog of 511 overflows whenever the loop is busy for a moment, and the kernel then
    // drops connections the clients believe are open (they end in resets). The kernel caps
    // the backlog at net.core.somaxconn.
    server.listen({ port: options.port, host: options.host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', onError);
      server.on('error', (err) => options.log(`podbench emulator: server error: ${err.message}`));
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      let closing: Promise<void> | undefined;
      resolve({
        port,
        host: options.host,
        endpoint,
        modelServer,
        close: () =>
          (closing ??= Promise.all([
            closeBoth(),
            new Promise<void>((done) => {
              server.close(() => done());
              for (const socket of sockets) socket.destroy();
            }),
          ]).then(() => undefined)),
      });
    });
  });
}
