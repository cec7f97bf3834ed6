// Runs the k6 binary and reads its JSON output (--out json=-, on its stdout: k6 buffers
// that stream, where it writes a file one sample per write call) while it runs, so records
// reach the run's results file (and the progress line) while k6 is still running, not only
// at its end. Most of the output is k6's own HTTP samples, about a dozen lines per request:
// lines are split as bytes and only the wanted ones are decoded.
// k6 gets a minimal environment: the variables podbench means it to see (the API key among
// them: never in the script, the arguments or a file) and none of the user's k6 settings.
import { spawn } from 'node:child_process';

export interface K6RunOptions {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Lines of k6's stdout that may hold a wanted sample; the others are dropped undecoded. */
  wanted: LineFilter;
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

/**
 * Which lines of k6's JSON output name one of these metrics. k6 writes a sample's "metric"
 * key first, so most lines are decided by their first bytes; a line in another shape (another
 * k6 version's key order) is searched for the name, so none is dropped for its shape.
 */
export type LineFilter = (buffer: Buffer, start: number, end: number) => boolean;

const METRIC_KEY = Buffer.from('{"metric":"');

export function metricLineFilter(metrics: readonly string[]): LineFilter {
  const prefixes = metrics.map((name) => Buffer.from(`{"metric":"${name}"`));
  const names = metrics.map((name) => Buffer.from(`"${name}"`));
  return (buffer, start, end) => {
    if (
      end - start > METRIC_KEY.length &&
      buffer.compare(METRIC_KEY, 0, METRIC_KEY.length, start, start + METRIC_KEY.length) === 0
    ) {
      return prefixes.some(
        (prefix) =>
          end - start >= prefix.length && buffer.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0,
      );
    }
    const line = buffer.subarray(start, end);
    return names.some((name) => line.includes(name));
  };
}

/** The end of a line (a newline byte), and what a line that has none yet keeps for the next chunk. */
export function createLineSplitter(wanted: LineFilter, onLine: (line: string) => void) {
  let carry: Buffer | undefined;
  const emit = (buffer: Buffer, start: number, end: number) => {
    let to = end;
    if (to > start && buffer[to - 1] === 13) to -= 1; // \r\n
    if (to > start && wanted(buffer, start, to)) onLine(buffer.toString('utf8', start, to));
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
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP);
  });
  const lines = createLineSplitter(options.wanted, options.onLine);
  child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk));
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
    // 'close' comes after k6's stdout has ended: every line has been read by then.
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => resolve({ code, signal }));
      },
    );
    lines.flush();
    return { exitCode: code, signal, stderrTail: stderr, stopped };
  } finally {
    process.removeListener('exit', killOnExit);
    options.stopSignal.removeEventListener('abort', onStop);
    options.abortSignal.removeEventListener('abort', onAbort);
  }
}
