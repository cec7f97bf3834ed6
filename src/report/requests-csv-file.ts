// requests.csv written on a worker thread (./requests-csv-worker.ts), which parses
// results.ndjson and formats every row while the main thread derives the summary and the
// page from the same file. It starts with the main thread's pass; the cold-start verdicts
// follow when that pass has them.
import { RunError } from '../core/errors.js';
import { rmSync } from 'node:fs';
import { partialPath } from '../util/atomic-write.js';
import { startModuleWorker } from '../util/module-worker.js';
import { csvRowsPath } from './requests-csv.js';

/** The worker's young generation (V8's default is 16 MB a semi-space, 48 in all). */
const CSV_WORKER_YOUNG_MB = 8;

export interface RequestsCsvJob {
  /** The cold requests (deriveRun's coldSeqs): the worker needs them to finish the file. */
  resolve(coldSeqs: ReadonlySet<number>): void;
  /** Settles when requests.csv is written (or writing it failed: a RunError). */
  done: Promise<void>;
  /** Stops the worker (the main pass failed); no requests.csv is left, not even a partial one. */
  cancel(): Promise<void>;
}

export function startRequestsCsv(resultsPath: string, csvPath: string): RequestsCsvJob {
  const worker = startModuleWorker(
    import.meta.url,
    './requests-csv-worker.js',
    { csvJob: { resultsPath, csvPath } },
    // Everything it allocates is garbage within a row: a small young generation is enough,
    // and keeps the worker's share of a report's memory small.
    { maxYoungGenerationSizeMb: CSV_WORKER_YOUNG_MB },
  );
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', (message: { done: boolean; error?: string }) => {
      void worker.terminate();
      if (message.done) resolve();
      else reject(new RunError(`writing ${csvPath} failed: ${message.error ?? 'unknown error'}`));
    });
    worker.once('error', (err) => reject(new RunError(`writing ${csvPath} failed: ${err.message}`)));
  });
  // Awaited by the caller; until then a failure must not count as an unhandled rejection.
  done.catch(() => undefined);
  return {
    resolve(coldSeqs) {
      const cold = Int32Array.from(coldSeqs).sort();
      worker.postMessage({ cold }, [cold.buffer]);
    },
    done,
    async cancel() {
      await worker.terminate();
      const rows = csvRowsPath(csvPath);
      for (const path of [rows, partialPath(rows), partialPath(csvPath)]) rmSync(path, { force: true });
    },
  };
}
