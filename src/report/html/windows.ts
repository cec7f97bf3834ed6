// The time axis of the "over time" charts: the run cut into equal windows of a round width
// (1-2-5 steps from 100 ms), as many as fit under a cap, so a 5-second smoke test and a
// 10-hour soak both give a few dozen to a few hundred points.

export interface TimeWindows {
  widthMs: number;
  count: number;
  /** The window holding tMs; times outside the run are clamped to the first or last window. */
  indexOf(tMs: number): number;
  startMs(index: number): number;
  /** The last window ends at the run's end, so it may be shorter than widthMs. */
  lengthMs(index: number): number;
}

const MIN_WIDTH_MS = 100;

/** The smallest 1-2-5 width (≥ 100 ms) that cuts spanMs into at most maxWindows windows. */
export function windowWidthMs(spanMs: number, maxWindows: number): number {
  const wanted = Math.max(MIN_WIDTH_MS, spanMs / maxWindows);
  // A span that is not a number (a damaged file) would never be reached by the loop below.
  if (!Number.isFinite(wanted)) return MIN_WIDTH_MS;
  let decade = MIN_WIDTH_MS;
  for (;;) {
    for (const step of [1, 2, 5]) if (decade * step >= wanted) return decade * step;
    decade *= 10;
  }
}

export function timeWindows(spanMs: number, maxWindows: number): TimeWindows {
  const span = Number.isFinite(spanMs) ? Math.max(0, spanMs) : 0;
  const widthMs = windowWidthMs(span, maxWindows);
  const count = Math.max(1, Math.ceil(span / widthMs));
  return {
    widthMs,
    count,
    indexOf: (tMs) => Math.min(count - 1, Math.max(0, Math.floor(tMs / widthMs))),
    startMs: (index) => index * widthMs,
    lengthMs: (index) => (index < count - 1 || span === 0 ? widthMs : Math.max(span - index * widthMs, 1e-9)),
  };
}
