// `npm run bench:cpu`: what each load tool costs in CPU per request, side by side in one run
// on this machine. Not a test: it prints a table and writes reports/bench/cpu.json. Loopback
// only; about a minute and a half.
//
// Target: bench/go-target (Go, stdlib only), /runsync answered at once, in its own process.
// Load: a closed loop of 64 for the same 12 s with every tool, one tool at a time:
//   native, autocannon, k6   `podbench run --engine <name>` (2 s warmup + 10 s measured), as a user would
//   plain-k6                 a hand-written k6 script: http.post of the same body, a status check
//   vegeta                   `vegeta attack -rate=0 -max-workers 64 | vegeta report` (the floor)
// The body, URL and headers are podbench's own (read from `podbench k6 export`).
// Figures: requests the target answered during the tool's run (its own counter, the same for
// every tool), and CPU seconds of the tool's whole process tree (podbench with k6 under it;
// vegeta's attack and report): a shell around the run reads its children's CPU from /proc
// (Linux only), startup and the tool's own summary included. Ratios are of CPU per 1,000
// requests measured in this one run. k6 comes from K6_BINARY, PATH or ~/go/bin; vegeta is
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
import { BIN, machine, measuredTree, spawnGoTarget, writeBenchJson } from './support.js';

const CONCURRENCY = 64;
const WARMUP_S = 2;
const MEASURED_S = 10;
const TOTAL_S = WARMUP_S + MEASURED_S;
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

