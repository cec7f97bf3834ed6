// Shared helpers of the emulator's integration tests. Everything talks to 127.0.0.1 only,
// and every wait is bounded (until() gives up after its timeout and says what it waited for).
import {
  startEmulator,
  type EmulatorSettingsInput,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '../../src/emulator/index.js';

export interface Reply {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

export interface Client {
  emulator: RunningEmulator;
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** POST /run and return the job id. */
  run(input: Record<string, unknown>, extra?: Record<string, unknown>): Promise<string>;
  /** Polls /status until the job is in a terminal state. */
  settle(id: string): Promise<any>;
  /** Reads /stream?wait until the job ends; every partial in delivery order. */
  stream(id: string): Promise<{ items: any[]; final: any }>;
  close(): Promise<void>;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, headers: response.headers };
}

export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function startClient(
  settings: EmulatorSettingsInput,
  options: StartEmulatorOptions = {},
): Promise<Client> {
  const emulator = await startEmulator(settings, options);
  const url = emulator.endpointUrl;
  const auth: Record<string, string> =
    options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };
  const client: Client = {
    emulator,
    url,
    get: async (path, headers = {}) => reply(await fetch(url + path, { headers: { ...auth, ...headers } })),
    post: async (path, body, headers = {}) =>
      reply(
        await fetch(url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth, ...headers },
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    run: async (input, extra = {}) => {
      const r = await client.post('/run', { input, ...extra });
      if (r.status !== 200) throw new Error(`/run answered ${r.status}: ${r.text}`);
      return r.json.id as string;
    },
    settle: (id) =>
      until(async () => {
        const r = await client.get(`/status/${id}`);
        return TERMINAL.has(r.json?.status) ? r.json : undefined;
      }, `job ${id} to end`),
    stream: async (id) => {
      const items: any[] = [];
      const deadline = Date.now() + 15_000;
      for (;;) {
        const r = await client.get(`/stream/${id}?wait=60000`);
        if (r.status !== 200) throw new Error(`/stream answered ${r.status}: ${r.text}`);
        for (const entry of r.json.stream) items.push(entry.output);
        if (TERMINAL.has(r.json.status)) return { items, final: r.json };
        if (Date.now() > deadline) throw new Error(`stream of ${id} did not end`);
      }
    },
    close: () => emulator.close(),
  };
  return client;
}

/** A fast endpoint: one warm worker, no cold starts in the way, everything 1000x faster. */
export const FAST: EmulatorSettingsInput = {
  timeScale: 1000,
  network: { roundTrip: 0 },
  workers: { min: 1, max: 1 },
  generation: { eosProbability: 0 },
  rateLimits: { enabled: false },
};

/** Concatenated text of a legacy output list, choice by choice. */
export function legacyText(output: any[], choice = 0): string {
  return output.map((item) => (item.choices[choice].tokens as string[]).join('')).join('');
}
