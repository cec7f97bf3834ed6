// The README, docs/ci.md, docs/scenarios.md (the commands page) and --help agree with the CLI:
// every flag they name exists on a command, and the output flags compare and run share are
// documented for both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';

const COMMANDS = [['run'], ['report'], ['compare'], ['emulate'], ['k6', 'export']];
const help: Record<string, string> = {};

function flagsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]+)/g)].map((m) => m[1] as string));
}

describe('docs and --help agree with the CLI', () => {
  beforeAll(async () => {
    for (const command of COMMANDS) {
      const result = await runCli([...command, '--help']);
      expect(result.code, result.stderr).toBe(0);
      help[command.join(' ')] = result.stdout;
    }
  }, 120_000);

  it('every flag the README, docs/ci.md and docs/scenarios.md name is a flag of some command', () => {
    const known = new Set(Object.values(help).flatMap((text) => [...flagsIn(text)]));
    // Flags of other programs the docs quote (k6, npm, node) are not podbench's.
    const others = new Set([
      'no-usage-report',
      'execution-segment',
      'execution-segment-sequence',
      'no-audit',
      'no-fund',
      'no-save',
      'omit',
      'ignore-scripts',
      'prefix',
      'cpu-prof',
      // npm run bench:ci-verdicts -- --rejudge, --modes, --reruns
      'rejudge',
      'modes',
      'reruns',
    ]);
    for (const file of ['README.md', join('docs', 'ci.md'), join('docs', 'scenarios.md')]) {
      const unknown = [...flagsIn(readFileSync(join(ROOT, file), 'utf8'))].filter(
        (f) => !known.has(f) && !others.has(f),
      );
      expect(unknown, `${file} names flags no command has`).toEqual([]);
    }
  });

  it('run and compare take the same output flags, and both docs say so', () => {
    for (const flag of ['format', 'markdown', 'junit', 'json', 'allow-scenario-change', 'tolerance', 'tolerances']) {
      expect(flagsIn(help.run as string), `run --${flag}`).toContain(flag);
      expect(flagsIn(help.compare as string), `compare --${flag}`).toContain(flag);
    }
    const ci = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
    expect(ci).toContain('`run` and `compare` take the same output flags');
    const commands = readFileSync(join(ROOT, 'docs', 'scenarios.md'), 'utf8');
    expect(commands).toMatch(/`run` shares with `compare`: `--format console\|markdown\|junit\|json`/);
  });
});
