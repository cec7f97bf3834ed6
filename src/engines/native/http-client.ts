// The native engine's HTTP calls, on one undici Agent (keep-alive, no connection cap) so
// thousands of long-polls and streams run at once. Every call reports what happened as a
// value, never as a thrown error: the callers turn results into records.
import { Agent, request, type Dispatcher } from 'undici';
import { PODBENCH_VERSION } from '../../version.js';

export type HttpResult =
  | { kind: 'response'; status: number; text: string; retryAfterMs?: number }
  | { kind: 'network_error'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'aborted' };

export interface HttpClient {
  /** One request, body read whole as text. */
  call(method: 'GET' | 'POST', url: string, body: unknown, options: CallOptions): Promise<HttpResult>;
  /** One request whose body is read as it arrives: onChunk runs for every piece of text. */
  stream(url: string, body: unknown, options: CallOptions, onChunk: (text: string) => void): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface CallOptions {
  /** No response headers (or, streaming, no new bytes) for this long → timeout. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export function createHttpClient(apiKey: string | undefined): HttpClient {
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: null, pipelining: 1 });
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `podbench/${PODBENCH_VERSION}`,
  };
  if (apiKey) baseHeaders['authorization'] = `Bearer ${apiKey}`;

  const open = async (method: 'GET' | 'POST', url: string, body: unknown, options: CallOptions): Promise<Dispatcher.ResponseData | HttpResult> => {
    try {
      return await request(url, {
        method,
        headers: baseHeaders,
        body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body),
        dispatcher: agent,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: options.signal,
      });
    } catch (err) {
      return classify(err, options.signal);
    }
  };

  return {
    async call(method, url, body, options) {
      const opened = await open(method, url, body, options);
      if ('kind' in opened) return opened;
      try {
        const text = await opened.body.text();
        return withRetryAfter({ kind: 'response', status: opened.statusCode, text }, opened.headers);
      } catch (err) {
        return classify(err, options.signal);
      }
    },
    async stream(url, body, options, onChunk) {
      const opened = await open('POST', url, body, options);
      if ('kind' in opened) return opened;
      if (opened.statusCode !== 200) {
        try {
          const text = await opened.body.text();
          return withRetryAfter({ kind: 'response', status: opened.statusCode, text }, opened.headers);
        } catch (err) {
          return classify(err, options.signal);
        }
      }
      // A streaming decoder keeps a multi-byte character that a network read cut in two.
      const decoder = new TextDecoder('utf-8');
      try {
        for await (const piece of opened.body) onChunk(decoder.decode(piece as Uint8Array, { stream: true }));
        const tail = decoder.decode();
        if (tail) onChunk(tail);
        return { kind: 'response', status: 200, text: '' };
      } catch (err) {
        return classify(err, options.signal);
      }
    },
    close: () => agent.close(),
  };
}

function withRetryAfter(result: HttpResult & { kind: 'response' }, headers: Record<string, string | string[] | undefined>): HttpResult {
  const value = headers['retry-after'];
  const text = Array.isArray(value) ? value[0] : value;
  if (text && /^\d+(\.\d+)?$/.test(text.trim())) return { ...result, retryAfterMs: Number(text) * 1000 };
  return result;
}

function classify(err: unknown, signal: AbortSignal | undefined): HttpResult {
  if (signal?.aborted) return { kind: 'aborted' };
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'timeout', message: `${code}: ${message}` };
  return { kind: 'network_error', message: code ? `${code}: ${message}` : message };
}
