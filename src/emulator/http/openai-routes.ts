// The OpenAI-compatible routes under /v2/{endpointId}/openai/v1: the platform turns each
// call into a queue job with input {openai_route, openai_input} (so cold starts and
// queueing apply) and relays the worker's output: the single output object as JSON, or
// for `stream: true` the output strings concatenated into a text/event-stream body,
// written as the worker yields them.
//
// Not documented by Runpod, so chosen here (reference §6.6):
//   - headers are sent with the first partial; a job that fails before any output is
//     answered with an HTTP error and an OpenAI error body: FAILED -> the status vLLM gave
//     the problem (400 bad request, 404 unknown model, 500 worker failure), TIMED_OUT or
//     a TTL expiry -> 504, CANCELLED -> 500;
//   - a job that fails mid-stream gets `data: {"error": {...}}` and `data: [DONE]`;
//   - the jobs are ordinary jobs: visible in /status, counted by /health;
//   - a client that disconnects cancels its job.
//
// The same relay serves the model server's own routes (/v1/...), as `vllm serve` answers
// them: there the job runs on the model server's endpoint (start.ts), which has no queue
// delay, no cold start and no Runpod limits, and streams vLLM's SSE event by event.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Job, JobChange, JobListener } from '../types.js';
import type { Endpoint } from '../platform/endpoint.js';
import { isTerminal, noteSent } from '../platform/job.js';
import { epochNowMs } from '../clock.js';
import { SSE_DONE } from '../formats/openai-format.js';
import { vllmErrorBody } from '../formats/worker-errors.js';
import type { Exchange } from './exchange.js';
import { MB, readJson } from './body.js';

export const OPENAI_BODY_LIMIT_BYTES = 10 * MB;

function openaiError(message: string, type: string, status: number): Buffer {
  return Buffer.from(vllmErrorBody({ message, type, status }), 'utf8');
}

export type OpenAIPath = 'chat/completions' | 'completions' | 'models';

export function handleOpenAI(ex: Exchange, path: OpenAIPath): Promise<void> {
  return relayOpenAI(ex, path, ex.context.endpoint);
}

/** /v1/...: the model server itself, reached without the platform. */
export async function handleModelServer(ex: Exchange, path: OpenAIPath): Promise<void> {
  const modelServer = ex.context.modelServer;
  // A model that loads for real (llama) loads on the first call; the synthetic one has nothing to load.
  await modelServer.warmUp();
  return relayOpenAI(ex, path, modelServer);
}

async function relayOpenAI(ex: Exchange, path: OpenAIPath, endpoint: Endpoint): Promise<void> {
  const { settings } = ex.context;
  let input: Record<string, unknown>;
  let stream = false;
  if (path === 'models') {
    // A GET on /openai/* arrives at the worker as an empty openai_input (worker-vllm tests).
    input = { openai_route: '/v1/models', openai_input: {} };
  } else {
    const body = await readJson(ex.req, OPENAI_BODY_LIMIT_BYTES);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') return ex.json(413, openaiError('Request body too large', 'BadRequestError', 413));
    if (body.kind === 'malformed')
      return ex.json(400, openaiError(`Malformed JSON body: ${body.message}`, 'BadRequestError', 400));
    const value = body.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return ex.json(400, openaiError('The request body must be a JSON object', 'BadRequestError', 400));
    }
    input = { openai_route: `/v1/${path}`, openai_input: value };
    stream = (value as { stream?: unknown }).stream === true;
  }
  const job = endpoint.submit(
    input,
    {
      origin: 'openai',
      webhook: undefined,
      lowPriority: false,
      executionTimeoutMs: settings.executionTimeout,
      ttlMs: settings.ttl,
    },
    epochNowMs(),
  );
  const relay = new OpenAIRelay(ex, endpoint, job, stream);
  relay.onJobChange(job, isTerminal(job.status) ? 'terminal' : 'partial');
}

/**
 * Writes a piece of an SSE body. Like Node's http layer, it corks the socket and lets the
 * bytes leave on the next tick, so a decode step's writes to thousands of streams go to
 * the kernel one after another once the step's JS work is done (writing each at once
 * interleaves the loopback wake-ups of the client with that work, which on a loaded
 * machine made every step later). Returns the socket to flush with flushSse, or undefined
 * when the response is gone or has no socket yet (then res.write itself schedules it).
 *
 * After the first piece (headers, through res.write) each piece is framed here as an
 * HTTP/1.1 chunk, the bytes res.write would send (size in hex, CRLF, data, CRLF), and
 * handed to the socket directly: Node's per-write bookkeeping cost about a fifth of a
 * write's CPU. res.end() still writes the last chunk.
 */
