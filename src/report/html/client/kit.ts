// Shared chart helpers of the page script: variant colours, number formats, a line chart
// and a CDF chart on uPlot, and redraw on resize.
//
// Every function in client/ runs in the browser, not in Node: page-script.ts inlines its
// source (Function.prototype.toString) into report.html. So a function here may use only
// its parameters and what it declares inside itself — no imports at run time (types are
// fine: they vanish), no module-level constants. The page's browser test fails on any
// ReferenceError this rule is broken by.
import type uPlot from 'uplot';
import type { Cdf, DiscreteCdf, ReportData } from '../types.js';
import type { Doc, El, Win } from './dom.js';

export interface LineSpec {
  label: string;
  values: Array<number | null>;
  colour: string;
  dash?: number[] | undefined;
  width?: number;
  /** Draw the points only (a scatter plot), this big (CSS px). */
  pointsOnly?: number;
  /** Outline of those points (default: the line colour). */
  pointStroke?: string;
  /** Mark each point on the line (few points, e.g. one per variant). */
  markers?: boolean;
  /** Connect across nulls (CDFs joined on one x axis). */
  spanGaps?: boolean;
  /** Use the right-hand axis. */
  right?: boolean;
  /** The variant the line belongs to (the variant picker shows and hides it). */
  variant?: number | undefined;
  /** What the legend says when the cursor is not on the chart (a static page shows values too). */
  summary?: string;
  /** Fill below the line (stacked areas). */
  fill?: string;
  /** Draw the points of this line as markers of this size even when it has many (single values). */
  markerSize?: number;
  /** What the legend shows under the cursor, when not `values` (a stacked line shows its own count). */
  legendValues?: Array<number | null>;
}

export interface ChartSpec {
  xLabel: string;
  yLabel: string;
  /** Label of the right-hand axis, when a line uses it. */
  rightLabel?: string;
  x: number[];
  lines: LineSpec[];
  xLog?: boolean;
  yLog?: boolean;
  /** Windowed aggregates: hold each value across its window. */
  stepped?: boolean;
  yRange?: [number, number];
  /** Counts and rates: the y axis starts at 0, so a small wobble does not look like a cliff. */
  yFromZero?: boolean;
  height?: number;
  /** Extra uPlot options (hooks, scales), merged over the defaults. */
  extra?: Partial<uPlot.Options>;
}

