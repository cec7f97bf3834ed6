// argv → command. The only file that turns errors into exit codes; commands throw
// UsageError (exit 2) or RunError (exit 3) and return 0 or 1 themselves.
import yargs, { type Argv } from 'yargs';
import { ExitCode, UsageError, exitCodeOf, messageOf } from './core/errors.js';
import { PODBENCH_VERSION } from './util/version.js';
import type { Command } from './cli/command.js';
import { commands } from './cli/commands.js';
import { didYouMean } from './util/did-you-mean.js';
import { describeFsError } from './util/fs-error.js';
import { cleanText } from './util/redact.js';

const EPILOG = `Exit codes:
  0  success
  1  a threshold or regression check failed
  2  bad usage, bad scenario or bad configuration
  3  the run could not be completed (target unreachable, aborted)

The API key is read from the environment (RUNPOD_API_KEY unless the scenario or
--api-key-env names another variable); podbench never writes it anywhere.`;

/** The output streams' error handler is set once per process, however often main() runs. */
let watchingOutput = false;

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
      // validation failure must throw as well, or yargs goes on to run the handler. A flag
      // given without its value comes as yargs's own error (a YError): that is bad usage.
      if (err && err.name !== 'YError') throw err;
      // One line (yargs spreads "Invalid values" over two), and the help of the command given.
      const given = argv.find((a) => !a.startsWith('-'));
      const known = given !== undefined && commandNamed(given) !== undefined;
      const text =
        given !== undefined && !known && message.startsWith('Did you mean')
          ? `unknown command "${given}". ${message}`
          : withSuggestions(message, known ? optionsOf(given) : [], known ? positionalsOf(given) : []);
      throw new UsageError(
        `${text.replace(/\s*\n\s*/g, ' ')}\nRun 'podbench ${known ? `${given} ` : ''}--help' for usage.`,
      );
    });
  for (const command of commands as Command[]) {
    parser.command({
      command: command.command,
      describe: command.describe,
      builder: (y) => requireValues(command.builder(y), command.command),
      handler: async (args) => {
        exitCode = await command.run(args as Record<string, unknown>);
      },
    });
  }
  skipHelpCache(parser);
  // An error thrown outside any command's promise (a timer, a stream's event) ends the
  // process the same way as one thrown inside: one line, the documented exit code.
  const onStray = (err: unknown) => {
    const { text, code } = describeError(err);
    process.stderr.write(`${text}\n`);
    process.exit(code);
  };
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  // A reader that went away (`podbench run … | head -1`) is no failure of the run: what was
  // left to print is dropped, the run goes on, and its files and exit code are as without it.
  const onClosedOutput = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') onStray(err);
  };
  if (!watchingOutput) {
    watchingOutput = true;
    process.stdout.on('error', onClosedOutput);
    process.stderr.on('error', onClosedOutput);
  }
  try {
    await parser.parseAsync();
  } catch (err) {
    const { text, code } = describeError(err);
    process.stderr.write(`${text}\n`);
    return code;
  } finally {
    process.off('uncaughtException', onStray);
    process.off('unhandledRejection', onStray);
    // Kept on the streams: a write still queued when main() returns may fail after it.
  }
  return exitCode;
}

/**
 * yargs renders a command's whole help text each time the command runs (it caches it for a
 * later showHelp(), which podbench never calls: its errors name `--help` instead), on the
 * event loop just as the command starts. For `run`, whose options are many, that took about
 * 0.2 s of CPU on every run (a profile of `podbench run`). The hook is internal to yargs: when
 * a version lacks it, the help is rendered as before.
 */
export function skipHelpCache(parser: Argv<object>): void {
  const internal = parser as unknown as {
    getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
  };
  const usage = internal.getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** The long options a command declares (yargs keeps them in getOptions(), which its types leave out). */
function optionsOf(name: string): string[] {
  const command = commandNamed(name);
  if (!command) return [];
  const built = command.builder(yargs([])) as unknown as { getOptions(): { key: Record<string, unknown> } };
  return Object.keys(built.getOptions().key);
}

/**
 * Every flag that takes a value refuses to be given without one: yargs otherwise reads a bare
 * `--threshold` as an empty list and a bare `--junit` as "", and the run goes on without them.
 */
function requireValues(y: Argv<object>, usage: string): Argv<object> {
  const positionals = new Set(positionalNames(usage));
  const options = (
    y as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[]; count: string[] } }
  ).getOptions();
  const flags = new Set([...options.boolean, ...options.count, 'help', 'version']);
  const valued = Object.keys(options.key).filter((key) => !flags.has(key) && !positionals.has(key));
  return valued.length > 0 ? y.requiresArg(valued) : y;
}

