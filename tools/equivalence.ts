// Issue 14's behaviour-neutral check: the bundled scenarios give the same variants, load
// plans, arrival times, request bodies, k6 export and derived reports on this checkout as on
// another (the pre-refactor commit). Both sides are loaded from their own dist/, so nothing of
// the old code is kept here. Reports are rebuilt by each side's `podbench report` from the
// same fixed records (run folders written once, by the old side, with the emulator).
//
//   git worktree add --detach /tmp/podbench-old 8f5fa48
//   ln -s "$PWD/node_modules" /tmp/podbench-old/node_modules
//   (cd /tmp/podbench-old && npx tsc -p tsconfig.build.json)
//   npm run build && node dist/tools/equivalence.js --old /tmp/podbench-old --work /tmp/podbench-eq
//
// Every difference is printed; the ones in INTENDED (changes made on purpose after the
// refactor) are marked as such, with the reason. Exit 0 when nothing else differs, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { INTENDED, type Intended } from './equivalence-intended.js';

interface Side {
  label: 'old' | 'new';
  root: string;
}

interface Variant {
  name: string;
  scenario: { seed: number; load: unknown; [key: string]: unknown };
}
interface Rng {
  fork(label: string): Rng;
}
interface PromptItem {
  kind: string;
}
interface Modules {
  loadScenarioFile(file: string): { variants: Variant[] };
  planLoad(load: unknown): { ok: true; plan: { model: string; profile: unknown; arrival: string } } | { ok: false };
  arrivalTimes(profile: unknown, arrival: string, rng: Rng, endMs?: number): Iterable<number>;
  createRng(seed: number): Rng;
  createPromptSource(
    scenario: unknown,
    file: string,
  ): { at(seq: number): PromptItem } | Promise<{ at(seq: number): PromptItem }>;
  buildSubmission(scenario: unknown, prompt: PromptItem, model: string | undefined): unknown;
}

const ARRIVALS = 200;
const BODIES = 6;

async function load(side: Side): Promise<Modules> {
  const from = async (path: string) => import(pathToFileURL(join(side.root, 'dist/src', path)).href);
  return {
    ...(await from('scenario/load.js')),
    ...(await from('schedule/load-plan.js')),
    ...(await from('schedule/arrivals.js')),
    ...(await from('util/rng.js')),
    ...(await from('scenario/prompts.js')),
    ...(await from('scenario/payload.js')),
  } as Modules;
}

/** What a scenario file becomes before anything is sent: per variant, its settings, plan, first arrivals and bodies. */
async function pure(modules: Modules, file: string): Promise<unknown> {
  const variants = modules.loadScenarioFile(file).variants;
  const out: unknown[] = [];
  for (const variant of variants) {
    const planned = modules.planLoad(variant.scenario.load);
    let arrivals: number[] | undefined;
    if (planned.ok && planned.plan.model === 'open') {
      // The native engine's streams: createRng(seed).fork(`native:${name}`).fork('arrivals').
      const rng = modules.createRng(variant.scenario.seed).fork(`native:${variant.name}`).fork('arrivals');
      arrivals = [];
      for (const at of modules.arrivalTimes(planned.plan.profile, planned.plan.arrival, rng)) {
        arrivals.push(at);
        if (arrivals.length === ARRIVALS) break;
      }
    }
    // Async since issue 19 (a dataset is read first); older checkouts return it directly.
    const prompts = await modules.createPromptSource(variant.scenario, file);
    const bodies = Array.from({ length: BODIES }, (_, seq) =>
      modules.buildSubmission(variant.scenario, prompts.at(seq), 'equivalence-model'),
    );
    out.push({ name: variant.name, scenario: variant.scenario, plan: planned, arrivals, bodies });
  }
  return out;
}

