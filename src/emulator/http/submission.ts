// The body and query of /run and /runsync: {input (required object), webhook?, policy?:
// {executionTimeout?, lowPriority?, ttl?}, s3Config?} plus ?ttl= and ?wait=. Ranges follow
// send-requests.mdx: executionTimeout 5 s - 7 d, ttl 10 s - 7 d, wait 1000-300000 ms.
// s3Config and webhookV2 are accepted and not used.
import type { EmulatorSettings } from '../settings/schema.js';
import { isObject } from '../formats/json.js';
import { queryParam, type Query } from './query.js';

export type { Query } from './query.js';

const SEVEN_DAYS_MS = 7 * 24 * 3_600_000;

export interface Submission {
  input: Record<string, unknown>;
  options: { webhook: string | undefined; lowPriority: boolean; executionTimeoutMs: number; ttlMs: number };
}

function inRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

export function parseSubmission(
  body: unknown,
  query: Query,
  settings: EmulatorSettings,
): { ok: true; input: Record<string, unknown>; options: Submission['options'] } | { ok: false; message: string } {
  if (!isObject(body)) return { ok: false, message: 'The request body must be a JSON object with an "input" object' };
  if (!('input' in body)) return { ok: false, message: 'Missing "input": the request body must be {"input": {...}}' };
  if (!isObject(body.input)) return { ok: false, message: '"input" must be a JSON object' };
  const webhook = body.webhook;
  if (webhook !== undefined && webhook !== null && typeof webhook !== 'string')
    return { ok: false, message: '"webhook" must be a URL string' };
  const policy = body.policy ?? {};
  if (!isObject(policy)) return { ok: false, message: '"policy" must be an object' };
  let executionTimeoutMs = settings.executionTimeout;
  if (policy.executionTimeout !== undefined && policy.executionTimeout !== null) {
    if (!inRange(policy.executionTimeout, 5000, SEVEN_DAYS_MS))
      return {
        ok: false,
        message: 'policy.executionTimeout must be milliseconds between 5000 (5 s) and 604800000 (7 days)',
      };
    executionTimeoutMs = policy.executionTimeout;
  }
  let ttlMs = settings.ttl;
  if (policy.ttl !== undefined && policy.ttl !== null) {
    if (!inRange(policy.ttl, 10_000, SEVEN_DAYS_MS))
      return { ok: false, message: 'policy.ttl must be milliseconds between 10000 (10 s) and 604800000 (7 days)' };
    ttlMs = policy.ttl;
  }
  const ttlParam = queryParam(query, 'ttl');
  if (ttlParam !== undefined) {
    const ttl = Number(ttlParam);
    if (!inRange(ttl, 10_000, SEVEN_DAYS_MS))
      return { ok: false, message: '?ttl must be milliseconds between 10000 (10 s) and 604800000 (7 days)' };
    ttlMs = ttl;
  }
  if (policy.lowPriority !== undefined && policy.lowPriority !== null && typeof policy.lowPriority !== 'boolean') {
    return { ok: false, message: 'policy.lowPriority must be true or false' };
  }
  return {
    ok: true,
    input: body.input,
    options: {
      webhook: typeof webhook === 'string' ? webhook : undefined,
      lowPriority: policy.lowPriority === true,
      executionTimeoutMs,
      ttlMs,
    },
  };
}

/** ?wait in emulated ms: absent gives the default; runsync/status-sync accept 1000-300000. */
export function parseWait(
  query: Query,
  defaultMs: number,
  minMs = 1000,
): { ok: true; ms: number } | { ok: false; message: string } {
  const raw = queryParam(query, 'wait');
  if (raw === undefined || raw === '') return { ok: true, ms: defaultMs };
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < minMs || ms > 300_000)
    return { ok: false, message: `?wait must be milliseconds between ${minMs} and 300000, got ${JSON.stringify(raw)}` };
  return { ok: true, ms };
}
