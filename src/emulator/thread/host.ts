// startEmulatorInWorker: the emulator on its own thread (and event loop), driven by
// messages. The entry module is found next to this file: dist/src/emulator/thread/entry.js
// when built; under vitest (sources) a bootstrap transpiles the .ts sources on the fly
// (see src/util/module-worker.ts).
import type { Worker } from 'node:worker_threads';
import type { EmulatorSettings, EmulatorSettingsInput } from '../settings/schema.js';
import type { JobTruth } from '../types.js';
import {
  endpointUrlOf,
  modelServerUrlOf,
  toSettings,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '../start.js';
import { checkLlamaInstall } from '../llama/preflight.js';
import type { FromWorker, ToWorker, WorkerStart } from './protocol.js';
import { startModuleWorker } from '../../util/module-worker.js';
import { RunError, UsageError } from '../../core/errors.js';

/** How long close() waits for the thread to end by itself before terminating it. */
const CLOSE_GRACE_MS = 5000;

function spawn(start: WorkerStart): Worker {
  return startModuleWorker(import.meta.url, './entry.js', { ...start });
}

export async function startEmulatorInWorker(
  settings: EmulatorSettingsInput | EmulatorSettings,
  options: StartEmulatorOptions = {},
): Promise<RunningEmulator> {
  const resolved = toSettings(settings);
  // Found out here, on the caller's thread, so the caller gets the UsageError itself.
  if (resolved.backend === 'llama') checkLlamaInstall(resolved);
  return startInWorker(resolved, options);
}

function startInWorker(settings: EmulatorSettings, options: StartEmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const worker = spawn({
    settings,
    host,
    port: options.port ?? 0,
    apiKey: options.apiKey,
    forwardLog: options.log !== undefined,
  });
  const truths = new Map<number, (truth: JobTruth | undefined) => void>();
  let nextRequest = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      for (const resolveTruth of truths.values()) resolveTruth(undefined);
      truths.clear();
      resolve();
    }),
  );
  const send = (message: ToWorker): void => worker.postMessage(message);

  return new Promise<RunningEmulator>((resolve, reject) => {
    let started = false;
    worker.on('error', (err) => {
      if (!started) {
        void worker.terminate();
        reject(err);
      } else options.log?.(`podbench emulator thread failed: ${err.message}`);
    });
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready': {
          started = true;
          let closing: Promise<void> | undefined;
          resolve({
            endpointUrl: endpointUrlOf(host, message.port),
            modelServerUrl: modelServerUrlOf(host, message.port),
            port: message.port,
            settings,
            jobTruth: (id) =>
              exited
                ? Promise.resolve(undefined)
                : new Promise((done) => {
                    const requestId = nextRequest++;
                    truths.set(requestId, done);
                    send({ type: 'truth', requestId, id });
                  }),
            close: () =>
              (closing ??= (async () => {
                if (!exited) send({ type: 'close' });
                const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
                await exit;
                clearTimeout(timer);
              })()),
          });
          break;
        }
        case 'failed': {
          if (message.kind !== undefined) {
            void worker.terminate();
            reject(message.kind === 'usage' ? new UsageError(message.message) : new RunError(message.message));
            break;
          }
          const err = new Error(message.message) as Error & { code?: string };
          if (message.code !== undefined) err.code = message.code;
          void worker.terminate();
          reject(err);
          break;
        }
        case 'log':
          options.log?.(message.line);
          break;
        case 'truth':
          truths.get(message.requestId)?.(message.truth);
          truths.delete(message.requestId);
          break;
        case 'closed':
          break;
        default:
          break;
      }
    });
  });
}
