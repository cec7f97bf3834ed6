// Reads a request body up to a byte limit (the platform's payload limits: 10 MB for /run,
// 20 MB for /runsync). Past the limit it stops keeping the body at once: a declared
// Content-Length over the limit is refused before a byte is kept, and a chunked body is
// abandoned as soon as it crosses the limit. The rest is read and dropped for a while (a
// lingering close): a server that closes a socket with request bytes still unread makes
// its TCP stack reset the connection, and the client, still sending, saw a broken pipe
// (EPIPE) instead of the 413 most of the time.
import type { IncomingMessage } from 'node:http';

export const MB = 1024 * 1024;

/** How long a refused body's rest is read and dropped before the socket is closed anyway. */
const LINGER_MS = 5000;

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/** Reads and drops the rest of a refused body, so the answer reaches the client; bounded in time. */
function dropRest(req: IncomingMessage): void {
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  req.resume();
}

export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    dropRest(req);
    return Promise.resolve({ kind: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limitBytes) {
        settle({ kind: 'too-large' });
        dropRest(req);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void =>
      settle({ kind: 'ok', body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) });
    const onError = (): void => settle({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

export type JsonResult =
  | { kind: 'ok'; value: unknown }
  | { kind: 'too-large' }
  | { kind: 'aborted' }
  | { kind: 'malformed'; message: string };

export async function readJson(req: IncomingMessage, limitBytes: number): Promise<JsonResult> {
  const result = await readBody(req, limitBytes);
  if (result.kind !== 'ok') return result;
  const text = result.body.toString('utf8');
  if (text.trim() === '') return { kind: 'ok', value: undefined };
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (err) {
    return { kind: 'malformed', message: err instanceof Error ? err.message : String(err) };
  }
}
