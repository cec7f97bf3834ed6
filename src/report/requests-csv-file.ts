// requests.csv written on a worker thread (./requests-csv-worker.ts), which parses
// results.ndjson and formats every row (and, when asked, collects the page's data) while
// the main thread derives the summary from the same file. It starts with the main
// thread's pass; the cold-start verdicts follow when that pass has them.
import { RunError } from '../core/errors.js';
import { rmSync } from 'node:fs';
import { partialPath } from '../util/atomic-write.js';
import { startModuleWorker } from '../util/module-worker.js';
import { registeredSecrets } from '../util/redact.js';
import { csvRowsPath } from './requests-csv.js';
import type { PageJob, Verdicts } from './requests-csv-worker.js';
import type { VariantSummary } from '../core/summary.js';
import type { ReportData } from './html/types.js';

/**
 * The worker's young generation (V8's default is 16 MB a semi-space, 48 in all). At 8 MB it
 * collected its old generation several times a second once it collected the page too: 16
 * saved about 1.5 CPU s on a 1M-record report (25.5-26 -> 23.3-24 s at load 4-6) for 10-25
 * MB more peak RSS (456-473 -> 479-486 MB); 24 saved no more.
 */
const CSV_WORKER_YOUNG_MB = 16;

export interface RequestsCsvJob {
  /**
   * The cold requests (deriveRun's coldSeqs): the worker needs them to finish the file; with
   * the summary's variants, it finishes the page it collected too (a page job was given).
   */
  resolve(coldSeqs: ReadonlySet<number>, variants?: VariantSummary[]): void;
  /** Settles when requests.csv is written (or writing it failed: a RunError), with the page's data when it was asked for. */
  done: Promise<ReportData | undefined>;
  /** Stops the worker (the main pass failed); no requests.csv is left, not even a partial one. */
  cancel(): Promise<void>;
}

/** `page`: also collect the page's data there, in the same pass (see requests-csv-worker.ts). */
export function startRequestsCsv(resultsPath: string, csvPath: string, page?: PageJob): RequestsCsvJob {
  const worker = startModuleWorker(
    import.meta.url,
    './requests-csv-worker.js',
    // The worker cleans text cells as the main thread does: with the secrets this process holds.
    { csvJob: { resultsPath, csvPath, ...(page ? { page } : {}) }, secrets: [...registeredSecrets()] },
    // Everything it allocates is garbage within a row: a small young generation is enough,
    // and keeps the worker's share of a report's memory small.
    { maxYoungGenerationSizeMb: CSV_WORKER_YOUNG_MB },
  );
  const done = new Promise<ReportData | undefined>((resolve, reject) => {
    worker.once('message', (message: { done: boolean; error?: string; page?: ReportData }) => {
      void worker.terminate();
      if (message.done) resolve(message.page);
      else reject(new RunError(`writing ${csvPath} failed: ${message.error ?? 'unknown error'}`));
    });
    worker.once('error', (err) => reject(new RunError(`writing ${csvPath} failed: ${err.message}`)));
  });
  // Awaited by the caller; until then a failure must not count as an unhandled rejection.
  done.catch(() => undefined);
  return {
    resolve(coldSeqs, variants) {
      const cold = Int32Array.from(coldSeqs).sort();
      const verdicts: Verdicts = { cold, ...(variants ? { variants } : {}) };
      worker.postMessage(verdicts, [cold.buffer]);
    },
    done,
    async cancel() {
      await worker.terminate();
      const rows = csvRowsPath(csvPath);
      for (const path of [rows, partialPath(rows), partialPath(csvPath)]) rmSync(path, { force: true });
    },
  };
}
