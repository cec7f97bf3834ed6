// k6 output points → RequestRecords. The script (script-runtime.ts) marks each logical
// request's moments as podbench_events samples; this puts them back together, one record
// per request, with the same Runpod client code the native engine reads the server with
// (src/runpod: worker output, status bodies, stream polls), so token counts, formats, server
// fields and TTFT's uncertainty mean the same whichever engine ran. Pure: points in,
// records out through the hooks.
//
// Clock: k6 stamps samples with the wall clock (Go's time.Now(), nanoseconds). Record times
// are those minus the run's start as epoch milliseconds (RunMeta.startedEpochMs, which is
// performance.timeOrigin + performance.now() at the start). The two agree to well under a
// millisecond on one machine; they drift apart only as fast as NTP slews the wall clock
// (at most 0.5 ms per second, typically microseconds), and a wall-clock step during the run
// shifts the k6 times by the step. Across machines (distributed runs) add their clock offset.
import {
  OUTCOMES,
  type Mode,
  type Outcome,
  type Phase,
  type RecordDraft,
  type RequestRecord,
} from '../../core/record.js';
import { finishFromStatus } from '../../runpod/follow-status.js';
import { asStatusBody, fallbackError, type StatusBody } from '../../runpod/job-status.js';
import { takeOpenAiAnswer } from '../../runpod/openai-answer.js';
import {
  finishStreamed,
  readStreamPoll,
  takeFinalStatus,
  trackStreamPolls,
  type StreamPolls,
  type StreamTimes,
} from '../../runpod/stream-polls.js';
import { createStreamReader, type StreamReader } from '../../runpod/worker-output.js';
import type { K6Point } from './points.js';
import { K6_METRICS } from './thresholds.js';

export interface RecordHooks {
  /** The next free sequence number (records are numbered as their requests first appear). */
  nextSeq(): number;
  record(record: RequestRecord): void;
  sent?(): void;
  submitted?(jobId: string): void;
  settled?(jobId: string): void;
  /** Iterations k6 dropped (no free VU when they were due, or its executor's time ran out): counted, never recorded one by one. */
  notSent(phase: Phase, count: number): void;
  /**
   * Why k6 cancelled a request itself (it was stopped, or its graceful stop ran out), by
   * whether its job's id was known: the error of an aborted record (a text), or the outcome and
   * error it ends with; without it such a request stays the network error k6 says.
   */
  cancelledWhy?(jobKnown: boolean): CancelledEnd;
}

/** How a request k6 ended itself is recorded: aborted with this error, or this outcome and error. */
export type CancelledEnd = string | { outcome: Outcome; error: string };

/**
 * What k6 says of a request it cancelled itself (its VU's context was cancelled: podbench
 * stopped k6, or a graceful stop ran out): the request did not fail, the run stopped it.
 */
const K6_CANCELLED = 'context canceled';

export interface RecordBuilder {
  push(point: K6Point): void;
  /**
   * Requests that never got their end event (k6 stopped or was interrupted): they end as
   * `aborted`, with `why` (a function: by whether the request's job id was known).
   */
  finish(endMs: number, why: string | ((jobKnown: boolean) => CancelledEnd)): void;
  readonly open: number;
}

interface OpenRequest {
  seq: number;
  phase: Phase;
  sentMs: number;
  /** Stream mode only (the other modes read one final answer): what the polls delivered. */
  stream?: OpenStream;
  /** Stream mode: when the poll being answered was sent. */
  pollSentMs?: number;
  inProgressSeenMs?: number;
  doneMs?: number;
  jobId?: string;
  /** Stream mode: why a poll's answer could not be read (the request then ends a protocol error). */
  unreadable?: string;
}

const OUTCOME_SET = new Set<string>(OUTCOMES);

interface OpenStream {
  reader: StreamReader;
  /** Chunks and token times, as `polls` reads them from the polls. */
  times: StreamTimes;
  polls: StreamPolls;
}

/** k6's times are whole microseconds; so are the differences of two of them. */
const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Arrays and objects nested deeper than this in an answer are not read: the code that reads
 * answers (src/runpod) recurses over values (JSON.stringify of an error object, for one), and
 * a server's `[[[...]]]` 10,000 deep overflowed its stack. No LLM answer nests near this.
 */
export const MAX_ANSWER_DEPTH = 256;

