// Reads a results.ndjson (or health.ndjson) line by line without loading the file. A line
// that does not parse is skipped with a warning: after a crash the last line may be torn.
// Lines are cut from the raw bytes (newline is one byte in UTF-8), which is several times
// faster than node:readline on million-line files.
import { createReadStream } from 'node:fs';

export interface ReadWarnings {
  skipped: Array<{ line: number; reason: string }>;
}

export async function* readNdjson<T>(path: string, warnings: ReadWarnings): AsyncGenerator<T> {
  let lineNo = 0;
  let rest: Buffer | undefined;
  const parse = (bytes: Buffer, last = false): T | undefined => {
    lineNo += 1;
    const text = bytes.toString('utf8').trim();
    if (text === '') return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // A crash tears only the unfinished last line; anywhere else the file was damaged.
      warnings.skipped.push({
        line: lineNo,
        reason: last
          ? 'not valid JSON: a torn last line (the run was killed while writing it)'
          : 'not valid JSON: the file was edited or damaged here; this line is left out of every report',
      });
      return undefined;
    }
    if (typeof value !== 'object' || value === null) {
      warnings.skipped.push({ line: lineNo, reason: 'not a JSON object' });
      return undefined;
    }
    return value as T;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buffer.indexOf(10, start); nl !== -1; nl = buffer.indexOf(10, start)) {
      const value = parse(buffer.subarray(start, nl));
      if (value !== undefined) yield value;
      start = nl + 1;
    }
    rest = start < buffer.length ? Buffer.from(buffer.subarray(start)) : undefined;
    buffer = Buffer.alloc(0);
  }
  if (rest && rest.length > 0) {
    const value = parse(rest, true);
    if (value !== undefined) yield value;
  }
}
