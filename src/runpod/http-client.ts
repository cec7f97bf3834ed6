// podbench's HTTP calls to an endpoint (the native engine's requests, the runner's preflight,
// /health samples and cancels), on one undici Agent (keep-alive, no connection cap) so
// thousands of long-polls and streams run at once. It uses undici's low-level dispatch
// API: no stream object, no AbortSignal and no URL object per request, which is where a
// load generator's time goes at thousands of requests a second. Every call reports what
// happened as a value, never as a thrown error: the callers turn results into records.
import { Agent, type Dispatcher } from 'undici';
import { PODBENCH_VERSION } from '../util/version.js';
import { STOPPED_TEXT } from '../core/errors.js';

export type HttpResult =
  /** receivedMs: when the answer's last byte arrived, on the client's clock, before any parsing. */
  | { kind: 'response'; status: number; text: string; retryAfterMs?: number; receivedMs: number }
  | { kind: 'network_error'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'aborted' };

export interface CallOptions {
  /** No response headers (or, streaming, no new bytes) for this long → timeout. */
  timeoutMs: number;
}

export interface HttpClient {
  /** One request, body read whole as text. */
  call(method: 'GET' | 'POST', url: string, body: unknown, options: CallOptions): Promise<HttpResult>;
  /**
   * One POST whose body is read as it arrives: onChunk gets every piece of text and the time
   * its bytes arrived (taken before decoding); returning false stops the read (`aborted`).
   */
  stream(
    url: string,
    body: unknown,
    options: CallOptions,
    onChunk: (text: string, atMs: number) => boolean | undefined,
  ): Promise<HttpResult>;
  /** Ends every call in flight as `aborted` (an interrupted run). */
  abortAll(): void;
  close(): Promise<void>;
}

/** Splits "http://host:port/v2/id/run" into origin and path without building a URL object. */
export function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

const ABORTED = new Error(`podbench: ${STOPPED_TEXT}`);

/**
 * Runs callbacks in one setImmediate, in the order they were queued. Answers that arrive
 * together (a thousand streams advancing in the same decode step) are each timestamped in
 * their socket's read callback, which is cheap; the work they start (parsing, records, the
 * next poll) waits for this batch. Without it, each read's follow-up work ran before the
 * next socket was read, and the last answer of a burst was timestamped tens of ms late.
 */
function createLater(): (callback: () => void) => void {
  let queue: Array<() => void> = [];
  const run = () => {
    const batch = queue;
    queue = [];
    for (const callback of batch) callback();
  };
  return (callback) => {
    if (queue.length === 0) setImmediate(run);
    queue.push(callback);
  };
}
const STOPPED = new Error('podbench: stopped reading');

/**
 * `maxConnections` caps sockets to the endpoint. Leave it unset when calls are held open
 * (runsync waits, long-polls, streams): each needs its own socket, or it would queue behind
 * others and its latency would include podbench's queue. Short calls (plain polls) share a
 * few hundred sockets, which keeps memory flat with thousands of jobs in flight.
 */
export function createHttpClient(
  apiKey: string | undefined,
  maxConnections?: number,
  clock: () => number = () => performance.now(),
): HttpClient {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: maxConnections ?? null,
    pipelining: 1,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `podbench/${PODBENCH_VERSION}`,
  };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const inFlight = new Set<Dispatcher.DispatchController>();
  let aborted = false;
  const later = createLater();

  const dispatch = (
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    options: CallOptions,
    onChunk: ((text: string, atMs: number) => boolean | undefined) | undefined,
  ): Promise<HttpResult> => {
    if (aborted) return Promise.resolve({ kind: 'aborted' });
    const { origin, path } = splitUrl(url);
    return new Promise<HttpResult>((resolve) => {
      let controller: Dispatcher.DispatchController | undefined;
      let status = 0;
      let retryAfterMs: number | undefined;
      let stopped = false;
      const pieces: Buffer[] = [];
      // A streaming decoder keeps a multi-byte character that a network read cut in two.
      const decoder = onChunk ? new TextDecoder('utf-8') : undefined;
      const finish = (result: HttpResult) => {
        if (controller) inFlight.delete(controller);
        later(() => resolve(result));
      };
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          inFlight.add(c);
        },
        onResponseStart(_c, statusCode, responseHeaders) {
          status = statusCode;
          const after = responseHeaders['retry-after'];
          const text = Array.isArray(after) ? after[0] : after;
          if (text !== undefined && /^\d+(\.\d+)?$/.test(text.trim())) retryAfterMs = Number(text) * 1000;
        },
        onResponseData(c, chunk) {
          if (decoder && status === 200) {
            // The arrival time first: under a burst of answers, decoding and parsing come later.
            const atMs = clock();
            if (onChunk?.(decoder.decode(chunk, { stream: true }), atMs) === false) {
              stopped = true;
              c.abort(STOPPED);
            }
          } else {
            pieces.push(chunk);
          }
        },
        onResponseEnd() {
          const receivedMs = clock();
          if (decoder && status === 200) {
            const tail = decoder.decode();
            if (tail) onChunk?.(tail, receivedMs);
          }
          const text =
            pieces.length === 1 ? (pieces[0] as Buffer).toString('utf8') : Buffer.concat(pieces).toString('utf8');
          finish(
            retryAfterMs === undefined
              ? { kind: 'response', status, text, receivedMs }
              : { kind: 'response', status, text, retryAfterMs, receivedMs },
          );
        },
        onResponseError(_c, err) {
          finish(classify(err, aborted || stopped));
        },
      };
      agent.dispatch(
        {
          origin,
          path,
          method,
          headers,
          // A string is a body serialised ahead of time (the driver prepares the next request while it waits).
          body:
            body === undefined
              ? method === 'POST'
                ? '{}'
                : null
              : typeof body === 'string'
                ? body
                : JSON.stringify(body),
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        },
        handler,
      );
    });
  };

  return {
    call: (method, url, body, options) => dispatch(method, url, body, options, undefined),
    stream: (url, body, options, onChunk) => dispatch('POST', url, body, options, onChunk),
    abortAll() {
      aborted = true;
      for (const c of inFlight) c.abort(ABORTED);
      inFlight.clear();
    },
    close: () => agent.close(),
  };
}

function classify(err: unknown, aborted: boolean): HttpResult {
  if (aborted) return { kind: 'aborted' };
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return { kind: 'timeout', message: `${code}: ${message}` };
  return { kind: 'network_error', message: code ? `${code}: ${message}` : message };
}
