// The native engine (default): undici, every mode, closed and open loops, polling-aware
// streaming. It is the reference the other engines are compared with. On one thread it
// sends and time-stamps on the runner's own event loop; with more (threads.ts) the runner's
// thread keeps the schedule and client threads send and time-stamp.
import { MODES, type Phase } from '../../core/record.js';
import { createRng } from '../../util/rng.js';
import type { Engine, VariantRunContext } from '../types.js';
import { drive, type DriveHooks } from './driver.js';
import { executeRequest } from './execute.js';
import { buildSubmission } from '../../scenario/payload.js';
import type { Prepared } from './driver.js';
import { createHttpClient, type HttpClient } from '../../runpod/http-client.js';
import { activeWorkers, readHealth } from '../../runpod/health.js';
import { createSleeper, type RequestEnv } from './request-env.js';
import { targetCalls } from '../../runpod/targets/calls.js';
import { startClientThreads } from './threads.js';
import { clientThreadsFor } from './thread-count.js';

/** Sockets for modes whose calls are all short (see createHttpClient), shared by all client threads. */
const SHARED_SOCKETS = 256;

interface PreparedRequest extends Prepared {
  path: string;
  bodyText: string;
  promptTokens?: number;
}

export const nativeEngine: Engine = {
  name: 'native',
  capabilities: { modes: MODES, closedLoop: true, openLoop: true, streamingTtft: true, timesOnPodbenchLoop: true },
  check: () => [],
  async run(ctx: VariantRunContext): Promise<number> {
    const { variant } = ctx;
    const { mode, polling } = variant.scenario;
    // Short polls only (async or stream without ?wait): every call is brief, so sockets can be shared.
    const shortCallsOnly = (mode === 'async' || mode === 'stream') && polling.wait === 0;
    const threadCount = clientThreadsFor(variant, ctx.workers);
    // The shared sockets are split between the threads that send.
    const maxConnections = shortCallsOnly ? Math.ceil(SHARED_SOCKETS / threadCount) : undefined;
    // This thread's client sends the requests when there are no client threads (probes, and
    // their /health waits, always run on one); an agent nothing dispatches to costs nothing.
    const http = createHttpClient(ctx.apiKey, {
      ...(threadCount === 1 && maxConnections !== undefined ? { maxConnections } : {}),
      clock: ctx.clock,
      maxBodyBytes: variant.scenario.limits.maxBodyBytes,
    });
    const sleeper = createSleeper();
    const threads = threadCount > 1 ? await startClientThreads(ctx, threadCount, maxConnections) : undefined;
    // One listener for the whole variant: an interrupt ends every call and pause in flight.
    const interrupt = () => {
      http.abortAll();
      sleeper.interruptAll();
      threads?.abort();
    };
    ctx.abortSignal.addEventListener('abort', interrupt, { once: true });
    const rng = createRng(variant.scenario.seed).fork(`native:${variant.name}`);
    const env: RequestEnv = {
      endpointUrl: ctx.endpointUrl,
      calls: targetCalls(ctx.api, ctx.endpointUrl),
      scenario: variant.scenario,
      model: ctx.model,
      clock: ctx.clock,
      ...(ctx.tokenizer ? { countTokens: ctx.tokenizer.count } : {}),
      http,
      rng: rng.fork('retries'),
      jobs: ctx.jobs,
      interrupted: () => ctx.abortSignal.aborted,
      sleep: (ms) => sleeper.sleep(ms),
    };
    let seq = ctx.seqStart;
    const send: DriveHooks['send'] = async (prepared, phase: Phase, scheduledMs: number) => {
      const { seq: mySeq, path, bodyText, promptTokens } = prepared as PreparedRequest;
      ctx.sent();
      const tokens = promptTokens !== undefined ? { promptTokens } : {};
      if (threads) {
        await threads.send({ seq: mySeq, phase, scheduledMs, path, bodyText, ...tokens });
        return;
      }
      const record = await executeRequest(env, {
        seq: mySeq,
        variant: variant.name,
        phase,
        scheduledMs,
        path,
        bodyText,
        ...tokens,
      });
      ctx.emit(record);
    };
    try {
      await drive(variant.plan, {
        clock: ctx.clock,
        stopSignal: ctx.stopSignal,
        rng: rng.fork('schedule'),
        prepare: (): PreparedRequest => {
          const mySeq = seq++;
          const item = ctx.prompts.at(mySeq - ctx.seqStart);
          const submission = buildSubmission(variant.scenario, item, ctx.model);
          const prepared: PreparedRequest = {
            seq: mySeq,
            path: submission.path,
            bodyText: JSON.stringify(submission.body),
          };
          if (item.promptTokens !== undefined) prepared.promptTokens = item.promptTokens;
          return prepared;
        },
        release: (prepared) => {
          // The last request prepared was never due: give its number back, so numbers stay contiguous.
          if (prepared.seq === seq - 1) seq -= 1;
        },
        send,
        waitUntilIdle: () => waitUntilIdle(env, http, ctx.stopSignal),
        notSent: (prepared, phase) => {
          // Counted, not recorded: its number goes back, so the recorded numbers stay contiguous.
          if (prepared.seq === seq - 1) seq -= 1;
          ctx.notSent(phase, 'stopped', 1);
        },
      });
    } finally {
      ctx.abortSignal.removeEventListener('abort', interrupt);
      if (threads) ctx.clientThreads?.(await threads.finish());
      await http.close();
    }
    return seq;
  },
};

/**
 * Probes with untilIdle: poll /health until no worker is ready, running or booting, so the
 * next probe meets an endpoint scaled to zero. Bounded by timeouts.request and the run's stop.
 */
async function waitUntilIdle(env: RequestEnv, http: HttpClient, stop: AbortSignal): Promise<void> {
  // Only Runpod's API has /health; a local server or a model server has no workers to wait for.
  if (env.calls.api !== 'runpod') return;
  const deadline = env.clock() + env.scenario.timeouts.request;
  while (!stop.aborted && env.clock() < deadline) {
    const result = await http.call('GET', `${env.endpointUrl}/health`, undefined, {
      timeoutMs: env.scenario.timeouts.http,
    });
    if (result.kind === 'response' && result.status === 200) {
      // An unreadable answer: ask again.
      const health = readHealth(result.text);
      if (health && activeWorkers(health) === 0) return;
    }
    if (!(await env.sleep(200))) return;
  }
}
