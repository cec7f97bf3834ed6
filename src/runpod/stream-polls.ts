// What /stream polls and the job's final /status say, into a record: the same for the native
// engine (follow-stream.ts, as it polls) and the k6 record reader (from the script's events).
//
// Each poll that delivers tokens is one chunk; the first such poll is the first token. When
// did it really appear? After the server answered the last empty poll, which it did after
// that poll was sent: so the token appeared between the sending of the last empty poll (or
// of the submission, if none) and the arrival of the first full one. That interval is
// ttftUncertaintyMs. It holds whatever the network or either side's event loop did, because
// it uses only the client's own clock.
import type { RecordDraft } from '../core/record.js';
import { TERMINAL_STATUSES, outcomeOfStatus, statusProblem, takeServerFields, type StatusBody } from './job-status.js';
import { applyCounts, createStreamReader, type StreamReader } from './worker-output.js';

/** The token times of a streamed request, written where the caller keeps them (a record, or state of its own). */
export interface StreamTimes {
  chunks?: Array<[number, number]>;
  firstTokenMs?: number;
  lastTokenMs?: number;
  ttftUncertaintyMs?: number;
}

export interface StreamPolls {
  /** A poll sent at pollSentMs (undefined: not known) answered at atMs with `tokens` tokens. */
  polled(pollSentMs: number | undefined, atMs: number, tokens: number): void;
}

/** Follows the polls of a job submitted at submittedMs, writing chunks and token times into `times` as they come. */
export function trackStreamPolls(times: StreamTimes, submittedMs: number): StreamPolls {
  const chunks: Array<[number, number]> = [];
  times.chunks = chunks;
  // The submission: no token can exist before the job does.
  let lastEmptySentMs = submittedMs;
  return {
    polled(pollSentMs, atMs, tokens) {
      if (tokens <= 0) {
        if (pollSentMs !== undefined) lastEmptySentMs = pollSentMs;
        return;
      }
      chunks.push([atMs, tokens]);
      if (times.firstTokenMs === undefined) {
        times.firstTokenMs = atMs;
        times.ttftUncertaintyMs = atMs - lastEmptySentMs;
      }
      times.lastTokenMs = atMs;
    },
  };
}

/** Feeds one /stream answer's items (its `stream` array) to the reader; returns the tokens they held, and the rest once the job is terminal. */
export function readStreamPoll(reader: StreamReader, items: unknown, status: string): number {
  let tokens = 0;
  if (Array.isArray(items)) {
    for (const item of items as unknown[]) {
      if (typeof item === 'object' && item !== null && 'output' in item)
        tokens += reader.push((item as { output: unknown }).output);
    }
  }
  if (TERMINAL_STATUSES.has(status)) tokens += reader.end();
  return tokens;
}

/** What the polls delivered, into the record: token counts, the worker format, an error the stream carried. */
export function finishStreamed(record: RecordDraft, reader: StreamReader, openAiFormat: boolean): void {
  const counts = reader.result();
  applyCounts(record, counts);
  const format = openAiFormat ? 'openai' : counts.format;
  if (format) record.workerFormat = format;
  if (counts.protocolError !== undefined) {
    record.outcome = 'protocol_error';
    record.error = counts.protocolError;
    return;
  }
  if (counts.streamError !== undefined && record.error === undefined) record.error = counts.streamError;
}

/** The final /status answer of a streamed job (/stream answers carry no delayTime or executionTime). */
export function takeFinalStatus(record: RecordDraft, body: StatusBody): void {
  const problem = statusProblem(body, record.jobId);
  takeServerFields(record, body);
  if (problem !== undefined) {
    record.outcome = 'protocol_error';
    record.error = problem;
    return;
  }
  // The job's last word: a stream that ended COMPLETED for a job /status calls FAILED (or
  // CANCELLED, TIMED_OUT) did not succeed. A /status not terminal yet is no contradiction
  // (it may lag the stream), so only a terminal one is taken.
  const status = body.status as string;
  if (record.outcome === 'ok' && TERMINAL_STATUSES.has(status) && status !== 'COMPLETED') {
    record.outcome = outcomeOfStatus(status);
    record.error ??= `the stream ended COMPLETED, but /status says ${status}`;
  }
  if (record.outputTokens === undefined || record.tokenSource !== 'usage') {
    // The aggregate output may carry usage the slices did not (e.g. a proxy stream's last chunk).
    const again = createStreamReader();
    if (Array.isArray(body.output)) for (const item of body.output) again.push(item);
    again.end();
    const total = again.result();
    if (total.tokenSource === 'usage') {
      record.outputTokens = total.outputTokens;
      if (total.promptTokens !== undefined) record.promptTokens = total.promptTokens;
      record.tokenSource = 'usage';
    }
  }
}
