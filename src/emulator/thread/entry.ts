// The worker thread's main module: serves one emulator and answers the parent's messages.
import { parentPort, workerData } from 'node:worker_threads';
import { startEmulator, type RunningEmulator } from '../start.js';
import { RunError, UsageError } from '../../core/errors.js';
import type { FromWorker, ToWorker, WorkerStart } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('podbench emulator: thread/entry.js must run in a worker thread');
const start = workerData as WorkerStart;
const post = (message: FromWorker): void => port.postMessage(message);

let emulator: RunningEmulator | undefined;

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'truth':
      void (emulator?.jobTruth(message.id) ?? Promise.resolve(undefined)).then((truth) =>
        post({ type: 'truth', requestId: message.requestId, truth }),
      );
      break;
    case 'close':
      void (emulator?.close() ?? Promise.resolve()).then(() => {
        post({ type: 'closed' });
        port.close();
      });
      break;
    default:
      break;
  }
});

startEmulator(start.settings, {
  host: start.host,
  port: start.port,
  ...(start.apiKey === undefined ? {} : { apiKey: start.apiKey }),
  ...(start.forwardLog ? { log: (line: string) => post({ type: 'log', line }) } : {}),
}).then(
  (running) => {
    emulator = running;
    post({ type: 'ready', port: running.port });
  },
  (err: unknown) => {
    const kind = err instanceof UsageError ? 'usage' : err instanceof RunError ? 'run' : undefined;
    post({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
      code: (err as { code?: string }).code,
      kind,
    });
    port.close();
  },
);
