// The llama backend's cheap checks (no engine, no model load): the package is installed and
// the model file exists. startEmulatorInWorker runs them on the caller's thread, so a user
// mistake is a UsageError there rather than a failure reported back from the worker thread;
// tests run them to decide whether the real-model tests can run here.
import { UsageError } from '../../core/errors.js';
import type { EmulatorSettings } from '../settings/schema.js';
import { locateNodeLlamaCpp, missingPackageMessage } from './runtime.js';
import { resolveModelPath } from './model-path.js';

/** Throws a UsageError naming what is missing; returns the model file otherwise. */
export function checkLlamaInstall(settings: Pick<EmulatorSettings, 'llama'>): string {
  const modelPath = resolveModelPath(settings.llama.model);
  if (locateNodeLlamaCpp() === undefined) throw new UsageError(missingPackageMessage());
  return modelPath;
}