/** `palette` is colours.ts's VARIANT_PALETTE, so table swatches and lines match. */
export function makeKit(U: typeof uPlot, doc: Doc, win: Win, data: ReportData, palette: readonly string[]) {
  const AXIS = {
    stroke: '#555',
    font: '12px system-ui, sans-serif',
    labelFont: '600 12px system-ui, sans-serif',
    grid: { stroke: '#eee', width: 1 },
    ticks: { stroke: '#ddd', width: 1 },
  };
  const charts: Array<{ plot: uPlot; target: El; height: number; variants: Array<number | undefined> }> = [];
  /** Variants the picker hid; charts drawn later start with them hidden too. */
  const hidden = new Set<number>();

  const colour = (variant: number): string => palette[variant % palette.length] as string;
  /** Past the palette, colours repeat dashed, so two variants never look the same. */
  const dash = (variant: number): number[] | undefined => (variant >= palette.length ? [6, 3] : undefined);

  const fmt = (value: number | null | undefined): string => {
    if (value === null || value === undefined || !Number.isFinite(value)) return '–';
    const abs = Math.abs(value);
    if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
    if (abs >= 10) return value.toFixed(1);
    return abs === 0 ? '0' : value.toPrecision(3);
  };

  const el = (id: string): El => {
    const found = doc.getElementById(id);
    if (!found) throw new Error(`report page: no element #${id}`);
    return found;
  };

  /** Says why a chart has nothing to draw, in place of the chart. */
  const empty = (id: string, message: string): void => {
    const target = el(id);
    target.className += ' empty';
    target.textContent = message;
    target.setAttribute('data-empty', '1');
  };

  /** A uPlot line chart in #id; `points` is what the page reports as drawn (data-points). */
  /** "mean 12.3 · max 40": a line's values in a few words, for the legend of a static page. */
  const describe = (values: ReadonlyArray<number | null>): string => {
    const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
    if (finite.length === 0) return 'no data';
    if (finite.length === 1) return fmt(finite[0]);
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    return `mean ${fmt(mean)} · max ${fmt(Math.max(...finite))}`;
  };

  const chart = (id: string, spec: ChartSpec, points: number): uPlot => {
    const target = el(id);
    const height = spec.height ?? 240;
    const xs = spec.x.filter((v) => Number.isFinite(v));
    const xRange = xs.length > 0 ? `${fmt(Math.min(...xs))} – ${fmt(Math.max(...xs))}` : '';
    const series: uPlot.Series[] = [
      { label: spec.xLabel, value: (_u, v, _s, idx) => (idx === null || idx === undefined ? xRange : fmt(v)) },
    ];
    for (const spec0 of spec.lines) {
      // A line of one or two values draws next to nothing (a step to nowhere): mark its points.
      const finite = spec0.values.filter((v) => v !== null && Number.isFinite(v)).length;
      const line =
        finite > 0 &&
        finite <= 2 &&
        spec0.markerSize === undefined &&
        spec0.pointsOnly === undefined &&
        (spec0.width ?? 1) > 0
          ? { ...spec0, markerSize: 7 }
          : spec0;
      const summary = line.summary ?? describe(line.values);
      series.push({
        label: line.label,
        stroke: line.colour,
        width: line.width ?? 1.75,
        ...(line.dash ? { dash: line.dash } : {}),
        ...(line.fill ? { fill: line.fill } : {}),
        spanGaps: line.spanGaps ?? false,
        scale: line.right ? 'right' : 'y',
        show: line.variant === undefined || !hidden.has(line.variant),
        // Off the chart (a static page, a screenshot) the legend states the line's values, never a blank.
        value: (_u, v, _s, idx) =>
          idx === null || idx === undefined ? summary : fmt(line.legendValues ? line.legendValues[idx] : v),
        ...(line.pointsOnly !== undefined
          ? {
              paths: () => null,
              points: {
                show: true,
                size: line.pointsOnly,
                fill: line.colour,
                stroke: line.pointStroke ?? line.colour,
                width: line.pointStroke ? 1.5 : 1,
              },
            }
          : spec.stepped && U.paths.stepped
            ? {
                paths: U.paths.stepped({ align: 1 }),
                points:
                  line.markerSize !== undefined
                    ? { show: true, size: line.markerSize, fill: line.colour }
                    : { show: false },
              }
            : {
                points:
                  line.markers || line.markerSize !== undefined
                    ? { show: true, size: line.markerSize ?? 6, fill: line.colour }
                    : { show: false },
              }),
      });
    }
    // Counts on the x axis (concurrency, calls) get whole-number ticks.
    const wholeX = spec.x.length > 0 && spec.x.every((v) => Number.isInteger(v)) && !spec.xLog;
    const axes: uPlot.Axis[] = [
      {
        ...AXIS,
        label: spec.xLabel,
        ...(wholeX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] } : {}),
      },
      { ...AXIS, label: spec.yLabel, size: 60 },
    ];
    if (spec.rightLabel)
      axes.push({ ...AXIS, label: spec.rightLabel, scale: 'right', side: 1, size: 60, grid: { show: false } });
    // From zero, with a little room below it, so a line at 0 is not drawn on the chart's edge.
    const fromZero: uPlot.Range.Function = (_u, _min, max) => {
      const top = max > 0 ? max * 1.05 : 1;
      return [-top * 0.03, top];
    };
    const yScale: uPlot.Scale = { distr: spec.yLog ? 3 : 1 };
    if (spec.yRange) yScale.range = spec.yRange;
    else if (spec.yFromZero && !spec.yLog) yScale.range = fromZero;
    const opts: uPlot.Options = {
      width: Math.max(300, target.clientWidth),
      height,
      scales: {
        x: { time: false, distr: spec.xLog ? 3 : 1 },
        y: yScale,
        right: spec.yFromZero ? { range: fromZero } : {},
      },
      axes,
      series,
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      ...spec.extra,
    };
    const plot = new U(opts, [spec.x, ...spec.lines.map((l) => l.values)], target as never);
    target.setAttribute('data-points', String(points));
    charts.push({ plot, target, height, variants: [undefined, ...spec.lines.map((l) => l.variant)] });
    return plot;
  };

  /** Shows or hides one variant's lines on every chart (the variant picker). */
  const showVariant = (variant: number, show: boolean): void => {
    if (show) hidden.delete(variant);
    else hidden.add(variant);
    for (const c of charts)
      c.variants.forEach((v, i) => {
        if (v === variant) c.plot.setSeries(i, { show });
      });
  };

  /** A log axis when the values span more than two decades (a cold start next to warm requests). */
  const wantsLog = (values: ReadonlyArray<number | null>): boolean => {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      if (v === null) continue;
      if (v <= 0) return false;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return Number.isFinite(min) && max / min > 100;
  };

  /** A CDF as points (x, share ≤ x in %); `sampled` marks the legend; `summary` is its legend text at rest. */
  type Curve = { xs: number[]; ys: number[]; points: number; sampled: boolean; summary: string; single: boolean };

  /** From quantiles at the grid: equal quantiles (ties) keep the highest share, the CDF's value at that x. */
  const quantileCurve = (cdf: Cdf): Curve | null => {
    if (cdf.count === 0) return null;
    const xs: number[] = [];
    const ys: number[] = [];
    cdf.valuesAtGrid.forEach((x, k) => {
      const y = Math.round((data.cdfGrid[k] as number) * 1000) / 10;
      if (xs.length > 0 && xs[xs.length - 1] === x) ys[ys.length - 1] = y;
      else {
        xs.push(x);
        ys.push(y);
      }
    });
    const at = (p: number) => cdf.valuesAtGrid[data.cdfGrid.findIndex((g) => g >= p)] ?? null;
    const single = xs.length === 1;
    return {
      xs,
      ys,
      points: cdf.valuesAtGrid.length,
      sampled: cdf.sampled < cdf.count,
      summary: single ? `all ${fmt(xs[0])}` : `p50 ${fmt(at(0.5))} · p95 ${fmt(at(0.95))}`,
      single,
    };
  };

  /**
   * A count's exact CDF as steps: a point half a unit before the first value at 0% makes the
   * first step visible, and one half a unit after the last holds 100%, so a distribution of a
   * single value (every chunk 16 tokens) is still drawn, as one step.
   */
  const discreteCurve = (cdf: DiscreteCdf): Curve | null => {
    if (cdf.count === 0) return null;
    const values = cdf.values;
    const shares = cdf.shareAtOrBelow.map((s) => Math.round(s * 1e5) / 1e3);
    const first = values[0] as number;
    const last = values[values.length - 1] as number;
    const at = (p: number) => values[cdf.shareAtOrBelow.findIndex((s) => s >= p)] ?? null;
    const single = values.length === 1;
    return {
      xs: [first - 0.5, ...values, last + 0.5],
      ys: [0, ...shares, 100],
      points: values.length,
      sampled: false,
      summary: single ? `all ${fmt(first)}` : `p50 ${fmt(at(0.5))} · p95 ${fmt(at(0.95))}`,
      single,
    };
  };

  /** One CDF line per variant on one x axis; `discrete` draws steps (counts such as tokens per chunk). */
  const cdfChart = (
    id: string,
    curves: Array<Curve | null>,
    xLabel: string,
    yLabel: string,
    emptyMessage: string,
    discrete = false,
  ): void => {
    const shown = curves
      .map((curve, variant) => ({ curve, variant }))
      .filter((s): s is { curve: Curve; variant: number } => s.curve !== null);
    if (shown.length === 0) return empty(id, emptyMessage);
    const joined = U.join(shown.map(({ curve }) => [curve.xs, curve.ys] as uPlot.AlignedData));
    const log = !discrete && wantsLog(joined[0] as number[]);
    const lines = shown.map(({ curve, variant }, k) => ({
      label: `${data.variants[variant]}${curve.sampled ? ' (sampled)' : ''}`,
      values: joined[k + 1] as Array<number | null>,
      colour: colour(variant),
      dash: dash(variant),
      spanGaps: true,
      variant,
      summary: curve.summary,
      // A single value is one point: a marker shows it (a discrete one is also a step).
      ...(curve.single && !discrete ? { markerSize: 9 } : {}),
    }));
    const points = shown.reduce((n, s) => n + s.curve.points, 0);
    chart(
      id,
      {
        xLabel: log ? `${xLabel}, log scale` : xLabel,
        yLabel,
        x: joined[0] as number[],
        lines,
        xLog: log,
        yRange: [0, 100],
        stepped: discrete,
      },
      points,
    );
  };

  let resizeTimer = 0;
  win.addEventListener('resize', () => {
    win.clearTimeout(resizeTimer);
    resizeTimer = win.setTimeout(() => {
      for (const c of charts) c.plot.setSize({ width: Math.max(300, c.target.clientWidth), height: c.height });
    }, 150);
  });

  return {
    U,
    doc,
    data,
    colour,
    dash,
    fmt,
    el,
    empty,
    chart,
    cdfChart,
    quantileCurve,
    discreteCurve,
    wantsLog,
    describe,
    showVariant,
    charts,
  };
}

export type Kit = ReturnType<typeof makeKit>;
