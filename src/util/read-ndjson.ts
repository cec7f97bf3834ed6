// Reads a results.ndjson (or health.ndjson) line by line without loading the file. A line
// that does not parse is skipped with a warning: after a crash the last line may be torn.
// Lines are cut from the raw bytes (newline is one byte in UTF-8), which is several times
// faster than node:readline on million-line files. An optional check (the record's shape)
// skips or repairs what parsed but cannot be used; every skip is counted, the first few
// kept with their line numbers for the message. A line longer than any record can be is
// skipped without being held whole.
import { createReadStream } from 'node:fs';

export interface ReadWarnings {
  /** The first skipped lines (at most MAX_LISTED), with why. */
  skipped: Array<{ line: number; reason: string }>;
  /** Every skipped line. */
  skippedCount?: number;
  /** Optional fields left out because their value could not be (field name → lines). */
  dropped?: Record<string, number>;
}

export type LineCheck<T> = (
  value: object,
) => { ok: true; value: T; dropped?: string[] } | { ok: false; reason: string };

const MAX_LISTED = 10;
/** Longer than any record podbench writes (a record's chunks of a long stream are a few MB at most). */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

/** How the file is cut: the block read at a time, and the longest line kept (smaller in tests). */
export interface ReadLimits {
  blockBytes?: number;
  maxLineBytes?: number;
}

export async function* readNdjson<T>(
  path: string,
  warnings: ReadWarnings,
  check?: LineCheck<T>,
  limits: ReadLimits = {},
): AsyncGenerator<T> {
  for await (const block of readNdjsonBlocks(path, warnings, check, limits)) yield* block;
}

/**
 * The same values, one block of the file (about a MB of lines) per await, each block's
 * lines parsed as its iterator is read: a million records cost a thousand awaits instead
 * of a million, and each record can be garbage before the next is parsed (a block's records
 * parsed up front would outlive V8's young generation and cost full collections). Read each
 * block to its end before asking for the next.
 */
export async function* readNdjsonBlocks<T>(
  path: string,
  warnings: ReadWarnings,
  check?: LineCheck<T>,
  limits: ReadLimits = {},
): AsyncGenerator<Iterable<T>> {
  const maxLineBytes = limits.maxLineBytes ?? MAX_LINE_BYTES;
  let lineNo = 0;
  let rest: Buffer | undefined;
  const skip = (reason: string) => {
    warnings.skippedCount = (warnings.skippedCount ?? 0) + 1;
    if (warnings.skipped.length < MAX_LISTED) warnings.skipped.push({ line: lineNo, reason });
  };
  // The line's bytes as the buffer and their span: a Buffer object per line (subarray) was
  // a tenth of the reader thread's time besides the parse.
  const parse = (bytes: Buffer, start: number, end: number, last = false): T | undefined => {
    lineNo += 1;
    const text = bytes.toString('utf8', start, end).trim();
    if (text === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // A crash tears only the unfinished last line; anywhere else the file was damaged.
      skip(
        last
          ? 'not valid JSON: a torn last line (the run was killed while writing it)'
          : 'not valid JSON: the file was edited or damaged here; this line is left out of every report',
      );
      return undefined;
    }
    if (typeof value !== 'object' || value === null) {
      skip('not a JSON object');
      return undefined;
    }
    if (!check) return value as T;
    const checked = check(value);
    if (!checked.ok) {
      skip(`not a record: ${checked.reason}`);
      return undefined;
    }
    if (checked.dropped && checked.dropped.length > 0) {
      warnings.dropped ??= {};
      for (const field of checked.dropped) warnings.dropped[field] = (warnings.dropped[field] ?? 0) + 1;
    }
    return checked.value;
  };
  /** Inside a line past maxLineBytes: its bytes are dropped until its end. */
  let discarding = false;
  /** The whole lines of buffer[0, end): `end` is one past its last newline. */
  function* lines(buffer: Buffer, end: number): Generator<T> {
    let start = 0;
    for (let nl = buffer.indexOf(10, start); nl !== -1 && nl < end; nl = buffer.indexOf(10, start)) {
      if (discarding) {
        discarding = false;
        lineNo += 1;
        skip(`longer than ${MAX_LINE_BYTES / 1024 / 1024} MB: not a record podbench wrote`);
      } else {
        const value = parse(buffer, start, nl);
        if (value !== undefined) yield value;
      }
      start = nl + 1;
    }
  }
  for await (const chunk of createReadStream(path, {
    highWaterMark: limits.blockBytes ?? 1 << 20,
  }) as AsyncIterable<Buffer>) {
    let buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    const start = buffer.lastIndexOf(10) + 1;
    if (start > 0) yield lines(buffer, start);
    rest = start < buffer.length && !discarding ? Buffer.from(buffer.subarray(start)) : undefined;
    if (rest && rest.length > maxLineBytes) {
      rest = undefined;
      discarding = true;
    }
    buffer = Buffer.alloc(0);
  }
  if (discarding) {
    lineNo += 1;
    skip(`longer than ${MAX_LINE_BYTES / 1024 / 1024} MB: not a record podbench wrote`);
  } else if (rest && rest.length > 0) {
    const value = parse(rest, 0, rest.length, true);
    if (value !== undefined) yield [value];
  }
}

/** The warnings in words, one line each: the first skipped lines, how many more, the fields left out. */
export function describeReadWarnings(file: string, warnings: ReadWarnings): string[] {
  const lines = warnings.skipped.map((s) => `${file} line ${s.line} skipped: ${s.reason}`);
  const more = (warnings.skippedCount ?? warnings.skipped.length) - warnings.skipped.length;
  if (more > 0) lines.push(`${file}: ${more} more lines skipped (${warnings.skippedCount} in all)`);
  for (const [field, n] of Object.entries(warnings.dropped ?? {}))
    lines.push(
      `${file}: ${field} left out of ${n} record${n === 1 ? '' : 's'}: not a valid value (kept out of every statistic)`,
    );
  return lines;
}
