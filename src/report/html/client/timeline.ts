// Browser code (see kit.ts for the rules): every request as a bar on the run's clock, and
// the server-reported delay of every job, cold starts marked.
import type uPlot from 'uplot';
import type { ReportData } from '../types.js';
import type { Ctx2d } from './dom.js';
import type { Kit } from './kit.js';

export function drawTimeline(kit: Kit, data: ReportData): void {
  const bars = data.timeline.bars;
  if (bars.length === 0) return kit.empty('chart-timeline', 'No request in this run.');
  // Bits of TIMELINE_FLAGS (types.ts).
  const WARMUP = 1;
  const ERROR = 2;
  const COLD = 4;
  const rows = bars.length;
  const draw = (u: uPlot) => {
    const ctx = u.ctx as unknown as Ctx2d;
    const { left, top, width, height } = u.bbox;
    const rowPx = height / rows;
    const barPx = Math.max(1, rowPx * 0.7);
    // Below 2 px a row, first-token ticks would paint the whole bar dark: leave them out.
    const ticks = rowPx >= 2;
    const xPos = (ms: number) => u.valToPos(ms / 1000, 'x', true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    bars.forEach(([variant, scheduledMs, sentMs, firstTokenMs, endMs, flags], i) => {
      const y = top + i * rowPx + (rowPx - barPx) / 2;
      const span = (fromMs: number, toMs: number, style: string, alpha: number) => {
        ctx.globalAlpha = alpha * (flags & WARMUP ? 0.4 : 1);
        ctx.fillStyle = style;
        ctx.fillRect(xPos(fromMs), y, Math.max(1, xPos(toMs) - xPos(fromMs)), barPx);
      };
      const style = flags & ERROR ? '#d62728' : kit.colour(variant);
      if (sentMs === null) {
        span(scheduledMs, endMs, '#bbb', 0.6);
        return;
      }
      if (sentMs > scheduledMs) span(scheduledMs, sentMs, '#bbb', 1);
      if (firstTokenMs === null) span(sentMs, endMs, style, 1);
      else {
        span(sentMs, firstTokenMs, style, 0.35);
        span(firstTokenMs, endMs, style, 1);
        if (ticks) span(firstTokenMs, firstTokenMs, '#222', 1);
      }
      if (flags & COLD) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = '#111';
        ctx.fillRect(xPos(sentMs) - 2, y - 1, 4, barPx + 2);
      }
    });
    ctx.restore();
  };
  const height = Math.min(520, Math.max(220, rows * 4));
  kit.chart(
    'chart-timeline',
    {
      xLabel: 'time since run start (s)',
      yLabel: 'request (by schedule)',
      x: [0, data.overTime.spanMs / 1000],
      lines: [{ label: 'requests', values: [0, rows], colour: 'rgba(0,0,0,0)', width: 0 }],
      height,
      extra: {
        scales: { x: { time: false, range: [0, data.overTime.spanMs / 1000] }, y: { range: [0, rows], dir: -1 } },
        legend: { show: false },
        cursor: { show: false },
        hooks: { draw: [draw] },
      },
    },
    rows,
  );
}

export function drawColdStarts(kit: Kit, data: ReportData): void {
  const tables: uPlot.AlignedData[] = [];
  const lines: Array<{
    label: string;
    colour: string;
    pointsOnly: number;
    pointStroke?: string;
    values: Array<number | null>;
    variant: number;
    summary: string;
  }> = [];
  let points = 0;
  const add = (variant: number, kind: 'warm' | 'cold', list: Array<[number, number]>) => {
    if (list.length === 0) return;
    // uPlot joins series on x: equal x values within one series would merge, so nudge them apart by 1 µs.
    const xs: number[] = [];
    for (const [sentMs] of list)
      xs.push(
        xs.length > 0 && sentMs / 1000 <= (xs[xs.length - 1] as number)
          ? (xs[xs.length - 1] as number) + 1e-6
          : sentMs / 1000,
      );
    tables.push([xs, list.map((p) => p[1])]);
    const style = kind === 'cold' ? { pointsOnly: 10, pointStroke: '#111' } : { pointsOnly: 4 };
    const delays = list.map((p) => p[1]).sort((a, b) => a - b);
    const median = delays[Math.floor((delays.length - 1) / 2)] ?? null;
    lines.push({
      label: `${data.variants[variant]} ${kind}`,
      colour: kit.colour(variant),
      ...style,
      values: [],
      variant,
      summary: `${list.length} job${list.length === 1 ? '' : 's'}, median ${kit.fmt(median)} ms`,
    });
    points += list.length;
  };
  data.coldStarts.forEach((c, v) => {
    add(v, 'warm', c.warm);
    add(v, 'cold', c.cold);
  });
  if (tables.length === 0)
    return kit.empty(
      'chart-cold',
      'No job reported a delayTime with a worker id (OpenAI routes and failed submissions do not).',
    );
  const joined = kit.U.join(tables);
  for (const [k, line] of lines.entries()) line.values = joined[k + 1] as Array<number | null>;
  const log = kit.wantsLog(lines.flatMap((l) => l.values));
  kit.chart(
    'chart-cold',
    {
      xLabel: 'sent at, time since run start (s)',
      yLabel: log ? 'delayTime (ms, log scale)' : 'delayTime (ms)',
      x: joined[0] as number[],
      lines,
      yLog: log,
    },
    points,
  );
}
