// Appends one JSON line per record to a file the moment the record exists. Each write goes
// straight to the kernel (writeSync), so a crash or kill -9 loses nothing already written;
// at worst the line being written is torn, and the reader skips it with a warning.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface NdjsonSink {
  write(value: unknown): void;
  close(): void;
  readonly count: number;
}

export function openNdjsonSink(path: string): NdjsonSink {
  const fd = openSync(path, 'a');
  let count = 0;
  let closed = false;
  return {
    write(value) {
      if (closed) throw new Error(`write to ${path} after close`);
      writeSync(fd, `${JSON.stringify(value)}\n`);
      count += 1;
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
    get count() {
      return count;
    },
  };
}
