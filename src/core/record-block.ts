// Checked records handed to another thread as numbers and a table of texts, so the file is
// parsed once. A report used to parse results.ndjson twice, once on each thread (the
// summary on the main thread, requests.csv and the page on a worker): JSON.parse is about
// 3.5 s of a million records, the largest single cost of a report. Now a reader thread
// parses and checks each line once (src/util/record-reader-worker.ts) and writes the records
// into blocks, which the main thread reads back (a tenth of the parse) and passes on.
//
// A block is one Float64Array: per record its number fields (NaN when absent: a checked
// record holds finite numbers only, src/core/record-check.ts), its text fields as indexes
// into the block's texts (NaN when absent; each text once per block, so the names repeated
// on every row cost an index), a flags slot, its chunk count and then its chunks' pairs.
// The ids (jobId, responseId: new on every record) are not texts of their own but spans of
// one string per block, the block's ids end to end (a start slot, and a length slot after
// the flags): two thousand short strings a block were most of the cost of passing it from
// thread to thread (each copied out and in again, and collected), one string is one copy.
// Only the fields of RequestRecord travel: a foreign field a hand-edited file carries is
// read by nothing after the check.
import type { RequestRecord } from './record.js';

/** One block as posted: the numbers (their buffer transferred, not copied), the texts and the ids. */
export interface RecordBlock {
  numbers: Float64Array<ArrayBuffer>;
  texts: string[];
  /** Every record's jobId and responseId, end to end. */
  ids: string;
  records: number;
}

const STREAMED_WHOLE = 1;

/** Collects records into a block; take() hands the block over and starts the next. */
export class RecordBlockWriter {
  private numbers: Float64Array;
  private at = 0;
  private texts: string[] = [];
  private textIndex = new Map<string, number>();
  private ids: string[] = [];
  private idsLength = 0;
  private records = 0;

  constructor(initialSlots = 1 << 16) {
    this.numbers = new Float64Array(initialSlots);
  }

  get size(): number {
    return this.records;
  }

  add(r: RequestRecord): void {
    const chunks = r.chunks;
    const pairs = chunks === undefined ? 0 : chunks.length;
    this.reserve(FIXED_SLOTS + 2 * pairs);
    const n = this.numbers;
    let at = this.at;
    // Field by field, in the order read() reads them back.
    n[at++] = r.seq;
    n[at++] = r.httpStatus ?? Number.NaN;
    n[at++] = r.scheduledMs;
    n[at++] = r.sentMs ?? Number.NaN;
    n[at++] = r.firstTokenMs ?? Number.NaN;
    n[at++] = r.lastTokenMs ?? Number.NaN;
    n[at++] = r.endMs;
    n[at++] = r.inProgressSeenMs ?? Number.NaN;
    n[at++] = r.delayMs ?? Number.NaN;
    n[at++] = r.executionMs ?? Number.NaN;
    n[at++] = r.promptTokens ?? Number.NaN;
    n[at++] = r.outputTokens ?? Number.NaN;
    n[at++] = r.polls;
    n[at++] = r.retries;
    n[at++] = r.ttftUncertaintyMs ?? Number.NaN;
    n[at++] = this.text(r.variant);
    n[at++] = this.text(r.phase);
    n[at++] = this.text(r.mode);
    n[at++] = this.text(r.outcome);
    n[at++] = this.text(r.error);
    n[at++] = this.id(r.jobId);
    n[at++] = this.id(r.responseId);
    n[at++] = this.text(r.workerId);
    n[at++] = this.text(r.workerFormat);
    n[at++] = this.text(r.tokenSource);
    n[at++] = r.streamedWhole === true ? STREAMED_WHOLE : 0;
    n[at++] = r.jobId === undefined ? Number.NaN : r.jobId.length;
    n[at++] = r.responseId === undefined ? Number.NaN : r.responseId.length;
    n[at++] = chunks === undefined ? -1 : pairs;
    for (let i = 0; i < pairs; i++) {
      const chunk = (chunks as Array<[number, number]>)[i] as [number, number];
      n[at++] = chunk[0];
      n[at++] = chunk[1];
    }
    this.at = at;
    this.records += 1;
  }

  /** The block so far (the writer starts an empty one); its numbers trimmed to what is used. */
  take(): RecordBlock {
    const block: RecordBlock = {
      numbers: this.numbers.slice(0, this.at),
      texts: this.texts,
      ids: this.ids.join(''),
      records: this.records,
    };
    this.at = 0;
    this.records = 0;
    this.texts = [];
    this.textIndex = new Map();
    this.ids = [];
    this.idsLength = 0;
    return block;
  }

