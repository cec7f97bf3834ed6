// The native engine's load driver: when to send. Closed loop keeps N users busy (N from the
// stage profile); open loop sends on the arrival schedule whatever the endpoint does, with
// an optional cap on requests in flight. Both record the scheduled time next to the sent
// time, so podbench falling behind shows up as send lag instead of hiding in latencies.
// Warmup runs first at the starting level; its requests are marked and left out of stats.
import type { Phase } from '../../core/record.js';
import { arrivalTimes } from '../../schedule/arrivals.js';
import { levelAt, replayArrivals, type LoadPlan } from '../../schedule/load-plan.js';
import { createPhases } from '../../schedule/phases.js';
import type { Rng } from '../../util/rng.js';

/** A request built ahead of its time: prompt, body and its JSON, so that sending is all that is left. */
export interface Prepared {
  readonly seq: number;
}

export interface DriveHooks {
  clock: () => number;
  stopSignal: AbortSignal;
  rng: Rng;
  /** Builds the next request (it takes the next sequence number). */
  prepare(): Prepared;
  /** A prepared request that will never be sent (the run stopped before it was due). */
  release(prepared: Prepared): void;
  /** Sends a prepared request and resolves when it has ended (its record is written by then). */
  send(prepared: Prepared, phase: Phase, scheduledMs: number): Promise<void>;
  /** A request that was due but never sent because the run stopped. */
  notSent(prepared: Prepared, phase: Phase, scheduledMs: number): void;
  /** Probe model: resolves once the endpoint reports no ready or running worker. */
  waitUntilIdle?(): Promise<void>;
}

/** Waits until the clock reaches dueMs: a timer for the bulk, then yielding turns for the last 2 ms (timers are 1 ms coarse). */
export async function sleepUntil(clock: () => number, dueMs: number, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) return;
    const remaining = dueMs - clock();
    if (remaining <= 0) return;
    if (remaining > 2) await new Promise<void>((resolve) => setTimeout(resolve, remaining - 1.5));
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export async function drive(plan: LoadPlan, hooks: DriveHooks): Promise<void> {
  switch (plan.model) {
    case 'open':
      return driveOpen(plan, hooks);
    case 'closed':
      return driveClosed(plan, hooks);
    case 'probe':
      return driveProbes(plan, hooks);
    default: {
      const never: never = plan.model;
      throw new Error(`unknown load model ${String(never)}`);
    }
  }
}

/** One request at a time; after each, a fixed gap or a wait until the endpoint scaled to zero. */
async function driveProbes(plan: LoadPlan, hooks: DriveHooks): Promise<void> {
  const probe = plan.probe ?? { gapMs: 0, untilIdle: false };
  for (let i = 0; i < (plan.requests ?? 0); i++) {
    if (hooks.stopSignal.aborted) return;
    await hooks.send(hooks.prepare(), 'measure', hooks.clock());
    if (i === (plan.requests ?? 0) - 1) break;
    if (probe.untilIdle && hooks.waitUntilIdle) await hooks.waitUntilIdle();
    if (probe.gapMs > 0) await sleepUntil(hooks.clock, hooks.clock() + probe.gapMs, hooks.stopSignal);
  }
}

async function driveClosed(plan: LoadPlan, hooks: DriveHooks): Promise<void> {
  const { clock, stopSignal } = hooks;
  const phases = createPhases(plan, clock());
  const running = new Set<number>();
  const users: Promise<void>[] = [];
  let finished = false;

  const target = () => Math.round(levelAt(plan.profile, phases.profileMs(clock())));

  const user = async (index: number): Promise<void> => {
    try {
      while (!finished && !stopSignal.aborted && index < target()) {
        const now = clock();
        const phase = phases.next(now);
        if (phase === undefined) {
          finished = true;
          break;
        }
        await hooks.send(hooks.prepare(), phase, now);
      }
    } finally {
      running.delete(index);
    }
  };

  const spawn = () => {
    const want = target();
    for (let index = 0; index < want; index++) {
      if (!running.has(index)) {
        running.add(index);
        users.push(user(index));
      }
    }
  };

  spawn();
  // Ramps change the target over time: look again every 50 ms until scheduling ends.
  const varying = plan.profile.length > 1;
  while (!finished && !stopSignal.aborted && (varying || running.size > 0)) {
    await new Promise<void>((resolve) => setTimeout(resolve, varying ? 50 : 100));
    if (varying) {
      spawn();
      const start = phases.measureStartMs();
      const lastBreakMs = plan.profile.at(-1)?.atMs ?? 0;
      // Past the last stage with nobody wanted: nothing more will ever be sent.
      if (start !== undefined && clock() - start > lastBreakMs && target() === 0 && running.size === 0) break;
    }
  }
  await Promise.all(users);
}

async function driveOpen(plan: LoadPlan, hooks: DriveHooks): Promise<void> {
  const { clock, stopSignal } = hooks;
  const inFlight = new Set<Promise<void>>();
  let slotFreed: (() => void) | undefined;

  const stopped$ = new Promise<void>((resolve) =>
    stopSignal.addEventListener('abort', () => resolve(), { once: true }),
  );

  const waitForSlot = async (): Promise<boolean> => {
    while (plan.maxInFlight !== undefined && inFlight.size >= plan.maxInFlight && !stopSignal.aborted) {
      await Promise.race([new Promise<void>((resolve) => (slotFreed = resolve)), stopped$]);
      slotFreed = undefined;
    }
    return !stopSignal.aborted;
  };

  /** Sends one arrival on time; false when the run stopped instead. The request is built before its time. */
  const sendAt = async (phase: Phase, dueMs: number): Promise<boolean> => {
    const prepared = hooks.prepare();
    await sleepUntil(clock, dueMs, stopSignal);
    if (stopSignal.aborted) {
      hooks.release(prepared);
      return false;
    }
    if (!(await waitForSlot())) {
      // It was due and waited for a slot when the run stopped: scheduled, never sent.
      hooks.notSent(prepared, phase, dueMs);
      return false;
    }
    const done: Promise<void> = hooks.send(prepared, phase, dueMs).finally(() => {
      inFlight.delete(done);
      slotFreed?.();
    });
    inFlight.add(done);
    return true;
  };

  let phaseStartMs = clock();
  let stopped = false;
  if (plan.warmup.requests > 0 || plan.warmup.durationMs > 0) {
    // Warmup at the starting rate until both its count and its duration are met.
    const startRate = plan.profile[0]?.level ?? 0;
    let sent = 0;
    for (const offset of arrivalTimes([{ atMs: 0, level: startRate }], plan.arrival, hooks.rng.fork('warmup'))) {
      if (sent >= plan.warmup.requests && offset >= plan.warmup.durationMs) {
        phaseStartMs += offset;
        break;
      }
      if (!(await sendAt('warmup', phaseStartMs + offset))) {
        stopped = true;
        break;
      }
      sent += 1;
    }
  }
  if (!stopped && plan.replay) {
    // A trace replay: each arrival at its (scaled) offset, which becomes its scheduled time.
    for (const offset of replayArrivals(plan)) {
      if (!(await sendAt('measure', phaseStartMs + offset))) break;
    }
  } else if (!stopped) {
    let measured = 0;
    for (const offset of arrivalTimes(plan.profile, plan.arrival, hooks.rng.fork('arrivals'), plan.durationMs)) {
      if (plan.requests !== undefined && measured >= plan.requests) break;
      if (!(await sendAt('measure', phaseStartMs + offset))) break;
      measured += 1;
    }
  }
  await Promise.all(inFlight);
}
