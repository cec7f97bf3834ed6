// what-if.html: the answer in words, the trade-off curves (cost per hour against p95 TTFT,
// and against the share of requests that waited for a cold start) as inline SVG, and every
// candidate in a table. A static page: no script, nothing fetched. Pure.
import type { ReplayRow } from '../core/calibration.js';
import type { Finding } from '../core/findings.js';
import type { WhatIfCandidate, WhatIfPrice } from '../core/what-if.js';
import { candidateSettingsText, costText, findingText } from './finding-text.js';
import { replayRowText } from './calibration-text.js';
import { escapeHtml as e } from './html/escape.js';

export interface WhatIfPage {
  finding: Finding;
  candidates: readonly WhatIfCandidate[];
  recommended: WhatIfCandidate | null;
  safer: WhatIfCandidate | null;
  traffic: string;
  slo: readonly string[];
  price: WhatIfPrice;
  calibratedFrom: string | null;
  replay: readonly ReplayRow[] | null;
  seeds: number;
}

const W = 560;
const H = 300;
const PAD = { left: 64, right: 16, top: 16, bottom: 44 };

type Verdict = 'met' | 'within' | 'missed';

function verdictOf(c: WhatIfCandidate): Verdict {
  return c.meetsWithMargin ? 'met' : c.meets ? 'within' : 'missed';
}

const COLOUR: Record<Verdict, string> = { met: '#2e7d32', within: '#ef6c00', missed: '#9e9e9e' };
const LABEL: Record<Verdict, string> = {
  met: 'meets the SLOs with the model error to spare',
  within: 'meets them only within the model error',
  missed: 'misses them',
};

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** A scatter of candidates: x cost per hour, y the figure; the Pareto front drawn through them. */
function scatter(
  title: string,
  candidates: readonly WhatIfCandidate[],
  y: (c: WhatIfCandidate) => number | null,
  yLabel: (v: number) => string,
  price: WhatIfPrice,
  recommended: WhatIfCandidate | null,
  limit: number | null,
): string {
  const points = candidates.flatMap((c) => {
    const v = y(c);
    return v === null ? [] : [{ c, x: c.costPerHour, y: v }];
  });
  if (points.length === 0) return '';
  const xMax = niceMax(Math.max(...points.map((p) => p.x)) * 1.05);
  const yMax = niceMax(Math.max(...points.map((p) => p.y), limit ?? 0) * 1.05);
  const sx = (x: number) => PAD.left + (x / xMax) * (W - PAD.left - PAD.right);
  const sy = (v: number) => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const gy = (yMax * i) / 4;
    const gx = (xMax * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(gy)}" y2="${sy(gy)}" stroke="#eee"/>`,
      `<text x="${PAD.left - 6}" y="${sy(gy) + 4}" text-anchor="end" font-size="11">${e(yLabel(gy))}</text>`,
      `<text x="${sx(gx)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11">${e(costText(gx, price))}</text>`,
    );
  }
  parts.push(
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">cost per hour${price.given ? '' : ' (worker-hours)'}</text>`,
  );
  if (limit !== null)
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(limit)}" y2="${sy(limit)}" stroke="#c62828" stroke-dasharray="6 4"/>`,
      `<text x="${W - PAD.right}" y="${sy(limit) - 4}" text-anchor="end" font-size="11" fill="#c62828">SLO</text>`,
    );
  // Pareto front: no cheaper candidate does better on this figure.
  const front = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  let best = Number.POSITIVE_INFINITY;
  const onFront: typeof front = [];
  for (const p of front) {
    if (p.y >= best) continue;
    best = p.y;
    onFront.push(p);
  }
  if (onFront.length > 1)
    parts.push(
      `<polyline fill="none" stroke="#1565c0" stroke-width="1.5" points="${onFront.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')}"/>`,
    );
  for (const p of points) {
    const v = verdictOf(p.c);
    parts.push(
      `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="${COLOUR[v]}"><title>${e(`${candidateSettingsText(p.c.settings)}: ${costText(p.x, price)}/h, ${yLabel(p.y)} (${LABEL[v]})`)}</title></circle>`,
    );
    if (p.c === recommended)
      parts.push(`<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="8" fill="none" stroke="#000" stroke-width="1.5"/>`);
  }
  return `<figure><figcaption>${e(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${e(title)}">${parts.join('')}</svg></figure>`;
}

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

