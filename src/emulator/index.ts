// The embedded emulator of a Runpod Serverless endpoint running worker-vllm: the public API.
//
//   startEmulator(settings, options)          serve it on this thread's event loop
//   startEmulatorInWorker(settings, options)  serve it from a worker thread, so a load
//                                             generator on this thread does not share an
//                                             event loop with it
//
// Both resolve to a RunningEmulator: its base URL (http://HOST:PORT/v2/local; any endpoint
// id works), its settings, the ground truth of any job (jobTruth, also served at
// GET /_emulator/jobs/{id}), and close(). Module map: settings.ts (what can be configured),
// endpoint.ts (jobs, queue, scaling), fleet.ts (workers), backend.ts (what generates the
// tokens: engine.ts's synthetic continuous batching, or llama/ with a real model),
// output-emitter.ts (worker output formats), http/ (the API), thread/ (worker-thread host).
import type { EmulatorSettings, EmulatorSettingsInput } from './settings/schema.js';
import { resolveEmulatorSettings } from './settings/schema.js';
import type { JobTruth } from './platform/job.js';
import { serve } from './http/server.js';
import { startInWorker } from './thread/host.js';
import type { Backend } from './worker/backend.js';
import { createLlamaBackend, describeLlama } from './llama/backend.js';
import { checkLlamaInstall } from './llama/preflight.js';

export type { EmulatorSettings, EmulatorSettingsInput } from './settings/schema.js';
export { emulatorSettingsSchema, resolveEmulatorSettings } from './settings/schema.js';
export type { JobTruth } from './platform/job.js';
export { estimateTokens, estimateChatTokens } from './formats/tokens.js';
export type { EmulatorStatsSnapshot, LatencySummary } from './platform/stats.js';

export interface StartEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** When set, every request needs `Authorization: Bearer <key>` or the raw key. */
  apiKey?: string;
  /** Diagnostics (webhook failures, internal errors); silent when absent. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:41234/v2/local */
  endpointUrl: string;
  port: number;
  settings: EmulatorSettings;
  /** With the llama backend: one line on the model and engine it runs (for a startup message). */
  backendInfo?: string;
  jobTruth(id: string): Promise<JobTruth | undefined>;
  close(): Promise<void>;
}

/**
 * Complete settings pass through; anything else is validated as settings input. Resolved
 * settings are recognised by their normalised cold-start distribution (`kind`), which the
 * input form never has.
 */
export function toSettings(settings: EmulatorSettingsInput | EmulatorSettings): EmulatorSettings {
  const coldStart = (settings as { workers?: { coldStart?: unknown } }).workers?.coldStart;
  if (coldStart !== null && typeof coldStart === 'object' && 'kind' in coldStart) return settings as EmulatorSettings;
  return resolveEmulatorSettings(settings);
}

export function endpointUrlOf(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/v2/local`;
}

export async function startEmulator(settings: EmulatorSettingsInput | EmulatorSettings, options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = toSettings(settings);
  const host = options.host ?? '127.0.0.1';
  // The llama backend loads its engine and the model's vocabulary first; a missing package
  // or model file is a UsageError here, before anything listens.
  const llama = resolved.backend === 'llama' ? await createLlamaBackend(resolved) : undefined;
  const backend: Backend | undefined = llama;
  let server;
  try {
    server = await serve(resolved, { host, port: options.port ?? 0, apiKey: options.apiKey, log: options.log ?? (() => {}), backend });
  } catch (err) {
    await backend?.close();
    throw err;
  }
  return {
    endpointUrl: endpointUrlOf(host, server.port),
    port: server.port,
    settings: resolved,
    ...(llama === undefined ? {} : { backendInfo: describeLlama(llama, resolved) }),
    jobTruth: (id) => Promise.resolve(server.endpoint.truth(id)),
    close: () => server.close(),
  };
}

export async function startEmulatorInWorker(settings: EmulatorSettingsInput | EmulatorSettings, options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = toSettings(settings);
  // Found out here, on the caller's thread, so the caller gets the UsageError itself.
  if (resolved.backend === 'llama') checkLlamaInstall(resolved);
  return startInWorker(resolved, options);
}