interface ToolFigures {
  tool: string;
  requests: number;
  cpuSeconds: number;
  cpuSecondsPer1000: number;
  wallSeconds: number;
  /** 1-minute load average before and after the tool's run. */
  loadAverage: [number, number];
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function plainK6Script(url: string, body: string): string {
  return `// The same requests as podbench's k6 engine, written as a k6 user would.
import http from 'k6/http';
import { check } from 'k6';

const url = ${JSON.stringify(url)};
const body = ${JSON.stringify(body)};
const params = { headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench' } };

export const options = { vus: ${CONCURRENCY}, duration: '${TOTAL_S}s' };

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
  const scenario = join(dir, 'runsync.yaml');
  writeFileSync(
    scenario,
    `name: bench-cpu
target: { endpoint: ${target.url} }
mode: sync
input: { synthetic: { promptTokens: 16, spread: 0 } }
sampling_params: { max_tokens: 4 }
polling: { health: 0 }
load: { concurrency: ${CONCURRENCY}, duration: ${MEASURED_S}s, warmup: ${WARMUP_S}s }
`,
  );
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
  writeFileSync(join(dir, 'plain.js'), plainK6Script(url, body));
  writeFileSync(join(dir, 'body.json'), body);
  writeFileSync(
    join(dir, 'targets.txt'),
    `POST ${url}\nContent-Type: application/json\nAuthorization: Bearer bench\n@${join(dir, 'body.json')}\n`,
  );

  const baselineAt = process.argv.indexOf('--baseline');
  const baseline = baselineAt === -1 ? undefined : process.argv[baselineAt + 1];
  if (baselineAt !== -1 && !baseline) throw new Error('--baseline needs the folder of a built podbench checkout');
  const podbench = (engine: 'native' | 'autocannon' | 'k6', bin: string, suffix: string) => ({
    tool: `${engine === 'k6' ? 'k6-engine' : engine}${suffix}`,
    command: [
      process.execPath,
      bin,
      'run',
      scenario,
      '--engine',
      engine,
      '--out',
      join(dir, engine + suffix),
      '--quiet',
    ],
    env: { RUNPOD_API_KEY: 'bench', K6_BINARY: k6 },
  });
  const tools: Array<{ tool: string; command: string[]; env?: Record<string, string> }> = [
    ...(['native', 'autocannon', 'k6'] as const).map((engine) => podbench(engine, BIN, '')),
    ...(baseline
      ? (['native', 'k6'] as const).map((engine) => podbench(engine, join(baseline, 'bin', 'podbench.js'), '@baseline'))
      : []),
    {
      tool: 'plain-k6',
      command: [k6, 'run', '--no-usage-report', '--quiet', '--no-color', join(dir, 'plain.js')],
      env: K6_ENV,
    },
    {
      tool: 'vegeta',
      command: [
        'sh',
        '-c',
        `"${vegeta}" attack -targets=targets.txt -rate=0 -workers=${CONCURRENCY} -max-workers=${CONCURRENCY} -duration=${TOTAL_S}s | "${vegeta}" report -type=json > vegeta.json`,
      ],
    },
  ];
  const stats = async (): Promise<number> => {
    const res = await fetch(`${target.url}/target-stats`);
    return ((await res.json()) as { runsync: number }).runsync;
  };
  const results: ToolFigures[] = [];
  try {
    for (const { tool, command, env } of tools) {
      const loadBefore = loadavg()[0] as number;
      const before = await stats();
      const started = performance.now();
      const run = await measuredTree(command, env ?? {}, dir);
      const wallSeconds = (performance.now() - started) / 1000;
      const requests = (await stats()) - before;
      if (run.code !== 0) throw new Error(`${tool}: exited with ${run.code}\n${run.stderr}`);
      if (requests === 0) throw new Error(`${tool}: the target answered no request\n${run.stderr}`);
      results.push({
        tool,
        requests,
        cpuSeconds: round(run.cpuSeconds, 2),
        cpuSecondsPer1000: round((run.cpuSeconds / requests) * 1000, 4),
        wallSeconds: round(wallSeconds, 1),
        loadAverage: [round(loadBefore, 2), round(loadavg()[0] as number, 2)],
      });
      console.log(`${tool}: ${requests} requests, ${run.cpuSeconds.toFixed(2)} CPU s`);
    }
  } finally {
    await target.stop();
  }
  const per1000 = (tool: string) => results.find((r) => r.tool === tool)?.cpuSecondsPer1000;
  const ratio = (a: string, b: string) => {
    const x = per1000(a);
    const y = per1000(b);
    return x === undefined || y === undefined ? null : round(x / y, 2);
  };
  const ratios = {
    nativeToAutocannon: ratio('native', 'autocannon'),
    k6EngineToPlainK6: ratio('k6-engine', 'plain-k6'),
    ...(baseline ? { k6EngineBaselineToPlainK6: ratio('k6-engine@baseline', 'plain-k6') } : {}),
    toVegeta: Object.fromEntries(results.map((r) => [r.tool, ratio(r.tool, 'vegeta')])),
  };
  console.log(
    `\n/runsync on bench/go-target, closed loop ${CONCURRENCY}, ${TOTAL_S} s per tool; CPU of each tool's process tree\n`,
  );
  console.log('tool                 requests  CPU s  CPU s/1k req  × vegeta  load avg');
  for (const r of results) {
    console.log(
      `${r.tool.padEnd(19)} ${String(r.requests).padStart(9)} ${r.cpuSeconds.toFixed(2).padStart(6)} ${r.cpuSecondsPer1000.toFixed(3).padStart(13)} ${String(ratios.toVegeta[r.tool] ?? '-').padStart(9)}  ${r.loadAverage.join(' → ')}`,
    );
  }
  console.log(`\nnative / autocannon: ${ratios.nativeToAutocannon ?? '-'} (target ≤ 0.9)`);
  console.log(`k6 engine / plain k6: ${ratios.k6EngineToPlainK6 ?? '-'} (target ≤ 1.5)`);
  if (baseline) console.log(`k6 engine@baseline / plain k6: ${ratios.k6EngineBaselineToPlainK6 ?? '-'}`);
  const path = writeBenchJson('cpu', {
    machine: machine(),
    target: 'bench/go-target /runsync',
    concurrency: CONCURRENCY,
    seconds: TOTAL_S,
    results,
    ratios,
  });
  console.log(`\nwritten: ${path}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
