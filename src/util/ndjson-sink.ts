// Appends one JSON line per record to a file as records arrive. Lines produced in the same
// turn of the event loop go out in one write at the end of that turn (setImmediate), so at
// thousands of records a second podbench makes one system call per turn, not per record;
// a record is in the kernel within one turn of existing. A crash or kill -9 loses at most
// that turn; at worst the line being written is torn, and the reader skips it with a warning.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface NdjsonSink {
  write(value: unknown): void;
  /** Writes what is buffered now (the run's emergency exit calls it). */
  flush(): void;
  close(): void;
  readonly count: number;
}

export function openNdjsonSink(path: string): NdjsonSink {
  const fd = openSync(path, 'a');
  let count = 0;
  let closed = false;
  let buffer = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (buffer === '' || closed) return;
    const text = buffer;
    buffer = '';
    writeSync(fd, text);
  };
  return {
    write(value) {
      if (closed) throw new Error(`write to ${path} after close`);
      buffer += `${JSON.stringify(value)}\n`;
      count += 1;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    close() {
      if (closed) return;
      flush();
      closeSync(fd);
      closed = true;
    },
    get count() {
      return count;
    },
  };
}
