// Where requests go: a real endpoint named by URL or id, or (no target) the embedded
// emulator. Only the host and endpoint id are ever recorded; the key stays in memory.
import { UsageError } from '../core/errors.js';
import { redactUrlCredentials } from '../util/redact.js';

/** The scenario's `target:` block (a Scenario has it), named by shape so runpod does not import the scenario schema. */
export interface TargetSettings {
  target?: {
    /** Full endpoint URL, ending in the endpoint id. */
    endpoint?: string;
    /** Endpoint id on api.runpod.ai. */
    endpointId?: string;
    /** Name of the environment variable that holds the API key. */
    apiKeyEnv: string;
  };
}

export const RUNPOD_API_BASE = 'https://api.runpod.ai/v2';

export interface EndpointTarget {
  kind: 'endpoint';
  /** Base URL without a trailing slash; routes are appended (…/run, …/status/{id}). */
  endpointUrl: string;
  host: string;
  endpointId: string;
  apiKeyEnv: string;
}

export type Target = EndpointTarget | { kind: 'emulator' };

export function resolveTarget(scenario: TargetSettings, where: string): Target {
  const target = scenario.target;
  if (!target || (!target.endpoint && !target.endpointId)) return { kind: 'emulator' };
  const text = target.endpoint ?? `${RUNPOD_API_BASE}/${encodeURIComponent(target.endpointId as string)}`;
  return { kind: 'endpoint', ...parseEndpointUrl(text, where), apiKeyEnv: target.apiKeyEnv };
}

export function parseEndpointUrl(
  text: string,
  where: string,
): { endpointUrl: string; host: string; endpointId: string } {
  let url: URL;
  // The text is echoed in messages: never with the credentials a URL may carry.
  const shown = redactUrlCredentials(text);
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${where}: target.endpoint: "${shown}" is not a URL; expected e.g. https://api.runpod.ai/v2/<endpoint-id>`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(
      `${where}: target.endpoint: expected an http(s) URL, got "${shown}" (${url.protocol.replace(/:$/, '')})`,
    );
  }
  if (url.username || url.password) {
    throw new UsageError(
      `${where}: target.endpoint: credentials do not belong in the URL; the key comes from the environment`,
    );
  }
  if (url.search || url.hash)
    throw new UsageError(`${where}: target.endpoint: expected no query or fragment in the endpoint URL`);
  const path = url.pathname.replace(/\/+$/, '');
  let endpointId: string;
  try {
    endpointId = decodeURIComponent(path.split('/').at(-1) ?? '');
  } catch {
    throw new UsageError(`${where}: target.endpoint: the endpoint id in "${shown}" holds a malformed %-escape`);
  }
  if (!endpointId) {
    throw new UsageError(
      `${where}: target.endpoint: the URL must end in the endpoint id, e.g. https://api.runpod.ai/v2/<endpoint-id>`,
    );
  }
  return { endpointUrl: `${url.origin}${path}`, host: url.host, endpointId };
}

export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}

/**
 * A server on this machine or the local network (loopback, a private address, a .local or
 * .internal name): it may need no key, so podbench asks for one only when it answers 401.
 */
export function isLocalHost(host: string): boolean {
  if (isLoopback(host)) return true;
  const name = host
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  return (
    name === '0.0.0.0' ||
    /^10\./.test(name) ||
    /^192\.168\./.test(name) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(name) ||
    /^f[cd][0-9a-f]{2}:/.test(name) ||
    /\.(local|localhost|internal|lan)$/.test(name)
  );
}
