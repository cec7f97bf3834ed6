// An OpenAI route's whole answer (/openai/v1/chat/completions or /completions, not
// streamed), into its record: token counts, the answer's id, the worker that served it, and
// what the answer means for the outcome.
import type { RecordDraft } from '../core/record.js';
import { asStatusBody, takeServerFields } from './job-status.js';
import { applyCounts, countOpenAiResponse, type CountTokens, type OutputCounts } from './worker-output.js';

/**
 * Fills the record from the answer; a request still ok becomes job_failed when the answer
 * carries an error object, and protocol_error when it is no completion at all (no `choices`).
 */
export function takeOpenAiAnswer(record: RecordDraft, json: unknown, countTokens?: CountTokens): OutputCounts {
  const counts = countOpenAiResponse(json, countTokens);
  applyCounts(record, counts);
  const body = asStatusBody(json);
  if (body && typeof body.workerId === 'string') takeServerFields(record, { workerId: body.workerId });
  if (record.outcome === 'ok') {
    if (counts.streamError !== undefined) {
      record.outcome = 'job_failed';
      record.error = counts.streamError;
    } else if (!counts.sawChoices) {
      record.outcome = 'protocol_error';
      record.error = body ? 'an OpenAI answer without choices' : 'an OpenAI answer that is not a JSON object';
    }
  }
  return counts;
}
