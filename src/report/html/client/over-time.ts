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
        lines: rows.flatMap((values, v) =>
          // A variant that did not run in this view has no line (and no legend entry).
          values.some((value) => value !== null)
            ? [
                {
                  label: data.variants[v] as string,
                  values: extend(values),
                  colour: kit.colour(v),
                  dash: kit.dash(v),
                  variant: v,
                },
              ]
            : [],
        ),
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
      variant: v,
    })),
    ...t.e2eP50Ms.map((values, v) => ({
      label: `${data.variants[v]} E2E`,
      values: extend(values),
      colour: kit.colour(v),
      dash: [3, 3],
      width: 1.25,
      spanGaps: true,
      variant: v,
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

  // Worker states, stacked so that none hides another: the top of the stack is every worker
  // that is up or on its way. Idle is Runpod's word for scaled down (not running, not
  // billed): a line of its own, outside the stack. Jobs go on their own chart (another scale).
  const STACK: Array<{ name: string; label: string; colour: string; fill: string }> = [
    { name: 'workers.running', label: 'running', colour: '#2f8a43', fill: '#bfe5c7' },
    { name: 'workers.ready', label: 'ready (warm, no job)', colour: '#3a9e8c', fill: '#cdeee7' },
    { name: 'workers.initializing', label: 'initializing (cold start)', colour: '#c88f06', fill: '#fbe3a6' },
    { name: 'workers.throttled', label: 'throttled', colour: '#d4588a', fill: '#ffd3e3' },
    { name: 'workers.unhealthy', label: 'unhealthy', colour: '#b01f20', fill: '#f4b5b5' },
  ];
  const JOBS: Record<string, { label: string; colour: string; dash?: number[] }> = {
    'jobs.inQueue': { label: 'jobs in queue', colour: '#4269d0' },
    'jobs.inProgress': { label: 'jobs in progress', colour: '#a463f2', dash: [6, 3] },
  };
  const health = data.health;
  if (!health) {
    const why = 'No /health samples in this run (polling.health was 0, or health.ndjson is missing).';
    kit.empty('chart-health', why);
    return kit.empty('chart-jobs', why);
  }
  const byName = new Map(health.series.map((s) => [s.name, s.values]));
  const stacked = STACK.filter((s) => byName.has(s.name));
  const idle = byName.get('workers.idle');
  if (stacked.length === 0 && !idle) kit.empty('chart-health', `All ${health.samples} /health samples failed.`);
  else {
    // Cumulative from the bottom (running); a window without a sample stays empty.
    const cumulative: Array<Array<number | null>> = [];
    stacked.forEach((s, k) => {
      const own = byName.get(s.name) as Array<number | null>;
      cumulative.push(
        own.map((value, i) => {
          if (value === null) return null;
          const below = k > 0 ? (cumulative[k - 1] as Array<number | null>)[i] : 0;
          return (below ?? 0) + value;
        }),
      );
    });
    const max = (values: Array<number | null>) => Math.max(0, ...values.filter((v): v is number => v !== null));
    const lines = [
      // Top of the stack first: each fill reaches down to 0, and the lower ones paint over it.
      ...stacked
        .map((s, k) => ({
          label: s.label,
          values: extend(cumulative[k] as Array<number | null>),
          legendValues: extend(byName.get(s.name) as Array<number | null>),
          colour: s.colour,
          fill: s.fill,
          spanGaps: true,
          summary: `max ${kit.fmt(max(byName.get(s.name) as Array<number | null>))}`,
        }))
        .reverse(),
      ...(idle
        ? [
            {
              label: 'idle (scaled down)',
              values: extend(idle),
              colour: '#7d828c',
              dash: [4, 4],
              width: 1.5,
              spanGaps: true,
              summary: `max ${kit.fmt(max(idle))}`,
            },
          ]
        : []),
    ];
    kit.chart(
      'chart-health',
      { xLabel, yLabel: 'workers (max per window)', x, stepped: true, yFromZero: true, lines },
      health.samples - health.failedSamples,
    );
  }
  const jobs = Object.keys(JOBS).filter((name) => byName.has(name));
  if (jobs.length === 0) return kit.empty('chart-jobs', 'No job was queued or in progress at any /health sample.');
  kit.chart(
    'chart-jobs',
    {
      xLabel,
      yLabel: 'jobs (max per window)',
      x,
      stepped: true,
      yFromZero: true,
      lines: jobs.map((name) => ({
        label: JOBS[name]?.label ?? name,
        values: extend(byName.get(name) as Array<number | null>),
        colour: JOBS[name]?.colour ?? '#555',
        dash: JOBS[name]?.dash,
        spanGaps: true,
      })),
    },
    health.samples - health.failedSamples,
  );
}