function commandNamed(name: string): Command | undefined {
  return (commands as Command[]).find((c) => c.command.split(' ')[0] === name);
}

/** The positional arguments a usage names (`k6 <action> <scenario>`: action, scenario). */
function positionalNames(usage: string): string[] {
  return [...usage.matchAll(/[<[]([\w-]+)/g)].map((m) => m[1] as string);
}

function positionalsOf(name: string): string[] {
  const command = commandNamed(name);
  return command ? positionalNames(command.command) : [];
}

/**
 * yargs's "Unknown argument: concurency" and "Invalid values ... Given: "strem", Choices: ..."
 * with a "did you mean". A positional is named as the usage shows it (`<action>`), not as a
 * flag it is not (`--action`).
 */
export function withSuggestions(
  message: string,
  options: readonly string[],
  positionals: readonly string[] = [],
): string {
  const unknown = /^Unknown arguments?: (.+)$/s.exec(message.trim());
  if (unknown) {
    const flags = options.filter((o) => o.length > 1);
    // yargs names an unknown --kebab-case flag twice, the second time in camelCase.
    const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const names = [...new Set((unknown[1] as string).split(/,\s*/).map(kebab))];
    return `Unknown argument${names.length > 1 ? 's' : ''}: ${names
      .map((name) => {
        const hint = didYouMean(name, flags);
        return hint ? `${name}${hint.replace(/"([^"]+)"/, '"--$1"')}` : name;
      })
      .join(', ')}`;
  }
  // "Not enough non-option arguments: got 1, need at least 2": name the missing ones.
  const missing = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message.trim());
  if (missing && positionals.length > 0) {
    const wanted = positionals.slice(Number(missing[1]), Number(missing[2])).map((p) => `<${p}>`);
    if (wanted.length > 0)
      return `missing ${wanted.join(' and ')}: the command takes ${positionals.map((p) => `<${p}>`).join(' ')}`;
  }
  const bare = /^Not enough arguments following: ([\w-]+)$/.exec(message.trim());
  if (bare) return `--${bare[1]}: expected a value after it`;
  const invalid = /Argument: ([\w-]+), Given: "([^"]*)", Choices: (.+)$/s.exec(message);
  if (invalid) {
    const choices = [...(invalid[3] as string).matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
    const name = positionals.includes(invalid[1] as string) ? `<${invalid[1]}>` : `--${invalid[1]}`;
    return `${name}: "${invalid[2]}" is not one of ${choices.join(', ')}${didYouMean(invalid[2] as string, choices)}`;
  }
  return message;
}

/**
 * The line an error ends podbench with, and its exit code: a bad input (2), a run that could
 * not complete (3), or a bug (3, "internal error", one line; PODBENCH_DEBUG=1 adds the stack).
 * Every message passes the redaction boundary: it may quote a server, a file or a flag.
 */
export function describeError(err: unknown): { text: string; code: number } {
  const fsError = fileSystemError(err);
  if (fsError) return { text: `podbench: ${cleanText(fsError.message)}`, code: fsError.exitCode };
  const code = exitCodeOf(err);
  if (code !== undefined) return { text: `podbench: ${cleanText(messageOf(err))}`, code };
  const debug = process.env.PODBENCH_DEBUG === '1' && err instanceof Error && err.stack;
  const message = oneLine(messageOf(err));
  return {
    text: cleanText(
      `podbench: internal error: ${message} (a bug in podbench: please report it${debug ? `)\n${err.stack}` : '; PODBENCH_DEBUG=1 shows where it happened)'}`,
    ),
    code: ExitCode.runFailed,
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}

/**
 * A file-system error that escaped a command (an --out path under a file, a folder with no
 * write permission): the user's path is wrong, not podbench. One line, no stack; a full
 * disk, an I/O error or too many open files means the run could not complete.
 */
function fileSystemError(err: unknown): { message: string; exitCode: number } | undefined {
  const described = describeFsError(err);
  if (!described) return undefined;
  const runFailed = ['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EMFILE'].includes(described.code);
  return { message: described.message, exitCode: runFailed ? ExitCode.runFailed : ExitCode.usage };
}
