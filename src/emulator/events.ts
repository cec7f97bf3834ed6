// The kinds of entries on the emulator's timeline (see timeline.ts). The endpoint routes
// each to the module that owns it; `timer` lets the HTTP layer (held requests, delayed
// replies) and webhook deliveries put their own objects on the timeline without closures.
import type { TimelineEntry } from './timeline.js';
import type { WorkerEngine } from './engine.js';
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
