// The emulator's endpoint run on a simulated clock (src/emulator/simulate.ts): the traffic
// it is given and what became of it. Plain data, here so that the code that builds traffic
// and reads results (answers, runner) needs no import of the emulator itself.
//
// Every time is in emulated milliseconds from the start of the simulation: the clock jumps
// from one event to the next, so a simulated day takes the CPU time its events cost.

/** One request of the traffic, as the endpoint sees it. */
export interface SimRequest {
  /** When it is submitted (open loop); ignored in a closed loop, where users send in turn. */
  atMs: number;
  promptTokens: number;
  maxTokens: number;
  /** Tokens before an end of sequence may be drawn (vLLM min_tokens). */
  minTokens?: number;
  /** No end of sequence: exactly maxTokens are generated. */
  ignoreEos?: boolean;
}

export type SimTraffic =
  /** Requests submitted at their atMs, whatever the endpoint does. */
  | { kind: 'open'; requests: SimRequest[] }
  /**
   * `users` users, each sending the next request of the list as soon as its last one ended
   * (plus `gapMs`: the client's share of a round trip), until the list is used up or
   * `durationMs` has passed.
   */
  | { kind: 'closed'; users: number; requests: SimRequest[]; durationMs?: number; gapMs?: number };

/** What became of one request. */
export interface SimJob {
  /** Index in the traffic's request list. */
  request: number;
  status: string;
  submittedMs: number;
  startedMs?: number;
  firstTokenMs?: number;
  completedMs?: number;
  /** The worker slot that ran it (0-based). */
  worker?: number;
  /** It waited for a cold start or a FlashBoot revival. */
  coldStart: boolean;
  promptTokens: number;
  outputTokens: number;
}

/** Worker time the platform bills: from a worker's start until it stops (pricing.mdx). */
export interface SimBilling {
  /** Worker-ms of active workers (workers.min): billed from start to end of the simulation. */
  activeWorkerMs: number;
  /** Worker-ms of flex workers while initializing, ready or running. */
  flexWorkerMs: number;
  /** Of flexWorkerMs: booting (cold starts and FlashBoot revivals). */
  flexBootMs: number;
  /** Boots of flex workers. */
  boots: number;
}

export interface SimResult {
  jobs: SimJob[];
  /** From 0 to the last job's end (or the last arrival, if later). */
  windowMs: number;
  billing: SimBilling;
  /** Live workers (initializing, ready or running) over time: [atMs, count] at each change. */
  liveWorkers: Array<[number, number]>;
  maxLiveWorkers: number;
}
