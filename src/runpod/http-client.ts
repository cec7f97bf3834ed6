// podbench's HTTP calls to an endpoint (the native engine's requests, the runner's preflight,
// /health samples and cancels), on one undici Agent (keep-alive, no connection cap) so
// thousands of long-polls and streams run at once. It uses undici's low-level dispatch
// API: no stream object, no AbortSignal and no URL object per request, which is where a
// load generator's time goes at thousands of requests a second. Every call reports what
// happened as a value, never as a thrown error: the callers turn results into records.
//
// Every call is bounded whatever the server does: a deadline for the whole exchange that a
// server trickling its bytes cannot extend (undici's own timeouts restart with every byte),
// and a cap on the bytes of an answer read whole.
import { Agent, type Dispatcher } from 'undici';
import { RESPONSE_LIMITS } from '../core/input-limits.js';
import { PODBENCH_VERSION } from '../util/version.js';
import { formatBytes } from '../util/size.js';
import { STOPPED_TEXT } from '../core/errors.js';

export type HttpResult =
  /** receivedMs: when the answer's last byte arrived, on the client's clock, before any parsing. */
  | { kind: 'response'; status: number; text: string; retryAfterMs?: number; receivedMs: number }
  | { kind: 'network_error'; message: string }
  /** whole: the exchange's own deadline ran out (CallOptions.totalMs), not a gap between bytes. */
  | { kind: 'timeout'; message: string; whole?: boolean }
  /** An answer podbench stopped reading: larger than the client's cap. */
  | { kind: 'too_large'; status: number; message: string }
  | { kind: 'aborted' };

export interface CallOptions {
  /** No response headers (or, streaming, no new bytes) for this long → timeout. */
  timeoutMs: number;
  /**
   * The whole exchange (headers and every byte of the body) ends within this long, however
   * the server paces its bytes; default timeoutMs. A stream passes the request's remaining time.
   */
  totalMs?: number;
  /** Ends the call as `aborted` (the preflight stops on the first Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Called with the time the request starts going onto its socket (undici is about to write
   * it): later than the call when it waited for a socket or behind other writes.
   */
  onWrite?: (atMs: number) => void;
}

export interface HttpClientOptions {
  /** Caps sockets to the endpoint (see createHttpClient). */
  maxConnections?: number;
  clock?: () => number;
  /** An answer read whole stops being read past this many bytes (a `too_large` result). */
  maxBodyBytes?: number;
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
export function createHttpClient(apiKey: string | undefined, options: HttpClientOptions = {}): HttpClient {
  const clock = options.clock ?? (() => performance.now());
  const maxBodyBytes = options.maxBodyBytes ?? RESPONSE_LIMITS.maxBodyBytes;
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: options.maxConnections ?? null,
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
    if (aborted || options.signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    const { origin, path } = splitUrl(url);
    const totalMs = Math.max(1, options.totalMs ?? options.timeoutMs);
    const idleMs = Math.max(1, Math.min(options.timeoutMs, totalMs));
    return new Promise<HttpResult>((resolve) => {
      let controller: Dispatcher.DispatchController | undefined;
      let status = 0;
      let retryAfterMs: number | undefined;
      /** Why podbench ended the call itself, if it did. */
      let endedBy: 'stopped' | 'deadline' | 'too_large' | 'signal' | undefined;
      let done = false;
      let bytes = 0;
      const pieces: Buffer[] = [];
      // A streaming decoder keeps a multi-byte character that a network read cut in two.
      const decoder = onChunk ? new TextDecoder('utf-8') : undefined;
      const end = (why: NonNullable<typeof endedBy>, error: Error) => {
        endedBy ??= why;
        pieces.length = 0;
        // Not started yet (waiting for a socket): it ends here; its start is aborted when it comes.
        if (controller) controller.abort(error);
        else finish(resultOfEnd(endedBy, status, totalMs, maxBodyBytes));
      };
      const deadline = setTimeout(() => end('deadline', DEADLINE), totalMs);
      const onSignal = () => end('signal', ABORTED);
      options.signal?.addEventListener('abort', onSignal, { once: true });
      const finish = (result: HttpResult) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        options.signal?.removeEventListener('abort', onSignal);
        if (controller) inFlight.delete(controller);
        later(() => resolve(result));
      };
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (done) {
            c.abort(ABORTED);
            return;
          }
          options.onWrite?.(clock());
          inFlight.add(c);
        },
        onResponseStart(c, statusCode, responseHeaders) {
          status = statusCode;
          const after = responseHeaders['retry-after'];
          const text = Array.isArray(after) ? after[0] : after;
          if (text !== undefined && /^\d+(\.\d+)?$/.test(text.trim())) retryAfterMs = Number(text) * 1000;
          // A body announced larger than the cap is not read at all (a stream is parsed, not kept).
          const length = Number(responseHeaders['content-length']);
          if (!(decoder && status === 200) && Number.isFinite(length) && length > maxBodyBytes) {
            endedBy = 'too_large';
            c.abort(TOO_LARGE);
          }
        },
        onResponseData(c, chunk) {
          if (endedBy !== undefined) return;
          if (decoder && status === 200) {
            // The arrival time first: under a burst of answers, decoding and parsing come later.
            const atMs = clock();
            if (onChunk?.(decoder.decode(chunk, { stream: true }), atMs) === false) {
              endedBy = 'stopped';
              c.abort(STOPPED);
            }
            return;
          }
          bytes += chunk.length;
          if (bytes > maxBodyBytes) {
            endedBy = 'too_large';
            pieces.length = 0;
            c.abort(TOO_LARGE);
            return;
          }
          pieces.push(chunk);
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
          finish(
            aborted
              ? { kind: 'aborted' }
              : endedBy
                ? resultOfEnd(endedBy, status, totalMs, maxBodyBytes)
                : classify(err),
          );
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
          headersTimeout: idleMs,
          bodyTimeout: idleMs,
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

const DEADLINE = new Error('podbench: the exchange passed its deadline');
const TOO_LARGE = new Error('podbench: the answer passed the size cap');

/** What a call that podbench ended itself comes to. */
function resultOfEnd(
  why: 'stopped' | 'deadline' | 'too_large' | 'signal',
  status: number,
  totalMs: number,
  maxBodyBytes: number,
): HttpResult {
  switch (why) {
    case 'deadline':
      return {
        kind: 'timeout',
        whole: true,
        message: `no complete answer within ${Math.round(totalMs)} ms${status ? ` (HTTP ${status} came, its body did not finish)` : ''}`,
      };
    case 'too_large':
      return {
        kind: 'too_large',
        status,
        message: `the answer${status ? ` (HTTP ${status})` : ''} passed ${formatBytes(maxBodyBytes)} (limits.maxBodyBytes); podbench stopped reading it`,
      };
    case 'stopped':
    case 'signal':
      return { kind: 'aborted' };
    default: {
      const never: never = why;
      return never;
    }
  }
}

function classify(err: unknown): HttpResult {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return { kind: 'timeout', message: `${code}: ${message}` };
  return { kind: 'network_error', message: code ? `${code}: ${message}` : message };
}
