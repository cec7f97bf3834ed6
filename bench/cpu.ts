// `npm run bench:cpu`: what each load tool costs in CPU per request, side by side in one run
// on this machine. Not a test: it prints a table and writes reports/bench/cpu.json. Loopback
// only; about four and a half minutes (three rounds of about a minute and a half).
//
// Target: bench/go-target (Go, stdlib only), /runsync answered at once, in its own process.
// Load: a closed loop of 64 with every tool, one tool at a time, twice: for 4 s and for 12 s,
// in each of 3 rounds (--rounds N), the tools' order reversed every other round:
//   native, autocannon, k6   `podbench run --engine <name>` (2 s warmup + 10 s measured), as a user would
//   plain-k6                 a hand-written k6 script: http.post of the same body, a status check
//   vegeta                   `vegeta attack -rate=0 -max-workers 64 | vegeta report` (the floor)
// The body, URL and headers are podbench's own (read from `podbench k6 export`).
// Figures: requests the target answered during the tool's run (its own counter, the same for
// every tool), and CPU seconds of the tool's whole process tree (podbench with k6 under it;
// vegeta's attack and report): a shell around the run reads its children's CPU from /proc
// (Linux only), startup and the tool's own summary included. Two figures per tool, both per
// 1,000 requests: the whole 12 s run (startup, reports and summary spread over its requests),
// and per request, the difference between the 12 s and the 4 s runs (CPU and requests): what
// one more request costs, without what a run costs once (Node's start, the reports' interval
// bootstrap, k6's start). Ratios are taken within a round, and their median over the rounds
// is shown with the lowest and highest. k6 comes from K6_BINARY, PATH or ~/go/bin; vegeta is
// built once from the Go module proxy into a cache outside the repository.
//
// --baseline <dir>: also runs the native and k6 engines of another podbench checkout (built,
// e.g. an older commit from `git archive`), as rows native@baseline and k6-engine@baseline,
// for a before/after in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findK6Binary } from '../src/engines/k6/binary.js';
import { BIN, childrenCpuSeconds, machine, measuredTree, spawnGoTarget, writeBenchJson } from './support.js';