function sloLimit(slo: readonly WhatIfCandidate['slo'][number][] | undefined, metric: string): number | null {
  const check = slo?.find((s) => s.metric === metric && (s.op === '<' || s.op === '<='));
  return check ? check.limit : null;
}

function row(c: WhatIfCandidate, page: WhatIfPage): string {
  const v = verdictOf(c);
  const mark = c === page.recommended ? ' (answer)' : c === page.safer ? ' (safer)' : '';
  const cells = [
    `${candidateSettingsText(c.settings)}${mark}`,
    costText(c.costPerHour, page.price),
    c.costPerMillionTokens === null ? '–' : costText(c.costPerMillionTokens, page.price),
    c.workersBilled.toFixed(2),
    c.ttftP95Ms === null ? '–' : ms(c.ttftP95Ms),
    c.e2eP95Ms === null ? '–' : ms(c.e2eP95Ms),
    pct(c.coldStartShare),
    LABEL[v],
  ];
  return `<tr style="color:${v === 'missed' ? '#666' : '#000'}">${cells.map((x) => `<td>${e(x)}</td>`).join('')}</tr>`;
}

export function renderWhatIfHtml(page: WhatIfPage): string {
  const sorted = [...page.candidates].sort((a, b) => a.costPerHour - b.costPerHour);
  const anyTtft = sorted.some((c) => c.ttftP95Ms !== null);
  const first = sorted[0]?.slo;
  const latency = anyTtft
    ? scatter(
        'Cost against p95 TTFT',
        sorted,
        (c) => c.ttftP95Ms,
        ms,
        page.price,
        page.recommended,
        sloLimit(first, 'ttftMs.p95'),
      )
    : scatter(
        'Cost against p95 end to end',
        sorted,
        (c) => c.e2eP95Ms,
        ms,
        page.price,
        page.recommended,
        sloLimit(first, 'e2eMs.p95'),
      );
  const cold = scatter(
    'Cost against the share of requests that waited for a cold start',
    sorted,
    (c) => c.coldStartShare,
    pct,
    page.price,
    page.recommended,
    sloLimit(first, 'coldStarts.share'),
  );
  const replay = page.replay
    ? `<h2>How well the model replays the run it was calibrated from</h2><pre>${e(page.replay.map(replayRowText).join('\n'))}</pre>`
    : "<h2>Model error</h2><p>Unknown: these settings were not calibrated (no replay check), so no answer is more than the model's guess.</p>";
  const head = [
    'settings',
    'cost/h',
    'per M output tokens',
    'workers billed',
    'TTFT p95',
    'E2E p95',
    'cold starts',
    'SLOs',
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>podbench what-if</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}figure{display:inline-block;margin:8px 16px 8px 0}figcaption{font-weight:600}.model{background:#fff8e1;border:1px solid #ffcc80;padding:8px 12px}</style>
</head><body>
<h1>What-if: endpoint settings for this traffic</h1>
<p class="model"><strong>A model, not a measurement.</strong> Every figure here comes from the emulator${page.calibratedFrom ? ` calibrated from ${e(page.calibratedFrom)}` : ' (not calibrated)'}, run on a simulated clock (${page.seeds} seed${page.seeds === 1 ? '' : 's'} per setting). An SLO met only within the model's error is flagged, and the answer names the one real run that would confirm it.</p>
<p>Traffic: ${e(page.traffic)}. SLOs: ${e(page.slo.join('; '))}.</p>
<h2>Answer</h2><p>${e(findingText(page.finding))}</p>
<h2>Trade-offs</h2>
<p><span style="color:${COLOUR.met}">●</span> ${LABEL.met} &nbsp; <span style="color:${COLOUR.within}">●</span> ${LABEL.within} &nbsp; <span style="color:${COLOUR.missed}">●</span> ${LABEL.missed} &nbsp; ◯ the answer &nbsp; <span style="color:#1565c0">—</span> nothing cheaper does better</p>
${latency}${cold}
<h2>Every setting tried</h2>
<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>
${sorted.map((c) => row(c, page)).join('\n')}
</tbody></table>
${replay}
</body></html>
`;
}
