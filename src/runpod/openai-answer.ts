// An OpenAI route's whole answer (/openai/v1/chat/completions or /completions, not
// streamed), into its record: token counts, the answer's id and the worker that served it.
import type { RecordDraft } from '../core/record.js';
import { asStatusBody, takeServerFields } from './job-status.js';
import { applyCounts, countOpenAiResponse, type OutputCounts } from './worker-output.js';

/** Returns the counts; their streamError is an error object the answer carried (the caller decides what it means for the outcome). */
export function takeOpenAiAnswer(record: RecordDraft, json: unknown): OutputCounts {
  const counts = countOpenAiResponse(json);
  applyCounts(record, counts);
  const body = asStatusBody(json);
  if (body && typeof body.workerId === 'string') takeServerFields(record, { workerId: body.workerId });
  return counts;
}
