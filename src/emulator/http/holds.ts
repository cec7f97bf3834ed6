// Requests the emulator holds open until something happens to a job (long-polls):
//
//   stream    /stream/{id}?wait=ms     until a partial arrives, the job ends, or wait expires
//   status    /status-sync/{id}?wait=  until the job ends or wait expires (then its status)
//   runsync   /runsync?wait=           until the job ends, or answers {id, status} at expiry
//
// Waits are emulated ms (scaled). A hold that is woken answers at once, in the same turn of
// the event loop as the change; holdWake in platform/stats.ts measures how long that took.
import type { EmulatorEvent, Job, JobChange, JobListener, JobStatus, TimerTarget } from '../types.js';
import { isTerminal, noteSent, statusBodyOf } from '../platform/job.js';
import { cancelTimer } from '../platform/timers.js';
import { epochNowMs } from '../clock.js';
import type { Exchange } from './exchange.js';

export type HoldKind = 'stream' | 'status' | 'runsync';

export const NOT_FOUND_BODY = Buffer.from('{"error":"request does not exist"}');

/** The /stream answer: only partials not delivered before ("consume on read"), `stream` always present. */
export function streamBody(job: Job, items: readonly unknown[]): Buffer {
  let text = `{"status":"${job.status}","stream":[`;
  for (let i = 0; i < items.length; i++) text += `${i === 0 ? '' : ','}{"output":${JSON.stringify(items[i])}}`;
  text += ']';
  if (job.error !== undefined) text += `,"error":${JSON.stringify(job.error.text)}`;
  return Buffer.from(`${text}}`, 'utf8');
}

/**
 * {id, status}: what /run, /retry and /cancel answer, and /runsync when its wait runs out
 * (the job keeps running).
 */
export function idStatusBody(job: Job, status: JobStatus = job.status): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(job.id)},"status":"${status}"}`, 'utf8');
}

export class Hold implements JobListener, TimerTarget {
  private readonly exchange: Exchange;
  private readonly job: Job;
  private readonly kind: HoldKind;
  private entry: EmulatorEvent | undefined;
  private done = false;

  constructor(exchange: Exchange, job: Job, kind: HoldKind, waitRealMs: number) {
    this.exchange = exchange;
    this.job = job;
    this.kind = kind;
    const endpoint = exchange.context.endpoint;
    endpoint.listen(job, this);
    this.entry = endpoint.timeline.add({ kind: 'timer', target: this, at: epochNowMs() + waitRealMs });
    exchange.res.on('close', this.onClose);
  }

  onJobChange(job: Job, change: JobChange): void {
    if (change === 'deleted') {
      this.answer(404, NOT_FOUND_BODY, undefined);
      return;
    }
    if (this.kind === 'stream') {
      const items = this.exchange.context.endpoint.takeUndelivered(job);
      if (items.length === 0 && !isTerminal(job.status)) return;
      this.answer(
        200,
        streamBody(job, items),
        change === 'partial' ? job.partialAts[job.partialAts.length - 1] : job.completedAt,
        items.length > 0,
      );
      if (change === 'partial' && job.lastPartialDueAt !== undefined)
        this.exchange.context.endpoint.stats.partialDelivery.record(epochNowMs() - job.lastPartialDueAt);
      return;
    }
    if (change === 'terminal') this.answer(200, statusBodyOf(job), job.completedAt);
  }

  /** The wait ran out. */
  onTimer(): void {
    this.entry = undefined;
    const job = this.job;
    switch (this.kind) {
      case 'stream': {
        const items = this.exchange.context.endpoint.takeUndelivered(job);
        this.answer(200, streamBody(job, items), undefined, items.length > 0);
        break;
      }
      case 'status':
        this.answer(200, statusBodyOf(job), undefined);
        break;
      case 'runsync':
        this.answer(200, isTerminal(job.status) ? statusBodyOf(job) : idStatusBody(job), undefined);
        break;
      default: {
        const never: never = this.kind;
        throw new Error(`unknown hold ${String(never)}`);
      }
    }
  }

  private readonly onClose = (): void => {
    // The client went away: stop listening; nothing to answer.
    this.release();
    this.exchange.releaseRoute();
  };

  private release(): void {
    if (this.done) return;
    this.done = true;
    const endpoint = this.exchange.context.endpoint;
    endpoint.unlisten(this.job, this);
    cancelTimer(endpoint.timeline, this.entry);
    this.entry = undefined;
    this.exchange.res.off('close', this.onClose);
  }

  private answer(status: number, body: Buffer, changedAt: number | undefined, carriesTokens = false): void {
    if (this.done) return;
    this.release();
    this.exchange.json(status, body);
    noteSent(this.job, carriesTokens, epochNowMs());
    if (changedAt !== undefined) this.exchange.context.endpoint.stats.holdWake.record(epochNowMs() - changedAt);
  }
}
