// One HTTP request and its answer. Every answer goes through here, so the per-request
// concerns live in one place: releasing the rate limiter's in-flight count, the emulated
// network's return half (network.ts), and the injected `slow` (answer late) and `malformed`
// (cut the JSON short) faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorSettings } from '../settings/schema.js';
import type { Endpoint } from '../platform/endpoint.js';
import type { RateLimiter, LimitedRoute } from '../platform/rate-limit.js';
import type { RequestFault } from './request-faults.js';
import type { TimerTarget } from '../types.js';
import { epochNowMs } from '../clock.js';
import type { Network } from './network.js';

/** What every route handler can reach. */
export interface ServerContext {
  readonly settings: EmulatorSettings;
  readonly endpoint: Endpoint;
  readonly limiter: RateLimiter | undefined;
  readonly log: (line: string) => void;
  readonly network: Network;
  /** The model server's own OpenAI-compatible routes (/v1/...), as `vllm serve` answers them. */
  readonly modelServer: Endpoint;
}

const JSON_TYPE = 'application/json';

/** Writes a complete answer unless the client is gone. */
export function writeAnswer(res: ServerResponse, status: number, body: Buffer, contentType = JSON_TYPE): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, ['content-type', contentType, 'content-length', String(body.length)]);
  res.end(body);
}

export class Exchange implements TimerTarget {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly context: ServerContext;
  /** The rate-limited route this request counts against (released on answer). */
  route: LimitedRoute | undefined;
  fault: RequestFault;
  /** An answer was sent (or scheduled, for the slow fault). */
  answered = false;
  /** Real epoch ms when the request was routed. */
  readonly receivedAt: number;
  /** Real ms the answer's bytes travel back to the client (the network's return half). */
  readonly returnMs: number;
  private delayedStatus = 0;
  private delayedBody: Buffer | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    context: ServerContext,
    fault: RequestFault,
    receivedAt: number,
    returnMs = 0,
  ) {
    this.req = req;
    this.res = res;
    this.context = context;
    this.fault = fault;
    this.route = undefined;
    this.receivedAt = receivedAt;
    this.returnMs = returnMs;
  }

  /** Runs a write of a streamed answer once the network has carried it (in order). */
  deliver(write: () => void): void {
    this.context.network.after(this.returnMs, write);
  }

  /** Answers with JSON (a Buffer, a string, or a value to serialise). */
  json(status: number, body: Buffer | string | object): void {
    const bytes = Buffer.isBuffer(body)
      ? body
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    this.send(status, bytes);
  }

  /** A JSON error body: {"error": message}. */
  error(status: number, message: string): void {
    this.json(status, { error: message });
  }

  /** Releases the request's rate-limit slot without answering (it continues as a stream). */
  releaseRoute(): void {
    if (this.route !== undefined && this.context.limiter !== undefined) this.context.limiter.release(this.route);
    this.route = undefined;
  }

  private send(status: number, body: Buffer): void {
    if (this.answered) return;
    this.answered = true;
    const fault = this.fault;
    if (fault.kind === 'malformed' && status === 200) {
      body = body.subarray(0, Math.min(body.length - 1, Math.floor(body.length * fault.keepFraction)));
    }
    const delayMs = (fault.kind === 'slow' ? fault.delayMs : 0) + this.returnMs;
    if (delayMs > 0) {
      this.delayedStatus = status;
      this.delayedBody = body;
      this.context.endpoint.timeline.add({ kind: 'timer', target: this, at: epochNowMs() + delayMs });
      return;
    }
    this.releaseRoute();
    writeAnswer(this.res, status, body);
  }

  /** The slow fault's delay, or the network's return half, is over. */
  onTimer(): void {
    this.releaseRoute();
    writeAnswer(this.res, this.delayedStatus, this.delayedBody as Buffer);
    this.delayedBody = undefined;
  }
}
