// The kinds of entries on the emulator's timeline (see timeline.ts). The endpoint routes
// each to the module that owns it; `timer` lets the HTTP layer (held requests, delayed
// replies) and webhook deliveries put their own objects on the timeline without closures.
import type { Timeline, TimelineEntry } from './timeline.js';
import type { WorkerEngine } from '../worker/engine.js';
import type { WorkerSlot } from './fleet.js';
import type { Job } from './job.js';

export interface TimerTarget {
  onTimer(nowMs: number): void;
}

export type EmulatorEvent = TimelineEntry &
  (
    | { kind: 'step'; engine: WorkerEngine }
    | { kind: 'worker'; slot: WorkerSlot; what: 'booted' | 'idle-timeout' | 'recovered' }
    | { kind: 'scale-check' }
    | { kind: 'job'; job: Job; what: 'execution-timeout' | 'ttl' | 'retention' }
    | { kind: 'timer'; target: TimerTarget }
  );

/** What a cancelled `timer` entry points at instead of its target. */
const SPENT: TimerTarget = { onTimer: () => undefined };

/**
 * Cancels a `timer` entry and lets go of its target. Cancelled entries stay on the heap
 * until they come up or the heap is compacted (lazy deletion); a held request's target
 * reaches its whole request and response, which must not live on (and be promoted to the
 * old generation) for that long.
 */
export function cancelTimer(timeline: Timeline<EmulatorEvent>, entry: EmulatorEvent | undefined): void {
  if (entry === undefined || entry.kind !== 'timer') return;
  timeline.cancel(entry);
  entry.target = SPENT;
}