const CONCURRENCY = 64;
const WARMUP_S = 2;
/** Measured seconds of the short and the long run of each tool. */
const SHORT_S = 2;
const LONG_S = 10;
const VEGETA = 'github.com/tsenart/vegeta/v12';
const VEGETA_VERSION = 'v12.13.0';
const K6_ENV = { K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' };

/** vegeta's binary, built once into a cache outside the repository (a throwaway module, as .ci/run builds k6). */
function vegetaBinary(): string {
  const dir = join(tmpdir(), 'podbench-bench-go');
  const out = join(dir, `vegeta-${VEGETA_VERSION}`);
  if (existsSync(out)) return out;
  const build = join(dir, 'vegeta-build');
  mkdirSync(build, { recursive: true });
  const goVersion = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim().replace(/^go/, '');
  writeFileSync(
    join(build, 'go.mod'),
    `module vegetabuild\n\ngo ${goVersion}\n\nrequire ${VEGETA} ${VEGETA_VERSION}\n`,
  );
  console.log(`building vegeta ${VEGETA_VERSION} (once) into ${out}`);
  const result = spawnSync('go', ['build', '-o', out, VEGETA], {
    cwd: build,
    env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`go build ${VEGETA}@${VEGETA_VERSION} failed`);
  return out;
}

interface RunFigures {
  requests: number;
  cpuSeconds: number;
  wallSeconds: number;
  /** 1-minute load average before and after the run. */
  loadAverage: [number, number];
}

interface ToolFigures {
  tool: string;
  /** The 12 s run. */
  requests: number;
  cpuSeconds: number;
  /** The 12 s run's CPU over its requests. */
  cpuSecondsPer1000: number;
  /** (CPU of the 12 s run - CPU of the 4 s run) / (their difference in requests): one more request. */
  marginalCpuSecondsPer1000: number;
  wallSeconds: number;
  loadAverage: [number, number];
  short: RunFigures;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Rounds unless --rounds says otherwise: three resolve a 20% change where one cannot. */
const DEFAULT_ROUNDS = 3;

interface Spread {
  median: number;
  lowest: number;
  highest: number;
}

/** Median (of the middle two for an even count) and range of the finite values, or null. */
function spreadOf(values: Array<number | null>): Spread | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
  return {
    median: round(median, 4),
    lowest: round(xs[0] as number, 4),
    highest: round(xs[xs.length - 1] as number, 4),
  };
}

function shown(spread: Spread | null | undefined, digits: number): string {
  if (spread === null || spread === undefined) return '-';
  if (spread.lowest === spread.highest) return spread.median.toFixed(digits);
  return `${spread.median.toFixed(digits)} [${spread.lowest.toFixed(digits)}-${spread.highest.toFixed(digits)}]`;
}

function figuresOf(tool: string, short: RunFigures, long: RunFigures): ToolFigures {
  const extraRequests = long.requests - short.requests;
  return {
    tool,
    requests: long.requests,
    cpuSeconds: long.cpuSeconds,
    cpuSecondsPer1000: round((long.cpuSeconds / long.requests) * 1000, 4),
    marginalCpuSecondsPer1000:
      extraRequests > 0 ? round(((long.cpuSeconds - short.cpuSeconds) / extraRequests) * 1000, 4) : Number.NaN,
    wallSeconds: long.wallSeconds,
    loadAverage: long.loadAverage,
    short,
  };
}

function plainK6Script(url: string, body: string, totalS: number): string {
  return `// The same requests as podbench's k6 engine, written as a k6 user would.
import http from 'k6/http';
import { check } from 'k6';

const url = ${JSON.stringify(url)};
const body = ${JSON.stringify(body)};
const params = { headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench' } };

export const options = { vus: ${CONCURRENCY}, duration: '${totalS}s' };

export default function () {
  const res = http.post(url, body, params);
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`;
}

async function main(): Promise<void> {
  const k6 = findK6Binary(process.env);
  if (!k6) throw new Error('k6 not found (K6_BINARY, PATH, ~/go/bin): see .ci/run for how it is installed');
  const vegeta = vegetaBinary();
  const target = await spawnGoTarget({}, 'cpu');
  const dir = mkdtempSync(join(tmpdir(), 'podbench-bench-cpu-'));
  const scenarioFor = (measuredS: number) => {
    const file = join(dir, `runsync-${measuredS}s.yaml`);
    writeFileSync(
      file,
      `name: bench-cpu
target: { endpoint: ${target.url} }
mode: sync
input: { synthetic: { promptTokens: 16, spread: 0 } }
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
load: { concurrency: ${CONCURRENCY}, duration: ${measuredS}s, warmup: ${WARMUP_S}s }
`,
    );
    return file;
  };
  const scenario = scenarioFor(LONG_S);
  // podbench's own request: the exported k6 bundle holds its submission path and bodies.
  const exported = join(dir, 'export');
  const exportRun = spawnSync(process.execPath, [BIN, 'k6', 'export', scenario, '--out', exported], {
    encoding: 'utf8',
  });
  if (exportRun.status !== 0) throw new Error(`podbench k6 export failed:\n${exportRun.stderr}`);
  const scriptText = readFileSync(join(exported, 'default.ts'), 'utf8');
  const submitPath = JSON.parse(/"submitPath": ("[^"]*")/.exec(scriptText)?.[1] ?? '""') as string;
  const body = (JSON.parse(readFileSync(join(exported, 'default.bodies.json'), 'utf8')) as string[])[0];
  if (!submitPath || !body) throw new Error('no submission path or body in the exported k6 bundle');
  const url = `${target.url}${submitPath}`;
  for (const measuredS of [SHORT_S, LONG_S])
    writeFileSync(join(dir, `plain-${measuredS}s.js`), plainK6Script(url, body, WARMUP_S + measuredS));
  writeFileSync(join(dir, 'body.json'), body);
  writeFileSync(
    join(dir, 'targets.txt'),
    `POST ${url}\nContent-Type: application/json\nAuthorization: Bearer bench\n@${join(dir, 'body.json')}\n`,
  );

  const baselineAt = process.argv.indexOf('--baseline');
  const baseline = baselineAt === -1 ? undefined : process.argv[baselineAt + 1];
  if (baselineAt !== -1 && !baseline) throw new Error('--baseline needs the folder of a built podbench checkout');
  // The k6 engine's k6 process on its own: k6 runs under a shell that writes its CPU (from
  // /proc) to a file, so the k6 engine's row splits into k6 running podbench's script and
  // podbench reading its lines, building records and writing reports.
  const k6Wrapper = (tool: string, measuredS: number) => {
    const wrapper = join(dir, `k6-${tool}-${measuredS}s.sh`);
    writeFileSync(
      wrapper,
      `#!/bin/sh\n"${k6}" "$@"; status=$?; cat /proc/$$/stat > "${wrapper}.stat"; exit $status\n`,
      { mode: 0o755 },
    );
    return wrapper;
  };
  const podbench = (engine: 'native' | 'autocannon' | 'k6', bin: string, suffix: string) => ({
    tool: `${engine === 'k6' ? 'k6-engine' : engine}${suffix}`,
    command: (measuredS: number, round: number) => [
      process.execPath,
      bin,
      'run',
      scenarioFor(measuredS),
      '--engine',
      engine,
      '--out',
      join(dir, `${engine}${suffix}-${measuredS}s-round${round}`),
      '--quiet',
    ],
    env: (measuredS: number): Record<string, string> => ({
      RUNPOD_API_KEY: 'bench',
      K6_BINARY: engine === 'k6' ? k6Wrapper(`k6-engine${suffix}`, measuredS) : k6,
    }),
    k6Stat:
      engine === 'k6'
        ? (measuredS: number) => `${join(dir, `k6-k6-engine${suffix}-${measuredS}s.sh`)}.stat`
        : undefined,
  });
  const tools: Array<{
    tool: string;
    command: (measuredS: number, round: number) => string[];
    env?: (measuredS: number) => Record<string, string>;
    /** The file the k6 wrapper writes the k6 process's /proc stat to. */
    k6Stat?: ((measuredS: number) => string) | undefined;
  }> = [
    ...(['native', 'autocannon', 'k6'] as const).map((engine) => podbench(engine, BIN, '')),
    ...(baseline
      ? (['native', 'k6'] as const).map((engine) => podbench(engine, join(baseline, 'bin', 'podbench.js'), '@baseline'))
      : []),
    {
      tool: 'plain-k6',
      command: (measuredS) => [
        k6,
        'run',
        '--no-usage-report',
        '--quiet',
        '--no-color',
        join(dir, `plain-${measuredS}s.js`),
      ],
      env: () => K6_ENV,
    },
    {
      tool: 'vegeta',
      command: (measuredS) => [
        'sh',
        '-c',
        `"${vegeta}" attack -targets=targets.txt -rate=0 -workers=${CONCURRENCY} -max-workers=${CONCURRENCY} -duration=${WARMUP_S + measuredS}s | "${vegeta}" report -type=json > vegeta.json`,
      ],
    },
  ];
  const stats = async (): Promise<number> => {
    const res = await fetch(`${target.url}/target-stats`);
    return ((await res.json()) as { runsync: number }).runsync;
  };
  const runOnce = async (tool: string, command: string[], env: Record<string, string>): Promise<RunFigures> => {
    const loadBefore = loadavg()[0] as number;
    const before = await stats();
    const started = performance.now();
    const run = await measuredTree(command, env, dir);
    const wallSeconds = (performance.now() - started) / 1000;
    const requests = (await stats()) - before;
    if (run.code !== 0) throw new Error(`${tool}: exited with ${run.code}\n${run.stderr}`);
    if (requests === 0) throw new Error(`${tool}: the target answered no request\n${run.stderr}`);
    return {
      requests,
      cpuSeconds: round(run.cpuSeconds, 2),
      wallSeconds: round(wallSeconds, 1),
      loadAverage: [round(loadBefore, 2), round(loadavg()[0] as number, 2)],
    };
  };
  // Rounds: every tool once per round, the order reversed every other round so a drift of the
  // machine's speed (it moves 20-60% from minute to minute here) does not always fall on the
  // same tools. Ratios are taken within a round, then their median over the rounds is reported
  // with their range: one round cannot tell a 20% change from the spread.
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt === -1 ? DEFAULT_ROUNDS : Number(process.argv[roundsAt + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a whole number of rounds, 1 or more');
  const perRound: ToolFigures[][] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const results: ToolFigures[] = [];
      const order = r % 2 === 0 ? tools : [...tools].reverse();
      for (const { tool, command, env, k6Stat } of order) {
        const short = await runOnce(tool, command(SHORT_S, r + 1), env?.(SHORT_S) ?? {});
        const long = await runOnce(tool, command(LONG_S, r + 1), env?.(LONG_S) ?? {});
        results.push(figuresOf(tool, short, long));
        if (k6Stat) {
          // The same two runs, the k6 process alone.
          const k6Of = (run: RunFigures, measuredS: number): RunFigures => ({
            ...run,
            cpuSeconds: round(childrenCpuSeconds(readFileSync(k6Stat(measuredS), 'utf8')), 2),
          });
          results.push(figuresOf(`${tool} (k6 alone)`, k6Of(short, SHORT_S), k6Of(long, LONG_S)));
        }
        console.log(
          `round ${r + 1}/${rounds} ${tool}: ${short.requests} requests, ${short.cpuSeconds.toFixed(2)} CPU s (${WARMUP_S + SHORT_S} s); ${long.requests} requests, ${long.cpuSeconds.toFixed(2)} CPU s (${WARMUP_S + LONG_S} s)`,
        );
      }
      perRound.push(results);
    }
  } finally {
    await target.stop();
  }
  const names = perRound[0]?.map((r) => r.tool) ?? [];
  type Key = 'cpuSecondsPer1000' | 'marginalCpuSecondsPer1000';
  const ratioIn = (results: ToolFigures[], key: Key, a: string, b: string): number | null => {
    const x = results.find((r) => r.tool === a)?.[key];
    const y = results.find((r) => r.tool === b)?.[key];
    return x === undefined || y === undefined || !Number.isFinite(x / y) ? null : x / y;
  };
  /** The median over the rounds of a ratio taken within each round, and its range. */
  const ratioOf = (key: Key) => (a: string, b: string) =>
    spreadOf(perRound.map((results) => ratioIn(results, key, a, b)));
  const ratiosOf = (key: Key) => {
    const ratio = ratioOf(key);
    return {
      nativeToAutocannon: ratio('native', 'autocannon'),
      k6EngineToPlainK6: ratio('k6-engine', 'plain-k6'),
      k6AloneToPlainK6: ratio('k6-engine (k6 alone)', 'plain-k6'),
      ...(baseline
        ? {
            nativeBaselineToAutocannon: ratio('native@baseline', 'autocannon'),
            k6EngineBaselineToPlainK6: ratio('k6-engine@baseline', 'plain-k6'),
          }
        : {}),
      toVegeta: Object.fromEntries(names.map((tool) => [tool, ratio(tool, 'vegeta')])),
    };
  };
  const ratios = ratiosOf('cpuSecondsPer1000');
  const marginalRatios = ratiosOf('marginalCpuSecondsPer1000');
  // Each tool's figures: the median over the rounds (and each round's, in the JSON).
  const results = names.map((tool) => {
    const of = (key: Key) => spreadOf(perRound.map((rs) => rs.find((r) => r.tool === tool)?.[key] ?? null));
    const runs = perRound.map((rs) => rs.find((r) => r.tool === tool) as ToolFigures);
    return {
      tool,
      cpuSecondsPer1000: of('cpuSecondsPer1000'),
      marginalCpuSecondsPer1000: of('marginalCpuSecondsPer1000'),
      loadAverage: [
        Math.min(...runs.map((r) => r.short.loadAverage[0])),
        Math.max(...runs.map((r) => r.loadAverage[1])),
      ],
      rounds: runs,
    };
  });
  console.log(
    `\n/runsync on bench/go-target, closed loop ${CONCURRENCY}; CPU of each tool's process tree, per 1,000 requests,`,
  );
  console.log(
    `median of ${rounds} round(s) [lowest-highest]: whole ${WARMUP_S + LONG_S} s run, and per request (the ${WARMUP_S + LONG_S} s run minus the ${WARMUP_S + SHORT_S} s run)\n`,
  );
  console.log('tool                       whole run/1k         per request/1k  × vegeta  load avg');
  for (const r of results) {
    console.log(
      `${r.tool.padEnd(22)} ${shown(r.cpuSecondsPer1000, 3).padStart(18)} ${shown(r.marginalCpuSecondsPer1000, 3).padStart(22)} ${(marginalRatios.toVegeta[r.tool]?.median.toFixed(2) ?? '-').padStart(9)}  ${r.loadAverage[0]} - ${r.loadAverage[1]}`,
    );
  }
  const both = (key: Exclude<keyof typeof ratios, 'toVegeta'>) =>
    `per request ${shown(marginalRatios[key], 2)}, whole run ${shown(ratios[key], 2)}`;
  console.log(`\nnative / autocannon: ${both('nativeToAutocannon')} (target ≤ 0.9)`);
  console.log(`k6 engine / plain k6: ${both('k6EngineToPlainK6')} (target ≤ 1.5)`);
  console.log(`  of which k6 running podbench's script / plain k6: ${both('k6AloneToPlainK6')}`);
  if (baseline) {
    console.log(`native@baseline / autocannon: ${both('nativeBaselineToAutocannon')}`);
    console.log(`k6 engine@baseline / plain k6: ${both('k6EngineBaselineToPlainK6')}`);
  }
  const path = writeBenchJson('cpu', {
    machine: machine(),
    target: 'bench/go-target /runsync',
    concurrency: CONCURRENCY,
    seconds: { warmup: WARMUP_S, short: SHORT_S, long: LONG_S },
    rounds,
    results,
    ratios,
    marginalRatios,
  });
  console.log(`\nwritten: ${path}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
