// The fixed part of every generated k6 script: what one iteration (one logical request)
// does in each mode, the retry policy, and the events podbench rebuilds records from. k6
// (>= 1.0) runs TypeScript as it is. This file is its source: `npm run typecheck` checks it
// against @types/k6 (tsconfig.k6.json), and script.ts copies its two marked parts into every
// generated script as they are, the Config interface before the generated CONFIG and the
// runtime after the generated options. What lies outside the marks only serves the type
// check: the generated script writes its own imports and CONFIG.
//
// Events go one of two ways (CONFIG.eventLines):
// - podbench's own runs: one log line per event, `podbench<TAB>event<TAB>request<TAB>ms`
//   and, when the event has data, `<TAB>{json}` (then `<TAB>` and the final answer as it
//   came, on end events that have one), where ms is exec.instance's
//   currentTestRunDuration (k6's monotonic run clock, sub-microsecond). k6 runs without any
//   --out: writing its dozen HTTP samples per request to a JSON output is most of what it
//   would cost beyond a plain script (bench:cpu). setup() says once when that clock started
//   as epoch ms, to the microsecond; handleSummary() says how many iterations k6 dropped.
// - exported scripts: one Counter, podbench_events, with an `event` tag and per-request data
//   in the VU's sample metadata (metadata is not indexed, so a request id there costs
//   nothing per distinct value, unlike a tag), read from k6's JSON output by `podbench
//   report`. A sample's timestamp is Go's wall clock in nanoseconds, taken when the script
//   adds it.
// Either way podbench never reads times from Date.now() (whole milliseconds), which only
// feeds the k6-side Trends and the retry deadlines.
//
//   sent       just before the submission     metadata: phase (warmup; none: measure)
//   submitted  a job id came back, the job goes on metadata: jobId (none when the submission
//                                             answer is already terminal: the end event names the job)
//   inprogress first IN_PROGRESS seen
//   poll       a /stream poll is sent (stream mode)
//   polled     its answer                     metadata: status; body (the answer as it came) when its stream has items
//   done       stream mode: the job was seen terminal (the final /status call comes after)
//   end        the request is over            metadata: outcome, error (also a terminal answer's error field, as
//                                             bounded text), httpStatus, jobId, body (final JSON),
//                                             polls and retries (when not 0), openAiBodies (1 when the bodies are OpenAI ones)
import http from 'k6/http';
import exec from 'k6/execution';
import { sleep } from 'k6';
import { SharedArray } from 'k6/data';
import { Counter, Rate, Trend } from 'k6/metrics';

// What the runtime reads from CONFIG; the generated object literal is checked against it.
// podbench:config begin
interface Config {
  scenario: string;
  variant: string;
  mode: 'sync' | 'async' | 'stream' | 'openai';
  /** input.format is openai_chat or openai_completions: the records' workerFormat is openai. */
  openAiBodies: boolean;
  endpointUrl: string;
  apiKeyEnv: string;
  bodiesFile: string;
  submitPath: string;
  /** Tag name of the submission call (k6's url tag would otherwise hold every job id). */
  submitName: string;
  /** /runsync holds the answer up to this long; it is added to the HTTP timeout. */
  submitWaitMs: number;
  polling: { intervalMs: number; backoff: number; maxIntervalMs: number; waitMs: number };
  timeouts: { requestMs: number; httpMs: number };
  /** An answer longer than this is a protocol error (limits.maxBodyBytes); k6 has read it, podbench does not pass it on. */
  maxBodyBytes: number;
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  warmupIterations: number;
  warmupMs: number;
  iterationCap: number | null;
  /**
   * Fill the k6-side Trends and failure Rate (podbench_ttft, _e2e, _delay, _execution,
   * _failed) for k6's thresholds and summary: exported scripts do; podbench's own runs
   * read only the events (and evaluate thresholds over the records), so they skip the work.
   */
  k6Metrics: boolean;
  /** Events as log lines on k6's run clock (podbench's own runs), or as podbench_events samples (exported scripts). */
  eventLines: boolean;
}
// podbench:config end

declare const CONFIG: Config;

// podbench:runtime begin

type Outcome =
  | 'ok'
  | 'http_error'
  | 'job_failed'
  | 'job_cancelled'
  | 'job_timed_out'
  | 'job_lost'
  | 'client_timeout'
  | 'network_error'
  | 'protocol_error';

