// A worker thread running one of podbench's own modules, wherever podbench runs from: the
// compiled .js beside the caller in dist/, or, under vitest, the .ts source through the
// transpiling bootstrap of ts-worker-loader.ts.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { TS_BOOTSTRAP_SOURCE, TS_LOADER_SOURCE } from './ts-worker-loader.js';

/**
 * Starts `entry` (a path relative to `callerUrl`, written with .js) in a worker with this
 * workerData. From sources, the .ts sibling is loaded instead.
 */
export function startModuleWorker(
  callerUrl: string,
  entry: string,
  workerData: Record<string, unknown>,
  resourceLimits?: WorkerOptions['resourceLimits'],
): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(entry, callerUrl), { workerData, ...limits });
  const typescriptUrl = pathToFileURL(createRequire(callerUrl).resolve('typescript')).href;
  return new Worker(TS_BOOTSTRAP_SOURCE, {
    ...limits,
    eval: true,
    workerData: {
      ...workerData,
      loaderSource: TS_LOADER_SOURCE,
      typescriptUrl,
      entryUrl: new URL(entry.replace(/\.js$/, '.ts'), callerUrl).href,
    },
  });
}