/** Whether a JSON text nests arrays or objects deeper than `max`: one pass, no recursion. */
export function nestsDeeper(text: string, max = MAX_ANSWER_DEPTH): boolean {
  // Each level takes at least two characters: a short text cannot be too deep.
  if (text.length <= max * 2) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote (past escaped characters).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

const TOO_DEEP = `an answer nesting arrays or objects more than ${MAX_ANSWER_DEPTH} deep: podbench does not read it`;

/**
 * A final answer too deep to read, cut to what can be read safely: its top-level strings and
 * numbers, and its error as the text the script made of it (bounded). `lost` says whether
 * any other nested field (the output, an OpenAI answer's choices) was left out.
 */
function shallowBody(json: unknown, error: string | undefined): { body: Record<string, unknown>; lost: boolean } {
  const body: Record<string, unknown> = {};
  let lost = false;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { body, lost: true };
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'string' || typeof value === 'number') body[key] = value;
    else if (key === 'error' && value !== null) body.error = error ?? 'an error nested too deeply to show';
    else if (typeof value === 'object' && value !== null) lost = true;
  }
  return { body, lost };
}

/** Everything a record needs that the k6 output does not say: the variant's name and mode. */
export function createRecordBuilder(
  variant: string,
  mode: Mode,
  originEpochMs: number,
  hooks: RecordHooks,
): RecordBuilder {
  const requests = new Map<string, OpenRequest>();
  const at = (epochMs: number) => Math.round((epochMs - originEpochMs) * 1000) / 1000;
  let sawMeasure = false;
  let sawWarmup = false;

  const start = (id: string, point: K6Point, t: number) => {
    const phase: Phase = point.metadata.phase === 'warmup' ? 'warmup' : 'measure';
    if (phase === 'measure') sawMeasure = true;
    else sawWarmup = true;
    const open: OpenRequest = { seq: hooks.nextSeq(), phase, sentMs: t };
    if (mode === 'stream') {
      const times: StreamTimes = {};
      open.stream = { reader: createStreamReader(), times, polls: trackStreamPolls(times, t) };
    }
    requests.set(id, open);
    hooks.sent?.();
  };

  const polled = (open: OpenRequest, point: K6Point, t: number) => {
    if (!open.stream) return; // polls belong to stream mode
    const md = point.metadata;
    // The script passes the poll's answer as it came (older scripts: its items, as JSON).
    const text = md.body ?? md.items;
    let items: unknown;
    if (text !== undefined && nestsDeeper(text)) open.unreadable ??= TOO_DEEP;
    else if (md.body !== undefined) items = asStatusBody(parseJson(md.body))?.stream;
    else items = parseJson(md.items);
    const tokens = readStreamPoll(open.stream.reader, items, md.status ?? '');
    open.stream.polls.polled(open.pollSentMs, t, tokens);
  };

  const end = (open: OpenRequest, point: K6Point, t: number): RequestRecord => {
    const md = point.metadata;
    const outcome = md.outcome ?? '';
    const openAiFormat = md.openAiBodies === '1';
    const record: RecordDraft = {
      seq: open.seq,
      variant,
      phase: open.phase,
      mode,
      outcome: OUTCOME_SET.has(outcome) ? (outcome as Outcome) : 'protocol_error',
      // k6 starts an iteration when it is due and a VU is free (else it drops it): no later schedule to compare with.
      scheduledMs: open.sentMs,
      sentMs: open.sentMs,
      tokenSource: 'none',
      polls: Number(md.polls ?? 0) || 0,
      retries: Number(md.retries ?? 0) || 0,
    };
    if (!OUTCOME_SET.has(outcome)) record.error = `the k6 script reported an unknown outcome "${outcome}"`;
    if (md.error !== undefined) record.error = md.error;
    if (md.httpStatus !== undefined) record.httpStatus = Number(md.httpStatus);
    const jobId = md.jobId ?? open.jobId;
    if (jobId !== undefined) record.jobId = jobId;
    if (outcome === 'network_error' && md.error === K6_CANCELLED && hooks.cancelledWhy) {
      const why = hooks.cancelledWhy(record.jobId !== undefined);
      record.outcome = typeof why === 'string' ? 'aborted' : why.outcome;
      record.error = typeof why === 'string' ? why : why.error;
    }
    if (open.inProgressSeenMs !== undefined) record.inProgressSeenMs = open.inProgressSeenMs;
    let json = parseJson(md.body);
    if (md.body !== undefined && json !== undefined && nestsDeeper(md.body)) {
      const shallow = shallowBody(json, md.error);
      json = shallow.body;
      if (shallow.lost) open.unreadable ??= TOO_DEEP;
    }
    const body = asStatusBody(json);
    switch (mode) {
      case 'openai': {
        record.workerFormat = 'openai';
        // An error inside the answer: the script already ended the request as job_failed with its text.
        if (json !== undefined) takeOpenAiAnswer(record, json);
        break;
      }
      case 'sync':
      case 'async':
        if (body) finishFromStatus(record, body, openAiFormat);
        break;
      case 'stream':
        finishStream(record, open, body, openAiFormat);
        break;
      case 'openai-stream':
        break; // planK6 refuses it
      default: {
        const never: never = mode;
        throw new Error(`unknown mode ${String(never)}`);
      }
    }
    if (open.unreadable !== undefined && (record.outcome === 'ok' || record.outcome === 'job_failed')) {
      record.outcome = 'protocol_error';
      record.error = open.unreadable;
    }
    record.endMs = open.doneMs ?? t;
    // Every non-ok record says something, even when the server gave no error text.
    if (record.outcome !== 'ok' && !record.error) record.error = fallbackError(record.outcome);
    return record as RequestRecord;
  };

  return {
    push(point) {
      const t = at(point.epochMs);
      if (point.metric === 'dropped_iterations') {
        // One sample per dropped iteration, or one carrying several: a count either way, never a record each.
        const count = Number.isFinite(point.value) && point.value >= 1 ? Math.round(point.value) : 1;
        hooks.notSent(sawWarmup && !sawMeasure ? 'warmup' : 'measure', count);
        return;
      }
      if (point.metric !== K6_METRICS.events) return;
      const id = point.metadata.podbench_req;
      if (id === undefined) return;
      const event = point.tags.event;
      if (event === 'sent') {
        start(id, point, t);
        return;
      }
      const open = requests.get(id);
      if (!open) return; // an event of a request whose start was not in this output
      switch (event) {
        case 'submitted':
          open.jobId = point.metadata.jobId;
          if (open.jobId !== undefined) hooks.submitted?.(open.jobId);
          break;
        case 'inprogress':
          open.inProgressSeenMs ??= t;
          break;
        case 'poll':
          open.pollSentMs = t;
          break;
        case 'polled':
          polled(open, point, t);
          break;
        case 'done':
          open.doneMs = t;
          break;
        case 'end': {
          requests.delete(id);
          const record = end(open, point, t);
          if (record.jobId !== undefined) {
            // A job finished in its submission answer (a /runsync within its wait) gets no submitted event.
            if (open.jobId === undefined) hooks.submitted?.(record.jobId);
            hooks.settled?.(record.jobId);
          }
          hooks.record(record);
          break;
        }
        default:
          break;
      }
    },
    finish(endMs, why) {
      for (const open of requests.values()) {
        const ended = typeof why === 'string' ? why : why(open.jobId !== undefined);
        hooks.record({
          seq: open.seq,
          variant,
          phase: open.phase,
          mode,
          outcome: typeof ended === 'string' ? 'aborted' : ended.outcome,
          error: typeof ended === 'string' ? ended : ended.error,
          ...(open.jobId !== undefined ? { jobId: open.jobId } : {}),
          scheduledMs: open.sentMs,
          sentMs: open.sentMs,
          endMs: Math.max(endMs, open.sentMs),
          tokenSource: 'none',
          polls: 0,
          retries: 0,
        });
      }
      requests.clear();
    },
    get open() {
      return requests.size;
    },
  };
}

/** Stream mode: what the polls delivered, then the final /status answer, as the native engine's followStream does. */
function finishStream(
  record: RecordDraft,
  open: OpenRequest,
  body: StatusBody | undefined,
  openAiFormat: boolean,
): void {
  if (open.jobId === undefined || !open.stream) return; // the submission failed: nothing was streamed
  const { times, reader } = open.stream;
  record.chunks = times.chunks;
  if (times.firstTokenMs !== undefined) record.firstTokenMs = times.firstTokenMs;
  if (times.lastTokenMs !== undefined) record.lastTokenMs = times.lastTokenMs;
  if (times.ttftUncertaintyMs !== undefined) record.ttftUncertaintyMs = round3(times.ttftUncertaintyMs);
  finishStreamed(record, reader, openAiFormat);
  if (body) takeFinalStatus(record, body);
}
