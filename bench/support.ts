// Shared pieces of the benchmarks: an emulator or a podbench run in a child process, and the
// resident memory of a process read from /proc. Loopback only; every wait is bounded.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/podbench.js', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('../../reports/bench/', import.meta.url));
/** The Go target's module: sources live in bench/, not dist/. */
const GO_TARGET_DIR = fileURLToPath(new URL('../../bench/go-target/', import.meta.url));

export interface ChildEmulator {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `podbench emulate` in its own process, so the process under test does not share its CPU.
 * BENCH_EMULATOR_NODE_ARGS adds Node flags to it (space-separated), e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof` to profile the emulator under a benchmark's load (Node refuses
 * --cpu-prof in NODE_OPTIONS).
 */
export async function spawnEmulator(args: string[]): Promise<ChildEmulator> {
  const nodeArgs = (process.env.BENCH_EMULATOR_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'emulate', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the emulator did not start in 20 s')), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.replace('podbench emulator listening on ', '').trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident set size of a process in MB (Linux /proc), or undefined when it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, fields 14 and 15 of stat
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** The same, split: user and system (kernel) CPU seconds; system time is where socket writes go. */
export function cpuSecondsSplit(pid: number): { userS: number; systemS: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { userS: Number(fields[11]) / 100, systemS: Number(fields[12]) / 100 };
  } catch {
    return undefined;
  }
}

export function writeBenchJson(name: string, value: unknown): string {
  const path = `${BENCH_DIR}${name}.json`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

export function machine(): Record<string, unknown> {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? 'unknown';
  return {
    cpu,
    cores: Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0),
    node: process.version,
    date: new Date().toISOString(),
  };
}

/**
 * A bench target script (bench/<name>.js, which prints "listening <port>") in its own
 * process, with its arguments; resolves to the endpoint URL it serves under /v2/<endpointId>.
 */
export function spawnTargetScript(name: string, args: string[], endpointId: string): Promise<ChildEmulator> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return spawnListening(process.execPath, [script, ...args], endpointId, `bench/${name}`);
}

/** A target process that prints "listening <port>"; resolves to the endpoint URL it serves under /v2/<endpointId>. */
async function spawnListening(
  command: string,
  args: string[],
  endpointId: string,
  name: string,
): Promise<ChildEmulator> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 10 s`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/v2/${endpointId}`,
    child,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The Go target's binary, built from bench/go-target into a cache outside the repository (Go's own build cache makes a rebuild quick). */
export function buildGoTarget(): string {
  const out = join(tmpdir(), 'podbench-bench-go', 'go-target');
  const result = spawnSync('go', ['build', '-o', out, '.'], {
    cwd: GO_TARGET_DIR,
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    throw new Error(
      `go build of bench/go-target failed (Go must be on PATH): ${result.error?.message ?? result.stderr}`,
    );
  }
  return out;
}

export interface GoTargetTimings {
  /** From a request's arrival to a stream's first token chunk. */
  ttftMs?: number;
  /** Between token chunks. */
  tokenMs?: number;
  /** Token chunks in a streamed answer. */
  tokens?: number;
  /** Stream headers sent with the first token (so a tool reading only whole bodies sees TTFT as its time to first byte). */
  headersWithFirstToken?: boolean;
  /** Pin the target to these CPUs (taskset -c), e.g. "0". */
  cpus?: string;
}

/**
 * bench/go-target in its own process: /runsync and /health as bench/fast-target.ts, and the
 * OpenAI routes (at once, or streamed on exact deadlines); resolves to its endpoint URL.
 */
export function spawnGoTarget(timings: GoTargetTimings = {}, endpointId = 'go'): Promise<ChildEmulator> {
  const args = [
    ...(timings.ttftMs === undefined ? [] : ['-ttft-ms', String(timings.ttftMs)]),
    ...(timings.tokenMs === undefined ? [] : ['-token-ms', String(timings.tokenMs)]),
    ...(timings.tokens === undefined ? [] : ['-tokens', String(timings.tokens)]),
    ...(timings.headersWithFirstToken ? ['-headers-with-first-token'] : []),
  ];
  const binary = buildGoTarget();
  return timings.cpus === undefined
    ? spawnListening(binary, args, endpointId, 'bench/go-target')
    : spawnListening('taskset', ['-c', timings.cpus, binary, ...args], endpointId, 'bench/go-target');
}

/** bench/fast-target.ts in its own process; resolves to the endpoint URL it serves. */
export function spawnFastTarget(): Promise<ChildEmulator> {
  return spawnTargetScript('fast-target', [], 'fast');
}

/** Runs `podbench run` in a child process; resolves with its exit code, pid and CPU seconds used. */
export async function runPodbench(
  args: string[],
  env: Record<string, string> = {},
): Promise<{
  code: number | null;
  stdout: string;
  stderr: string;
  cpuSeconds: number | undefined;
  peakRssMb: number | undefined;
}> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, RUNPOD_API_KEY: 'bench', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let cpu: number | undefined;
  let peak: number | undefined;
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const sampler = setInterval(() => {
    cpu = cpuSeconds(child.pid as number) ?? cpu;
    const rss = rssMb(child.pid as number);
    if (rss !== undefined) peak = Math.max(peak ?? 0, rss);
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  return { code, stdout, stderr, cpuSeconds: cpu, peakRssMb: peak };
}

/** Children's CPU seconds (cutime + cstime) from a /proc/<pid>/stat line. */
export function childrenCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const at = (n: number) => Number(fields[n - 3]); // 1-based field numbers of man proc; state is 3
  return (at(16) + at(17)) / 100; // USER_HZ is 100 on Linux
}

/** Runs a command in a shell that reports its whole tree's CPU (every descendant is waited for) when it ends. */
export function measuredTree(
  command: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ cpuSeconds: number; code: number | null; stderr: string; stdout: string }> {
  const script = '"$@"; status=$?; echo "CHILDSTAT $(cat /proc/$$/stat)" >&2; exit $status';
  const child = spawn('sh', ['-c', script, 'sh', ...command], {
    ...(cwd === undefined ? {} : { cwd }),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const stat = /CHILDSTAT (.*)/.exec(stderr)?.[1];
      if (!stat) return reject(new Error(`${command[0]}: no CPU figures\n${stderr}`));
      resolve({ cpuSeconds: childrenCpuSeconds(stat), code, stdout, stderr: stderr.replace(/CHILDSTAT .*\n?/, '') });
    });
  });
}
