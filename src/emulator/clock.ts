// The emulator's one clock. Every `*At` it stores or reports is epoch milliseconds with
// sub-millisecond precision, taken as performance.timeOrigin + performance.now(): monotonic
// within a thread, and comparable across threads and processes on one machine (each
// thread's timeOrigin is its own start in epoch ms), which is what JobTruth promises.
//
// Settings and client-given durations are *emulated* milliseconds; the emulator runs them
// `timeScale` times faster. Reported durations (delayTime, executionTime) are real ones.

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Real milliseconds that an emulated duration lasts at this time scale. */
export function realMs(emulatedMs: number, timeScale: number): number {
  return emulatedMs / timeScale;
}
