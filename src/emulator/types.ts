// The shapes the emulator's rooms share. They point at each other: a job holds its run and
// its worker slot, a run holds its job, sequences and emitter, a slot holds its worker's
// engine and jobs, and timeline entries hold jobs, slots and engines. So they live here,
// apart from the code that acts on them (platform/ for jobs, slots and the timeline; worker/
// for runs, sequences, emitters and engines). This module imports only formats/, so every
// room can import it and no two modules import each other.
import type { Rng } from '../util/rng.js';
import type { GenerationPlan, JobPlan } from './formats/generation-plan.js';
import type { FinishReason } from './formats/openai-format.js';
import type { WorkerError } from './formats/worker-errors.js';

// ---- jobs (platform/job.ts) ----

export type JobStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

/** Which route created the job: it sets the id prefix and the result retention. */
export type JobOrigin = 'run' | 'runsync' | 'openai';

export type JobChange = 'partial' | 'terminal' | 'deleted';

/** A held HTTP request (long-poll, OpenAI stream) that wants to hear about one job. */
export interface JobListener {
  onJobChange(job: Job, change: JobChange): void;
}

/** What really happened to a job, for a harness to check its measurements against. */
export interface JobTruth {
  id: string;
  status: string;
  workerId?: string;
  /** This job waited for a worker's cold start or FlashBoot revival. */
  coldStart: boolean;
  promptTokens: number;
  outputTokens: number;
  submittedAt: number;
  startedAt?: number;
  /** When the first partial holding a token became available to clients. */
  firstTokenAt?: number;
  completedAt?: number;
  /** When the first answer carrying a token was handed to a client's socket (/stream or SSE). */
  firstTokenSentAt?: number;
  /** When the first answer showing the job ended was handed to a client's socket. */
  endSentAt?: number;
  /** Every partial as it became available. */
  partials: Array<{ at: number; tokens: number }>;
}

/** A job of the emulated endpoint: what was submitted, where it is in its life, what it produced. */
export interface Job {
  readonly id: string;
  /** Submission order: seeds the job's random draws. */
  readonly index: number;
  readonly origin: JobOrigin;
  readonly input: Record<string, unknown>;
  readonly plan: JobPlan;
  readonly lowPriority: boolean;
  readonly executionTimeoutMs: number;
  readonly ttlMs: number;
  readonly webhook: string | undefined;
  status: JobStatus;
  /** When it (re-)entered the queue: the QUEUE_DELAY scaler's clock. */
  enqueuedAt: number;
  /** The earliest a worker may pick it up: enqueuedAt plus the queue's pickup delay (real epoch ms). */
  pickableAt: number;
  submittedAt: number;
  startedAt: number | undefined;
  firstTokenAt: number | undefined;
  completedAt: number | undefined;
  firstTokenSentAt: number | undefined;
  endSentAt: number | undefined;
  workerId: string | undefined;
  coldStart: boolean;
  promptTokens: number;
  outputTokens: number;
  retries: number;
  /** The aggregate output list (every yielded partial). */
  output: unknown[];
  /** Partials not yet delivered by /stream. */
  undelivered: unknown[];
  /**
   * Every partial as it became available: when (real epoch ms) and how many tokens it
   * carried, as two parallel arrays of numbers rather than an object per partial (a
   * 5,000-stream load keeps hundreds of thousands of them; JobTruth shows them as objects).
   */
  partialAts: number[];
  partialTokens: number[];
  /** Modelled end of the decode step that produced the latest partial (for platform/stats.ts). */
  lastPartialDueAt: number | undefined;
  error: WorkerError | undefined;
  run: JobRun | undefined;
  /** The worker running it (IN_PROGRESS only). */
  slot: WorkerSlot | undefined;
  /** Pending execution-timeout, TTL and retention entries. */
  executionEntry: EmulatorEvent | undefined;
  ttlEntry: EmulatorEvent | undefined;
  retentionEntry: EmulatorEvent | undefined;
  listeners: JobListener[] | undefined;
  /** The cached /status body for the current state. */
  statusBody: Buffer | undefined;
  inputJson: string | undefined;
}

