// The k6 engine: the variant becomes a k6 script (plan.ts, script.ts) and a file of request
// bodies, the k6 binary runs it, and the events the script writes on k6's log are read into
// records as they come (event-lines.ts, records.ts). k6 does the sending, podbench the reading:
// records, reports and checks are the same as with the native engine.
//
// What it cannot do is refused before anything is sent (planK6): openai-stream (k6 reads
// bodies only whole), Poisson arrivals, load.maxInFlight (k6 drops arrivals instead of
// delaying them), and stop/warmup combinations k6's executors cannot express.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RunError, STOPPED_TEXT, UsageError } from '../../core/errors.js';
import type { Engine, VariantRunContext } from '../types.js';
import { requireK6Binary } from './binary.js';
import { bodiesFileText, bodyCount, k6Requests } from './bodies.js';
import { capIterations, dropsIterations, planK6 } from './plan.js';
import { droppedPoint, eventPoint, K6_LINE_PREFIX, type K6Line, parseK6Line } from './event-lines.js';
import { openLogFifo } from './log-fifo.js';
import { K6_QUIET_ENV, prefixLineFilter, runK6 } from './process.js';
import { type CancelledEnd, createRecordBuilder } from './records.js';
import { renderK6Script } from './script.js';
import { k6Thresholds } from './thresholds.js';

const WANTED_LINES = prefixLineFilter(K6_LINE_PREFIX);
/**
 * Why a request ended when k6 ended it on its own, the run not stopped: its graceful stop
 * (timeouts.request) ran out. The request took too long, a failure like any client timeout:
 * not `aborted`, which the error rate leaves out as the run's doing.
 */
const CANCELLED_BY_K6 =
  "k6 ended the iteration before the request ended: it ran past its graceful stop (timeouts.request) after the schedule's end";
/**
 * A stopped k6 ends its requests at once: a /runsync call it ends before the answer came
 * leaves a job podbench never learns the id of (Runpod names it only in that answer), so
 * nothing can cancel it. The native engine lets such calls answer within --grace instead.
 */
const JOB_UNKNOWN =
  '; k6 ended its /runsync call before the answer named the job, so podbench could not cancel it: it may still run on the endpoint (the native engine waits up to --grace for the id)';

/**
 * Go's collector at its default (GOGC=100) takes about a fifth of k6's CPU under the
 * script's allocations (bench:cpu). k6 gets GOGC=400, a heap up to five times what is live
 * between collections, capped by a soft limit of half the machine's memory (GOMEMLIMIT), so
 * it collects more often than by default only where the default heap would already hold a
 * quarter of memory. A GOGC or GOMEMLIMIT of the user's own is passed on as it is.
 */
export function k6GcEnv(env: NodeJS.ProcessEnv, memoryBytes = totalmem()): Record<string, string> {
  if (env.GOGC !== undefined || env.GOMEMLIMIT !== undefined) {
    return {
      ...(env.GOGC !== undefined ? { GOGC: env.GOGC } : {}),
      ...(env.GOMEMLIMIT !== undefined ? { GOMEMLIMIT: env.GOMEMLIMIT } : {}),
    };
  }
  return { GOGC: '400', GOMEMLIMIT: String(Math.floor(memoryBytes / 2)) };
}

/**
 * Arguments for every k6 run podbench starts (the API key is never among them).
 * `summary`: k6 gathers every sample into its end-of-test summary, which podbench reads for
 * one figure only, the iterations its executor dropped (handleSummary()). A closed loop by
 * time drops none, so its run goes without: with neither thresholds nor a summary, k6
 * aggregates no sample at all (a twentieth of its CPU per request, bench:cpu).
 */
export function k6RunArgs(script: string, options: { logFile?: string | undefined; summary: boolean }): string[] {
  return [
    'run',
    '--no-usage-report',
    '--quiet',
    '--no-color',
    // Thresholds are podbench's to evaluate over the records.
    '--no-thresholds',
    ...(options.summary ? [] : ['--summary-mode=disabled']),
    // Records come from podbench's own events; fewer tags on k6's samples per HTTP call make them cheaper.
    '--system-tags=name,status',
    // The script's events are log lines, written as they are (no time or level around them).
    // No --out: podbench's records come from the script's events, not from k6's samples.
    '--log-format',
    'raw',
    // Through a FIFO when there is one (log-fifo.ts: k6 buffers what it writes to a file).
    ...(options.logFile === undefined ? [] : ['--log-output', `file=${options.logFile}`]),
    script,
  ];
}

