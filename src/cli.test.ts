import { describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { describeError, main, skipHelpCache } from './cli.js';
import { commands } from './cli/commands.js';
import { RunError, UsageError } from './core/errors.js';
import { registerSecret } from './util/redact.js';

describe('describeError: every error that ends a command is one line', () => {
  it('gives bad input exit 2, a run that could not complete exit 3', () => {
    expect(describeError(new UsageError('bad flag'))).toEqual({ text: 'podbench: bad flag', code: 2 });
    expect(describeError(new RunError('unreachable'))).toEqual({ text: 'podbench: unreachable', code: 3 });
  });

  it('says a bug is a bug, on one line without its stack, exit 3', () => {
    const bug = new TypeError('cannot read properties of undefined\n  (reading "x")');
    const { text, code } = describeError(bug);
    expect(code).toBe(3);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^podbench: internal error: cannot read properties of undefined \(reading "x"\) \(a bug/);
  });

  it('words file-system errors, a full disk as a run that could not complete', () => {
    const full = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', path: '/r/results.ndjson', syscall: 'write' });
    expect(describeError(full)).toEqual({
      text: 'podbench: /r/results.ndjson: cannot write: no space left on the device (ENOSPC)',
      code: 3,
    });
  });

  it('keeps secrets and control sequences out of the line', () => {
    registerSecret('rpa_DESCRIBE_ERROR_KEY');
    const { text } = describeError(new RunError('server said rpa_DESCRIBE_ERROR_KEY \u001b[2J at https://u:p@h/x'));
    expect(text).toBe('podbench: server said [redacted]  at https://[redacted]@h/x');
  });
});

describe('a flag that takes a value, given without one', () => {
  // Every command's every valued flag, bare at the end of the line: refused while parsing, so
  // no handler runs (before, `run --threshold` ran with no threshold and exited 0).
  const cases = commands.flatMap((command) => {
    const name = command.command.split(' ')[0] as string;
    const positionals = [...command.command.matchAll(/<([\w-]+)>/g)].map((m) => m[1] as string);
    const built = command.builder(yargs([])) as unknown as {
      getOptions(): { key: Record<string, unknown>; boolean: string[]; count: string[] };
    };
    const options = built.getOptions();
    const skip = new Set([...options.boolean, ...options.count, ...positionals, 'help', 'version', 'scenario']);
    return Object.keys(options.key)
      .filter((key) => !skip.has(key))
      .map((key) => [`${name} --${key}`, [name, ...positionals, `--${key}`], key] as const);
  });

  it('covers the flags of every command', () => {
    expect(cases.map(([label]) => label)).toEqual(
      expect.arrayContaining(['run --threshold', 'run --set', 'run --junit', 'compare --metric', 'k6 --out']),
    );
  });

  it.each(cases)('%s: exit 2, one line naming the flag', async (_label, argv, key) => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await main([...argv])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(new RegExp(`^podbench: --${key}: expected a value after it\\n`));
  });
});

describe('skipHelpCache', () => {
  // yargs renders a command's whole help each time the command runs (0.2 s of CPU for `run`).
  const ran = async (skip: boolean) => {
    let handled = false;
    const parser = yargs(['go', '--fast'])
      .command({
        command: 'go',
        describe: 'a command',
        builder: (y) => y.option('fast', { type: 'boolean', describe: 'x'.repeat(200) }),
        handler: () => {
          handled = true;
        },
      })
      .help();
    if (skip) skipHelpCache(parser);
    await parser.parseAsync();
    const usage = (
      parser as unknown as { getInternalMethods(): { getUsageInstance(): { hasCachedHelpMessage(): boolean } } }
    )
      .getInternalMethods()
      .getUsageInstance();
    return { handled, helpRendered: usage.hasCachedHelpMessage() };
  };

  it('runs the command without rendering its help', async () => {
    expect(await ran(false)).toEqual({ handled: true, helpRendered: true });
    expect(await ran(true)).toEqual({ handled: true, helpRendered: false });
  });
});

/** What `work` writes to stderr (not shown). */
async function stderrOf(work: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('a bad value of a positional argument', () => {
  it('is named as the usage shows it, not as a flag', async () => {
    const written = await stderrOf(async () => {
      expect(await main(['k6', 'import', 'quick', '--out', 'unused'])).toBe(2);
      expect(await main(['run', 'quick', '--mode', 'strem'])).toBe(2);
    });
    const [k6, run] = written.split(/(?<=for usage\.\n)/);
    expect(k6).toMatch(/^podbench: <action>: "import" is not one of export \(did you mean "export"\?\)\n/);
    expect(run).toMatch(/^podbench: --mode: "strem" is not one of sync, async/);
  });
});

describe('a missing positional argument', () => {
  it('is named, with the arguments the command takes', async () => {
    const written = await stderrOf(async () => expect(await main(['compare', 'baseline.json'])).toBe(2));
    expect(written).toMatch(
      /^podbench: missing <current>: the command takes <baseline> <current>\nRun 'podbench compare --help' for usage\.\n$/,
    );
  });
});
