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

const BAD_REQUEST = '{"error":"Bad HTTP request"}';

export interface ListeningServer {
  readonly port: number;
  readonly host: string;
  readonly endpoint: Endpoint;
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
  try {
    await endpoint.warmUp();
  } catch (err) {
    await endpoint.close();
    throw err;
  }
  const context: ServerContext = {
    settings,
    endpoint,
    limiter: settings.rateLimits.enabled ? new RateLimiter(settings) : undefined,
    log: options.log,
  };
  const handler = createRequestHandler(context, {
    apiKey: options.apiKey,
    faults: new RequestFaults(settings, createRng(settings.seed).fork('request-faults')),
  });
  const server: Server = createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 }, handler);
  server.keepAliveTimeout = 60_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    // Unparseable HTTP: answer 400 if the socket can still take it, never throw.
    if (socket.writable)
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${BAD_REQUEST.length}\r\nconnection: close\r\n\r\n${BAD_REQUEST}`,
      );
    else socket.destroy();
  });

  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      void endpoint.close().finally(() => reject(err));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      server.on('error', (err) => options.log(`podbench emulator: server error: ${err.message}`));
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      let closing: Promise<void> | undefined;
      resolve({
        port,
        host: options.host,
        endpoint,
        close: () =>
          (closing ??= Promise.all([
            endpoint.close(),
            new Promise<void>((done) => {
              server.close(() => done());
              for (const socket of sockets) socket.destroy();
            }),
          ]).then(() => undefined)),
      });
    });
  });
}