// ---- a job on a worker (worker/job-run.ts, worker/sequence.ts, worker/output-emitter.ts) ----

/** Injected per-job faults (settings.faults failed/timeout/crash/stall). */
export type JobFaultKind = 'failed' | 'timeout' | 'crash' | 'stall';

export interface JobFault {
  kind: JobFaultKind;
  /** Strikes once the first sequence has this many tokens (or when the job would end). */
  afterTokens: number;
}

/** A job while a worker generates it. */
export interface JobRun {
  readonly job: Job;
  readonly plan: GenerationPlan;
  readonly sequences: Sequence[];
  readonly rules: StopRules;
  readonly emitter: OutputEmitter;
  readonly fault: JobFault | undefined;
  /** Unfinished sequences. */
  active: number;
  /**
   * Real epoch ms of pickup: the run joins the first decode step that starts after it. A run
   * handed a slot that a step's end freed counts as picked up at that step's modelled end.
   */
  admitAt: number;
  /** Prompt tokens still to prefill (charged to the first step the run is part of). */
  prefillTokens: number;
  /** Taken off its worker's engine (finished, cancelled, timed out, stalled, crashed). */
  detached: boolean;
  /** The partials of the decode step in progress, rendered when it began (worker/engine.ts). */
  stepOut: PartialOutput[];
  /** The engine step (WorkerEngine.step) whose tokens stepOut holds; 0 before the first. */
  preparedStep: number;
}

/** One generated sequence of a job (worker/sequence.ts advances it). */
export interface Sequence {
  readonly rng: Rng;
  /** Returned to the client (index < n); the best_of extras only cost work. */
  readonly returned: boolean;
  tokens: number;
  text: string;
  /** Characters of `text` already released to the stream. */
  released: number;
  finished: boolean;
  finishReason: FinishReason | undefined;
  /** vLLM's stop_reason: the stop string or stop token id that ended it, else null. */
  stopReason: string | number | null;
  /** Advanced by the step just completed (false once finished). */
  stepped: boolean;
  /** Text released by the last step ('' when nothing new). */
  delta: string;
}

export interface StopRules {
  /** Characters held back while streaming: longest stop string - 1 (0 without stop strings). */
  holdBack: number;
  /**
   * The whole text is kept only when something needs it: a non-stream answer, or stop
   * strings to search. A stream without stop strings needs only each step's piece, and not
   * growing 5,000 strings a step keeps the garbage collector out of the way.
   */
  keepText: boolean;
  /** Deltas are wanted (a streamed answer); a non-stream answer only needs the final text. */
  streamed: boolean;
}

/** One item the worker yields: appended to the job's output list and queued for /stream. */
export interface PartialOutput {
  item: unknown;
  tokens: number;
}

export interface OutputEmitter {
  /** After a decode step; sequences that advanced have `stepped` set and their `delta`. */
  step(sequences: readonly Sequence[], out: PartialOutput[]): void;
  /** After the last step of the job. */
  finish(sequences: readonly Sequence[], out: PartialOutput[]): void;
}

// ---- workers (platform/fleet.ts, worker/backend.ts, worker/engine.ts) ----

export type WorkerState = 'idle' | 'initializing' | 'ready' | 'running' | 'throttled' | 'unhealthy';

/** One of the endpoint's workers, whatever state it is in. */
export interface WorkerSlot {
  readonly index: number;
  /** Like the platform's worker ids: 14 lower-case letters and digits. */
  readonly id: string;
  /** One of workers.min: always on. */
  readonly active: boolean;
  state: WorkerState;
  /** Has been warm before, so a revival may be a FlashBoot one. */
  usedBefore: boolean;
  /** The boot just finished: the jobs it takes now waited for a cold start. */
  justBooted: boolean;
  readonly jobs: Set<Job>;
  engine: WorkerModel;
  /** The pending boot / idle-timeout / recovery entry. */
  entry: EmulatorEvent | undefined;
  /** Booting: the model load (if any) has not finished yet. */
  loading: boolean;
  /** Booting: the drawn cold start is over, waiting for the model load. */
  bootDue: boolean;
}

