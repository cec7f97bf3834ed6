// One logical HTTP call with the retry policy the user's document advises: 429, 5xx,
// network errors and unreadable answers are retried with exponential backoff and jitter,
// up to a limit; every retry is counted on the request, never hidden.
import type { Outcome } from '../core/record.js';
import type { Rng } from '../util/rng.js';
import type { HttpClient, HttpResult } from './http-client.js';
import { STOPPED_TEXT } from '../core/errors.js';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What a request accumulates while it runs; mode runners copy it into the record. */
export interface Tally {
  polls: number;
  retries: number;
}

export type CallResult =
  /** receivedMs: when the answer arrived, before it was parsed. */
  | { ok: true; json: unknown; text: string; receivedMs: number }
  | { ok: false; outcome: Outcome; httpStatus?: number; error: string };

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** An HTTP status worth sending again after a pause (rate limited, or the server failed). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Delay before retry number `attempt` (0-based): min(max, base·2^attempt), scaled by 0.5-1 (jitter). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling * (0.5 + 0.5 * random);
}

export interface CallContext {
  http: HttpClient;
  policy: RetryPolicy;
  rng: Rng;
  tally: Tally;
  clock: () => number;
  /** The request's own deadline (sentMs + timeouts.request), on the run clock. */
  deadlineMs: number;
  /** Sleeps; false when the run was interrupted meanwhile. */
  sleep: (ms: number) => Promise<boolean>;
  /** Until the request's first call goes onto a socket: told when it does (the record's sentMs). */
  onFirstWrite?: (atMs: number) => void;
}

export const TIMED_OUT: CallResult = {
  ok: false,
  outcome: 'client_timeout',
  error: 'no result within timeouts.request',
};
const INTERRUPTED: CallResult = { ok: false, outcome: 'aborted', error: STOPPED_TEXT };

export function errorText(text: string, max = 300): string {
  // Only the start is looked at: a server's 16 MB body is not flattened whole to keep 300 characters.
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const flat = head.replace(/\s+/g, ' ').trim();
  return flat.length > max || head !== text ? `${flat.slice(0, max)}…` : flat;
}

/** Nesting shown of a server's value before it is cut: deeper JSON is no message a person reads. */
const VALUE_DEPTH = 32;

/**
 * A value a server sent (an `error` object, a field of the wrong type) as at most `max`
 * characters of JSON. Written here with a depth bound and stopping at `max`, never by
 * JSON.stringify over the whole value: an answer nested 10,000 deep overflows its recursion,
 * and a 900 KB message would be serialised whole for every record only to be cut.
 */
export function valueText(value: unknown, max = 300): string {
  if (typeof value === 'string') return errorText(value, max);
  let out = '';
  const full = () => out.length > max;
  const walk = (v: unknown, depth: number): void => {
    if (full()) return;
    if (typeof v === 'string') {
      out += JSON.stringify(v.length > max ? v.slice(0, max) : v);
      return;
    }
    if (v === null || typeof v !== 'object') {
      out += typeof v === 'number' || typeof v === 'boolean' ? String(v) : 'null';
      return;
    }
    if (depth >= VALUE_DEPTH) {
      out += '…';
      return;
    }
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && !full(); i++) {
        if (i > 0) out += ',';
        walk(v[i], depth + 1);
      }
      out += ']';
      return;
    }
    out += '{';
    let first = true;
    for (const key of Object.keys(v)) {
      if (full()) break;
      out += `${first ? '' : ','}${JSON.stringify(key.length > max ? key.slice(0, max) : key)}:`;
      first = false;
      walk((v as Record<string, unknown>)[key], depth + 1);
    }
    out += '}';
  };
  walk(value, 0);
  return errorText(out, max);
}

/** The error of an answer that was not 200: its status and the start of its body. */
export function httpErrorText(status: number, text: string): string {
  return `HTTP ${status}: ${errorText(text)}`;
}

/** The error of a 200 answer that is not JSON. */
export function notJsonText(text: string): string {
  return `the answer is not JSON: ${errorText(text, 120)}`;
}

