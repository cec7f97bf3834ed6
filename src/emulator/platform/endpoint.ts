// The emulated endpoint without its HTTP face: the job table, the queue, the workers, the
// timeline, and every state change of a job. The HTTP layer (http/) calls submit, cancel,
// retry, purgeQueue, health and the stream/listener methods; the timeline calls back for
// steps, boots, timeouts and expiries. All times are real epoch ms from clock.ts.
import { randomUUID } from 'node:crypto';
import { createRng, type Rng } from '../../util/rng.js';
import type { EmulatorSettings } from '../settings/schema.js';
import { Timeline, type ManualClock } from './timeline.js';
import type {
  EmulatorEvent,
  EngineHost,
  Job,
  JobListener,
  JobOrigin,
  JobRun,
  JobStatus,
  JobTruth,
  PartialOutput,
  WorkerEngine,
  WorkerSlot,
} from '../types.js';
import { createJob, isTerminal, statusBodyOf, truthOf } from './job.js';
import { JobQueue } from './job-queue.js';
import { JobCounts, type HealthJobs } from './job-counts.js';
import { TruthArchive } from './truth-archive.js';
import { planJob } from '../worker/plan-job.js';
import { Fleet, drawDurationMs, type WorkerCounts } from './fleet.js';
import { completeStep, prepareStep } from '../worker/engine.js';
import { syntheticBackend, type Backend } from '../worker/backend.js';
import { createJobRun } from '../worker/job-run.js';
import type { Demand } from './scaler.js';
import { modelList } from '../formats/openai-format.js';
import { crashError, failureError } from '../formats/fault-errors.js';
import { workerError, type WorkerError } from '../formats/worker-errors.js';
import { WebhookSender } from './webhook.js';
import { EmulatorStats } from './stats.js';
import { epochNowMs } from '../clock.js';

/** Runs whose next token is generated between two looks at the timeline (prepareLater): about 0.3 ms. */
const PREPARE_SLICE_RUNS = 64;
/** At most this long preparing steps in one turn of the event loop. */
const PREPARE_TURN_MS = 5;

export interface SubmitOptions {
  origin: JobOrigin;
  webhook: string | undefined;
  lowPriority: boolean;
  /** Emulated ms. */
  executionTimeoutMs: number;
  /** Emulated ms. */
  ttlMs: number;
}

export interface HealthBody {
  jobs: HealthJobs;
  workers: WorkerCounts;
}

export class Endpoint implements EngineHost {
  readonly settings: EmulatorSettings;
  readonly backend: Backend;
  /** The settings jobs are planned with: maxModelLen is the backend's real context window. */
  private readonly planSettings: EmulatorSettings;
  readonly timeline: Timeline<EmulatorEvent>;
  readonly fleet: Fleet;
  readonly stats = new EmulatorStats();
  private readonly rng: Rng;
  private readonly pickupRng: Rng;
  private readonly jobs = new Map<string, Job>();
  private readonly archive = new TruthArchive();
  private readonly queue = new JobQueue();
  private readonly webhooks: WebhookSender;
  private readonly log: (line: string) => void;
  private nextIndex = 0;
  private readonly counts = new JobCounts();
  private dispatching = false;
  private redispatch = false;
  /** The pickup time of the job queued last: pickups stay first in, first out. */
  private lastPickableAt = Number.NEGATIVE_INFINITY;
  /** The pending dispatch for when the queue's head may be picked up. */
  private pickupEntry: EmulatorEvent | undefined;
  private readonly pickupTimer = { onTimer: (nowMs: number) => this.onPickupDue(nowMs) };

  /** Frees the backend on close(); false for an endpoint that shares another's backend. */
  private readonly ownsBackend: boolean;
  /** A simulated clock: no event loop to wait for, steps are prepared at once. */
  private readonly manualClock: boolean;
  /** Engines whose begun step awaits its preparation (prepareLater), first come first served. */
  private unprepared: WorkerEngine[] = [];
  private preparing: NodeJS.Immediate | undefined;
  /** While a wake that completes steps is measured (stats.stepCpu): its CPU mark and delivered count. */
  private wakeCpu: NodeJS.CpuUsage | undefined;
  private wakeDelivered = 0;