  /** An id (no other record has it): appended to the block's ids, its start returned. */
  private id(value: string | undefined): number {
    if (value === undefined) return Number.NaN;
    const start = this.idsLength;
    this.ids.push(value);
    this.idsLength += value.length;
    return start;
  }

  private text(value: string | undefined): number {
    if (value === undefined) return Number.NaN;
    let index = this.textIndex.get(value);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(value);
      this.textIndex.set(value, index);
    }
    return index;
  }

  private reserve(slots: number): void {
    if (this.at + slots <= this.numbers.length) return;
    const grown = new Float64Array(Math.max(this.numbers.length * 2, this.at + slots));
    grown.set(this.numbers.subarray(0, this.at));
    this.numbers = grown;
  }
}

/** Slots every record takes before its chunks: 15 numbers, 10 texts, flags, the ids' lengths and the chunk count. */
const FIXED_SLOTS = 29;

/** The block's records, in the order they were added, each with only the fields it had. */
export function* readRecordBlock(block: RecordBlock): Generator<RequestRecord> {
  const { numbers: n, texts, ids } = block;
  let at = 0;
  for (let k = 0; k < block.records; k++) {
    const record: RequestRecord = {
      seq: n[at] as number,
      variant: texts[n[at + 15] as number] as string,
      phase: texts[n[at + 16] as number] as RequestRecord['phase'],
      mode: texts[n[at + 17] as number] as RequestRecord['mode'],
      outcome: texts[n[at + 18] as number] as RequestRecord['outcome'],
      scheduledMs: n[at + 2] as number,
      endMs: n[at + 6] as number,
      tokenSource: texts[n[at + 24] as number] as RequestRecord['tokenSource'],
      polls: n[at + 12] as number,
      retries: n[at + 13] as number,
    };
    // Optional fields only when present, as the line had them; each by its name (a store by
    // a name that changes at each step is a slow lookup in V8).
    let v = n[at + 1] as number;
    if (!Number.isNaN(v)) record.httpStatus = v;
    v = n[at + 19] as number;
    if (!Number.isNaN(v)) record.error = texts[v] as string;
    v = n[at + 20] as number;
    if (!Number.isNaN(v)) record.jobId = ids.slice(v, v + (n[at + 26] as number));
    v = n[at + 21] as number;
    if (!Number.isNaN(v)) record.responseId = ids.slice(v, v + (n[at + 27] as number));
    v = n[at + 22] as number;
    if (!Number.isNaN(v)) record.workerId = texts[v] as string;
    v = n[at + 23] as number;
    if (!Number.isNaN(v)) record.workerFormat = texts[v] as RequestRecord['workerFormat'];
    v = n[at + 3] as number;
    if (!Number.isNaN(v)) record.sentMs = v;
    v = n[at + 4] as number;
    if (!Number.isNaN(v)) record.firstTokenMs = v;
    v = n[at + 5] as number;
    if (!Number.isNaN(v)) record.lastTokenMs = v;
    v = n[at + 7] as number;
    if (!Number.isNaN(v)) record.inProgressSeenMs = v;
    v = n[at + 8] as number;
    if (!Number.isNaN(v)) record.delayMs = v;
    v = n[at + 9] as number;
    if (!Number.isNaN(v)) record.executionMs = v;
    v = n[at + 10] as number;
    if (!Number.isNaN(v)) record.promptTokens = v;
    v = n[at + 11] as number;
    if (!Number.isNaN(v)) record.outputTokens = v;
    v = n[at + 14] as number;
    if (!Number.isNaN(v)) record.ttftUncertaintyMs = v;
    if (((n[at + 25] as number) & STREAMED_WHOLE) !== 0) record.streamedWhole = true;
    const pairs = n[at + 28] as number;
    at += FIXED_SLOTS;
    if (pairs >= 0) {
      const chunks = new Array<[number, number]>(pairs);
      for (let i = 0; i < pairs; i++) {
        chunks[i] = [n[at] as number, n[at + 1] as number];
        at += 2;
      }
      record.chunks = chunks;
    }
    yield record;
  }
}

/** Chunk lists of up to this many chunks are kept, one per length, and reused from block to block. */
const REUSED_CHUNK_LISTS = 64;
const NONE = undefined;

/**
 * A block's records read in place, for a reader that takes each record and lets it go (the
 * report's derivation and its requests.csv writer, a million records each): one record object,
 * overwritten with every record in turn, its chunk pairs too. readRecordBlock builds each
 * record anew, with only the fields it had (an object, eleven arrays and their numbers per
 * streamed record, for the collector to sweep), and records of different field sets made
 * the functions reading them polymorphic. Read in place, the reading itself took about half
 * the profile's time on each thread of a million-record report (0.5-0.6 s instead of 1.1-1.2
 * s, on a busy machine).
 *
 * The object always has every field, undefined where the record had none (what a read of an
 * absent field gives). Use each record before asking for the next, and keep neither it nor
 * its chunks: both are overwritten.
 */