/** Sends until a 200 with JSON arrives, a non-retryable answer comes, or retries run out. */
export async function callJson(
  ctx: CallContext,
  method: 'GET' | 'POST',
  url: string,
  body: unknown,
  timeoutMs: number,
): Promise<CallResult> {
  for (let attempt = 0; ; attempt++) {
    const remaining = ctx.deadlineMs - ctx.clock();
    if (remaining <= 0) return TIMED_OUT;
    const result = await ctx.http.call(method, url, body, {
      timeoutMs: Math.min(timeoutMs, remaining),
      ...(ctx.onFirstWrite ? { onWrite: ctx.onFirstWrite } : {}),
    });
    // An HTTP timeout that only happened because the request's deadline came first is the request's timeout.
    if (result.kind === 'timeout' && remaining < timeoutMs) return TIMED_OUT;
    const verdict = judge(result, method);
    if (verdict.ok || !verdict.retry || attempt >= ctx.policy.maxRetries) return strip(verdict);
    const wait = verdict.retryAfterMs ?? backoffMs(ctx.policy, attempt, ctx.rng.next());
    // No time left to wait and ask again: the request ends with what the server last said
    // (a 429 stays a 429, with its Retry-After), not as a timeout it never reached.
    const left = ctx.deadlineMs - ctx.clock();
    if (wait >= left)
      return strip({ ...verdict, error: `${verdict.error} ${notRetriedText(verdict.retryAfterMs, wait, left)}` });
    ctx.tally.retries += 1;
    if (!(await ctx.sleep(wait))) return INTERRUPTED;
  }
}

/** Why a retryable answer was not retried: the pause before the next attempt would pass the request's deadline. */
export function notRetriedText(retryAfterMs: number | undefined, waitMs: number, leftMs: number): string {
  const pause =
    retryAfterMs !== undefined
      ? `Retry-After ${Math.round(retryAfterMs / 1000)} s`
      : `backoff ${Math.round(waitMs)} ms`;
  return `(not retried: ${pause} is past the request's deadline, ${Math.max(0, Math.round(leftMs))} ms left of timeouts.request)`;
}

type Verdict =
  | (CallResult & { ok: true })
  | ({ ok: false; retry: boolean; retryAfterMs?: number } & Omit<CallResult & { ok: false }, 'ok'>);

function judge(result: HttpResult, method: 'GET' | 'POST'): Verdict {
  switch (result.kind) {
    case 'aborted':
      return { ok: false, retry: false, outcome: 'aborted', error: STOPPED_TEXT };
    case 'timeout':
      return { ok: false, retry: true, outcome: 'network_error', error: `no answer in time (${result.message})` };
    case 'network_error':
      return { ok: false, retry: true, outcome: 'network_error', error: result.message };
    case 'too_large':
      // Asking again would only read as much again.
      return { ok: false, retry: false, outcome: 'protocol_error', error: result.message };
    case 'response': {
      if (result.status !== 200) {
        return {
          ok: false,
          retry: isRetryableStatus(result.status),
          outcome: 'http_error',
          httpStatus: result.status,
          error: httpErrorText(result.status, result.text),
          ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
        };
      }
      try {
        return { ok: true, json: JSON.parse(result.text) as unknown, text: result.text, receivedMs: result.receivedMs };
      } catch {
        // A 200 to a submission (POST /run, /runsync, an OpenAI route) means the endpoint took
        // it: sending it again would start another paid job beside one podbench cannot name.
        if (method === 'POST')
          return {
            ok: false,
            retry: false,
            outcome: 'protocol_error',
            error: `${notJsonText(result.text)} (not sent again: the endpoint accepted it with HTTP 200, so a job may run that podbench cannot name or cancel)`,
          };
        return { ok: false, retry: true, outcome: 'protocol_error', error: notJsonText(result.text) };
      }
    }
    default: {
      const never: never = result;
      return never;
    }
  }
}

function strip(verdict: Verdict): CallResult {
  if (verdict.ok) return verdict;
  return {
    ok: false,
    outcome: verdict.outcome,
    error: verdict.error,
    ...(verdict.httpStatus !== undefined ? { httpStatus: verdict.httpStatus } : {}),
  };
}