  /** `clock`: a simulated clock the caller moves (../simulate.ts); absent, real time. */
  constructor(
    settings: EmulatorSettings,
    log: (line: string) => void,
    backend: Backend = syntheticBackend(settings),
    ownsBackend = true,
    clock?: ManualClock,
  ) {
    this.settings = settings;
    this.backend = backend;
    this.ownsBackend = ownsBackend;
    this.manualClock = clock !== undefined;
    this.planSettings =
      backend.maxModelLen === settings.maxModelLen ? settings : { ...settings, maxModelLen: backend.maxModelLen };
    this.rng = createRng(settings.seed);
    this.pickupRng = this.rng.fork('pickup');
    this.log = log;
    this.timeline = new Timeline<EmulatorEvent>((event, nowMs) => {
      try {
        this.onEvent(event, nowMs);
      } catch (err) {
        // A bug must not take the whole endpoint (and every other job) down with it.
        this.log(
          `podbench emulator: internal error on a ${event.kind} event: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      }
    }, clock);
    this.fleet = new Fleet(settings, this.rng.fork('fleet'), this.timeline, {
      dispatch: (nowMs) => this.dispatch(nowMs),
      demand: () => this.demand(),
      createWorker: (index, jitterRng) => backend.createWorker(index, jitterRng, this),
      log,
    });
    this.webhooks = new WebhookSender(settings, this.timeline, log);
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Truth by job id, or by the id of an OpenAI answer (chatcmpl-/cmpl- + the job's uuid). */
  truth(id: string): JobTruth | undefined {
    const responseHex = /^(?:chat)?cmpl-([0-9a-f]{32})$/.exec(id)?.[1];
    if (responseHex !== undefined) {
      const h = responseHex;
      id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}-u1`;
    }
    const job = this.jobs.get(id) ?? (responseHex !== undefined ? this.jobs.get(`sync-${id}`) : undefined);
    if (job !== undefined) return truthOf(job);
    return this.archive.get(id) ?? (responseHex !== undefined ? this.archive.get(`sync-${id}`) : undefined);
  }

  submit(input: Record<string, unknown>, options: SubmitOptions, nowMs: number): Job {
    const plan = planJob(input, this.planSettings, this.backend);
    const id = `${options.origin === 'runsync' ? 'sync-' : ''}${randomUUID()}-u1`;
    const job = createJob(
      {
        id,
        index: this.nextIndex++,
        origin: options.origin,
        input,
        plan,
        lowPriority: options.lowPriority,
        executionTimeoutMs: options.executionTimeoutMs,
        ttlMs: options.ttlMs,
        webhook: options.webhook,
      },
      nowMs,
    );
    this.jobs.set(id, job);
    job.ttlEntry = this.timeline.add({
      kind: 'job',
      job,
      what: 'ttl',
      at: nowMs + options.ttlMs / this.settings.timeScale,
    });
    this.enqueue(job, nowMs);
    this.dispatch(nowMs);
    return job;
  }

  cancel(job: Job, nowMs: number): void {
    if (job.status === 'IN_QUEUE' || job.status === 'IN_PROGRESS') this.finish(job, 'CANCELLED', nowMs, undefined);
  }

  /** /retry: only FAILED and TIMED_OUT jobs; same id and input, output dropped, queued again. */
  retry(job: Job, nowMs: number): boolean {
    if (job.status !== 'FAILED' && job.status !== 'TIMED_OUT') return false;
    this.timeline.cancel(job.retentionEntry);
    job.retentionEntry = undefined;
    job.retries++;
    this.counts.retried++;
    // A retry is a new attempt: delayTime counts from the retry, not the first submission.
    job.submittedAt = nowMs;
    job.enqueuedAt = nowMs;
    job.startedAt = job.firstTokenAt = job.completedAt = undefined;
    job.workerId = undefined;
    job.coldStart = false;
    job.outputTokens = 0;
    job.output = [];
    job.undelivered = [];
    job.partialAts = [];
    job.partialTokens = [];
    job.error = undefined;
    this.enqueue(job, nowMs);
    this.dispatch(nowMs);
    return true;
  }

  /** /purge-queue: every queued job is removed (here: CANCELLED); running ones are untouched. */
  purgeQueue(nowMs: number): number {
    const queued = this.queue.queued();
    for (const job of queued) this.finish(job, 'CANCELLED', nowMs, undefined);
    return queued.length;
  }

  health(): HealthBody {
    return { jobs: this.counts.health(), workers: this.fleet.counts() };
  }

  /** Running workers, for the dynamic rate limit. */
  runningWorkers(): number {
    return this.fleet.running();
  }

  /** Consume-on-read: the partials /stream has not delivered yet. */
  takeUndelivered(job: Job): unknown[] {
    const items = job.undelivered;
    if (items.length > 0) job.undelivered = [];
    return items;
  }

  listen(job: Job, listener: JobListener): void {
    job.listeners ??= [];
    job.listeners.push(listener);
  }

  unlisten(job: Job, listener: JobListener): void {
    const listeners = job.listeners;
    if (listeners === undefined) return;
    const at = listeners.indexOf(listener);
    if (at !== -1) listeners.splice(at, 1);
    if (listeners.length === 0) job.listeners = undefined;
  }

  private warming: Promise<void> | undefined;

  /** Before the first request: the active workers' models are loaded (a no-op for the synthetic backend). Once. */
  warmUp(): Promise<void> {
    this.warming ??= this.fleet.warmUp();
    return this.warming;
  }

  /** Stops everything; resolves once the backend has freed its models. */
  close(): Promise<void> {
    if (this.preparing !== undefined) clearImmediate(this.preparing);
    this.preparing = undefined;
    this.unprepared.length = 0;
    this.timeline.close();
    this.webhooks.close();
    this.stats.close();
    for (const slot of this.fleet.slots) slot.engine.halt();
    return this.ownsBackend ? this.backend.close() : Promise.resolve();
  }

  // ---- queue and dispatch ----

  private enqueue(job: Job, nowMs: number): void {
    const delayMs = drawDurationMs(this.settings.queue.pickupDelay, this.pickupRng) / this.settings.timeScale;
    job.pickableAt = Math.max(nowMs + delayMs, this.lastPickableAt);
    this.lastPickableAt = job.pickableAt;
    job.status = 'IN_QUEUE';
    job.statusBody = undefined;
    this.counts.queued(job);
    this.queue.push(job);
  }

  private demand(): Demand {
    return {
      queued: this.counts.scalingQueued,
      inProgress: this.counts.scalingInProgress,
      oldestQueuedAt: this.queue.oldestScaling()?.enqueuedAt,
    };
  }

  /** Hands queued jobs, oldest first, to warm workers with room; then lets the scaler act. */
  private dispatch(nowMs: number): void {
    if (this.dispatching) {
      this.redispatch = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.redispatch = false;
        for (;;) {
          const head = this.queue.peek();
          if (head === undefined) break;
          if (head.pickableAt > nowMs) {
            this.armPickup(head.pickableAt);
            break;
          }
          const slot = this.fleet.pick();
          if (slot === undefined) break;
          this.start(this.queue.shift() as Job, slot, nowMs);
        }
      } while (this.redispatch);
      this.fleet.scale(nowMs);
    } finally {
      this.dispatching = false;
    }
  }

  /** Dispatches again when the queue's head may be picked up (one pending entry at a time). */
  private armPickup(atMs: number): void {
    const pending = this.pickupEntry;
    if (pending !== undefined && !pending.cancelled && pending.at <= atMs) return;
    this.timeline.cancel(pending);
    this.pickupEntry = this.timeline.add({ kind: 'timer', target: this.pickupTimer, at: atMs });
  }

  private onPickupDue(nowMs: number): void {
    this.pickupEntry = undefined;
    this.dispatch(nowMs);
  }

  private start(job: Job, slot: WorkerSlot, nowMs: number): void {
    this.counts.started(job);
    job.status = 'IN_PROGRESS';
    job.statusBody = undefined;
    job.startedAt = nowMs;
    job.workerId = slot.id;
    job.slot = slot;
    job.coldStart = slot.justBooted;
    this.fleet.jobStarted(slot, job);
    job.executionEntry = this.timeline.add({
      kind: 'job',
      job,
      what: 'execution-timeout',
      at: nowMs + job.executionTimeoutMs / this.settings.timeScale,
    });
    const plan = job.plan;
    switch (plan.kind) {
      case 'generate': {
        const run = createJobRun(job, plan, this.settings, this.rng.fork(`job-${job.index}`), nowMs);
        job.run = run;
        slot.engine.admit(run);
        break;
      }
      case 'models':
        this.publishTo(
          job,
          [{ item: modelList(plan.model, plan.maxModelLen, Math.floor(Date.now() / 1000)), tokens: 0 }],
          nowMs,
        );
        this.finish(job, 'COMPLETED', nowMs, undefined);
        break;
      case 'reject':
        this.finish(job, 'FAILED', nowMs, plan.error);
        break;
      default: {
        const never: never = plan;
        throw new Error(`unknown plan ${JSON.stringify(never)}`);
      }
    }
  }

  /** Every way a job ends goes through here. */
  private finish(job: Job, status: JobStatus, nowMs: number, error: WorkerError | undefined): void {
    if (isTerminal(job.status)) return;
    const previous = job.status;
    job.status = status;
    job.statusBody = undefined;
    job.completedAt = nowMs;
    job.error = error;
    this.counts.left(job, previous, status);
    this.timeline.cancel(job.executionEntry);
    job.executionEntry = undefined;
    const slot = this.takeOffWorker(job);
    const retentionMs = job.origin === 'runsync' ? this.settings.retention.runsync : this.settings.retention.run;
    job.retentionEntry = this.timeline.add({
      kind: 'job',
      job,
      what: 'retention',
      at: nowMs + retentionMs / this.settings.timeScale,
    });
    this.notify(job, 'terminal');
    if (job.webhook !== undefined) this.webhooks.send(job.webhook, statusBodyOf(job), job.id);
    if (slot !== undefined) {
      this.fleet.jobEnded(slot, job, nowMs);
      this.dispatch(nowMs);
    }
  }

  /** Stops the job's run on its worker; returns the worker it held, if any (still counting the job). */
  private takeOffWorker(job: Job): WorkerSlot | undefined {
    const run = job.run;
    const slot = job.slot;
    job.run = undefined;
    job.slot = undefined;
    if (run !== undefined && slot !== undefined) slot.engine.detach(run);
    return slot;
  }

  /** TTL or retention over: the job is gone (404); its truth stays in the archive. */
  private remove(job: Job, nowMs: number): void {
    const truth = truthOf(job);
    if (!isTerminal(job.status)) {
      // TTL is a hard limit: the job is deleted even mid-run, with no terminal status.
      truth.status = 'TTL_EXPIRED';
      this.counts.left(job, job.status, undefined);
      job.status = 'CANCELLED'; // leaves the queue lazily
      this.timeline.cancel(job.executionEntry);
      const slot = this.takeOffWorker(job);
      if (slot !== undefined) {
        this.fleet.jobEnded(slot, job, nowMs);
        this.dispatch(nowMs);
      }
    }
    this.timeline.cancel(job.ttlEntry);
    this.timeline.cancel(job.retentionEntry);
    this.jobs.delete(job.id);
    this.archive.keep(truth);
    this.notify(job, 'deleted');
  }

  private notify(job: Job, change: 'partial' | 'terminal' | 'deleted'): void {
    const listeners = job.listeners;
    if (listeners === undefined) return;
    if (listeners.length === 1) (listeners[0] as JobListener).onJobChange(job, change);
    else for (const listener of listeners.slice()) listener.onJobChange(job, change);
  }

  // ---- the timeline ----

  private onEvent(event: EmulatorEvent, nowMs: number): void {
    switch (event.kind) {
      case 'step': {
        this.stats.stepLateness.record(nowMs - event.at);
        const measure = !this.manualClock && this.wakeCpu === undefined;
        if (measure) {
          this.wakeCpu = process.cpuUsage();
          this.wakeDelivered = this.stats.partialDelivery.count;
        }
        completeStep(event.engine, event.at, nowMs, this.settings, this);
        // Queued after the writes this step queued (process.nextTick is first in, first
        // out), so it runs once they are done, with those of any step completed after it.
        if (measure) process.nextTick(this.endWake);
        break;
      }
      case 'worker':
        this.fleet.onEvent(event, nowMs);
        break;
      case 'scale-check':
        this.fleet.onScaleCheck(event, nowMs);
        break;
      case 'job':
        if (event.what === 'execution-timeout') {
          if (event.job.executionEntry === event && event.job.status === 'IN_PROGRESS')
            this.finish(event.job, 'TIMED_OUT', nowMs, undefined);
        } else if (this.jobs.get(event.job.id) === event.job) {
          this.remove(event.job, nowMs);
        }
        break;
      case 'timer':
        event.target.onTimer(nowMs);
        break;
      default: {
        const never: never = event;
        throw new Error(`unknown timeline event ${JSON.stringify(never)}`);
      }
    }
  }

  // ---- EngineHost ----

  scheduleStep(engine: WorkerEngine, dueAt: number): void {
    this.timeline.add({ kind: 'step', engine, at: dueAt });
  }

  private readonly endWake = (): void => {
    const start = this.wakeCpu;
    this.wakeCpu = undefined;
    if (start === undefined) return;
    const delivered = this.stats.partialDelivery.count - this.wakeDelivered;
    if (delivered <= 0) return;
    const cpu = process.cpuUsage(start);
    this.stats.stepCpu.record((cpu.user + cpu.system) / 1000 / delivered);
  };

  prepareLater(engine: WorkerEngine): void {
    if (this.manualClock) {
      prepareStep(engine, this.settings);
      return;
    }
    this.unprepared.push(engine);
    this.preparing ??= setImmediate(this.prepareNext);
  }

  /**
   * Prepares the queued steps a slice at a time (setImmediate runs after the turn's timers
   * and the writes they queued), and gives the loop back as soon as a timeline entry falls
   * due (another worker's step is completed after at most one slice) or after a few ms (so
   * sockets are served). Yielding after every slice instead left the preparation behind on
   * a busy loop, and the steps were then prepared on the path of their own partials.
   */
  private readonly prepareNext = (): void => {
    this.preparing = undefined;
    const until = performance.now() + PREPARE_TURN_MS;
    for (;;) {
      const engine = this.unprepared[0];
      if (engine === undefined) break;
      let done = true;
      try {
        done = prepareStep(engine, this.settings, PREPARE_SLICE_RUNS);
      } catch (err) {
        this.log(
          `podbench emulator: internal error preparing a step: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      }
      if (done) this.unprepared.shift();
      if (this.timeline.nextAt() <= epochNowMs() || performance.now() >= until) break;
    }
    if (this.unprepared.length > 0) this.preparing = setImmediate(this.prepareNext);
  };

  publish(run: JobRun, partials: PartialOutput[], nowMs: number, dueAt: number): void {
    this.publishTo(run.job, partials, nowMs, dueAt);
  }

  private publishTo(job: Job, partials: PartialOutput[], nowMs: number, dueAt = nowMs): void {
    if (partials.length === 0) return;
    job.lastPartialDueAt = dueAt;
    const stream = job.origin !== 'openai';
    for (const partial of partials) {
      job.output.push(partial.item);
      job.partialAts.push(nowMs);
      job.partialTokens.push(partial.tokens);
      job.outputTokens += partial.tokens;
      if (partial.tokens > 0 && job.firstTokenAt === undefined) job.firstTokenAt = nowMs;
      if (stream) job.undelivered.push(partial.item);
    }
    this.notify(job, 'partial');
  }

  strike(run: JobRun, nowMs: number): void {
    const job = run.job;
    const fault = run.fault;
    if (fault === undefined) return;
    switch (fault.kind) {
      case 'failed':
        this.finish(job, 'FAILED', nowMs, failureError(run.plan.errorSite, job.output.length > 0));
        break;
      case 'crash': {
        const slot = job.slot as WorkerSlot;
        const victims = [...slot.jobs];
        this.fleet.crash(slot, nowMs);
        for (const victim of victims)
          this.finish(
            victim,
            'FAILED',
            nowMs,
            crashError(victim.plan.kind === 'generate' ? victim.plan.errorSite : run.plan.errorSite),
          );
        this.dispatch(nowMs);
        break;
      }
      case 'stall':
        // The job keeps its worker slot and stays IN_PROGRESS until its execution timeout.
        break;
      case 'timeout':
        break;
      default: {
        const never: never = fault.kind;
        throw new Error(`unknown fault ${String(never)}`);
      }
    }
  }

  fail(run: JobRun, message: string, nowMs: number): void {
    const job = run.job;
    if (job.run !== run) return;
    this.finish(
      job,
      'FAILED',
      nowMs,
      workerError({ message, type: 'InternalServerError', status: 500 }, run.plan.errorSite),
    );
  }

  complete(run: JobRun, nowMs: number): void {
    const job = run.job;
    let tokens = 0;
    for (let i = 0; i < run.plan.n; i++) tokens += run.sequences[i]?.tokens ?? 0;
    job.outputTokens = tokens;
    // The timeout fault: the work is done but never reported; the platform gives up.
    this.finish(job, run.fault?.kind === 'timeout' ? 'TIMED_OUT' : 'COMPLETED', nowMs, undefined);
  }
}