/** Paths at which two JSON values differ, each with both values. */
function jsonDiff(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (Object.is(a, b)) return out;
  // A k6 bodies file is a list of JSON texts: compare what they say.
  if (typeof a === 'string' && typeof b === 'string' && a.startsWith('{') && b.startsWith('{')) {
    return jsonDiff(JSON.parse(a), JSON.parse(b), path, out);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) jsonDiff(a[key], b[key], path === '' ? key : `${path}.${key}`, out);
    return out;
  }
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 160));
  out.push(`${path}: ${show(a)} → ${show(b)}`);
  return out;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

function podbench(side: Side, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(side.root, 'bin/podbench.js'), ...args], {
    cwd: side.root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 600_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Compares two folders file by file: JSON structurally, other text byte for byte after `normalise`. */
function compareFolders(a: string, b: string, normalise: (text: string, dir: string) => string): string[] {
  const out: string[] = [];
  const filesA = filesUnder(a);
  const filesB = filesUnder(b);
  for (const f of new Set([...filesA, ...filesB])) {
    if (!filesA.includes(f) || !filesB.includes(f)) {
      out.push(`${f}: only in ${filesA.includes(f) ? 'old' : 'new'}`);
      continue;
    }
    const textA = normalise(readFileSync(join(a, f), 'utf8'), a);
    const textB = normalise(readFileSync(join(b, f), 'utf8'), b);
    if (textA === textB) continue;
    if (f.endsWith('.json')) {
      for (const d of jsonDiff(JSON.parse(textA), JSON.parse(textB))) out.push(`${f} ${d}`);
    } else {
      out.push(`${f}: ${firstLineDiff(textA, textB)}`);
    }
  }
  return out;
}

/** The first line at which two texts differ (a changed line shifts every later one). */
function firstLineDiff(a: string, b: string): string {
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  const at = linesA.findIndex((line, i) => line !== linesB[i]);
  return `line ${at + 1}: ${JSON.stringify(linesA[at]?.slice(0, 160))} → ${JSON.stringify(linesB[at]?.slice(0, 160))}`;
}

/** Each changed line of a short text (the console output), at most `limit`. */
function lineDiffs(a: string, b: string, limit = 8): string[] {
  if (a === b) return [];
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(linesA.length, linesB.length) && out.length < limit; i += 1) {
    if (linesA[i] !== linesB[i])
      out.push(`line ${i + 1}: ${JSON.stringify(linesA[i] ?? null)} → ${JSON.stringify(linesB[i] ?? null)}`);
  }
  return out;
}

const withoutDir = (text: string, dir: string) => text.split(dir).join('<dir>');

