// The endpoint's worker slots and their life: idle (scaled down) -> initializing (cold start
// or FlashBoot revival) -> ready (warm, no job) <-> running (>= 1 job) -> back to idle after
// the idle timeout; unhealthy after a crash, then a fresh cold start. workers.min slots are
// the active workers: warm from the start and never scaled down. /health counts the states.
//
// Scale-down: under QUEUE_DELAY a worker with no job for idleTimeout goes idle. Runpod does
// not apply the idle timeout to REQUEST_COUNT endpoints; there an idle-timed-out worker only
// goes when live workers exceed the scaler's target (otherwise the target would boot it again
// at once), an emulator reading of an undocumented behaviour.
//
// A worker whose backend has a model to load (llama) loads it when it boots: it is ready
// when both its drawn cold start is over and the model is loaded, so the real load time
// lands in the delayTime of the jobs that waited. Scale-down frees the model; a crash drops
// the engine, and the recovered worker loads afresh.
import type { Rng } from '../../util/rng.js';
import type { DurationDist } from '../../util/schema.js';
import type { EmulatorSettings } from '../settings/schema.js';
import type { Timeline } from './timeline.js';
import type { EmulatorEvent, Job, WorkerModel, WorkerSlot, WorkerState } from '../types.js';
import { epochNowMs } from '../clock.js';
import { queueDelayDecision, requestCountTarget, type Demand } from './scaler.js';

export interface FleetHost {
  /** A worker became ready: give it queued jobs. */
  dispatch(nowMs: number): void;
  demand(): Demand;
  /** A new engine for a worker slot (at start, and when a crashed worker recovers). */
  createWorker(index: number, jitterRng: Rng): WorkerModel;
  /** Diagnostics (a model load that failed). */
  log(line: string): void;
}

export type WorkerCounts = Record<WorkerState, number>;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function drawDurationMs(dist: DurationDist, rng: Rng): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.ms;
    case 'uniform':
      return dist.minMs + rng.next() * (dist.maxMs - dist.minMs);
    case 'lognormal':
      return rng.lognormal(dist.medianMs, dist.sigma);
    default: {
      const never: never = dist;
      throw new Error(`unknown duration distribution ${JSON.stringify(never)}`);
    }
  }
}

export class Fleet {
  readonly slots: WorkerSlot[] = [];
  private readonly settings: EmulatorSettings;
  private readonly rng: Rng;
  private readonly timeline: Timeline<EmulatorEvent>;
  private readonly host: FleetHost;
  private lastAddedAt = Number.NEGATIVE_INFINITY;
  private scaleCheck: EmulatorEvent | undefined;

  constructor(settings: EmulatorSettings, rng: Rng, timeline: Timeline<EmulatorEvent>, host: FleetHost) {
    this.settings = settings;
    this.rng = rng;
    this.timeline = timeline;
    this.host = host;
    const ids = rng.fork('worker-ids');
    for (let index = 0; index < settings.workers.max; index++) {
      let id = '';
      for (let i = 0; i < 14; i++) id += ID_ALPHABET[Math.floor(ids.next() * ID_ALPHABET.length)];
      const active = index < settings.workers.min;
      this.slots.push({
        index,
        id,
        active,
        // Active workers are warm from the start.
        state: active ? 'ready' : 'idle',
        usedBefore: active,
        justBooted: false,
        jobs: new Set(),
        engine: host.createWorker(index, rng.fork(`jitter-${index}`)),
        entry: undefined,
        loading: false,
        bootDue: false,
      });
    }
  }

  counts(): WorkerCounts {
    const counts: WorkerCounts = { idle: 0, initializing: 0, ready: 0, running: 0, throttled: 0, unhealthy: 0 };
    for (const slot of this.slots) counts[slot.state]++;
    return counts;
  }

  live(): number {
    let live = 0;
    for (const slot of this.slots)
      if (slot.state === 'initializing' || slot.state === 'ready' || slot.state === 'running') live++;
    return live;
  }

  running(): number {
    let running = 0;
    for (const slot of this.slots) if (slot.state === 'running') running++;
    return running;
  }

  /** A warm worker with room for one more job, the least loaded first. */
  pick(): WorkerSlot | undefined {
    const limit = this.settings.workers.concurrency;
    let best: WorkerSlot | undefined;
    for (const slot of this.slots) {
      if ((slot.state === 'ready' || slot.state === 'running') && slot.jobs.size < limit) {
        if (best === undefined || slot.jobs.size < best.jobs.size) best = slot;
      }
    }
    return best;
  }

  jobStarted(slot: WorkerSlot, job: Job): void {
    slot.jobs.add(job);
    if (slot.state === 'ready') {
      slot.state = 'running';
      this.timeline.cancel(slot.entry);
      slot.entry = undefined;
    }
  }

  jobEnded(slot: WorkerSlot, job: Job, nowMs: number): void {
    slot.jobs.delete(job);
    if (slot.state === 'running' && slot.jobs.size === 0) {
      slot.state = 'ready';
      this.armIdle(slot, nowMs);
    }
  }

  /** Adds workers the scaler asks for. Call after anything that changes the demand. */
  scale(nowMs: number): void {
    const demand = this.host.demand();
    const { scaler, min, max } = this.settings.workers;
    let live = this.live();
    if (scaler.type === 'REQUEST_COUNT') {
      const target = requestCountTarget(demand, scaler.value, min, max);
      while (live < target && this.bootIdle(nowMs)) live++;
      return;
    }
    const delayMs = (scaler.value * 1000) / this.settings.timeScale;
    for (;;) {
      const decision = queueDelayDecision(demand, { live, max, lastAddedAt: this.lastAddedAt, delayMs }, nowMs);
      if (decision.add) {
        if (!this.bootIdle(nowMs)) return;
        this.lastAddedAt = nowMs;
        live++;
        continue;
      }
      if (
        decision.recheckAt !== undefined &&
        (this.scaleCheck === undefined || this.scaleCheck.cancelled || this.scaleCheck.at > decision.recheckAt)
      ) {
        this.timeline.cancel(this.scaleCheck);
        this.scaleCheck = this.timeline.add({ kind: 'scale-check', at: decision.recheckAt });
      }
      return;
    }
  }

