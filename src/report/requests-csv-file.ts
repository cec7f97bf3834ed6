// requests.csv written on a worker thread (./requests-csv-worker.ts), which parses
// results.ndjson and formats every row while the main thread builds the page.
import { RunError } from '../core/errors.js';
import { startModuleWorker } from '../util/module-worker.js';

/** Resolves when requests.csv is written; rows of the requests in `coldSeqs` say cold. */
export function writeRequestsCsvOnWorker(
  resultsPath: string,
  csvPath: string,
  coldSeqs: ReadonlySet<number>,
): Promise<void> {
  const cold = Int32Array.from(coldSeqs).sort();
  const worker = startModuleWorker(import.meta.url, './requests-csv-worker.js', {
    csvJob: { resultsPath, csvPath, cold },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { done: boolean; error?: string }) => {
      void worker.terminate();
      if (message.done) resolve();
      else reject(new RunError(`writing ${csvPath} failed: ${message.error ?? 'unknown error'}`));
    });
    worker.once('error', (err) => reject(new RunError(`writing ${csvPath} failed: ${err.message}`)));
  });
}