/** One worker's engine, whatever turns its jobs into tokens. */
export interface WorkerModel {
  /** A job this worker picked up starts generating. */
  admit(run: JobRun): void;
  /** The run produces nothing more (finished elsewhere: cancel, timeout, TTL, crash). */
  detach(run: JobRun): void;
  /**
   * What a cold start must finish besides its drawn duration: a real model load, whose time
   * then lands in the delayTime of the jobs that waited for it. Undefined: nothing to load.
   */
  load(): Promise<void> | undefined;
  /** The worker scaled down (it has no job): free what load() built; a later load() rebuilds it. */
  unload(): void;
  /** The worker crashed: stop at once; the fleet replaces this engine when it recovers. */
  halt(): void;
}

/** What a worker's engine reports to: the endpoint. */
export interface EngineHost {
  /** Partials a run produced in the step that just ended (modelled to end at dueAt). */
  publish(run: JobRun, partials: PartialOutput[], nowMs: number, dueAt: number): void;
  /** The run's injected fault strikes now (the run is already detached). */
  strike(run: JobRun, nowMs: number): void;
  /** The run's sequences are all finished and its last partials published (already detached). */
  complete(run: JobRun, nowMs: number): void;
  /** Asks for completeStep(engine) at `dueAt` (real epoch ms). */
  scheduleStep(engine: WorkerEngine, dueAt: number): void;
  /**
   * Asks for prepareStep(engine) once the step that just ended has been answered (its
   * partials written to the clients waiting for them): on a real clock after this turn of
   * the event loop, on a simulated one at once. completeStep prepares a step itself if it
   * falls due first.
   */
  prepareLater(engine: WorkerEngine): void;
  /** The generation itself raised (a real engine's error; never the synthetic model's). */
  fail(run: JobRun, message: string, nowMs: number): void;
}

/** The synthetic model's step loop on one worker (worker/engine.ts runs it). */
export interface WorkerEngine {
  readonly workerIndex: number;
  runs: JobRun[];
  /** Picked up, waiting for the next step to start. */
  pending: JobRun[];
  /** A step is scheduled (its end is on the timeline). */
  stepping: boolean;
  /** Inside completeStep: admissions wait for the loop's own next step. */
  busy: boolean;
  /** The worker died: no further steps. */
  halted: boolean;
  readonly jitterRng: Rng;
  /** The runs array of the previous step, reused for the next (no new array per step). */
  spare: JobRun[];
  /** While busy: the modelled end of the step being completed. */
  stepEndAt: number;
  /** Counts the steps begun; a run's preparedStep says whether its part of this one is generated. */
  step: number;
  /** Every run's part of the scheduled step is generated (prepareStep finished it). */
  prepared: boolean;
}

// ---- the timeline's entries (platform/timeline.ts, platform/timers.ts) ----

export interface TimelineEntry {
  /** Real epoch ms at which the entry falls due. */
  at: number;
  cancelled: boolean;
  /** Insertion order, so entries due at the same instant run first-in first-out. */
  seq: number;
}

/** What a `timer` entry calls when it falls due. */
export interface TimerTarget {
  onTimer(nowMs: number): void;
}

/**
 * The kinds of entries on the emulator's timeline. The endpoint routes each to the module
 * that owns it; `timer` lets the HTTP layer and webhook deliveries put their own objects on it.
 */
export type EmulatorEvent = TimelineEntry &
  (
    | { kind: 'step'; engine: WorkerEngine }
    | { kind: 'worker'; slot: WorkerSlot; what: 'booted' | 'idle-timeout' | 'recovered' }
    | { kind: 'scale-check' }
    | { kind: 'job'; job: Job; what: 'execution-timeout' | 'ttl' | 'retention' }
    | { kind: 'timer'; target: TimerTarget }
  );