export class RecordBlockView {
  private readonly record: RequestRecord = {
    seq: 0,
    variant: '',
    phase: 'measure',
    mode: 'sync',
    outcome: 'ok',
    httpStatus: NONE,
    error: NONE,
    jobId: NONE,
    responseId: NONE,
    workerId: NONE,
    workerFormat: NONE,
    scheduledMs: 0,
    sentMs: NONE,
    firstTokenMs: NONE,
    lastTokenMs: NONE,
    endMs: 0,
    inProgressSeenMs: NONE,
    delayMs: NONE,
    executionMs: NONE,
    promptTokens: NONE,
    outputTokens: NONE,
    tokenSource: 'none',
    chunks: NONE,
    streamedWhole: NONE,
    polls: 0,
    retries: 0,
    ttftUncertaintyMs: NONE,
  };
  /** Every chunk pair handed out, overwritten record by record. */
  private readonly pairs: Array<[number, number]> = [];
  /** Chunk lists by length (up to REUSED_CHUNK_LISTS), each of the first `length` pairs. */
  private readonly lists: Array<Array<[number, number]> | undefined> = [];

  /** The block's records, in the order they were added: the same object each time, holding the next. */
  *records(block: RecordBlock): Generator<RequestRecord> {
    const { numbers: n, texts, ids } = block;
    const r = this.record;
    let at = 0;
    for (let k = 0; k < block.records; k++) {
      r.seq = n[at] as number;
      r.httpStatus = optional(n[at + 1] as number);
      r.scheduledMs = n[at + 2] as number;
      r.sentMs = optional(n[at + 3] as number);
      r.firstTokenMs = optional(n[at + 4] as number);
      r.lastTokenMs = optional(n[at + 5] as number);
      r.endMs = n[at + 6] as number;
      r.inProgressSeenMs = optional(n[at + 7] as number);
      r.delayMs = optional(n[at + 8] as number);
      r.executionMs = optional(n[at + 9] as number);
      r.promptTokens = optional(n[at + 10] as number);
      r.outputTokens = optional(n[at + 11] as number);
      r.polls = n[at + 12] as number;
      r.retries = n[at + 13] as number;
      r.ttftUncertaintyMs = optional(n[at + 14] as number);
      r.variant = texts[n[at + 15] as number] as string;
      r.phase = texts[n[at + 16] as number] as RequestRecord['phase'];
      r.mode = texts[n[at + 17] as number] as RequestRecord['mode'];
      r.outcome = texts[n[at + 18] as number] as RequestRecord['outcome'];
      r.error = optionalText(texts, n[at + 19] as number);
      r.jobId = optionalId(ids, n[at + 20] as number, n[at + 26] as number);
      r.responseId = optionalId(ids, n[at + 21] as number, n[at + 27] as number);
      r.workerId = optionalText(texts, n[at + 22] as number);
      r.workerFormat = optionalText(texts, n[at + 23] as number) as RequestRecord['workerFormat'];
      r.tokenSource = texts[n[at + 24] as number] as RequestRecord['tokenSource'];
      r.streamedWhole = ((n[at + 25] as number) & STREAMED_WHOLE) !== 0 ? true : NONE;
      const pairs = n[at + 28] as number;
      at += FIXED_SLOTS;
      if (pairs >= 0) {
        const chunks = this.chunkList(pairs);
        for (let i = 0; i < pairs; i++) {
          const pair = chunks[i] as [number, number];
          pair[0] = n[at] as number;
          pair[1] = n[at + 1] as number;
          at += 2;
        }
        r.chunks = chunks;
      } else r.chunks = NONE;
      yield r;
    }
  }

  /** A list of `length` pairs: the reused one of that length, or (a long stream's) a new list of the reused pairs. */
  private chunkList(length: number): Array<[number, number]> {
    const listed = this.lists[length];
    if (listed !== undefined) return listed;
    while (this.pairs.length < length) this.pairs.push([0, 0]);
    const list = this.pairs.slice(0, length);
    if (length <= REUSED_CHUNK_LISTS) this.lists[length] = list;
    return list;
  }
}

function optional(value: number): number | undefined {
  return Number.isNaN(value) ? NONE : value;
}

function optionalText(texts: readonly string[], index: number): string | undefined {
  return Number.isNaN(index) ? NONE : texts[index];
}

function optionalId(ids: string, start: number, length: number): string | undefined {
  return Number.isNaN(start) ? NONE : ids.slice(start, start + length);
}
