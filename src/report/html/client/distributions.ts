// Browser code (see kit.ts for the rules): latency distributions, streaming shape, and
// each metric against the one numeric parameter the variants differ in.
import type { ReportData } from '../types.js';
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
    kit.chart(
      `chart-axis-${metric}`,
      {
        xLabel: axis.param,
        yLabel: TITLES[metric] as string,
        x: axis.values,
        yFromZero: true,
        lines: lines.map((l) => ({
          label: l.percentile,
          values: l.values,
          colour: SHADES[l.percentile] as string,
          width: 2,
          markers: true,
        })),
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
        { label: 'requests/s', values: axis.requestsPerSec, colour: '#3182bd', width: 2, markers: true },
        {
          label: 'output tokens/s',
          values: axis.outputTokensPerSec,
          colour: '#3ca951',
          width: 2,
          dash: [6, 3],
          right: true,
          markers: true,
        },
      ],
    },
    axis.requestsPerSec.filter((v) => v !== null).length,
  );
}
