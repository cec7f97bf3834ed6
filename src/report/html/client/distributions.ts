// Browser code (see kit.ts for the rules): latency distributions, streaming shape, and
// each metric against the one numeric parameter the variants differ in.
import type { ReportData } from '../types.js';
import type { El } from './dom.js';
import type { Kit } from './kit.js';

export function drawDistributions(kit: Kit, data: ReportData): void {
  kit.cdfChart(
    'chart-ttft',
    data.distributions.ttftMs.map(kit.quantileCurve),
    'time to first token (ms)',
    'requests ≤ x (%)',
    'No request measured a first token: only streaming modes (stream, openai-stream) see one.',
  );
  kit.cdfChart(
    'chart-e2e',
    data.distributions.e2eMs.map(kit.quantileCurve),
    'end-to-end latency (ms)',
    'requests ≤ x (%)',
    'No request succeeded, so there is no latency to show.',
  );
  const warm = data.warmDistributions;
  if (!warm) return;
  kit.cdfChart(
    'chart-ttft-warm',
    warm.ttftMs.map(kit.quantileCurve),
    'time to first token, warm requests (ms)',
    'warm requests ≤ x (%)',
    'No warm request measured a first token.',
  );
  kit.cdfChart(
    'chart-e2e-warm',
    warm.e2eMs.map(kit.quantileCurve),
    'end-to-end latency, warm requests (ms)',
    'warm requests ≤ x (%)',
    'No warm request succeeded.',
  );
}

export function drawStreaming(kit: Kit, data: ReportData): void {
  const noStream = 'No streamed chunks: only streaming modes deliver tokens in chunks.';
  kit.cdfChart(
    'chart-chunk-tokens',
    data.streaming.chunkTokens.map(kit.discreteCurve),
    'tokens per chunk',
    'chunks ≤ x (%)',
    noStream,
    true,
  );
  kit.cdfChart(
    'chart-chunk-gaps',
    data.streaming.chunkGapMs.map(kit.quantileCurve),
    'gap between chunks (ms)',
    'gaps ≤ x (%)',
    'No request had two chunks or more.',
  );
  kit.cdfChart(
    'chart-polls',
    data.streaming.polls.map(kit.discreteCurve),
    'polls per request (/status, /stream)',
    'requests ≤ x (%)',
    'No request was sent.',
    true,
  );
}

export function drawNumericAxis(kit: Kit, data: ReportData): void {
  const axis = data.numericAxis;
  if (!axis) return;
  // Light to dark: the tail is the darkest line.
  const SHADES: Record<string, string> = { p50: '#6baed6', p90: '#3182bd', p95: '#08519c', p99: '#08306b' };
  const TITLES: Record<string, string> = {
    ttftMs: 'TTFT (ms)',
    e2eMs: 'E2E latency (ms)',
    tpotMs: 'time per output token (ms)',
  };
  for (const metric of ['ttftMs', 'e2eMs', 'tpotMs']) {
    const lines = axis.lines.filter((l) => l.metric === metric);
    if (lines.length === 0) continue;
    // The SLOs on this metric, as dashed red lines across the whole range.
    const slo = (data.context?.slo ?? []).filter((s) => s.metric === metric);
    const span = (values: Array<number | null>) => {
      const finite = values.filter((v): v is number => v !== null);
      return finite.length === 0 ? 'no data' : `${kit.fmt(finite[0])} → ${kit.fmt(finite[finite.length - 1])}`;
    };
    kit.chart(
      `chart-axis-${metric}`,
      {
        xLabel: axis.param,
        yLabel: TITLES[metric] as string,
        x: axis.values,
        yFromZero: true,
        lines: [
          ...lines.map((l) => ({
            label: l.percentile,
            values: l.values,
            colour: SHADES[l.percentile] as string,
            width: 2,
            markers: true,
            summary: span(l.values),
          })),
          ...slo.map((s) => ({
            label: 'SLO',
            values: axis.values.map(() => s.limitMs),
            colour: '#d62728',
            dash: [6, 4],
            width: 1.5,
            summary: s.text,
          })),
        ],
      },
      lines.reduce((n, l) => n + l.values.filter((v) => v !== null).length, 0),
    );
  }
  kit.chart(
    'chart-axis-throughput',
    {
      xLabel: axis.param,
      yLabel: 'requests/s',
      rightLabel: 'output tokens/s',
      x: axis.values,
      yFromZero: true,
      lines: [
        {
          label: 'requests/s',
          values: axis.requestsPerSec,
          colour: '#3182bd',
          // Wide: tokens/s is often proportional and would hide it; it shows around the dashed line.
          width: 5,
          markers: true,
          summary: `max ${kit.fmt(Math.max(...axis.requestsPerSec.map((v) => v ?? 0)))}`,
        },
        {
          label: 'output tokens/s',
          values: axis.outputTokensPerSec,
          colour: '#3ca951',
          width: 2,
          dash: [6, 3],
          right: true,
          markers: true,
          summary: `max ${kit.fmt(Math.max(...axis.outputTokensPerSec.map((v) => v ?? 0)))}`,
        },
      ],
    },
    axis.requestsPerSec.filter((v) => v !== null).length,
  );
}