  /** The worker died: it is unhealthy for crashDowntime, then free for a fresh cold start. */
  crash(slot: WorkerSlot, nowMs: number): void {
    slot.engine.halt();
    slot.loading = false;
    slot.bootDue = false;
    slot.jobs.clear();
    slot.state = 'unhealthy';
    slot.usedBefore = false;
    this.timeline.cancel(slot.entry);
    slot.entry = this.timeline.add({
      kind: 'worker',
      slot,
      what: 'recovered',
      at: nowMs + this.settings.faults.crashDowntime / this.settings.timeScale,
    });
  }

  onEvent(event: Extract<EmulatorEvent, { kind: 'worker' }>, nowMs: number): void {
    const slot = event.slot;
    if (slot.entry !== event) return;
    slot.entry = undefined;
    switch (event.what) {
      case 'booted':
        if (slot.loading) {
          slot.bootDue = true; // the model load finishes the boot (see boot())
          break;
        }
        this.booted(slot, nowMs);
        break;
      case 'idle-timeout':
        this.onIdleTimeout(slot, nowMs);
        break;
      case 'recovered':
        slot.engine = this.host.createWorker(slot.index, this.rng.fork(`jitter-${slot.index}-${nowMs}`));
        slot.state = 'idle';
        if (slot.active) this.boot(slot, nowMs);
        this.scale(nowMs);
        break;
      default: {
        const never: never = event.what;
        throw new Error(`unknown worker event ${String(never)}`);
      }
    }
  }

  onScaleCheck(event: EmulatorEvent, nowMs: number): void {
    if (this.scaleCheck === event) this.scaleCheck = undefined;
    this.scale(nowMs);
  }

  /**
   * Loads the models of the active workers (warm from the start): the endpoint answers no
   * request before they are ready, as on Runpod where active workers run before the test.
   */
  async warmUp(): Promise<void> {
    const loads: Array<Promise<void>> = [];
    for (const slot of this.slots) {
      const load = slot.active ? slot.engine.load() : undefined;
      if (load !== undefined) loads.push(load);
    }
    await Promise.all(loads);
  }

  private booted(slot: WorkerSlot, nowMs: number): void {
    slot.bootDue = false;
    slot.state = 'ready';
    slot.usedBefore = true;
    slot.justBooted = true;
    this.host.dispatch(nowMs);
    slot.justBooted = false;
    if (slot.jobs.size === 0) this.armIdle(slot, nowMs);
  }

  private onIdleTimeout(slot: WorkerSlot, nowMs: number): void {
    if (slot.state !== 'ready' || slot.jobs.size > 0 || slot.active) return;
    const { scaler, min, max } = this.settings.workers;
    if (
      scaler.type === 'REQUEST_COUNT' &&
      this.live() <= requestCountTarget(this.host.demand(), scaler.value, min, max)
    ) {
      this.armIdle(slot, nowMs);
      return;
    }
    slot.state = 'idle';
    slot.engine.unload();
  }

  private armIdle(slot: WorkerSlot, nowMs: number): void {
    if (slot.active) return;
    this.timeline.cancel(slot.entry);
    slot.entry = this.timeline.add({
      kind: 'worker',
      slot,
      what: 'idle-timeout',
      at: nowMs + this.settings.workers.idleTimeout / this.settings.timeScale,
    });
  }

  private bootIdle(nowMs: number): boolean {
    // Prefer a worker that ran before: with FlashBoot it may come back fast.
    let choice: WorkerSlot | undefined;
    for (const slot of this.slots) {
      if (slot.state !== 'idle') continue;
      if (choice === undefined || (slot.usedBefore && !choice.usedBefore)) choice = slot;
    }
    if (choice === undefined) return false;
    this.boot(choice, nowMs);
    return true;
  }

  private boot(slot: WorkerSlot, nowMs: number): void {
    const { flashboot, coldStart } = this.settings.workers;
    const flash = slot.usedBefore && flashboot.enabled && this.rng.chance(flashboot.probability);
    const durationMs = drawDurationMs(flash ? flashboot.start : coldStart, this.rng);
    slot.state = 'initializing';
    this.timeline.cancel(slot.entry);
    slot.entry = this.timeline.add({
      kind: 'worker',
      slot,
      what: 'booted',
      at: nowMs + durationMs / this.settings.timeScale,
    });
    const load = slot.engine.load();
    if (load === undefined) return;
    slot.loading = true;
    slot.bootDue = false;
    const engine = slot.engine;
    load.then(
      () => {
        // A crash in the meantime replaced the engine (or will boot it again): not this boot's business.
        if (slot.engine !== engine || slot.state !== 'initializing') return;
        slot.loading = false;
        if (slot.bootDue) this.booted(slot, epochNowMs());
      },
      (err: unknown) => {
        if (slot.engine !== engine || slot.state !== 'initializing') return;
        this.host.log(
          `podbench emulator: worker ${slot.id} could not load its model: ${err instanceof Error ? err.message : String(err)}`,
        );
        // Like a crash: unhealthy for crashDowntime, then a fresh boot.
        this.timeline.cancel(slot.entry);
        this.crash(slot, epochNowMs());
      },
    );
  }
}
