// When a calibration's replay (src/answers/calibrate/replay.ts) misses the run it replays:
// the bound past which calibrate warns, and what-if repeats the warning. Pure.
import type { ReplayRow } from './calibration.js';

/** A replayed figure further off the measured one than this share is a miss: the model does not reproduce the run there. */
export const REPLAY_BOUND = 0.25;
/** ...and, for a latency, further off than this many ms (a few ms on a figure near 0 is no miss). */
export const REPLAY_FLOOR_MS = 50;

/** Did the replay miss this figure by more than the bound? (Unknown figures are no miss.) */
export function replayMissed(row: ReplayRow): boolean {
  if (row.measured === null || row.replayed === null) return false;
  const off = Math.abs(row.replayed - row.measured);
  if (row.metric === 'outputTokensPerSec') return off > REPLAY_BOUND * Math.abs(row.measured);
  return off > Math.max(REPLAY_BOUND * Math.abs(row.measured), REPLAY_FLOOR_MS);
}