/**
 * The top-level fields of a JSON answer the script reads, all read by k6 in Go with one gjson
 * multipath (FIELDS_PATH). One call costs about a third of five single-field calls (a k6
 * micro-benchmark: 7.7 against 22 µs), and building the whole answer as JS objects with
 * JSON.parse cost more still. Each field comes as its JSON text (gjson's @tostr), '' when the
 * answer lacks it: k6 turns a selected array or object into JS values at a cost that grows
 * with the square of its depth (gjson re-reads each level), so a server's `"error": [[[...]]]`
 * 200,000 deep held k6 for minutes; its text costs one pass, and no JS value is built from it.
 */
interface Fields {
  id: string;
  status: string;
  error: string;
  delayTime?: string;
  executionTime?: string;
}

/**
 * `valid` is a literal, present only when the answer is valid JSON (else k6 returns undefined).
 * delayTime and executionTime only feed the k6-side Trends: podbench's own runs read them
 * from the final answer it passes on, and each field is another value k6 converts for JS.
 */
const FIELDS_PATH = CONFIG.k6Metrics
  ? '{"valid":!true,"id":id|@tostr,"status":status|@tostr,"error":error|@tostr,"delayTime":delayTime|@tostr,"executionTime":executionTime|@tostr}'
  : '{"valid":!true,"id":id|@tostr,"status":status|@tostr,"error":error|@tostr}';

/** The string a field's JSON text holds, or undefined when it holds no string. */
function jsonString(raw: string): string | undefined {
  if (raw.charCodeAt(0) !== 34) return undefined;
  return raw.indexOf('\\') === -1 ? raw.slice(1, -1) : (JSON.parse(raw) as string);
}

/** The number a field's JSON text holds, or undefined. */
function jsonNumber(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const c = raw.charCodeAt(0);
  return c === 45 || (c >= 48 && c <= 57) ? Number(raw) : undefined;
}

/** An answer's error field as bounded text: the string it holds, else its JSON text; undefined when absent or null. */
function errorOf(fields: Fields): string | undefined {
  const raw = fields.error;
  if (raw === '' || raw === 'null') return undefined;
  return bounded(jsonString(raw) ?? raw, 300);
}

interface Failure {
  ok: false;
  outcome: Outcome;
  error: string;
  httpStatus?: number;
}

/** `status` is the status field's string, if it holds one; `res.json` reads any other path (gjson) of the answer, e.g. a stream poll's item count. */
type Answer =
  | { ok: true; fields: Fields; status: string | undefined; res: { json(path: string): unknown }; text: string }
  | Failure;

interface End {
  outcome: Outcome;
  error?: string;
  httpStatus?: number;
  jobId?: string;
  /** The final answer (terminal status or OpenAI response), as received. */
  body?: string;
  fields?: Fields;
  /** Date.now() when the request ended, for the k6-side Trends. */
  endedAt: number;
  firstTokenAt?: number;
}

interface RequestState {
  sentAt: number;
  polls: number;
  retries: number;
  inProgressSeen: boolean;
}

const TERMINAL = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
/** Every status Runpod documents; another is an answer the script cannot follow. */
const STATUSES = ['IN_QUEUE', 'IN_PROGRESS', ...TERMINAL];
const RETRYABLE = [429, 500, 502, 503, 504];

const bodies: string[] = new SharedArray('podbench request bodies', () => JSON.parse(open(CONFIG.bodiesFile)) as string[]);
const endpoint = (__ENV['PODBENCH_ENDPOINT_URL'] || CONFIG.endpointUrl).replace(/\/+$/, '');
if (!endpoint) throw new Error('no endpoint: set PODBENCH_ENDPOINT_URL, e.g. https://api.runpod.ai/v2/<endpoint-id>');
const apiKey = __ENV[CONFIG.apiKeyEnv];
const headers: { [name: string]: string } = { 'Content-Type': 'application/json' };
if (apiKey) headers['Authorization'] = 'Bearer ' + apiKey;

const events = new Counter('podbench_events');
const ttft = new Trend('podbench_ttft', true);
const e2e = new Trend('podbench_e2e', true);
const delay = new Trend('podbench_delay', true);
const execution = new Trend('podbench_execution', true);
const failed = new Rate('podbench_failed');

