// The seam between yargs and podbench's commands. A command declares its flags with yargs
// and runs with the parsed arguments, returning its exit code; src/cli.ts is the only place
// that turns errors into messages and exit codes.
import type { Argv } from 'yargs';

export interface Command<Args = Record<string, unknown>> {
  command: string;
  describe: string;
  // The declared flags; their parsed values reach run() as Args.
  builder: (yargs: Argv) => Argv<object>;
  run: (args: Args) => Promise<number>;
}

/** Lets a command keep its own Args type while living in one list with the others. */
export function defineCommand<Args>(command: Command<Args>): Command<Record<string, unknown>> {
  return command as unknown as Command<Record<string, unknown>>;
}
