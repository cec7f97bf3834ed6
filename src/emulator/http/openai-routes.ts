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
import type { Job, JobChange, JobListener } from '../types.js';
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

export async function handleOpenAI(ex: Exchange, path: OpenAIPath): Promise<void> {
  const { settings, endpoint } = ex.context;
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
  const relay = new OpenAIRelay(ex, job, stream);
  relay.onJobChange(job, isTerminal(job.status) ? 'terminal' : 'partial');
}

class OpenAIRelay implements JobListener {
  private readonly exchange: Exchange;
  private readonly job: Job;
  private readonly stream: boolean;
  /** Output items already written to the SSE body. */
  private written = 0;
  private streaming = false;
  private done = false;

  constructor(exchange: Exchange, job: Job, stream: boolean) {
    this.exchange = exchange;
    this.job = job;
    this.stream = stream;
    exchange.context.endpoint.listen(job, this);
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
    const res = this.exchange.res;
    const output = job.output;
    if (this.written >= output.length) return;
    if (!this.streaming) {
      this.streaming = true;
      // The SSE body has no length; the rate limiter's in-flight count is kept until it ends.
      res.writeHead(200, ['content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache']);
    }
    let text = '';
    for (; this.written < output.length; this.written++) {
      const item = output[this.written];
      text += typeof item === 'string' ? item : `data: ${JSON.stringify(item)}\n\n`;
    }
    if (!res.destroyed) res.write(text);
    const stats = this.exchange.context.endpoint.stats;
    const now = epochNowMs();
    noteSent(job, job.firstTokenAt !== undefined, now);
    const last = job.partials[job.partials.length - 1];
    if (last !== undefined) stats.holdWake.record(now - last.at);
    if (job.lastPartialDueAt !== undefined) stats.partialDelivery.record(now - job.lastPartialDueAt);
  }

  private fail(status: number, message: string, type: string): void {
    if (this.streaming) {
      const res = this.exchange.res;
      if (!res.destroyed) res.write(`data: ${openaiError(message, type, status).toString('utf8')}\n\n${SSE_DONE}`);
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
    this.exchange.releaseRoute();
    if (!this.exchange.res.destroyed) this.exchange.res.end();
    noteSent(this.job, false, epochNowMs());
  }

  private release(): void {
    this.done = true;
    this.exchange.context.endpoint.unlisten(this.job, this);
    this.exchange.res.off('close', this.onClose);
  }

  private readonly onClose = (): void => {
    if (this.done) return;
    this.release();
    this.exchange.releaseRoute();
    // The client is gone: stop the work it asked for.
    this.exchange.context.endpoint.cancel(this.job, epochNowMs());
  };
}
