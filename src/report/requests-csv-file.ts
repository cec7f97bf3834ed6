// requests.csv written on a worker thread (./requests-csv-worker.ts), which formats every
// row (and, when asked, collects the page's data) while the main thread derives the summary.
// The main thread hands it the blocks of records it read (src/core/record-block.ts), in the
// file's order; the cold-start verdicts follow when that pass has them.
import { RunError } from '../core/errors.js';
import type { RecordBlock } from '../core/record-block.js';
import { rmSync } from 'node:fs';
import { partialPath } from '../util/atomic-write.js';
import { startModuleWorker } from '../util/module-worker.js';
import { AckWindow } from '../util/handover.js';
import { registeredSecrets } from '../util/redact.js';
import { csvRowsPath } from './requests-csv.js';
import type { PageFinish, PageJob, Verdicts } from './requests-csv-worker.js';
import type { RequestTable } from '../metrics/request-table.js';
import type { ValueDeviations } from '../checks/value-deviations.js';
import type { VariantSummary } from '../core/summary.js';
import type { ReportData } from './html/types.js';

/**
 * The worker's young generation (V8's default is 16 MB a semi-space, 48 in all). At 8 MB it
 * collected its old generation several times a second once it collected the page too: 16
 * saved about 1.5 CPU s on a 1M-record report (25.5-26 -> 23.3-24 s at load 4-6) for 10-25
 * MB more peak RSS (456-473 -> 479-486 MB); 24 saved no more.
 */
const CSV_WORKER_YOUNG_MB = 16;

/**
 * Blocks posted and not yet read by the worker at most: the main thread waits beyond this
 * (the worker fell behind), so the records in between never pile up in memory.
 */
const MAX_BLOCKS_IN_FLIGHT = 8;

export interface RequestsCsvJob {
  /**
   * Hands a block of the file's records (in the file's order) to the worker, its numbers
   * transferred (the block is the worker's from then on); waits while the worker is too far behind.
   */
  forward(block: RecordBlock): Promise<void>;
  /** No more records: the worker finishes its rows and waits for the verdicts. */
  end(): void;
  /**
   * The cold requests (deriveRun's coldSeqs): the worker needs them to finish the file. With
   * the request tables, it also draws their value resamples (src/checks/value-deviations.ts),
   * which the promise gives (undefined when the worker failed).
   */
  verdicts(
    coldSeqs: ReadonlySet<number>,
    tables?: Record<string, RequestTable>,
  ): Promise<Record<string, ValueDeviations> | undefined>;
  /** The last word: with the summary's variants, the worker finishes the page it collected too (a page job was given). */
  finish(variants?: VariantSummary[]): void;
  /** Settles when requests.csv is written (or writing it failed: a RunError), with the page's data when it was asked for. */
  done: Promise<ReportData | undefined>;
  /** Stops the worker (the main pass failed); no requests.csv is left, not even a partial one. */
  cancel(): Promise<void>;
}

/** `page`: also collect the page's data there, in the same pass (see requests-csv-worker.ts). */
export function startRequestsCsv(csvPath: string, page?: PageJob): RequestsCsvJob {
  const worker = startModuleWorker(
    import.meta.url,
    './requests-csv-worker.js',
    // The worker cleans text cells as the main thread does: with the secrets this process holds.
    { csvJob: { csvPath, ...(page ? { page } : {}) }, secrets: [...registeredSecrets()] },
    // Everything it allocates is garbage within a row: a small young generation is enough,
    // and keeps the worker's share of a report's memory small.
    { maxYoungGenerationSizeMb: CSV_WORKER_YOUNG_MB },
  );
  const window = new AckWindow(MAX_BLOCKS_IN_FLIGHT);
  let finished = false;
  let drew: ((deviations: Record<string, ValueDeviations> | undefined) => void) | undefined;
  const done = new Promise<ReportData | undefined>((resolve, reject) => {
    worker.on(
      'message',
      (message: {
        ack?: true;
        deviations?: Record<string, ValueDeviations>;
        done?: boolean;
        error?: string;
        page?: ReportData;
      }) => {
        if (message.ack) {
          window.acked();
          return;
        }
        if (message.deviations) {
          drew?.(message.deviations);
          return;
        }
        settle(message, resolve, reject);
      },
    );
    worker.once('error', (err) => {
      stopped();
      reject(new RunError(`writing ${csvPath} failed: ${err.message}`));
    });
  });
  /** The worker answers no more (done, or failed): nothing waits for it. */
  const stopped = () => {
    finished = true;
    window.close();
    drew?.(undefined);
  };
  const settle = (
    message: { done?: boolean; error?: string; page?: ReportData },
    resolve: (page: ReportData | undefined) => void,
    reject: (err: Error) => void,
  ) => {
    stopped();
    void worker.terminate();
    if (message.done) resolve(message.page);
    else reject(new RunError(`writing ${csvPath} failed: ${message.error ?? 'unknown error'}`));
  };
  // Awaited by the caller; until then a failure must not count as an unhandled rejection.
  done.catch(() => undefined);
  return {
    async forward(block) {
      if (finished) return;
      window.sent();
      worker.postMessage({ block }, [block.numbers.buffer]);
      // A worker that failed (a full disk) answers no more: its error is the caller's at `done`.
      await window.room();
    },
    end() {
      if (!finished) worker.postMessage({ end: true });
    },
    verdicts(coldSeqs, tables) {
      const cold = Int32Array.from(coldSeqs).sort();
      const verdicts: Verdicts = { cold, ...(tables ? { tables } : {}) };
      const deviations = new Promise<Record<string, ValueDeviations> | undefined>((resolve) => {
        // A worker that failed draws nothing: the caller draws them itself.
        if (finished || !tables) resolve(undefined);
        else drew = resolve;
      });
      if (!finished) worker.postMessage(verdicts, [cold.buffer]);
      return deviations;
    },
    finish(variants) {
      const message: PageFinish = { ...(variants ? { variants } : {}) };
      if (!finished) worker.postMessage({ finish: true, ...message });
    },
    done,
    async cancel() {
      await worker.terminate();
      const rows = csvRowsPath(csvPath);
      for (const path of [rows, partialPath(rows), partialPath(csvPath)]) rmSync(path, { force: true });
    },
  };
}
