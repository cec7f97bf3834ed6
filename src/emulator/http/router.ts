// Request routing: the path is split by hand (no URL object per request: /status polls are
// the hot path), then auth, the route's rate limit and the injected request faults are
// applied in that order before the handler runs. Every API request first crosses the
// emulated network (network.ts), and so does its answer.
//
//   /v2/{endpointId}/<route>   the Runpod API; every endpoint id reaches the same emulated endpoint
//   /v1/...                    the model server's own OpenAI-compatible API, as `vllm serve`
//                              answers it: no queue, no cold start, no Runpod rate limits or
//                              request faults (auth applies, as with vllm serve --api-key)
//   /_emulator/...             emulator-only debug routes (auth applies, no rate limit, faults or network)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { epochNowMs } from '../clock.js';
import type { LimitedRoute } from '../platform/rate-limit.js';
import type { RequestFaults } from './request-faults.js';
import { Exchange, writeAnswer, type ServerContext } from './exchange.js';
import {
  handleCancel,
  handleHealth,
  handlePurgeQueue,
  handleRetry,
  handleRun,
  handleStatus,
  handleStream,
} from './queue-routes.js';
import { handleModelServer, handleOpenAI, type OpenAIPath } from './openai-routes.js';
import { handleJobTruth, handleStats } from './debug-routes.js';
import type { Query } from './query.js';

export interface RouterOptions {
  apiKey: string | undefined;
  faults: RequestFaults;
}

type Route =
  | { name: 'run' | 'runsync' | 'purge-queue' | 'health' }
  | { name: 'status' | 'status-sync' | 'stream' | 'cancel' | 'retry'; id: string }
  | { name: 'openai' | 'model-server'; path: OpenAIPath }
  | { name: 'debug-job'; id: string }
  | { name: 'debug-stats' };

const UNAUTHORIZED = Buffer.from('{"error":"Unauthorized"}');
const NOT_FOUND = Buffer.from('{"error":"Not found"}');
const TOO_MANY = Buffer.from('{"error":"Too many requests"}');
const SERVER_ERROR = Buffer.from('{"error":"Internal server error"}');

/** Methods each route answers (the platform documents GET or POST; both are accepted where clients differ). */
const METHODS: Record<Route['name'], readonly string[]> = {
  run: ['POST'],
  runsync: ['POST'],
  'purge-queue': ['POST'],
  health: ['GET'],
  status: ['GET', 'POST'],
  'status-sync': ['GET', 'POST'],
  stream: ['GET', 'POST'],
  cancel: ['POST'],
  retry: ['POST'],
  openai: ['GET', 'POST'],
  'model-server': ['GET', 'POST'],
  'debug-job': ['GET'],
  'debug-stats': ['GET'],
};

const LIMITED: Partial<Record<Route['name'], LimitedRoute>> = {
  run: 'run',
  runsync: 'runsync',
  'purge-queue': 'purgeQueue',
  health: 'health',
  status: 'status',
  'status-sync': 'status',
  stream: 'stream',
  cancel: 'cancel',
  openai: 'openai',
};

function openAiPath(rest: string): OpenAIPath | undefined {
  return rest === 'chat/completions' || rest === 'completions' || rest === 'models' ? rest : undefined;
}

function matchRoute(parts: string[]): Route | undefined {
  // parts[0] is '' (the leading slash).
  if (parts[1] === 'v2' && parts.length >= 4 && parts[2] !== '') {
    const name = parts[3];
    const id = parts[4];
    if (parts.length === 4) {
      if (name === 'run' || name === 'runsync' || name === 'purge-queue' || name === 'health') return { name };
      return undefined;
    }
    if (parts.length === 5 && id !== undefined && id !== '') {
      if (name === 'status' || name === 'status-sync' || name === 'stream' || name === 'cancel' || name === 'retry')
        return { name, id: decodeURIComponent(id) };
    }
    if (name === 'openai' && parts[4] === 'v1') {
      const path = openAiPath(parts.slice(5).join('/'));
      if (path !== undefined) return { name: 'openai', path };
    }
    return undefined;
  }
  if (parts[1] === 'v1') {
    const path = openAiPath(parts.slice(2).join('/'));
    return path === undefined ? undefined : { name: 'model-server', path };
  }
  if (parts[1] === '_emulator') {
    if (parts[2] === 'jobs' && parts.length === 4 && parts[3] !== '')
      return { name: 'debug-job', id: decodeURIComponent(parts[3] as string) };
    if (parts[2] === 'stats' && parts.length === 3) return { name: 'debug-stats' };
  }
  return undefined;
}

function authorized(req: IncomingMessage, apiKey: string | undefined): boolean {
  if (apiKey === undefined) return true;
  const header = req.headers.authorization;
  // Both forms appear in Runpod's docs: "Bearer <key>" and the raw key.
  return header === apiKey || header === `Bearer ${apiKey}`;
}