export const k6Engine: Engine = {
  name: 'k6',
  capabilities: {
    modes: ['sync', 'async', 'stream', 'openai'],
    closedLoop: true,
    openLoop: true,
    streamingTtft: true,
    timesOnPodbenchLoop: false,
  },
  check(variant) {
    const planned = planK6(variant);
    if (!planned.ok) return planned.problems;
    // A machine without k6 cannot run this engine at all: exit 3, before anything is sent.
    requireK6Binary(process.env);
    return [];
  },
  async run(ctx: VariantRunContext): Promise<number> {
    const { variant } = ctx;
    const planned = planK6(variant);
    if (!planned.ok) throw new UsageError(planned.problems.join('\n'));
    const binary = requireK6Binary(process.env);
    const dir = mkdtempSync(join(tmpdir(), 'podbench-k6-'));
    const stem = 'variant';
    const apiKeyEnv = variant.scenario.target?.apiKeyEnv ?? 'RUNPOD_API_KEY';
    try {
      // budget.maxRequests, exactly: podbench learns of k6's sends from its log, up to a second late.
      const plan = ctx.requestsLeft === undefined ? planned.plan : capIterations(planned.plan, ctx.requestsLeft);
      const requests = k6Requests(variant, ctx.prompts, ctx.model, bodyCount(plan));
      const script = renderK6Script({
        scenarioName: variant.scenario.name,
        variant,
        plan,
        submitPath: requests.submitPath,
        stem,
        endpointUrl: '',
        apiKeyEnv,
        thresholds: k6Thresholds(variant.scenario.thresholds, variant.name),
        // podbench evaluates thresholds over the records (--no-thresholds below).
        forExport: false,
      });
      writeFileSync(join(dir, `${stem}.ts`), script);
      writeFileSync(join(dir, `${stem}.bodies.json`), bodiesFileText(requests.bodies));

      // The run's clock as epoch ms: the instant RunMeta.startedEpochMs names.
      const originEpochMs = performance.timeOrigin + performance.now() - ctx.clock();
      const syncMode = variant.scenario.mode === 'sync';
      /** Why k6 ended a request: it was stopped (aborted), or its graceful stop ran out (a client timeout). */
      function stoppedWhy(jobKnown: boolean): CancelledEnd {
        const stopped = ctx.stopSignal.aborted || ctx.abortSignal.aborted;
        const why = stopped ? STOPPED_TEXT : CANCELLED_BY_K6;
        const error = syncMode && !jobKnown ? why + JOB_UNKNOWN : why;
        return stopped ? error : { outcome: 'client_timeout', error };
      }
      let seq = ctx.seqStart;
      const builder = createRecordBuilder(variant.name, variant.scenario.mode, originEpochMs, {
        nextSeq: () => seq++,
        record: (record) => ctx.emit(record),
        sent: () => ctx.sent(),
        submitted: (jobId) => ctx.jobs.submitted(jobId),
        settled: (jobId) => ctx.jobs.settled(jobId),
        notSent: (phase, count) => ctx.notSent(phase, 'k6_dropped', count),
        cancelledWhy: stoppedWhy,
      });
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        // No user k6 config (cloud tokens, outputs) leaks into the run.
        HOME: dir,
        XDG_CONFIG_HOME: dir,
        ...K6_QUIET_ENV,
        ...k6GcEnv(process.env),
        PODBENCH_ENDPOINT_URL: ctx.endpointUrl,
      };
      if (ctx.apiKey) env[apiKeyEnv] = ctx.apiKey;
      let startEpochMs: number | undefined;
      let dropped = 0;
      // setup() writes the clock line before the first iteration starts; an event before it waits for it.
      const early: Array<Extract<K6Line, { kind: 'event' }>> = [];
      const log = openLogFifo(dir);
      const result = await runK6({
        binary,
        args: k6RunArgs(`${stem}.ts`, { logFile: log?.path, summary: dropsIterations(plan.executor) }),
        ...(log ? { log } : {}),
        cwd: dir,
        env,
        wanted: WANTED_LINES,
        onLine: (text) => {
          const line = parseK6Line(text);
          if (line === undefined) return;
          if (line.kind === 'clock') {
            startEpochMs = line.startEpochMs;
            for (const event of early.splice(0)) builder.push(eventPoint(event, startEpochMs));
          } else if (line.kind === 'dropped') dropped += line.count;
          else if (startEpochMs === undefined) early.push(line);
          else builder.push(eventPoint(line, startEpochMs));
        },
        stopSignal: ctx.stopSignal,
        abortSignal: ctx.abortSignal,
      });
      // k6 says how many iterations it dropped only at its end, not when: they count against
      // the measured phase unless the run measured nothing (see docs/engines.md).
      if (dropped > 0) builder.push(droppedPoint(dropped, originEpochMs + ctx.clock()));
      if (early.length > 0)
        throw new RunError(
          `the k6 script wrote ${early.length} events but never its clock line (setup()): ${result.stderrTail.trim().split('\n').slice(-4).join('\n')}`,
        );
      builder.finish(ctx.clock(), stoppedWhy);
      if (!result.stopped && result.exitCode !== 0) {
        const log = result.stderrTail.trim().split('\n').slice(-8).join('\n');
        throw new RunError(`k6 exited with ${result.exitCode ?? result.signal}${log ? `:\n${log}` : ''}`);
      }
      return seq;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
