// `podbench k6 export <scenario> --out DIR [--instances N]`: the scenario as k6 scripts to run
// with plain k6, on one machine or N, and a folder `podbench report` turns into one run.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { checkFolderName } from '../util/output-file.js';
import { parseSetFlag } from '../util/override.js';
import { defineCommand } from './command.js';
import { resolveScenarioPath } from './run.js';
import { makeDirs } from '../util/make-dirs.js';

interface K6Args {
  action: string;
  scenario: string;
  out: string;
  instances: number;
  model?: string;
  set?: string[];
}

export const k6Command = defineCommand<K6Args>({
  command: 'k6 <action> <scenario>',
  describe:
    'Export a scenario as k6 scripts (plain k6, execution segments, k6-operator); podbench report merges their outputs',
  builder: (y) =>
    y
      .positional('action', {
        type: 'string',
        choices: ['export'],
        describe: 'export: write the scripts, bodies, README and run.json',
      })
      .positional('scenario', {
        type: 'string',
        describe: 'Scenario file, or the name of a bundled one',
        demandOption: true,
      })
      .option('out', { type: 'string', demandOption: true, describe: 'Folder to write (new or empty)' })
      .option('instances', {
        type: 'number',
        default: 1,
        describe: 'Machines to split the load over (execution segments, k6-operator parallelism)',
      })
      .option('model', {
        type: 'string',
        describe: 'Model name for OpenAI bodies when the scenario has no input.model',
      })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'Set any scenario field: --set load.rate=20 (repeatable)',
      })
      .example('$0 k6 export quick --out k6-quick', 'One machine: see k6-quick/README.md')
      .example(
        '$0 k6 export stream-batch-sizes --out k6-bundle --instances 4',
        'A script per variant, each split over four machines (or a k6-operator TestRun with parallelism 4)',
      ),
  run: async (args) => {
    // Loaded when the command runs, not when the CLI starts: --help and the other commands stay quick.
    const [{ k6ExportFiles }, { loadScenarioFile }] = await Promise.all([
      import('../engines/k6/export.js'),
      import('../scenario/load.js'),
    ]);
    if (!Number.isInteger(args.instances) || args.instances < 1)
      throw new UsageError(`--instances: expected a whole number of machines (1 or more), got ${args.instances}`);
    checkFolderName('--out', args.out);
    if (existsSync(args.out) && readdirSync(args.out).length > 0) {
      throw new UsageError(`--out ${args.out}: the folder exists and is not empty; give a new or empty folder`);
    }
    const loaded = loadScenarioFile(
      resolveScenarioPath(args.scenario),
      (args.set ?? []).map((text) => parseSetFlag(text)),
    );
    const files = await k6ExportFiles(loaded, {
      instances: args.instances,
      ...(args.model !== undefined ? { model: args.model } : {}),
    });
    for (const file of files) {
      const path = join(args.out, file.path);
      makeDirs(dirname(path));
      writeFileSync(path, file.text);
    }
    process.stdout.write(
      `${args.out}/: ${files
        .filter((f) => f.text !== '')
        .map((f) => f.path)
        .join(', ')}\nnext: see ${join(args.out, 'README.md')}\n`,
    );
    return 0;
  },
});
