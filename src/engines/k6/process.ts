// Runs the k6 binary and reads what podbench's script writes while it runs (event-lines.ts:
// its events on k6's log, through a FIFO or on stderr; the dropped iterations from
// handleSummary, on stdout),
// so records reach the run's results file (and the progress line) while k6 is still running,
// not only at its end. Lines are split as bytes and only podbench's are decoded; k6's own
// log lines are kept (the end of them) for error messages.
// k6 gets a minimal environment: the variables podbench means it to see (the API key among
// them: never in the script, the arguments or a file) and none of the user's k6 settings.
import { spawn } from 'node:child_process';
import type { LogFifo } from './log-fifo.js';

export interface K6RunOptions {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Lines (of stdout or stderr) to decode and pass to onLine; the others are k6's own log. */
  wanted: LineFilter;
  onLine(line: string): void;
  /** Stop: k6 gets SIGINT (it stops starting iterations and ends the test). */
  stopSignal: AbortSignal;
  /** Abort: k6 is killed at once. */
  abortSignal: AbortSignal;
  /** Where k6 writes its log when not on stderr (its args name it): read like stderr. */
  log?: LogFifo;
}

export interface K6RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The end of k6's own log (its stderr and stdout without the wanted lines), for error messages. */
  stderrTail: string;
  stopped: boolean;
}

/** Whether the line from start to end (a Buffer's bytes, no line break) is one to decode. */
export type LineFilter = (buffer: Buffer, start: number, end: number) => boolean;

/** Lines that start with these bytes. */
export function prefixLineFilter(prefix: string): LineFilter {
  const bytes = Buffer.from(prefix);
  return (buffer, start, end) =>
    end - start >= bytes.length && buffer.compare(bytes, 0, bytes.length, start, start + bytes.length) === 0;
}

/** The end of a line (a newline byte), and what a line that has none yet keeps for the next chunk. */
export function createLineSplitter(
  wanted: LineFilter,
  onLine: (line: string) => void,
  onOther?: (line: string) => void,
) {
  let carry: Buffer | undefined;
  const emit = (buffer: Buffer, start: number, end: number) => {
    let to = end;
    if (to > start && buffer[to - 1] === 13) to -= 1; // \r\n
    if (to <= start) return;
    if (wanted(buffer, start, to)) onLine(buffer.toString('utf8', start, to));
    else onOther?.(buffer.toString('utf8', start, to));
  };
  return {
    push(chunk: Buffer) {
      const buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(10, start);
        if (newline === -1) break;
        emit(buffer, start, newline);
        start = newline + 1;
      }
      carry = start < buffer.length ? Buffer.from(buffer.subarray(start)) : undefined;
    },
    flush() {
      if (carry) emit(carry, 0, carry.length);
      carry = undefined;
    },
  };
}

/** The environment k6 always gets: no usage report, no automatic extension download. */
export const K6_QUIET_ENV = { K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' } as const;

const STDERR_KEEP = 16_000;

export async function runK6(options: K6RunOptions): Promise<K6RunResult> {
  // Its own process group: a Ctrl-C reaches podbench, which decides what k6 gets.
  const child = spawn(options.binary, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // The last lines of k6's own log, about STDERR_KEEP characters: a line is never copied
  // again once kept (k6 can log a warning per failed request).
  const tail: string[] = [];
  let tailChars = 0;
  const keep = (line: string) => {
    tail.push(line);
    tailChars += line.length + 1;
    while (tailChars > STDERR_KEEP && tail.length > 1) tailChars -= (tail.shift() as string).length + 1;
  };
  const outLines = createLineSplitter(options.wanted, options.onLine, keep);
  const errLines = createLineSplitter(options.wanted, options.onLine, keep);
  child.stdout?.on('data', (chunk: Buffer) => outLines.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => errLines.push(chunk));
  const logLines = createLineSplitter(options.wanted, options.onLine, keep);
  options.log?.stream.on('data', (chunk: Buffer) => logLines.push(chunk));
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
  try {
    // 'close' comes after k6's stdout and stderr have ended: every line has been read by then.
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => resolve({ code, signal }));
      },
    );
    // k6 has closed its end of the log; the rest of what it wrote is read before going on.
    await options.log?.close();
    outLines.flush();
    errLines.flush();
    logLines.flush();
    return { exitCode: code, signal, stderrTail: tail.join('\n').slice(-STDERR_KEEP), stopped };
  } finally {
    options.log?.destroy();
    process.removeListener('exit', killOnExit);
    options.stopSignal.removeEventListener('abort', onStop);
    options.abortSignal.removeEventListener('abort', onAbort);
  }
}
