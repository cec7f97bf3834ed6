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
 * The relays with SSE bytes waiting for the end of this tick. A decode step publishes to
 * hundreds of streams in one timer callback; each relay only renders its bytes there and
 * queues itself, and the writes go to the kernel one after another right after that
 * callback (process.nextTick), each stamped once it returned. Writing each at once would
 * interleave the loopback wake-ups of the clients with the step's JS work, which on a
 * loaded machine made every step later.
 */
let queued: OpenAIRelay[] = [];

function flushQueued(): void {
  const relays = queued;
  queued = [];
  for (const relay of relays) relay.flush();
}

/** The HTTP/1.1 chunk res.write would send for `text`: size in hex, CRLF, data, CRLF. */
function chunkOf(text: string): string {
  return `${Buffer.byteLength(text, 'utf8').toString(16)}\r\n${text}\r\n`;
}

/**
 * Writes a piece of an SSE body now. The first piece (with the headers) goes through
 * res.write; after it each piece is framed here as an HTTP/1.1 chunk and handed to the
 * socket directly: Node's per-write bookkeeping in the response cost about a fifth of a
 * write's CPU. res.end() still writes the last chunk.
 */
function writeSse(res: ServerResponse, text: string, head: boolean): void {
  if (res.destroyed) return;
  // The SSE body has no length; the rate limiter's in-flight count is kept until it ends.
  if (head) {
    res.writeHead(200, ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache']);
    res.write(text);
    return;
  }
  // An empty chunk would end the body: res.write skips it, and so does this.
  if (text === '') return;
  const socket: Socket | null = res.socket;
  if (socket === null) res.write(text);
  else socket.write(chunkOf(text));
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
  /** Bytes rendered but not yet written (see `queued`), and what they carry. */
  private pendingText = '';
  private pendingHead = false;
  private pending = false;
  private pendingDueAt: number | undefined;
  private pendingLastAt: number | undefined;
  /** Due and last-partial times of earlier steps whose bytes wait in pendingText, in pairs. */
  private pendingEarlier: Array<number | undefined> | undefined;

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
      if (this.pending) {
        // Two steps in one turn (a late loop catching up): one write carries both, and
        // each step's partials are stamped after it with their own due time.
        this.pendingText += text;
        this.pendingEarlier ??= [];
        this.pendingEarlier.push(this.pendingDueAt, this.pendingLastAt);
      } else {
        if (queued.length === 0) process.nextTick(flushQueued);
        queued.push(this);
        this.pending = true;
        this.pendingHead = head;
        this.pendingText = text;
      }
      this.pendingDueAt = job.lastPartialDueAt;
      this.pendingLastAt = lastAt;
    } else {
      // The emulated network carries the bytes: handed to it is as far as the emulator goes.
      this.exchange.deliver(() => writeSse(res, text, head));
      this.noteWritten(job.lastPartialDueAt, lastAt);
    }
  }

  /** Writes the bytes queued by writePartials (if any), then stamps the partials they carry. */
  flush(): void {
    if (!this.pending) return;
    const text = this.pendingText;
    const earlier = this.pendingEarlier;
    this.pending = false;
    this.pendingText = '';
    this.pendingEarlier = undefined;
    writeSse(this.exchange.res, text, this.pendingHead);
    if (earlier !== undefined) for (let i = 0; i < earlier.length; i += 2) this.noteWritten(earlier[i], earlier[i + 1]);
    this.noteWritten(this.pendingDueAt, this.pendingLastAt);
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
    // What was queued goes first.
    this.flush();
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
    // The last partials go out before the end of the body.
    this.flush();
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