function writeSse(res: ServerResponse, text: string, head: boolean): Socket | undefined {
  if (res.destroyed) return undefined;
  // The SSE body has no length; the rate limiter's in-flight count is kept until it ends.
  if (head) res.writeHead(200, ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache']);
  const socket = res.socket;
  if (socket === null) {
    res.write(text);
    return undefined;
  }
  socket.cork();
  if (head) res.write(text);
  // An empty chunk would end the body: res.write skips it, and so does this.
  else if (text !== '') socket.write(`${Buffer.byteLength(text, 'utf8').toString(16)}\r\n${text}\r\n`);
  return socket;
}

/**
 * The tick after writeSse: the bytes go to the kernel, then the relay stamps the partials
 * they carry (partialDelivery is taken after the write, not before it).
 */
function flushSse(
  socket: Socket | undefined,
  relay: OpenAIRelay,
  dueAt: number | undefined,
  lastAt: number | undefined,
): void {
  if (socket !== undefined) while (socket.writableCorked > 0) socket.uncork();
  relay.noteWritten(dueAt, lastAt);
}

class OpenAIRelay implements JobListener {
  private readonly exchange: Exchange;
  private readonly endpoint: Endpoint;
  private readonly job: Job;
  private readonly stream: boolean;
  /** Output items already written to the SSE body. */
  private written = 0;
  private streaming = false;
  private done = false;

  constructor(exchange: Exchange, endpoint: Endpoint, job: Job, stream: boolean) {
    this.exchange = exchange;
    this.endpoint = endpoint;
    this.job = job;
    this.stream = stream;
    endpoint.listen(job, this);
    exchange.res.on('close', this.onClose);
  }

  onJobChange(job: Job, change: JobChange): void {
    if (this.done) return;
    if (change === 'deleted') return this.fail(504, 'The job expired (ttl) before it finished', 'TimeoutError');
    if (this.stream && job.status !== 'FAILED') this.writePartials(job);
    if (!isTerminal(job.status)) return;
    switch (job.status) {
      case 'COMPLETED':
        if (this.streaming) return this.end();
        return this.answer(200, Buffer.from(JSON.stringify(job.output[0] ?? null), 'utf8'));
      case 'FAILED': {
        const problem = job.error?.problem ?? { message: 'The job failed', type: 'InternalServerError', status: 500 };
        return this.fail(problem.status, problem.message, problem.type);
      }
      case 'TIMED_OUT':
        return this.fail(504, 'The job timed out', 'TimeoutError');
      case 'CANCELLED':
        return this.fail(500, 'The job was cancelled', 'InternalServerError');
      default:
        return undefined;
    }
  }

  private writePartials(job: Job): void {
    const output = job.output;
    if (this.written >= output.length) return;
    const res = this.exchange.res;
    const head = !this.streaming;
    this.streaming = true;
    let text = '';
    for (; this.written < output.length; this.written++) {
      const item = output[this.written];
      text += typeof item === 'string' ? item : `data: ${JSON.stringify(item)}\n\n`;
    }
    const lastAt = job.partialAts[job.partialAts.length - 1];
    if (this.exchange.returnMs === 0) {
      process.nextTick(flushSse, writeSse(res, text, head), this, job.lastPartialDueAt, lastAt);
    } else {
      // The emulated network carries the bytes: handed to it is as far as the emulator goes.
      this.exchange.deliver(() => {
        const socket = writeSse(res, text, head);
        if (socket !== undefined) while (socket.writableCorked > 0) socket.uncork();
      });
      this.noteWritten(job.lastPartialDueAt, lastAt);
    }
  }

  /** The partials just written: when the first token and the end went out, and the emulator's delay (stats.ts). */
  noteWritten(dueAt: number | undefined, lastAt: number | undefined): void {
    const stats = this.endpoint.stats;
    const now = epochNowMs();
    noteSent(this.job, this.job.firstTokenAt !== undefined, now);
    if (lastAt !== undefined) stats.holdWake.record(now - lastAt);
    if (dueAt !== undefined) stats.partialDelivery.record(now - dueAt);
  }

  private fail(status: number, message: string, type: string): void {
    if (this.streaming) {
      const res = this.exchange.res;
      const text = `data: ${openaiError(message, type, status).toString('utf8')}\n\n${SSE_DONE}`;
      this.exchange.deliver(() => {
        if (!res.destroyed) res.write(text);
      });
      return this.end();
    }
    this.answer(status, openaiError(message, type, status));
  }

  private answer(status: number, body: Buffer): void {
    this.release();
    this.exchange.json(status, body);
    noteSent(this.job, this.job.firstTokenAt !== undefined, epochNowMs());
  }

  private end(): void {
    this.release();
    this.exchange.answered = true;
    const exchange = this.exchange;
    exchange.deliver(() => {
      exchange.releaseRoute();
      if (!exchange.res.destroyed) exchange.res.end();
    });
    noteSent(this.job, false, epochNowMs());
  }

  private release(): void {
    this.done = true;
    this.endpoint.unlisten(this.job, this);
    this.exchange.res.off('close', this.onClose);
  }

  private readonly onClose = (): void => {
    if (this.done) return;
    this.release();
    this.exchange.releaseRoute();
    // The client is gone: stop the work it asked for.
    this.endpoint.cancel(this.job, epochNowMs());
  };
}
