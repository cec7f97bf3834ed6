// argv → command. The only file that turns errors into exit codes; commands throw
// UsageError (exit 2) or RunError (exit 3) and return 0 or 1 themselves.
import yargs from 'yargs';
import { ExitCode, UsageError, exitCodeOf, messageOf } from './core/errors.js';
import { PODBENCH_VERSION } from './version.js';
import type { Command } from './cli/command.js';
import { commands } from './cli/commands.js';

const EPILOG = `Exit codes:
  0  success
  1  a threshold or regression check failed
  2  bad usage, bad scenario or bad configuration
  3  the run could not be completed (target unreachable, aborted)

The API key is read from the environment (RUNPOD_API_KEY unless the scenario or
--api-key-env names another variable); podbench never writes it anywhere.`;

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const parser = yargs(argv)
    .scriptName('podbench')
    .usage('$0 <command> [options]\n\nLoad tests and benchmarks for LLM endpoints on Runpod Serverless (vLLM worker).')
    .version(PODBENCH_VERSION)
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'Name a command: podbench <command> --help shows its options.')
    .recommendCommands()
    .epilog(EPILOG)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, err) => {
      // Errors thrown by a handler reach here too: rethrow them for the catch below. A
      // validation failure must throw as well, or yargs goes on to run the handler.
      if (err) throw err;
      // One line (yargs spreads "Invalid values" over two), and the help of the command given.
      const given = argv.find((a) => !a.startsWith('-'));
      const known = given !== undefined && (commands as Command[]).some((c) => c.command.split(' ')[0] === given);
      const text = given !== undefined && !known && message.startsWith('Did you mean') ? `unknown command "${given}". ${message}` : message;
      throw new UsageError(`${text.replace(/\s*\n\s*/g, ' ')}\nRun 'podbench ${known ? `${given} ` : ''}--help' for usage.`);
    });
  for (const command of commands as Command[]) {
    parser.command({
      command: command.command,
      describe: command.describe,
      builder: command.builder,
      handler: async (args) => {
        exitCode = await command.run(args as Record<string, unknown>);
      },
    });
  }
  try {
    await parser.parseAsync();
  } catch (err) {
    const code = exitCodeOf(err);
    if (code === undefined) {
      // Not one of ours: a bug. Say so plainly, keep the stack for the bug report.
      process.stderr.write(`podbench: internal error: ${err instanceof Error ? (err.stack ?? err.message) : messageOf(err)}\n`);
      return ExitCode.runFailed;
    }
    process.stderr.write(`podbench: ${messageOf(err)}\n`);
    return code;
  }
  return exitCode;
}