function intendedFor(difference: string): Intended | undefined {
  return INTENDED.find((entry) => entry.match.test(difference));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      old: { type: 'string' },
      new: { type: 'string', default: '.' },
      work: { type: 'string', default: '/tmp/podbench-equivalence' },
    },
  });
  if (values.old === undefined) {
    process.stderr.write('usage: node dist/tools/equivalence.js --old <built checkout> [--new .] [--work DIR]\n');
    return 2;
  }
  const sides: [Side, Side] = [
    { label: 'old', root: resolve(values.old) },
    { label: 'new', root: resolve(values.new) },
  ];
  const work = resolve(values.work);
  const [oldModules, newModules] = [await load(sides[0]), await load(sides[1])];
  const scenarioFiles = readdirSync(join(sides[1].root, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  const differences: { where: string; what: string }[] = [];
  const note = (where: string, found: string[]) => {
    for (const what of found) differences.push({ where, what });
  };
  const checked: string[] = [];

  for (const name of scenarioFiles) {
    const scenario = name.replace(/\.yaml$/, '');
    const oldFile = join(sides[0].root, 'scenarios', name);
    const newFile = join(sides[1].root, 'scenarios', name);
    if (!existsSync(oldFile) || readFileSync(oldFile, 'utf8') !== readFileSync(newFile, 'utf8')) {
      note(scenario, ['the scenario file itself differs']);
    }

    // 1. Variants, plans, arrivals and bodies.
    note(`${scenario} plan`, jsonDiff(await pure(oldModules, newFile), await pure(newModules, newFile)));
    checked.push(`${scenario}: variants, plans, ${ARRIVALS} arrivals, ${BODIES} bodies`);

    // 2. The k6 export (script, bodies, README, run.json), on one machine and on two.
    for (const instances of ['1', '2']) {
      const dirs = sides.map((side) => join(work, 'k6', `${scenario}-${instances}-${side.label}`));
      const runs = sides.map((side, i) => {
        rmSync(dirs[i]!, { recursive: true, force: true });
        const run = podbench(side, ['k6', 'export', newFile, '--out', dirs[i]!, '--instances', instances]);
        return { status: run.status, stderr: withoutDir(run.stderr, dirs[i]!) };
      });
      // A scenario k6 cannot run is refused the same way on both sides.
      note(`${scenario} k6 export --instances ${instances}`, jsonDiff(runs[0], runs[1]));
      note(`${scenario} k6 export --instances ${instances}`, compareFolders(dirs[0]!, dirs[1]!, withoutDir));
    }
    checked.push(`${scenario}: k6 export --instances 1 and 2, every file`);

    // 3. Reports derived from the same fixed records.
    const records = join(work, 'records', scenario);
    if (!existsSync(join(records, 'results.ndjson'))) {
      rmSync(records, { recursive: true, force: true });
      const run = podbench(sides[0], ['run', newFile, '--set', 'emulator.timeScale=10', '--out', records]);
      if (run.status === null || run.status > 1) {
        note(`${scenario} records`, [`the old side's run failed (${run.status}): ${run.stderr.trim().slice(-300)}`]);
        continue;
      }
    }
    const inputs = readdirSync(records).filter((f) => /^(run\.json|.*\.ndjson|k6-output)$/.test(f));
    const outputs = sides.map((side) => {
      const dir = join(work, 'reports', `${scenario}-${side.label}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const f of inputs) cpSync(join(records, f), join(dir, f), { recursive: true });
      const run = podbench(side, ['report', dir]);
      return { dir, run };
    });
    const [a, b] = outputs as [(typeof outputs)[0], (typeof outputs)[0]];
    if (a.run.status !== b.run.status) note(`${scenario} report`, [`exit ${a.run.status} → ${b.run.status}`]);
    note(`${scenario} report stdout`, lineDiffs(withoutDir(a.run.stdout, a.dir), withoutDir(b.run.stdout, b.dir)));
    note(`${scenario} report stderr`, lineDiffs(withoutDir(a.run.stderr, a.dir), withoutDir(b.run.stderr, b.dir)));
    note(`${scenario} report`, compareFolders(a.dir, b.dir, withoutDir));
    checked.push(
      `${scenario}: podbench report from ${relative(work, records)} (${filesUnder(a.dir)
        .map((f) => basename(f))
        .join(', ')})`,
    );
  }

  let unexplained = 0;
  for (const { where, what } of differences) {
    const intended = intendedFor(`${where}: ${what}`);
    if (intended === undefined) unexplained += 1;
    process.stdout.write(`${intended ? 'intended' : 'DIFFERS '} ${where}: ${what}\n`);
  }
  const used = new Set(differences.map((d) => intendedFor(`${d.where}: ${d.what}`)).filter((e) => e !== undefined));
  for (const entry of used) process.stdout.write(`\n${entry.issue}: ${entry.why}\n`);
  process.stdout.write(`\nchecked:\n${checked.map((c) => `  ${c}`).join('\n')}\n`);
  process.stdout.write(
    unexplained === 0
      ? `\nsame, apart from ${differences.length} intended difference(s)\n`
      : `\n${unexplained} unexplained difference(s)\n`,
  );
  return unexplained === 0 ? 0 : 1;
}

process.exitCode = await main();
