// Before the first request, per kind of target (Runpod's queue API: ../preflight.ts): is the
// server there, and does it take the key. A local test server has no /health and no auth; a
// model server has no /health either, and its /v1/models both answers that and names the
// model the OpenAI bodies need.
import { RunError, UsageError } from '../../core/errors.js';
import type { HttpClient, HttpResult } from '../http-client.js';
import { isLocalTestServerSchema } from './detect.js';
import { cleanText } from '../../util/redact.js';

const TIMEOUT_MS = 15_000;

function unreachable(host: string, result: HttpResult): never {
  if (result.kind === 'aborted') throw new RunError('interrupted before the run started');
  throw new RunError(`cannot reach ${host}: ${result.kind === 'response' ? `HTTP ${result.status}` : result.message}`);
}

/** Bounded, and ended at once by the run's stop (its first Ctrl-C). */
function get(http: HttpClient, url: string, stop: AbortSignal | undefined): Promise<HttpResult> {
  return http.call('GET', url, undefined, { timeoutMs: TIMEOUT_MS, ...(stop ? { signal: stop } : {}) });
}

/**
 * Is Runpod's local test server at this origin? Asked after a /v2/<id> URL on this machine
 * answered 404 on /health: that server serves its routes at the root, with no prefix.
 */
export async function isLocalTestServerAt(http: HttpClient, origin: string, stop?: AbortSignal): Promise<boolean> {
  const result = await get(http, `${origin}/openapi.json`, stop);
  if (result.kind !== 'response' || result.status !== 200) return false;
  try {
    return isLocalTestServerSchema(JSON.parse(result.text) as Record<string, unknown>);
  } catch {
    return false;
  }
}

export async function checkLocalTestServer(
  http: HttpClient,
  url: string,
  host: string,
  stop?: AbortSignal,
): Promise<void> {
  const result = await get(http, `${url}/openapi.json`, stop);
  if (result.kind !== 'response') unreachable(host, result);
  let schema: Record<string, unknown> | undefined;
  try {
    schema = result.status === 200 ? (JSON.parse(result.text) as Record<string, unknown>) : undefined;
  } catch {
    schema = undefined;
  }
  if (!isLocalTestServerSchema(schema)) {
    throw new UsageError(
      `${url}: no Runpod local test server there (GET /openapi.json: HTTP ${result.status}, no /runsync and /status/{job_id} routes); start one with python handler.py --rp_serve_api`,
    );
  }
}

/** GET <base>/models: the server is there and takes the key; returns the ids it serves. */
export async function checkModelServer(
  http: HttpClient,
  baseUrl: string,
  host: string,
  apiKeyEnv: string | undefined,
  stop?: AbortSignal,
): Promise<string[]> {
  const result = await get(http, `${baseUrl}/models`, stop);
  if (result.kind !== 'response') unreachable(host, result);
  if (result.status === 401 || result.status === 403) {
    throw new UsageError(
      apiKeyEnv === undefined
        ? `${host} asks for an API key (HTTP ${result.status} on /v1/models): name the environment variable that holds it with --api-key-env (or give --api-key-file)`
        : `${host} rejected the API key in $${apiKeyEnv} (HTTP ${result.status} on /v1/models)`,
    );
  }
  if (result.status !== 200) {
    throw new UsageError(
      `${baseUrl}/models answered HTTP ${result.status}: is ${baseUrl} the /v1 base of an OpenAI-compatible server?`,
    );
  }
  try {
    const body = JSON.parse(result.text) as { data?: Array<{ id?: unknown }> };
    // A server's text goes into bodies and reports: never a secret or a control sequence.
    return (body.data ?? []).flatMap((m) => (typeof m.id === 'string' && m.id ? [cleanText(m.id)] : []));
  } catch {
    throw new UsageError(`${baseUrl}/models did not answer a JSON model list: is it an OpenAI-compatible server?`);
  }
}