// Every read of exec.vu or exec.scenario builds new objects with a getter per field, a cost
// per request plain k6 scripts do not pay (a twentieth of k6's CPU for exec.scenario alone):
// the VU's metadata object and the scenario's info object are fetched once per VU (each VU
// has its own JS runtime, and their getters read the VU's current state on each use), and
// the scenario's start time once.
type Metadata = Record<string, string | number | boolean>;
let vuMetadata: Metadata | undefined;
let scenarioStartMs: number | undefined;
let scenarioInfo: typeof exec.scenario | undefined;

function metadataOfVu(): Metadata {
  const metadata = vuMetadata ?? exec.vu.metrics.metadata;
  vuMetadata = metadata;
  return metadata;
}

/** The tags of each event, built once. */
const EVENT_TAGS: { [event: string]: { event: string } } = {};

/** The iteration's request id (podbench_req), set on the events only: k6's own samples of the request go without metadata, which makes each of them cheaper to write. */
let requestId = '';

/** The instance's run clock, read live on each use; exec.instance cannot be read in the init context. */
let instance: typeof exec.instance | undefined;

// k6 has console.log (its log); @types/k6 does not declare it.
declare const console: { log(...values: unknown[]): void };

/** The prefix of every line podbench reads from k6's log and summary. */
const LINE = 'podbench\t';

/** Tabs and line breaks, which a valid JSON text holds only as whitespace between tokens. */
const LINE_BREAKING = /[\t\r\n]/g;

/**
 * The answer on one line. Most answers have no tab or line break: three indexOf calls cost
 * a third of what the regular expression costs in k6's interpreter (Go's regexp behind it).
 */
function oneLine(body: string): string {
  return body.indexOf('\n') === -1 && body.indexOf('\t') === -1 && body.indexOf('\r') === -1
    ? body
    : body.replace(LINE_BREAKING, ' ');
}

/**
 * One event. `body` is an answer that is valid JSON (k6 checked it): on a log line it goes as
 * it is after the data, its tabs and line breaks turned into spaces (the same JSON value), as
 * escaping it inside the data's JSON cost k6 about 10 µs per request (a k6 micro-benchmark).
 */
function mark(event: string, data?: { [key: string]: string | number }, body?: string): void {
  if (CONFIG.eventLines) {
    if (instance === undefined) instance = exec.instance;
    const at = instance.currentTestRunDuration;
    let line = LINE + event + '\t' + requestId + '\t' + at;
    if (data !== undefined || body !== undefined) line += '\t' + JSON.stringify(data ?? {});
    if (body !== undefined) line += '\t' + oneLine(body);
    console.log(line);
    return;
  }
  if (body !== undefined) data = { ...data, body };
  let tags = EVENT_TAGS[event];
  if (tags === undefined) {
    tags = { event };
    EVENT_TAGS[event] = tags;
  }
  const metadata = metadataOfVu();
  metadata['podbench_req'] = requestId;
  const keys = data === undefined ? [] : Object.keys(data);
  for (let i = 0; i < keys.length; i++) metadata[keys[i] as string] = (data as Metadata)[keys[i] as string] as string | number;
  events.add(1, tags);
  delete metadata['podbench_req'];
  for (let i = 0; i < keys.length; i++) delete metadata[keys[i] as string];
}

function short(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max) + '…' : flat;
}

/** short() of a text of any length, for a server's: only its start is looked at. */
function bounded(text: string, max: number): string {
  if (text.length <= max * 4) return short(text, max);
  const head = short(text.slice(0, max * 4), max);
  return head.endsWith('…') ? head : head + '…';
}

/** Says why a submission is not sent again: the server may have started its job. */
const NOT_RESENT = '; not sent again, as the server may have started a job';

