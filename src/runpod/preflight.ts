// Before the first request: is the endpoint there, does it accept the key, and (OpenAI
// bodies) which model does it serve. Problems here end the run with a clear message
// instead of thousands of identical failed records.
import { RunError, UsageError } from '../core/errors.js';
import type { HttpClient } from './http-client.js';
import { cleanText } from '../util/redact.js';

/** Pauses before asking /health again after a 429, a 5xx or a network error: one bad answer must not decide. */
const RETRY_DELAYS_MS = [250, 500, 1000];
/**
 * The same for the model lookup, longer: failing it ends the run before it starts (and tells
 * the user to name the model), where the run itself takes failed requests as data. Against
 * an endpoint failing 30% of its calls, four tries failed the lookup about once in 120 runs;
 * six tries over 7.75 s, about once in 1,400.
 */
const MODEL_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/**
 * One /health call, and the whole check with its retries, at most (and at most timeouts.http
 * and twice it): a server that trickles its answer cannot hold the run longer.
 */
export const PREFLIGHT_CALL_MS = 15_000;
export const PREFLIGHT_TOTAL_MS = 30_000;

export interface PreflightOptions {
  /** The run's stop (its first Ctrl-C): ends the check at once. */
  stop?: AbortSignal;
  /** The scenario's timeouts.http: one call takes at most that, the check at most twice that. */
  httpMs?: number;
  /** No key was given (a local server may need none): a 401 then asks for one. */
  keyless?: boolean;
}

/** Resolves after ms, or at once when the signal fires; false when it fired. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * GET /health until it answers for sure, within the check's bound. `stop` (the run's first
 * Ctrl-C) ends the check at once, whatever call or pause it is in.
 */
export async function checkReachable(
  http: HttpClient,
  endpointUrl: string,
  host: string,
  apiKeyEnv: string | undefined,
  options: PreflightOptions = {},
): Promise<void> {
  const { stop, keyless = false } = options;
  const callMs = Math.min(PREFLIGHT_CALL_MS, options.httpMs ?? PREFLIGHT_CALL_MS);
  const totalMs = Math.min(PREFLIGHT_TOTAL_MS, 2 * (options.httpMs ?? PREFLIGHT_TOTAL_MS));
  const startMs = performance.now();
  const ask = () =>
    http.call('GET', `${endpointUrl}/health`, undefined, {
      timeoutMs: Math.max(1, Math.min(callMs, totalMs - (performance.now() - startMs))),
      ...(stop ? { signal: stop } : {}),
    });
  let result = await ask();
  for (const delay of RETRY_DELAYS_MS) {
    const transient =
      result.kind === 'network_error' ||
      result.kind === 'timeout' ||
      (result.kind === 'response' && (result.status === 429 || result.status >= 500));
    if (!transient || performance.now() - startMs + delay >= totalMs) break;
    if (!(await pause(delay, stop))) {
      result = { kind: 'aborted' };
      break;
    }
    result = await ask();
  }
  switch (result.kind) {
    case 'response':
      if ((result.status === 401 || result.status === 403) && keyless) {
        throw new UsageError(
          `${host} answered HTTP ${result.status}: it needs an API key; set the environment variable ${apiKeyEnv ?? 'RUNPOD_API_KEY'} (or give --api-key-file)`,
        );
      }
      if (result.status === 401 || result.status === 403) {
        throw new UsageError(
          `${host} rejected the API key${apiKeyEnv ? ` in $${apiKeyEnv}` : ''} (HTTP ${result.status}); check the key and the endpoint id`,
        );
      }
      if (result.status === 404)
        throw new UsageError(`${endpointUrl}: no such endpoint (HTTP 404 on /health); check the endpoint id`);
      return; // 200, or an error worth recording per request (429, 5xx)
    case 'network_error':
    case 'timeout':
      throw new RunError(`cannot reach ${host}: ${result.message}`);
    case 'too_large':
      throw new RunError(`${host} answered /health with more than podbench reads: ${result.message}`);
    case 'aborted':
      throw new RunError('interrupted before the run started');
    default: {
      const never: never = result;
      return never;
    }
  }
}

/** The model OpenAI bodies name: the scenario's, else the first the endpoint lists (modelsUrl: its …/openai/v1/models, or a model server's /v1/models). */
export async function resolveModel(
  http: HttpClient,
  modelsUrl: string,
  given: string | undefined,
  stop?: AbortSignal,
): Promise<string> {
  if (given) return given;
  // Long: the first call may wait for a worker's cold start. Bounded whole all the same.
  const ask = () =>
    http.call('GET', modelsUrl, undefined, {
      timeoutMs: 120_000,
      ...(stop ? { signal: stop } : {}),
    });
  let result = await ask();
  // A 429, a 5xx or a network error is asked again: one bad answer must not decide.
  for (const delay of MODEL_RETRY_DELAYS_MS) {
    const transient =
      result.kind === 'network_error' ||
      (result.kind === 'response' && (result.status === 429 || result.status >= 500));
    if (!transient) break;
    if (!(await pause(delay, stop))) {
      result = { kind: 'aborted' };
      break;
    }
    result = await ask();
  }
  if (result.kind === 'aborted') throw new RunError('interrupted before the run started');
  if (result.kind === 'response' && result.status === 200) {
    try {
      const body = JSON.parse(result.text) as { data?: Array<{ id?: unknown }> };
      const id = body.data?.[0]?.id;
      if (typeof id === 'string' && id) return cleanText(id);
    } catch {
      // fall through to the message below
    }
  }
  throw new UsageError(
    `could not learn the model name from ${modelsUrl} (${result.kind === 'response' ? `HTTP ${result.status}` : result.kind}); set input.model in the scenario`,
  );
}