/** Stream tuning: each setting's TTFT p95 against its /stream calls per request, and the target. */
export function drawTuning(kit: Kit, data: ReportData): void {
  const points = data.context?.tuning;
  if (!points) return;
  const shown = points.filter((p) => p.ttftP95Ms !== null);
  if (shown.length === 0) return kit.empty('chart-tuning', 'No setting measured a first token.');
  const xs = [...new Set(shown.map((p) => p.streamCallsPerRequest))].sort((a, b) => a - b);
  const target = data.context?.ttftTargetMs ?? null;
  kit.chart(
    'chart-tuning',
    {
      xLabel: '/stream calls per request',
      yLabel: 'TTFT p95 (ms)',
      x: xs,
      yFromZero: true,
      lines: [
        ...shown.map((p) => ({
          label: data.variants[p.variant] as string,
          values: xs.map((x) => (x === p.streamCallsPerRequest ? p.ttftP95Ms : null)),
          colour: kit.colour(p.variant),
          pointsOnly: 11,
          pointStroke: '#222',
          variant: p.variant,
          summary: `p95 ${kit.fmt(p.ttftP95Ms)} ms (p50 ${kit.fmt(p.ttftP50Ms)}), ${kit.fmt(p.streamCallsPerRequest)} calls`,
        })),
        ...(target !== null
          ? [
              {
                label: 'TTFT target',
                values: xs.map(() => target),
                colour: '#d62728',
                dash: [6, 4],
                width: 1.5,
                summary: `p95 ≤ ${kit.fmt(target)} ms`,
              },
            ]
          : []),
      ],
    },
    shown.length,
  );
}

/** The variant picker: one chip per variant; a click shows or hides its lines on every chart. */
export function drawPicker(kit: Kit, data: ReportData): void {
  const box = kit.doc.getElementById('variant-picker');
  if (!box || data.variants.length < 2) return;
  const label = kit.doc.createElement('span');
  label.className = 'picker-label';
  label.textContent = 'Variants in the charts (click to hide or show):';
  box.appendChild(label);
  const chips: El[] = [];
  const set = (chip: El, v: number, on: boolean) => {
    chip.setAttribute('aria-pressed', String(on));
    chip.className = on ? 'chip on' : 'chip';
    kit.showVariant(v, on);
  };
  data.variants.forEach((name, v) => {
    const chip = kit.doc.createElement('button');
    chip.className = 'chip on';
    chip.setAttribute('aria-pressed', 'true');
    chip.setAttribute('style', `--c:${kit.colour(v)}`);
    chip.textContent = name;
    chip.addEventListener('click', () => set(chip, v, chip.getAttribute('aria-pressed') !== 'true'));
    chips.push(chip);
    box.appendChild(chip);
  });
  for (const [text, on] of [
    ['all', true],
    ['none', false],
  ] as const) {
    const button = kit.doc.createElement('button');
    button.className = 'chip all';
    button.textContent = text;
    button.addEventListener('click', () => {
      for (const [v, chip] of chips.entries()) set(chip, v, on);
    });
    box.appendChild(button);
  }
}
