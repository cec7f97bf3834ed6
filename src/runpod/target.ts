// Where requests go: a real endpoint named by URL or id, or (no target) the embedded
// emulator; and what answers there (src/core/target-api.ts): Runpod's queue API, the
// Python SDK's local test server, or a bare OpenAI-compatible server. What the URL alone
// tells is decided here; a URL that tells nothing (http://127.0.0.1:8000) is asked when
// the run starts (targets/detect.ts). Only the host and endpoint id are ever recorded;
// the key stays in memory.
import { UsageError } from '../core/errors.js';
import type { TargetApi } from '../core/target-api.js';
import { redactUrlCredentials } from '../util/redact.js';

/** The scenario's `target:` block (a Scenario has it), named by shape so runpod does not import the scenario schema. */
export interface TargetSettings {
  target?: {
    kind?: TargetApi;
    /** Full endpoint URL, ending in the endpoint id (Runpod), or the server's own URL. */
    endpoint?: string;
    /** Endpoint id on api.runpod.ai. */
    endpointId?: string;
    /** The model server's OpenAI-compatible URL, for variants of kind openai. */
    modelServer?: string;
    /** Name of the environment variable that holds the API key. */
    apiKeyEnv?: string;
  };
}

export const RUNPOD_API_BASE = 'https://api.runpod.ai/v2';
export const DEFAULT_API_KEY_ENV = 'RUNPOD_API_KEY';

export interface EndpointTarget {
  kind: 'endpoint';
  /** What answers there; `detect` until the run asks the server (targets/detect.ts). */
  api: TargetApi | 'detect';
  /**
   * Base URL without a trailing slash. runpod: …/v2/<id> (routes are appended: …/run,
   * …/status/{id}); runpod-local: the server's root; openai: the …/v1 base.
   */
  endpointUrl: string;
  host: string;
  /** The Runpod endpoint id; '' where there is none (a local server, a model server). */
  endpointId: string;
  /** The variable holding the key; undefined: no key is sent (the local test server, an unnamed one for a model server). */
  apiKeyEnv: string | undefined;
}

/** The embedded emulator: its queue API (/v2/local) or its model server (/v1). */
export interface EmulatorTarget {
  kind: 'emulator';
  api: 'runpod' | 'openai';
}

export type Target = EndpointTarget | EmulatorTarget;

