// The native engine on several threads: this (the runner's) thread keeps the one schedule
// (driver.ts decides when each request is due, for every load model) and the job tracker;
// each client thread (thread-entry.ts) has its own event loop and connection pool, sends
// what it is handed and time-stamps the answers on the run's clock. One event loop
// time-stamps a whole decode step's worth of answers in turn (about 20 µs each), so at
// hundreds of streams the last of a burst is read late; threads split the burst.
import type { Worker } from 'node:worker_threads';
import type { RecordDraft, RequestRecord } from '../../core/record.js';
import type { LoopDelay } from '../../core/summary.js';
import { startModuleWorker } from '../../util/module-worker.js';
import type { VariantRunContext } from '../types.js';
import { correctInterruptCancel } from './execute.js';
import { perfMinusMonotonicMs } from './thread-clock.js';
import type { FromThread, ThreadRequest, ThreadStart, ToThread } from './thread-protocol.js';

export interface ClientThreads {
  readonly count: number;
  /** Hands the request to the least busy thread; resolves once its record was emitted. */
  send(request: ThreadRequest): Promise<void>;
  /** The run was interrupted: every thread ends its calls in flight. */
  abort(): void;
  /** After the last send: waits for every record, closes the threads, and returns each one's loop delay. */
  finish(): Promise<Array<LoopDelay | undefined>>;
}

interface ClientThread {
  worker: Worker;
  inFlight: Map<number, { request: ThreadRequest; resolve: () => void }>;
  loopDelayMs: LoopDelay | undefined;
  /** Resolves when the thread has ended, whichever way. */
  ended: Promise<void>;
  alive: boolean;
}

export async function startClientThreads(
  ctx: VariantRunContext,
  count: number,
  maxConnections: number | undefined,
): Promise<ClientThreads> {
  const { variant } = ctx;
  const mainPerfMinusMonotonicMs = perfMinusMonotonicMs();
  const threads: ClientThread[] = [];

  /** A request its thread never answered for (the thread failed): still a record. */
  const lostRecord = (request: ThreadRequest, why: string): RequestRecord => {
    const at = ctx.clock();
    const record: RecordDraft = {
      seq: request.seq,
      variant: variant.name,
      phase: request.phase,
      mode: variant.scenario.mode,
      outcome: 'protocol_error',
      error: `podbench error: its client thread failed: ${why}`,
      scheduledMs: request.scheduledMs,
      tokenSource: 'none',
      polls: 0,
      retries: 0,
      endMs: at,
    };
    return record as RequestRecord;
  };

  const start = (index: number): Promise<ClientThread> => {
    const data: ThreadStart = {
      index,
      variant: variant.name,
      scenario: variant.scenario,
      endpointUrl: ctx.endpointUrl,
      api: ctx.api,
      apiKey: ctx.apiKey,
      model: ctx.model,
      clockBase: { runStartPerfMs: ctx.clockStartPerfMs, mainPerfMinusMonotonicMs },
      maxConnections,
      tokenizerPath: ctx.tokenizer?.path,
    };
    const worker = startModuleWorker(import.meta.url, './thread-entry.js', { ...data });
    let markEnded: () => void = () => {};
    const thread: ClientThread = {
      worker,
      inFlight: new Map(),
      loopDelayMs: undefined,
      ended: new Promise<void>((resolve) => (markEnded = resolve)),
      alive: true,
    };
    const fail = (why: string) => {
      if (!thread.alive) return;
      thread.alive = false;
      for (const { request, resolve } of thread.inFlight.values()) {
        ctx.emit(lostRecord(request, why));
        resolve();
      }
      thread.inFlight.clear();
    };
    return new Promise<ClientThread>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromThread) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            resolve(thread);
            break;
          case 'job':
            ctx.jobs[message.op](message.jobId);
            break;
          case 'record': {
            const record = message.record;
            correctInterruptCancel(record as RecordDraft, ctx.jobs);
            const waiting = thread.inFlight.get(record.seq);
            thread.inFlight.delete(record.seq);
            ctx.emit(record);
            waiting?.resolve();
            break;
          }
          case 'finished':
            thread.loopDelayMs = message.loopDelayMs;
            break;
          default: {
            const never: never = message;
            return never;
          }
        }
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        fail(err.message);
      });
      worker.on('exit', (code) => {
        if (!ready) reject(new Error(`a client thread exited with code ${code} before it started`));
        fail(`it exited (code ${code})`);
        markEnded();
      });
    });
  };

  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => start(i)));
  for (const result of started) if (result.status === 'fulfilled') threads.push(result.value);
  const failure = started.find((r) => r.status === 'rejected');
  if (failure) {
    await Promise.all(threads.map((t) => t.worker.terminate()));
    const reason = (failure as PromiseRejectedResult).reason;
    throw new Error(
      `could not start the native engine's client threads: ${reason instanceof Error ? reason.message : String(reason)}`,
    );
  }
  const post = (thread: ClientThread, message: ToThread) => thread.worker.postMessage(message);

  return {
    count,
    send(request) {
      // The least busy live thread: streams of different lengths keep the threads even.
      let best: ClientThread | undefined;
      for (const t of threads) if (t.alive && (!best || t.inFlight.size < best.inFlight.size)) best = t;
      if (!best) {
        ctx.emit(lostRecord(request, 'every client thread has ended'));
        return Promise.resolve();
      }
      const thread = best;
      return new Promise<void>((resolve) => {
        thread.inFlight.set(request.seq, { request, resolve });
        post(thread, { type: 'send', ...request });
      });
    },
    abort() {
      for (const t of threads) if (t.alive) post(t, { type: 'abort' });
    },
    async finish() {
      for (const t of threads) if (t.alive) post(t, { type: 'finish' });
      await Promise.all(threads.map((t) => t.ended));
      return threads.map((t) => t.loopDelayMs);
    },
  };
}
