// Runpod's two queue scalers as pure decisions (reference §5). Jobs submitted with
// policy.lowPriority never count here: they do not trigger scaling.
//
// REQUEST_COUNT  target workers = ceil((inQueue + inProgress) / value), clamped to [min, max].
// QUEUE_DELAY    with no live worker, a queued job starts one at once ("the first request
//                adds one worker"); otherwise one more worker is added when the oldest queued
//                job has waited `value` seconds, and at most one per `value` seconds while
//                jobs keep waiting that long. (How often the platform adds more is not
//                documented; one per scaler period is this emulator's reading.)

export interface Demand {
  /** Queued jobs that count for scaling. */
  queued: number;
  /** Running jobs that count for scaling. */
  inProgress: number;
  /** Real epoch ms at which the oldest counting job entered the queue (undefined: none). */
  oldestQueuedAt: number | undefined;
}

export function requestCountTarget(demand: Demand, value: number, min: number, max: number): number {
  const wanted = Math.ceil((demand.queued + demand.inProgress) / value);
  return Math.min(max, Math.max(min, wanted));
}

export interface QueueDelayState {
  live: number;
  max: number;
  /** Real epoch ms of the last worker this scaler added (-Infinity: none yet). */
  lastAddedAt: number;
  /** The scaler value in real ms. */
  delayMs: number;
}

export type QueueDelayDecision = { add: true } | { add: false; recheckAt: number | undefined };

export function queueDelayDecision(demand: Demand, state: QueueDelayState, nowMs: number): QueueDelayDecision {
  if (demand.oldestQueuedAt === undefined || demand.queued === 0) return { add: false, recheckAt: undefined };
  if (state.live >= state.max) return { add: false, recheckAt: undefined };
  if (state.live === 0) return { add: true };
  const dueAt = Math.max(demand.oldestQueuedAt + state.delayMs, state.lastAddedAt + state.delayMs);
  if (nowMs >= dueAt) return { add: true };
  return { add: false, recheckAt: dueAt };
}
