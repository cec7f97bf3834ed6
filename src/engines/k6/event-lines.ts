// Reading the lines a podbench k6 script writes in podbench's own runs (runtime/k6-runtime.ts,
// CONFIG.eventLines): its events on k6's log, the run clock's start from setup(), the dropped
// iterations from handleSummary(). Each starts with `podbench<TAB>`; k6's own log lines (its
// warnings and errors, raw) do not, and are left to the caller. Pure.
//
//   podbench  clock    <epoch ms the run clock started>  <uncertainty ms>
//   podbench  <event>  <request id>  <run clock ms>  [<JSON object of the event's data>  [<answer>]]
//   podbench  dropped  <count>
//
// An event's time is k6's run clock (exec.instance.currentTestRunDuration: Go's monotonic
// clock since the run started, in fractional milliseconds) plus the clock line's start, so a
// wall-clock step during the run moves nothing; the start is known to about a microsecond.
// An end event's final answer (valid JSON, k6 checked it) follows its data as it came, with
// its tabs and line breaks turned into spaces; it becomes the data's `body`.
import { strings, type K6Point } from './points.js';
import { K6_METRICS } from './thresholds.js';

export const K6_LINE_PREFIX = 'podbench\t';

export type K6Line =
  | { kind: 'clock'; startEpochMs: number; uncertaintyMs: number }
  | { kind: 'event'; event: string; request: string; runMs: number; data: Record<string, string> }
  | { kind: 'dropped'; count: number };

/** A number field; an empty or missing one is none (Number('') is 0). */
function num(field: string | undefined): number {
  return field === undefined || field === '' ? Number.NaN : Number(field);
}

/** One line (without its line break) as what it says, or undefined when it is not a well-formed podbench line. */
export function parseK6Line(line: string): K6Line | undefined {
  if (!line.startsWith(K6_LINE_PREFIX)) return undefined;
  const fields = line.split('\t', 4);
  const kind = fields[1];
  if (kind === 'clock') {
    const startEpochMs = num(fields[2]);
    const uncertaintyMs = num(fields[3]);
    return Number.isFinite(startEpochMs) && startEpochMs > 0
      ? { kind, startEpochMs, uncertaintyMs: Number.isFinite(uncertaintyMs) ? uncertaintyMs : Number.NaN }
      : undefined;
  }
  if (kind === 'dropped') {
    const count = num(fields[2]);
    return Number.isInteger(count) && count >= 0 ? { kind, count } : undefined;
  }
  const request = fields[2];
  const runMs = num(fields[3]);
  if (!kind || request === undefined || fields[3] === undefined || !Number.isFinite(runMs)) return undefined;
  // The data runs from the fourth tab to the next one or the end: JSON escapes tabs, so it
  // holds none of its own; the answer, when there is one, is the rest.
  const dataAt = fields[0]!.length + kind.length + request.length + fields[3].length + 4;
  if (dataAt >= line.length) return { kind: 'event', event: kind, request, runMs, data: {} };
  const bodyTab = line.indexOf('\t', dataAt);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyTab === -1 ? line.slice(dataAt) : line.slice(dataAt, bodyTab));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const data = strings(parsed);
  if (bodyTab !== -1) data.body = line.slice(bodyTab + 1);
  return { kind: 'event', event: kind, request, runMs, data };
}

/** An event line as the point the record builder reads (the same as its podbench_events sample in a JSON output). */
export function eventPoint(line: Extract<K6Line, { kind: 'event' }>, startEpochMs: number): K6Point {
  return {
    metric: K6_METRICS.events,
    epochMs: startEpochMs + line.runMs,
    value: 1,
    tags: { event: line.event },
    // The line's data is its own (parseK6Line builds it): the point takes it over.
    metadata: Object.assign(line.data, { podbench_req: line.request }),
  };
}

/** The dropped iterations as the point the record builder counts them from. */
export function droppedPoint(count: number, epochMs: number): K6Point {
  return { metric: 'dropped_iterations', epochMs, value: count, tags: {}, metadata: {} };
}
