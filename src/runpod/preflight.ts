// Before the first request: is the endpoint there, does it accept the key, and (OpenAI
// bodies) which model does it serve. Problems here end the run with a clear message
// instead of thousands of identical failed records.
import { RunError, UsageError } from '../core/errors.js';
import type { HttpClient } from './http-client.js';

/** Pauses before asking /health again after a 429, a 5xx or a network error: one bad answer must not decide. */
const RETRY_DELAYS_MS = [250, 500, 1000];

export async function checkReachable(
  http: HttpClient,
  endpointUrl: string,
  host: string,
  apiKeyEnv: string | undefined,
  /** No key was given (a local server may need none): a 401 then asks for one. */
  keyless = false,
): Promise<void> {
  let result = await http.call('GET', `${endpointUrl}/health`, undefined, { timeoutMs: 15_000 });
  for (const delay of RETRY_DELAYS_MS) {
    const transient =
      result.kind === 'network_error' ||
      result.kind === 'timeout' ||
      (result.kind === 'response' && (result.status === 429 || result.status >= 500));
    if (!transient) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    result = await http.call('GET', `${endpointUrl}/health`, undefined, { timeoutMs: 15_000 });
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
    case 'aborted':
      throw new RunError('interrupted before the run started');
    default: {
      const never: never = result;
      return never;
    }
  }
}

export async function resolveModel(http: HttpClient, endpointUrl: string, given: string | undefined): Promise<string> {
  if (given) return given;
  const result = await http.call('GET', `${endpointUrl}/openai/v1/models`, undefined, { timeoutMs: 120_000 });
  if (result.kind === 'response' && result.status === 200) {
    try {
      const body = JSON.parse(result.text) as { data?: Array<{ id?: unknown }> };
      const id = body.data?.[0]?.id;
      if (typeof id === 'string' && id) return id;
    } catch {
      // fall through to the message below
    }
  }
  throw new UsageError(
    `could not learn the model name from ${endpointUrl}/openai/v1/models (${result.kind === 'response' ? `HTTP ${result.status}` : result.kind}); set input.model in the scenario`,
  );
}