export function createRequestHandler(
  context: ServerContext,
  options: RouterOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { endpoint, limiter, network } = context;
  /** Answers that never reach a handler (401, 404, 405, 429) cross the network back too. */
  const reply = (res: ServerResponse, returnMs: number, status: number, body: Buffer) =>
    network.after(returnMs, () => writeAnswer(res, status, body));
  const handle = (req: IncomingMessage, res: ServerResponse, url: string, returnMs: number): void => {
    try {
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const query: Query = q === -1 || q === url.length - 1 ? undefined : url.slice(q + 1);
      let route: Route | undefined;
      try {
        route = matchRoute(path.split('/'));
      } catch {
        route = undefined; // a malformed %-escape in the path
      }
      if (!authorized(req, options.apiKey)) return reply(res, returnMs, 401, UNAUTHORIZED);
      if (route === undefined) return reply(res, returnMs, 404, NOT_FOUND);
      const method = req.method ?? 'GET';
      const allowed = METHODS[route.name];
      // The OpenAI routes each take one method: GET for models, POST for the rest.
      const only =
        route.name === 'openai' || route.name === 'model-server'
          ? route.path === 'models'
            ? 'GET'
            : 'POST'
          : undefined;
      if (!allowed.includes(method) || (only !== undefined && method !== only)) {
        res.setHeader('allow', only ?? allowed.join(', '));
        return reply(res, returnMs, 405, Buffer.from(`{"error":"Method ${method} not allowed"}`));
      }
      // The model server is not behind Runpod's gateway: no request faults there.
      const unfaulted = route.name === 'debug-job' || route.name === 'debug-stats' || route.name === 'model-server';
      const now = epochNowMs();
      const fault = unfaulted ? { kind: 'none' as const } : options.faults.draw();
      const ex = new Exchange(req, res, context, fault, now, returnMs);
      const limited = LIMITED[route.name];
      if (limited !== undefined && limiter !== undefined) {
        if (limiter.admit(limited, now, endpoint.runningWorkers()) !== 'ok') return reply(res, returnMs, 429, TOO_MANY);
        ex.route = limited;
      }
      switch (fault.kind) {
        case 'http429':
          return ex.json(429, TOO_MANY);
        case 'http5xx':
          return ex.error(
            fault.status,
            fault.status === 500
              ? 'Internal server error'
              : fault.status === 502
                ? 'Bad gateway'
                : 'Service unavailable',
          );
        case 'reset':
          ex.releaseRoute();
          req.socket.destroy();
          return undefined;
        default:
          break;
      }
      const pending = dispatch(ex, route, query);
      // Only the routes that read a body are asynchronous; /status and /stream stay promise-free.
      if (pending !== undefined) pending.catch((err: unknown) => fail(ex, err));
    } catch (err) {
      if (!res.headersSent) writeAnswer(res, 500, SERVER_ERROR);
      context.log(internalError(req, err));
    }
    return undefined;
  };
  return (req, res) => {
    const url = req.url ?? '/';
    // The debug routes are the harness's, not the API's: no network on the way.
    const oneWayMs = url.startsWith('/_emulator/') ? 0 : network.drawOneWayMs();
    if (oneWayMs === 0) handle(req, res, url, 0);
    // A client that hung up before its request arrived sent nothing the endpoint saw.
    else network.after(oneWayMs, () => (res.destroyed ? undefined : handle(req, res, url, oneWayMs)));
  };
}

/** The log line of a bug met while handling `req`. */
function internalError(req: IncomingMessage, err: unknown): string {
  return `podbench emulator: internal error on ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}

function fail(ex: Exchange, err: unknown): void {
  ex.context.log(internalError(ex.req, err));
  if (!ex.res.headersSent) ex.json(500, SERVER_ERROR);
  else ex.res.destroy();
}

function dispatch(ex: Exchange, route: Route, query: Query): Promise<void> | undefined {
  switch (route.name) {
    case 'run':
      return handleRun(ex, query, false);
    case 'runsync':
      return handleRun(ex, query, true);
    case 'status':
      handleStatus(ex, route.id, query, false);
      return undefined;
    case 'status-sync':
      handleStatus(ex, route.id, query, true);
      return undefined;
    case 'stream':
      handleStream(ex, route.id, query);
      return undefined;
    case 'cancel':
      handleCancel(ex, route.id);
      return undefined;
    case 'retry':
      handleRetry(ex, route.id);
      return undefined;
    case 'purge-queue':
      handlePurgeQueue(ex);
      return undefined;
    case 'health':
      handleHealth(ex);
      return undefined;
    case 'openai':
      return handleOpenAI(ex, route.path);
    case 'model-server':
      return handleModelServer(ex, route.path);
    case 'debug-job':
      handleJobTruth(ex, route.id);
      return undefined;
    case 'debug-stats':
      handleStats(ex, query);
      return undefined;
    default: {
      const never: never = route;
      throw new Error(`unknown route ${JSON.stringify(never)}`);
    }
  }
}