const OBJECT_START = /^\s*\{/;

/** Whether a valid JSON text is an object: most start with `{` at once, which spares the regular expression. */
function isObjectText(text: string): boolean {
  return text.charCodeAt(0) === 123 || OBJECT_START.test(text);
}

function remainingMs(state: RequestState): number {
  return CONFIG.timeouts.requestMs - (Date.now() - state.sentAt);
}

/** Backoff before retry number attempt (0-based): min(max, base * 2^attempt), scaled by 0.5-1. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(CONFIG.retry.maxDelayMs, CONFIG.retry.baseDelayMs * Math.pow(2, attempt));
  return ceiling * (0.5 + 0.5 * Math.random());
}

type Params = { headers: { [name: string]: string }; timeout: string; tags: { name: string }; responseType: 'text' };

function requestParams(name: string, timeoutMs: number): Params {
  return { headers, timeout: Math.max(1, Math.round(timeoutMs)) + 'ms', tags: { name }, responseType: 'text' };
}

/** A call's params when the request's deadline is further than the call's own timeout (most calls): built once per call name. */
const FULL_PARAMS: { [key: string]: Params } = {};

function fullParams(name: string, timeoutMs: number): Params {
  const key = name + ' ' + timeoutMs;
  let params = FULL_PARAMS[key];
  if (params === undefined) {
    params = requestParams(name, timeoutMs);
    FULL_PARAMS[key] = params;
  }
  return params;
}

/** One logical HTTP call: 429, 5xx, network errors and unreadable answers are retried with backoff. */
function call(method: 'GET' | 'POST', url: string, body: string | null, timeoutMs: number, name: string, state: RequestState): Answer {
  for (let attempt = 0; ; attempt++) {
    const left = remainingMs(state);
    if (left <= 0) return { ok: false, outcome: 'client_timeout', error: 'no result within timeouts.request (' + CONFIG.timeouts.requestMs + ' ms)' };
    const params = left > timeoutMs ? fullParams(name, timeoutMs) : requestParams(name, left);
    const res = method === 'POST' ? http.post(url, body ?? '{}', params) : http.get(url, params);
    const text = res.body ?? '';
    let failure: Failure;
    let retryAfterMs: number | undefined;
    // Characters, at most the bytes: an answer past the cap is not parsed nor passed on.
    if (text.length > CONFIG.maxBodyBytes) {
      return { ok: false, outcome: 'protocol_error', error: 'the answer (HTTP ' + res.status + ') passed ' + CONFIG.maxBodyBytes + ' bytes (limits.maxBodyBytes)' };
    }
    if (res.status === 200) {
      // The answer's fields are read by k6 in Go (gjson paths; see Fields): building the whole
      // answer as JS objects with JSON.parse was an eighth of k6's CPU per request. podbench
      // parses the answer itself from the text.
      const read = res.json(FIELDS_PATH) as unknown as (Fields & { valid?: boolean }) | undefined;
      const valid = read !== undefined && read !== null && read.valid === true;
      if (valid && isObjectText(text)) return { ok: true, fields: read, status: jsonString(read.status), res, text };
      failure = { ok: false, outcome: 'protocol_error', error: (valid ? 'the answer is not a JSON object: ' : 'the answer is not JSON: ') + bounded(text, 120) };
      // A submission the server accepted is a job (paid, on Runpod): sent again, it would be another one.
      if (method === 'POST') {
        failure.error = 'the answer (HTTP 200) could not be read: ' + failure.error + NOT_RESENT;
        return failure;
      }
    } else if (res.status === 0 && method === 'POST' && typeof res.body === 'string' && res.error_code !== 1050) {
      // The answer came (k6 has a body for it) but could not be read: a corrupt gzip body, a
      // cut connection. k6 then reports no status: it may have been a 200, an accepted job.
      return { ok: false, outcome: 'protocol_error', error: 'the answer could not be read (' + res.error + ')' + NOT_RESENT };
    } else if (res.status === 0) {
      // k6 error code 1050 is its request timeout; the others are network errors.
      failure = { ok: false, outcome: 'network_error', error: res.error_code === 1050 ? 'no answer in time (' + res.error + ')' : res.error };
    } else {
      failure = { ok: false, outcome: 'http_error', httpStatus: res.status, error: 'HTTP ' + res.status + ': ' + bounded(text, 300) };
      const after = res.headers['Retry-After'];
      if (after && /^\d+(\.\d+)?$/.test(after.trim())) retryAfterMs = Number(after) * 1000;
      if (!RETRYABLE.includes(res.status)) return failure;
    }
    if (attempt >= CONFIG.retry.maxRetries) return failure;
    const waitMs = retryAfterMs ?? backoffMs(attempt);
    const leftMs = remainingMs(state);
    // No time left to wait and ask again: the request ends with what the server last said (a 429 stays a 429).
    if (waitMs >= leftMs) {
      const pause = retryAfterMs !== undefined ? 'Retry-After ' + Math.round(retryAfterMs / 1000) + ' s' : 'backoff ' + Math.round(waitMs) + ' ms';
      failure.error += ' (not retried: ' + pause + " is past the request's deadline, " + Math.max(0, Math.round(leftMs)) + ' ms left of timeouts.request)';
      return failure;
    }
    state.retries += 1;
    sleep(waitMs / 1000);
  }
}

/** What makes a status answer about jobId one the script cannot follow: an unknown status, another job's id. */
function statusProblem(fields: Fields, status: string | undefined, jobId: string): string | undefined {
  if (status === undefined || !STATUSES.includes(status)) {
    return 'an unknown job status "' + bounded(status ?? (fields.status === '' ? 'undefined' : fields.status), 40) + '"';
  }
  if (fields.id !== '') {
    const id = jsonString(fields.id);
    if (id !== jobId) return 'a status answer for job "' + bounded(id ?? fields.id, 80) + '", not for "' + jobId + '"';
  }
  return undefined;
}

/** The end of a request whose job the answer says is terminal: its error field, if any, as bounded text. */
function terminalEnd(status: string, jobId: string, text: string, fields: Fields): End {
  const end: End = { outcome: outcomeOf(status), jobId, body: text, fields, endedAt: Date.now() };
  if (fields.error !== '') {
    const error = errorOf(fields);
    if (error !== undefined) end.error = error;
  }
  return end;
}

function outcomeOf(status: unknown): Outcome {
  switch (status) {
    case 'COMPLETED':
      return 'ok';
    case 'FAILED':
      return 'job_failed';
    case 'CANCELLED':
      return 'job_cancelled';
    case 'TIMED_OUT':
      return 'job_timed_out';
    default:
      return 'protocol_error';
  }
}

function failure(answer: Failure, jobId?: string): End {
  const end: End = { outcome: answer.outcome, error: answer.error, endedAt: Date.now() };
  if (answer.httpStatus !== undefined) end.httpStatus = answer.httpStatus;
  if (jobId !== undefined) end.jobId = jobId;
  // A job podbench gives up on may cost money until it ends: cancel it (a lost job is gone already).
  if (jobId !== undefined && answer.outcome !== 'job_lost') {
    http.post(endpoint + '/cancel/' + encodeURIComponent(jobId), '{}', { headers, timeout: '5000ms', tags: { name: 'cancel' } });
  }
  return end;
}

function noteInProgress(state: RequestState, status: unknown): void {
  if (status === 'IN_PROGRESS' && !state.inProgressSeen) {
    state.inProgressSeen = true;
    mark('inprogress');
  }
}

/** Polls /status (or /status-sync with ?wait, a long-poll) until the job is terminal. */
function followStatus(jobId: string, state: RequestState): End {
  const id = encodeURIComponent(jobId);
  const { waitMs } = CONFIG.polling;
  const url = waitMs > 0 ? endpoint + '/status-sync/' + id + '?wait=' + waitMs : endpoint + '/status/' + id;
  let intervalMs = CONFIG.polling.intervalMs;
  for (;;) {
    const answer = call('GET', url, null, CONFIG.timeouts.httpMs + waitMs, 'status', state);
    state.polls += 1;
    if (!answer.ok) return failure(answer.httpStatus === 404 ? { ...answer, outcome: 'job_lost' } : answer, jobId);
    const status = answer.status;
    const problem = statusProblem(answer.fields, status, jobId);
    if (problem !== undefined || status === undefined) return failure({ ok: false, outcome: 'protocol_error', error: problem ?? '' }, jobId);
    noteInProgress(state, status);
    if (TERMINAL.includes(status)) return terminalEnd(status, jobId, answer.text, answer.fields);
    if (waitMs === 0) {
      if (remainingMs(state) <= intervalMs) return failure({ ok: false, outcome: 'client_timeout', error: 'no result within timeouts.request (' + CONFIG.timeouts.requestMs + ' ms)' }, jobId);
      sleep(intervalMs / 1000);
      intervalMs = Math.min(intervalMs * CONFIG.polling.backoff, CONFIG.polling.maxIntervalMs);
    }
  }
}

/**
 * Polls /stream until the job is terminal; the first poll with stream items is the first token
 * here (podbench counts tokens per item). A poll with items goes to podbench as the answer's
 * text, as it came: k6 only counts the items (gjson, in Go), as building them as JS values and
 * writing them out again cost k6 gigabytes and minutes on answers of a few MB.
 */
function followStream(jobId: string, state: RequestState): End {
  const id = encodeURIComponent(jobId);
  const { waitMs } = CONFIG.polling;
  const url = endpoint + '/stream/' + id + (waitMs > 0 ? '?wait=' + waitMs : '');
  let intervalMs = CONFIG.polling.intervalMs;
  let firstTokenAt: number | undefined;
  for (;;) {
    mark('poll');
    const answer = call('GET', url, null, CONFIG.timeouts.httpMs + waitMs, 'stream', state);
    state.polls += 1;
    if (!answer.ok) return failure(answer.httpStatus === 404 ? { ...answer, outcome: 'job_lost' } : answer, jobId);
    const status = answer.status;
    const problem = statusProblem(answer.fields, status, jobId);
    if (problem !== undefined || status === undefined) return failure({ ok: false, outcome: 'protocol_error', error: problem ?? '' }, jobId);
    const items = answer.res.json('stream.#');
    const full = typeof items === 'number' && items > 0;
    if (full && firstTokenAt === undefined) firstTokenAt = Date.now();
    if (full) mark('polled', { status }, answer.text);
    else mark('polled', { status });
    noteInProgress(state, status);
    if (TERMINAL.includes(status)) {
      const endedAt = Date.now();
      mark('done');
      // /stream answers carry no delayTime or executionTime: one /status call reads them.
      const final = call('GET', endpoint + '/status/' + id, null, CONFIG.timeouts.httpMs, 'status', state);
      state.polls += 1;
      const end: End = { outcome: outcomeOf(status), jobId, endedAt };
      if (firstTokenAt !== undefined) end.firstTokenAt = firstTokenAt;
      if (final.ok) {
        end.body = final.text;
        end.fields = final.fields;
      }
      const error = final.ok && final.fields.error !== '' ? errorOf(final.fields) : answer.fields.error !== '' ? errorOf(answer.fields) : undefined;
      if (error !== undefined) end.error = error;
      return end;
    }
    if (waitMs === 0) {
      if (remainingMs(state) <= intervalMs) return failure({ ok: false, outcome: 'client_timeout', error: 'no result within timeouts.request (' + CONFIG.timeouts.requestMs + ' ms)' }, jobId);
      sleep(intervalMs / 1000);
      intervalMs = full ? CONFIG.polling.intervalMs : Math.min(intervalMs * CONFIG.polling.backoff, CONFIG.polling.maxIntervalMs);
    }
  }
}

function runRequest(body: string, state: RequestState): End {
  const submitted = call('POST', endpoint + CONFIG.submitPath, body, CONFIG.timeouts.httpMs + CONFIG.submitWaitMs, CONFIG.submitName, state);
  if (!submitted.ok) return failure(submitted);
  if (CONFIG.mode === 'openai') {
    // An OpenAI route answers with the completion itself; an error object inside it fails the request.
    const error = submitted.fields.error === '' ? undefined : errorOf(submitted.fields);
    if (error !== undefined) return { outcome: 'job_failed', error, body: submitted.text, endedAt: Date.now() };
    return { outcome: 'ok', body: submitted.text, fields: submitted.fields, endedAt: Date.now() };
  }
  const jobId = jsonString(submitted.fields.id);
  const status = submitted.status;
  if (jobId === undefined || status === undefined) {
    return { outcome: 'protocol_error', error: 'the submission answer has no job id and status: ' + bounded(submitted.text, 120), endedAt: Date.now() };
  }
  const problem = statusProblem(submitted.fields, status, jobId);
  if (problem !== undefined) return failure({ ok: false, outcome: 'protocol_error', error: problem }, jobId);
  if (CONFIG.mode !== 'stream' && TERMINAL.includes(status)) {
    // /runsync finished within its wait: the end event carries the job id, no submitted event needed.
    return terminalEnd(status, jobId, submitted.text, submitted.fields);
  }
  mark('submitted', { jobId });
  if (CONFIG.mode === 'stream') return followStream(jobId, state);
  noteInProgress(state, status);
  return followStatus(jobId, state);
}

export default function (): void {
  if (scenarioInfo === undefined) scenarioInfo = exec.scenario;
  const scenario = scenarioInfo;
  const n = scenario.iterationInTest;
  if (CONFIG.iterationCap !== null && n >= CONFIG.iterationCap) {
    // A closed loop's VUs would spin through empty iterations until podbench stops k6 (an
    // open loop's come at its rate): each waits a little instead.
    if (scenario.executor.endsWith('-vus')) sleep(0.1);
    return;
  }
  let warmup = n < CONFIG.warmupIterations;
  if (!warmup && CONFIG.warmupMs > 0) {
    if (scenarioStartMs === undefined) scenarioStartMs = scenario.startTime;
    warmup = Date.now() - scenarioStartMs < CONFIG.warmupMs;
  }
  requestId = String(n);
  const state: RequestState = { sentAt: Date.now(), polls: 0, retries: 0, inProgressSeen: false };
  // Each metadata key costs k6 a copy of the VU's metadata to set and another to delete:
  // what the reader defaults (phase measure, no polls, no retries) is left out.
  if (warmup) mark('sent', { phase: 'warmup' });
  else mark('sent');
  let end: End;
  try {
    end = runRequest(bodies[n % bodies.length] as string, state);
  } catch (err) {
    // A bug in the script, not an endpoint problem: the request still gets its end.
    end = { outcome: 'protocol_error', error: 'podbench k6 script error: ' + String(err), endedAt: Date.now() };
  }
  const data: { [key: string]: string | number } = { outcome: end.outcome };
  if (state.polls > 0) data['polls'] = state.polls;
  if (state.retries > 0) data['retries'] = state.retries;
  if (end.error !== undefined) data['error'] = end.error;
  if (end.httpStatus !== undefined) data['httpStatus'] = end.httpStatus;
  if (end.jobId !== undefined) data['jobId'] = end.jobId;
  if (CONFIG.openAiBodies) data['openAiBodies'] = 1;
  mark('end', data, end.body);
  if (warmup || !CONFIG.k6Metrics) return;
  failed.add(end.outcome !== 'ok');
  if (end.outcome !== 'ok') return;
  e2e.add(end.endedAt - state.sentAt);
  if (end.firstTokenAt !== undefined) ttft.add(end.firstTokenAt - state.sentAt);
  if (end.fields === undefined) return;
  const delayTime = jsonNumber(end.fields.delayTime);
  const executionTime = jsonNumber(end.fields.executionTime);
  if (delayTime !== undefined) delay.add(delayTime);
  if (executionTime !== undefined) execution.add(executionTime);
}
// podbench:runtime end

// Only in podbench's own runs (an exported script keeps k6's own summary).
// podbench:own-run begin

/**
 * When k6's run clock started, as epoch ms: Date.now() counts whole milliseconds, so the
 * clock is read on both sides of the moment Date.now() ticks over to the next one; of a few
 * ticks the one read closest on both sides (a read can be descheduled) wins. A tick's
 * instant on the run clock is known within the reads around it (about a microsecond here).
 */
export function setup(): void {
  const clock = exec.instance;
  let best = { widthMs: Infinity, startEpochMs: Number.NaN };
  let beforeMs = clock.currentTestRunDuration;
  let lastNow = Date.now();
  let afterMs = clock.currentTestRunDuration;
  for (let ticks = 0; ticks < 5; ) {
    const readBeforeMs = clock.currentTestRunDuration;
    const now = Date.now();
    const readAfterMs = clock.currentTestRunDuration;
    if (now !== lastNow) {
      ticks++;
      // The tick fell between the previous Date.now() read and this one.
      const widthMs = readAfterMs - beforeMs;
      if (widthMs < best.widthMs) best = { widthMs, startEpochMs: now - (afterMs + readBeforeMs) / 2 };
    }
    beforeMs = readBeforeMs;
    lastNow = now;
    afterMs = readAfterMs;
  }
  console.log(LINE + 'clock\t' + best.startEpochMs + '\t' + best.widthMs);
}

/** k6 counts the iterations it dropped (no free VU in time) in memory: their total, at the end. */
export function handleSummary(data: { metrics: { [name: string]: { values: { [stat: string]: number } } } }): {
  [output: string]: string;
} {
  const dropped = data.metrics['dropped_iterations'];
  return { stdout: LINE + 'dropped\t' + (dropped === undefined ? 0 : dropped.values['count'] ?? 0) + '\n' };
}
// podbench:own-run end

