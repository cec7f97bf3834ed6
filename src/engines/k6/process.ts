// Runs the k6 binary and reads its JSON output while it grows, so records reach the run's
// results file (and the progress line) while k6 is still running, not only at its end.
// k6 gets a minimal environment: the variables podbench means it to see (the API key among
// them: never in the script, the arguments or a file) and none of the user's k6 settings.
import { spawn } from 'node:child_process';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface K6RunOptions {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The --out json file k6 writes. */
  outFile: string;
  onLine(line: string): void;
  /** Stop: k6 gets SIGINT (it stops starting iterations and ends the test). */
  stopSignal: AbortSignal;
  /** Abort: k6 is killed at once. */
  abortSignal: AbortSignal;
}

export interface K6RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The end of k6's stderr (its log), for error messages. */
  stderrTail: string;
  stopped: boolean;
}

/** The environment k6 always gets: no usage report, no automatic extension download. */
export const K6_QUIET_ENV = { K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' } as const;

const POLL_MS = 100;
const STDERR_KEEP = 16_000;

export async function runK6(options: K6RunOptions): Promise<K6RunResult> {
  // Its own process group: a Ctrl-C reaches podbench, which decides what k6 gets.
  const child = spawn(options.binary, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP);
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopped = false;
  const onStop = () => {
    stopped = true;
    child.kill('SIGINT');
  };
  const onAbort = () => {
    stopped = true;
    child.kill('SIGKILL');
  };
  options.stopSignal.addEventListener('abort', onStop, { once: true });
  options.abortSignal.addEventListener('abort', onAbort, { once: true });
  if (options.stopSignal.aborted) onStop();

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let finished = false;
  void exited.then(
    () => (finished = true),
    () => (finished = true),
  );

  const tail = createTail(options.outFile, options.onLine);
  try {
    while (!finished) {
      await tail.read();
      await Promise.race([exited.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
    }
    const { code, signal } = await exited;
    await tail.read();
    tail.flush();
    return { exitCode: code, signal, stderrTail: stderr, stopped };
  } finally {
    await tail.close();
    process.removeListener('exit', killOnExit);
    options.stopSignal.removeEventListener('abort', onStop);
    options.abortSignal.removeEventListener('abort', onAbort);
  }
}

/** Reads whatever was appended to a file since the last read, line by line. */
function createTail(path: string, onLine: (line: string) => void) {
  let handle: FileHandle | undefined;
  let position = 0;
  let partial = '';
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(1 << 20);
  const emit = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
  };
  return {
    async read() {
      if (!handle) {
        try {
          handle = await open(path, 'r');
        } catch {
          return; // k6 has not created it yet
        }
      }
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        emit(decoder.write(buffer.subarray(0, bytesRead)));
      }
    },
    flush() {
      emit(decoder.end());
      if (partial.trim() !== '') onLine(partial);
      partial = '';
    },
    async close() {
      await handle?.close();
    },
  };
}
