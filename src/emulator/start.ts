// Starting an emulator on this thread: the backend its settings ask for, then the HTTP
// server around its endpoint. thread/host.ts runs the same in a worker thread.
import type { EmulatorSettings, EmulatorSettingsInput } from './settings/schema.js';
import { resolveEmulatorSettings } from './settings/schema.js';
import type { JobTruth } from './types.js';
import { serve } from './http/server.js';
import type { Backend } from './worker/backend.js';
import { createLlamaBackend, describeLlama } from './llama/backend.js';

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
  /** The model server's own OpenAI-compatible base, as `vllm serve` has it: http://127.0.0.1:41234/v1 */
  modelServerUrl: string;
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

function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function endpointUrlOf(host: string, port: number): string {
  return `${originOf(host, port)}/v2/local`;
}

export function modelServerUrlOf(host: string, port: number): string {
  return `${originOf(host, port)}/v1`;
}

export async function startEmulator(
  settings: EmulatorSettingsInput | EmulatorSettings,
  options: StartEmulatorOptions = {},
): Promise<RunningEmulator> {
  const resolved = toSettings(settings);
  const host = options.host ?? '127.0.0.1';
  // The llama backend loads its engine and the model's vocabulary first; a missing package
  // or model file is a UsageError here, before anything listens.
  const llama = resolved.backend === 'llama' ? await createLlamaBackend(resolved) : undefined;
  const backend: Backend | undefined = llama;
  let server: Awaited<ReturnType<typeof serve>>;
  try {
    server = await serve(resolved, {
      host,
      port: options.port ?? 0,
      apiKey: options.apiKey,
      log: options.log ?? (() => {}),
      backend,
    });
  } catch (err) {
    await backend?.close();
    throw err;
  }
  return {
    endpointUrl: endpointUrlOf(host, server.port),
    modelServerUrl: modelServerUrlOf(host, server.port),
    port: server.port,
    settings: resolved,
    ...(llama === undefined ? {} : { backendInfo: describeLlama(llama, resolved) }),
    jobTruth: (id) => Promise.resolve(server.endpoint.truth(id) ?? server.modelServer.truth(id)),
    close: () => server.close(),
  };
}
