// `npm run bench:open-loop`: how precisely the native engine keeps an open-loop schedule.
// At 500, 2,000 and 5,000 requests/s (constant arrivals, 5 s after a 1 s warmup) against a
// zero-latency target in its own process, the send lag (sent − scheduled) p50/p99 and the
// share of requests sent more than 1 ms late, from the run's own summary.json.
// Target: p99 send lag under 2 ms at 2,000/s. Loopback only; about 30 s.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../src/core/summary.js';
import { machine, runPodbench, spawnFastTarget, writeBenchJson } from './support.js';

export interface OpenLoopRow {
  rate: number;
  sent: number;
  sendLagP50Ms: number | null;
  sendLagP99Ms: number | null;
  lateOver1msShare: number | null;
  cpuSecondsPer1000: number | null;
}

export async function benchOpenLoop(rates = [500, 2000, 5000]): Promise<OpenLoopRow[]> {
  const target = await spawnFastTarget();
  const rows: OpenLoopRow[] = [];
  try {
    for (const rate of rates) {
      const dir = mkdtempSync(join(tmpdir(), 'podbench-open-'));
      const scenario = join(dir, 's.yaml');
      writeFileSync(
        scenario,
        `name: open-loop\ntarget: { endpoint: "${target.url}" }\nmode: sync\npolling: { health: 0 }\nload: { rate: ${rate}, duration: 5s, warmup: 1s }\n`,
      );
      const out = join(dir, 'run');
      const run = await runPodbench(['run', scenario, '--out', out, '--quiet']);
      if (run.code !== 0) throw new Error(`podbench run at ${rate}/s exited ${run.code}: ${run.stderr}`);
      const v = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary).variants[0]!;
      rows.push({
        rate,
        sent: v.counts.sent,
        sendLagP50Ms: v.metrics.sendLagMs.p50,
        sendLagP99Ms: v.metrics.sendLagMs.p99,
        lateOver1msShare: v.sendLag.lateOver1msShare,
        cpuSecondsPer1000:
          run.cpuSeconds !== undefined ? (run.cpuSeconds / (v.counts.sent + v.counts.warmup)) * 1000 : null,
      });
    }
  } finally {
    await target.stop();
  }
  return rows;
}

if (process.argv[1]?.endsWith('open-loop.js')) {
  const rows = await benchOpenLoop();
  console.log('rate/s   sent   send lag p50   p99      >1 ms late');
  for (const r of rows)
    console.log(
      `${String(r.rate).padEnd(8)} ${String(r.sent).padEnd(6)} ${(r.sendLagP50Ms ?? 0).toFixed(3).padStart(8)} ms ${(r.sendLagP99Ms ?? 0).toFixed(3).padStart(8)} ms  ${((r.lateOver1msShare ?? 0) * 100).toFixed(2)}%`,
    );
  console.log(`written ${writeBenchJson('open-loop', { machine: machine(), rows })}`);
}
