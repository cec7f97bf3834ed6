// SIGINT/SIGTERM during a run: the first stops scheduling and lets the runner wind down
// (cancel jobs, finish or abort in-flight requests, write reports); the second exits at
// once. results.ndjson is written line by line, so it is intact either way.
export interface Interrupt {
  /** Aborted on the first signal: stop scheduling. */
  stop: AbortSignal;
  dispose(): void;
}

export function installInterrupt(onFirst: (signal: NodeJS.Signals) => void, onSecond: () => void): Interrupt {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort();
      onFirst(signal);
    } else {
      onSecond();
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