export function resolveTarget(scenario: TargetSettings, where: string): Target {
  const target = scenario.target;
  const kind = target?.kind;
  if (kind === 'openai') return modelServerTarget(target ?? {}, where);
  if (!target || (!target.endpoint && !target.endpointId)) {
    if (kind === 'runpod-local') {
      throw new UsageError(
        `${where}: target.kind: runpod-local needs the local test server's URL: give target.endpoint (--endpoint http://127.0.0.1:8000); the emulator serves Runpod's queue API, not the local test server`,
      );
    }
    return { kind: 'emulator', api: 'runpod' };
  }
  const text = target.endpoint ?? `${RUNPOD_API_BASE}/${encodeURIComponent(target.endpointId as string)}`;
  const url = parseHttpUrl(text, where, 'target.endpoint');
  const path = url.pathname.replace(/\/+$/, '');
  const apiKeyEnv = target.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
  if (kind === 'runpod-local') {
    return {
      kind: 'endpoint',
      api: 'runpod-local',
      endpointUrl: `${url.origin}${path}`,
      host: url.host,
      endpointId: '',
      apiKeyEnv: undefined,
    };
  }
  // https://api.runpod.ai/v2/<id>/openai/v1 is the endpoint's OpenAI route: the endpoint is …/v2/<id>.
  const route = /^(.*\/v2\/[^/]+)\/openai\/v1$/.exec(path);
  if (kind === 'runpod' || route !== null || isRunpodQueueUrl(url, path)) {
    return {
      kind: 'endpoint',
      api: 'runpod',
      ...endpointParts(url, route !== null ? (route[1] as string) : path, where),
      apiKeyEnv,
    };
  }
  if (/\/v1$/.test(path)) return modelServerTarget(target, where);
  // Nothing in the URL says what serves it: the run asks the server first.
  return {
    kind: 'endpoint',
    api: 'detect',
    endpointUrl: `${url.origin}${path}`,
    host: url.host,
    endpointId: safeDecode(path.split('/').at(-1) ?? ''),
    apiKeyEnv,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The URL of Runpod's hosted API, or a path shaped like it (/v2/<id>, as the emulator serves). */
function isRunpodQueueUrl(url: URL, path: string): boolean {
  return url.hostname.endsWith('runpod.ai') || /\/v2\/[^/]+$/.test(path);
}

/** A model server's OpenAI-compatible base: target.modelServer, else target.endpoint, else the emulator's /v1. */
function modelServerTarget(target: NonNullable<TargetSettings['target']>, where: string): Target {
  const given = target.modelServer ?? target.endpoint;
  if (given === undefined) {
    if (target.endpointId !== undefined) {
      throw new UsageError(
        `${where}: target.kind: openai is a model server of its own, not endpoint ${target.endpointId}: give its URL in target.modelServer (--model-server http://host:8000/v1)`,
      );
    }
    return { kind: 'emulator', api: 'openai' };
  }
  const field = target.modelServer !== undefined ? 'target.modelServer' : 'target.endpoint';
  const url = parseHttpUrl(given, where, field);
  const path = url.pathname.replace(/\/+$/, '');
  if (target.modelServer === undefined && isRunpodQueueUrl(url, path)) {
    throw new UsageError(
      `${where}: target.kind: openai needs the model server's own URL, and ${redactUrlCredentials(given)} is a Runpod endpoint: give it in target.modelServer (--model-server http://host:8000/v1)`,
    );
  }
  return {
    kind: 'endpoint',
    api: 'openai',
    // vLLM and llama.cpp serve the API under /v1: a bare origin means that.
    endpointUrl: `${url.origin}${/\/v1$/.test(path) ? path : `${path}/v1`}`,
    host: url.host,
    endpointId: '',
    // A model server gets a key only from a variable the user named: never $RUNPOD_API_KEY by default.
    apiKeyEnv: target.apiKeyEnv,
  };
}

function endpointParts(
  url: URL,
  path: string,
  where: string,
): { endpointUrl: string; host: string; endpointId: string } {
  let endpointId: string;
  try {
    endpointId = decodeURIComponent(path.split('/').at(-1) ?? '');
  } catch {
    // The text is echoed in messages: never with the credentials a URL may carry.
    throw new UsageError(
      `${where}: target.endpoint: the endpoint id in "${redactUrlCredentials(url.href)}" holds a malformed %-escape`,
    );
  }
  if (!endpointId) {
    throw new UsageError(
      `${where}: target.endpoint: the URL must end in the endpoint id, e.g. https://api.runpod.ai/v2/<endpoint-id>`,
    );
  }
  return { endpointUrl: `${url.origin}${path}`, host: url.host, endpointId };
}

function parseHttpUrl(text: string, where: string, field: string): URL {
  let url: URL;
  // The text is echoed in messages: never with the credentials a URL may carry.
  const shown = redactUrlCredentials(text);
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `${where}: ${field}: "${shown}" is not a URL; expected e.g. https://api.runpod.ai/v2/<endpoint-id>`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(
      `${where}: ${field}: expected an http(s) URL, got "${shown}" (${url.protocol.replace(/:$/, '')})`,
    );
  }
  if (url.username || url.password) {
    throw new UsageError(
      `${where}: ${field}: credentials do not belong in the URL; the key comes from the environment`,
    );
  }
  if (url.search || url.hash) throw new UsageError(`${where}: ${field}: expected no query or fragment in the URL`);
  return url;
}

/** Runpod's queue endpoint URL, for callers that only take that (the k6 export). */
export function parseEndpointUrl(
  text: string,
  where: string,
): { endpointUrl: string; host: string; endpointId: string } {
  const url = parseHttpUrl(text, where, 'target.endpoint');
  return endpointParts(url, url.pathname.replace(/\/+$/, ''), where);
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
