// k6's log through a named pipe (FIFO) podbench reads as k6 writes it. Given a file
// (`--log-output file=PATH`), k6 writes its log through a buffer (4 KB, flushed at least every
// second and when k6 ends); on stderr it makes a write call per line, which cost a fifth more
// CPU per request (bench:cpu). A FIFO gives that buffering without a file growing on disk.
// Not on Windows, nor where mkfifo is missing: k6 then logs on stderr, line by line.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';

export interface LogFifo {
  path: string;
  /** What k6 writes into the FIFO, as it comes. */
  stream: Socket;
  /** After k6 has exited: resolves once everything it wrote has been read. */
  close(): Promise<void>;
  /** Closes everything at once (on an error). */
  destroy(): void;
}

/** A FIFO in dir (a folder only podbench uses), open for reading; undefined where there is none. */
export function openLogFifo(dir: string): LogFifo | undefined {
  if (process.platform === 'win32') return undefined;
  const path = join(dir, 'k6-log.fifo');
  const made = spawnSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
  if (made.status !== 0) return undefined;
  // Opened for reading without waiting for a writer, then by a writer of podbench's own, held
  // until k6 has exited: with no writer yet, a read would see the end of the file at once.
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let holdFd: number | undefined = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const stream = new Socket({ fd: readFd, readable: true, writable: false });
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
  const release = () => {
    if (holdFd === undefined) return;
    closeSync(holdFd);
    holdFd = undefined;
  };
  return {
    path,
    stream,
    async close() {
      release();
      await ended;
    },
    destroy() {
      release();
      stream.destroy();
    },
  };
}
