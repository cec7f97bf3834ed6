// Messages between the thread that asked for an emulator and the worker thread serving it.
import type { EmulatorSettings } from '../settings/schema.js';
import type { JobTruth } from '../types.js';

export interface WorkerStart {
  settings: EmulatorSettings;
  host: string;
  port: number;
  apiKey: string | undefined;
  /** Forward log lines to the parent (functions cannot cross threads). */
  forwardLog: boolean;
}

export type ToWorker = { type: 'truth'; requestId: number; id: string } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; port: number }
  /** `kind`: the error was a UsageError or RunError (re-thrown as one on the caller's side). */
  | { type: 'failed'; message: string; code: string | undefined; kind: 'usage' | 'run' | undefined }
  | { type: 'log'; line: string }
  | { type: 'truth'; requestId: number; truth: JobTruth | undefined }
  | { type: 'closed' };
