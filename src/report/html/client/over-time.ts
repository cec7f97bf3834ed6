// Browser code (see kit.ts for the rules): the run over time, window by window, and what
// the endpoint's /health said.
import type { ReportData } from '../types.js';
import type { Kit } from './kit.js';

export function drawOverTime(kit: Kit, data: ReportData): void {
  const t = data.overTime;
  // Each value holds across its window: the x axis gets the run's end as a last point.
  const x = [...t.startMs, t.spanMs].map((ms) => ms / 1000);
  const extend = (values: Array<number | null>) => [
    ...values,
    values.length > 0 ? (values[values.length - 1] as number | null) : null,
  ];
  const xLabel = 'time since run start (s)';
  const count = (rows: Array<Array<number | null>>) =>
    rows.reduce((n, row) => n + row.filter((v) => v !== null).length, 0);
  const perVariant = (id: string, yLabel: string, rows: Array<Array<number | null>>) => {
    if (count(rows) === 0) return kit.empty(id, 'No request was sent.');
    kit.chart(
      id,
      {
        xLabel,
        yLabel,
        x,
        stepped: true,
        yFromZero: true,
        lines: rows.map((values, v) => ({
          label: data.variants[v] as string,
          values: extend(values),
          colour: kit.colour(v),
          dash: kit.dash(v),
        })),
      },
      count(rows),
    );
  };
  perVariant('chart-inflight', 'requests in flight (mean)', t.inFlight);
  perVariant('chart-completions', 'completions/s', t.completionsPerSec);
  perVariant('chart-tokens', 'output tokens/s', t.outputTokensPerSec);
  perVariant('chart-errors', 'errors/s', t.errorsPerSec);

  const latencyLines = [
    // Windows where nobody was sent are skipped, not drawn as breaks: a p50 holds until the next one.
    ...t.ttftP50Ms.map((values, v) => ({
      label: `${data.variants[v]} TTFT`,
      values: extend(values),
      colour: kit.colour(v),
      dash: kit.dash(v),
      spanGaps: true,
    })),
    ...t.e2eP50Ms.map((values, v) => ({
      label: `${data.variants[v]} E2E`,
      values: extend(values),
      colour: kit.colour(v),
      dash: [3, 3],
      width: 1.25,
      spanGaps: true,
    })),
  ].filter((line) => line.values.some((value) => value !== null));
  if (latencyLines.length === 0) kit.empty('chart-latency-window', 'No request succeeded.');
  else {
    const points = latencyLines.reduce((n, l) => n + l.values.filter((v) => v !== null).length, 0);
    kit.chart(
      'chart-latency-window',
      { xLabel, yLabel: 'p50 latency (ms)', x, stepped: true, yFromZero: true, lines: latencyLines },
      points,
    );
  }

  const HEALTH: Record<string, { label: string; colour: string; dash?: number[] }> = {
    'workers.running': { label: 'workers running', colour: '#3ca951' },
    'workers.idle': { label: 'workers idle', colour: '#97bbf5' },
    'workers.initializing': { label: 'workers initializing', colour: '#efb118' },
    'workers.ready': { label: 'workers ready', colour: '#6cc5b0' },
    'workers.throttled': { label: 'workers throttled', colour: '#ff8ab7' },
    'workers.unhealthy': { label: 'workers unhealthy', colour: '#d62728' },
    'jobs.inQueue': { label: 'jobs in queue', colour: '#4269d0', dash: [6, 3] },
    'jobs.inProgress': { label: 'jobs in progress', colour: '#a463f2', dash: [6, 3] },
  };
  const health = data.health;
  if (!health)
    return kit.empty(
      'chart-health',
      'No /health samples in this run (polling.health was 0, or health.ndjson is missing).',
    );
  if (health.series.length === 0) return kit.empty('chart-health', `All ${health.samples} /health samples failed.`);
  kit.chart(
    'chart-health',
    {
      xLabel,
      yLabel: 'count (max per window)',
      x,
      stepped: true,
      yFromZero: true,
      lines: health.series.map((s) => ({
        label: HEALTH[s.name]?.label ?? s.name,
        values: extend(s.values),
        colour: HEALTH[s.name]?.colour ?? '#555',
        dash: HEALTH[s.name]?.dash,
        spanGaps: true,
      })),
    },
    health.samples - health.failedSamples,
  );
}
