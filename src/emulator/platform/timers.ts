// `timer` entries on the emulator's timeline: how the HTTP layer (held requests, delayed
// replies) and webhook deliveries put their own objects on it without closures (the kinds
// of entries are EmulatorEvent, ../types.ts).
import type { EmulatorEvent, TimerTarget } from '../types.js';
import type { Timeline } from './timeline.js';

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
