// Reads a results.ndjson (or health.ndjson) line by line without loading the file. A line
// that does not parse is skipped with a warning: after a crash the last line may be torn.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ReadWarnings {
  skipped: Array<{ line: number; reason: string }>;
}

export async function* readNdjson<T>(path: string, warnings: ReadWarnings): AsyncGenerator<T> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      warnings.skipped.push({ line: lineNo, reason: 'not valid JSON (torn line?)' });
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      warnings.skipped.push({ line: lineNo, reason: 'not a JSON object' });
      continue;
    }
    yield value as T;
  }
}
