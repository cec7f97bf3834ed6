// What serves a URL that does not say (http://127.0.0.1:8000, a proxy base): asked of the
// server before the run, without a key (a key goes only where the kind is known). Each kind
// has a mark no other has:
//
//   runpod        GET /health answers {jobs, workers}, or asks for a key (401/403)
//   runpod-local  GET /openapi.json (FastAPI) lists /runsync and /status/{job_id}
//   openai        GET /v1/models answers a model list (or asks for a key)
//
// vLLM's server also has /health (200, empty) and /openapi.json (with /v1 routes only), so
// the order matters and each mark is checked in full.
import { RunError, UsageError } from '../../core/errors.js';
import type { TargetApi } from '../../core/target-api.js';
import type { HttpClient, HttpResult } from '../http-client.js';

export interface Detected {
  api: TargetApi;
  /** The base the calls go to: the URL itself, or its …/v1 for a model server. */
  baseUrl: string;
}

const PROBE_TIMEOUT_MS = 15_000;

function json(result: HttpResult): Record<string, unknown> | undefined {
  if (result.kind !== 'response' || result.status !== 200) return undefined;
  try {
    const value: unknown = JSON.parse(result.text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function asksForKey(result: HttpResult): boolean {
  return result.kind === 'response' && (result.status === 401 || result.status === 403);
}

function describe(result: HttpResult): string {
  switch (result.kind) {
    case 'response':
      return `HTTP ${result.status}`;
    case 'network_error':
    case 'timeout':
    case 'too_large':
      return result.message;
    case 'aborted':
      return 'interrupted';
    default: {
      const never: never = result;
      return never;
    }
  }
}

/** True when a FastAPI schema is the Runpod SDK's local test server's. */
export function isLocalTestServerSchema(schema: Record<string, unknown> | undefined): boolean {
  const paths = schema?.paths;
  return typeof paths === 'object' && paths !== null && '/runsync' in paths && '/status/{job_id}' in paths;
}

export async function detectApi(http: HttpClient, url: string, host: string, stop?: AbortSignal): Promise<Detected> {
  const get = async (path: string) => {
    const result = await http.call('GET', `${url}${path}`, undefined, {
      timeoutMs: PROBE_TIMEOUT_MS,
      ...(stop ? { signal: stop } : {}),
    });
    if (result.kind === 'aborted') throw new RunError('interrupted before the run started');
    return result;
  };
  const health = await get('/health');
  if (health.kind === 'network_error' || health.kind === 'timeout')
    throw new RunError(`cannot reach ${host}: ${health.message}`);
  const healthBody = json(health);
  if (healthBody !== undefined && ('workers' in healthBody || 'jobs' in healthBody))
    return { api: 'runpod', baseUrl: url };
  const schema = await get('/openapi.json');
  if (isLocalTestServerSchema(json(schema))) return { api: 'runpod-local', baseUrl: url };
  const models = await get('/v1/models');
  if (Array.isArray(json(models)?.data)) return { api: 'openai', baseUrl: `${url}/v1` };
  // No mark answered; a server that wants a key for /health is Runpod's API (vLLM leaves
  // /health open and keys only /v1), one that wants it only for /v1/models a model server.
  if (asksForKey(health)) return { api: 'runpod', baseUrl: url };
  if (asksForKey(models)) return { api: 'openai', baseUrl: `${url}/v1` };
  throw new UsageError(
    `${url}: cannot tell what serves it (GET /health: ${describe(health)}, /openapi.json: ${describe(schema)}, /v1/models: ${describe(models)}); name it with --target runpod, runpod-local or openai`,
  );
}
