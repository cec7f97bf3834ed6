// Errors that end a command. Each kind maps to one documented exit code, so every command
// fails the same way: one clear message on stderr, no stack trace.
//
//   0  success
//   1  a threshold or regression check failed
//   2  bad usage, bad scenario or bad configuration
//   3  the run could not be completed (target unreachable, aborted)

export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  runFailed: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad flags, a bad scenario or a bad configuration file: the user must change the input. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
  override name = 'UsageError';
}

/** The run could not be completed: target unreachable, aborted, a required binary missing. */
export class RunError extends Error {
  readonly exitCode = ExitCode.runFailed;
  override name = 'RunError';
}

/**
 * The error of a request the run gave up on when it stopped: Ctrl-C, or --max-duration
 * whose grace ran out (both abort the same signal, so the text names both).
 */
export const STOPPED_TEXT =
  'the run stopped before this request ended (interrupted, or --max-duration and its grace ran out)';

export function exitCodeOf(err: unknown): ExitCode | undefined {
  if (err instanceof UsageError || err instanceof RunError) return err.exitCode;
  return undefined;
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
