// The messages between the native engine's scheduler (the runner's thread) and its client
// threads. Plain data only: everything crosses by structured clone.
import type { Phase, RequestRecord } from '../../core/record.js';
import type { LoopDelay } from '../../core/summary.js';
import type { TargetApi } from '../../core/target-api.js';
import type { Scenario } from '../../scenario/schema.js';
import type { ClockBase } from './thread-clock.js';

/** What a client thread is started with (its workerData). */
export interface ThreadStart {
  index: number;
  variant: string;
  scenario: Scenario;
  endpointUrl: string;
  api: TargetApi;
  apiKey: string | undefined;
  model: string | undefined;
  clockBase: ClockBase;
  /** Socket cap of this thread's HTTP client (modes of short calls only); undefined: none. */
  maxConnections: number | undefined;
  /** The scenario's tokenizer file (already read and checked on the runner's thread), to count output text. */
  tokenizerPath: string | undefined;
}

/** One request, as the scheduler hands it over when it is due. */
export interface ThreadRequest {
  seq: number;
  phase: Phase;
  scheduledMs: number;
  /** Where it goes under the endpoint, and its body: built before it was due. */
  path: string;
  bodyText: string;
  /** The prompt's tokens by the scenario's tokenizer. */
  promptTokens?: number;
}

export type ToThread =
  /** Send this request now: the scheduler decided it is due. */
  | ({ type: 'send' } & ThreadRequest)
  /** The run was interrupted: end every call and pause in flight. */
  | { type: 'abort' }
  /** Nothing more will be sent: report the loop delay and close. */
  | { type: 'finish' };

export type JobOp = 'submitted' | 'settled' | 'abandon';

export type FromThread =
  | { type: 'ready' }
  /** What a request tells the run's job tracker (which lives on the scheduler's thread). */
  | { type: 'job'; op: JobOp; jobId: string }
  | { type: 'record'; record: RequestRecord }
  /** The thread's event-loop delay from its first send (undefined: it sent nothing). */
  | { type: 'finished'; loopDelayMs: LoopDelay | undefined };
