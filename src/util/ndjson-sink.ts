// Appends one JSON line per record to a file as records arrive. Lines produced in the same
// turn of the event loop go out in one write at the end of that turn (setImmediate), so at
// thousands of records a second podbench makes one system call per turn, not per record;
// a record is in the kernel within one turn of existing. A crash or kill -9 loses at most
// that turn; at worst the line being written is torn, and the reader skips it with a warning.
//
// A write that fails (a full disk, an I/O error, a file made read-only) is reported once
// through onError, never thrown from a timer (which would end the process with a stack
// trace); the sink then drops what it is given, and the caller decides how the run ends.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface NdjsonSink {
  write(value: unknown): void;
  /** Writes what is buffered now (the run's emergency exit calls it). */
  flush(): void;
  close(): void;
  /** Lines accepted (written, or waiting to be). */
  readonly count: number;
  /** The write error that stopped the sink, once one happened. */
  readonly failure: NodeJS.ErrnoException | undefined;
}

/** A turn's lines are written at once past this many characters, so no one string grows without end. */
const FLUSH_AT_CHARS = 1 << 20;

export function openNdjsonSink(path: string, onError?: (err: NodeJS.ErrnoException) => void): NdjsonSink {
  const fd = openSync(path, 'a');
  let count = 0;
  let closed = false;
  let buffer = '';
  let scheduled = false;
  let failure: NodeJS.ErrnoException | undefined;
  const flush = () => {
    scheduled = false;
    if (buffer === '' || closed || failure) return;
    const text = buffer;
    buffer = '';
    try {
      // A write may take only part of the bytes (a file at its size limit): the rest follows, or fails.
      const bytes = Buffer.from(text, 'utf8');
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    } catch (err) {
      failure = err as NodeJS.ErrnoException;
      onError?.(failure);
    }
  };
  return {
    write(value) {
      if (closed) throw new Error(`write to ${path} after close`);
      if (failure) return;
      buffer += `${JSON.stringify(value)}\n`;
      count += 1;
      if (buffer.length >= FLUSH_AT_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    close() {
      if (closed) return;
      flush();
      try {
        closeSync(fd);
      } catch (err) {
        if (!failure) {
          failure = err as NodeJS.ErrnoException;
          onError?.(failure);
        }
      }
      closed = true;
    },
    get count() {
      return count;
    },
    get failure() {
      return failure;
    },
  };
}
