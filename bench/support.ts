// Shared pieces of the benchmarks: an emulator or a podbench run in a child process, and the
// resident memory of a process read from /proc. Loopback only; every wait is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/podbench.js', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('../../reports/bench/', import.meta.url));

export interface ChildEmulator {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `podbench emulate` in its own process, so the process under test does not share its CPU. */
export async function spawnEmulator(args: string[]): Promise<ChildEmulator> {
  const child = spawn(process.execPath, [BIN, 'emulate', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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

export function writeBenchJson(name: string, value: unknown): string {
  const path = `${BENCH_DIR}${name}.json`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

export function machine(): Record<string, unknown> {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? 'unknown';
  return { cpu, cores: Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0), node: process.version, date: new Date().toISOString() };
}
