// The page header: what was run, against what, when, where and by which podbench; the
// values the flags set, the effective scenario and the scenario file folded away below.
// Pure; every run-supplied string escaped.
import { stringify as toYaml } from 'yaml';
import type { WorkerFormat } from '../../core/record.js';
import type { RunMeta, RunSummary } from '../../core/summary.js';
import { formatDurationMs } from '../../util/duration.js';
import { escapeHtml as e } from './escape.js';
import { fmtCount } from './format.js';

/** e.g. "legacy (118 requests)", per variant when they differ. */
export function workerFormatsSeen(summary: RunSummary): string {
  const total: Partial<Record<WorkerFormat, number>> = {};
  for (const v of summary.variants) {
    for (const [format, count] of Object.entries(v.workerFormats) as Array<[WorkerFormat, number]>)
      total[format] = (total[format] ?? 0) + count;
  }
  const entries = Object.entries(total) as Array<[WorkerFormat, number]>;
  if (entries.length === 0) return 'none seen (no successful request reported one)';
  return entries.map(([format, count]) => `${format} (${fmtCount(count)} request${count === 1 ? '' : 's'})`).join(', ');
}

function targetText(target: RunMeta['target']): string {
  if (target.kind === 'emulator') {
    if (target.api === 'openai') return `the emulator's model server (/v1) on ${e(target.host)}`;
    return `emulator on ${e(target.host)}${target.workerFormat ? `, emulating the ${e(target.workerFormat)} worker format` : ''}`;
  }
  // What answered there (docs/targets.md); runs recorded before it was kept are Runpod endpoints.
  if (target.api === 'runpod-local') return `Runpod's local test server on ${e(target.host)}`;
  if (target.api === 'openai') return `an OpenAI-compatible server on ${e(target.host)}`;
  return `Runpod endpoint <code>${e(target.endpointId)}</code> on ${e(target.host)}`;
}

function startedText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return e(iso);
  return `${e(
    date
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC'),
  )}`;
}

function machineText(provenance: NonNullable<RunMeta['provenance']>): string {
  const { os, cpu, node } = provenance;
  return e(`${os}, ${cpu.model} × ${cpu.cores}, Node ${node}`);
}

/** The values flags and --set gave, and the scenario each variant ran (the file after them). */
/** `--set path=null` unsets a field: run.json keeps null (files before it kept nothing). */
function overrideValueText(value: unknown): string {
  return value === null || value === undefined ? 'null (unset)' : JSON.stringify(value);
}

function effectiveBlock(meta: RunMeta): string {
  const overrides = meta.provenance?.overrides ?? [];
  const table =
    overrides.length > 0
      ? `<table class="overrides"><thead><tr><th>flag</th><th>field</th><th>value</th></tr></thead><tbody>
${overrides.map((o) => `<tr><td><code>${e(o.origin)}</code></td><td><code>${e(o.path)}</code></td><td>${e(overrideValueText(o.value))}</td></tr>`).join('\n')}
</tbody></table>`
      : '';
  const effective = meta.variants.filter((v) => v.effective);
  if (effective.length === 0 && !table) return '';
  const first = effective[0]?.effective;
  const allAlike = effective.every((v) => JSON.stringify(v.effective) === JSON.stringify(first));
  const yaml = allAlike ? toYaml(first ?? {}) : toYaml(Object.fromEntries(effective.map((v) => [v.name, v.effective])));
  return `<details class="scenario" open>
<summary>Effective scenario: the file after its matrix, every flag and <code>--set</code>, with defaults${overrides.length > 0 ? ` (${overrides.length} value${overrides.length === 1 ? '' : 's'} set by flags)` : ''}</summary>
${table}${effective.length > 0 ? `<pre>${e(yaml)}</pre>` : ''}
</details>`;
}

export function pageHeader(meta: RunMeta, summary: RunSummary): string {
  const modes = [...new Set(meta.variants.map((v) => v.mode))];
  const rows: Array<[string, string]> = [
    ['target', targetText(meta.target)],
    ['mode', modes.map((m) => `<code>${e(m)}</code>`).join(', ') || '–'],
    ['engine', e(meta.engine)],
    ['worker format seen', e(workerFormatsSeen(summary))],
    ['started', startedText(meta.startedAt)],
    [
      'duration',
      `${meta.durationMs === undefined ? 'unknown (the run did not finish writing run.json)' : e(formatDurationMs(meta.durationMs))}${meta.interrupted ? ' <span class="badge warn">interrupted</span>' : ''}`,
    ],
    ['variants', `${fmtCount(meta.variants.length)}`],
    ['prompts', meta.prompts ? e(meta.prompts) : '–'],
    ['seed', e(String(meta.seed))],
    ['run id', `<code>${e(meta.runId)}</code>`],
    ['podbench', e(meta.podbenchVersion)],
    ...(meta.provenance
      ? ([
          ...(meta.provenance.commandLine ? [['command', `<code>${e(meta.provenance.commandLine)}</code>`]] : []),
          ['machine', machineText(meta.provenance)],
        ] as Array<[string, string]>)
      : []),
  ];
  return `<header>
<h1>${e(meta.scenario.name)} <span class="sub">podbench report</span></h1>
${meta.scenario.description ? `<p class="lead">${e(meta.scenario.description)}</p>` : ''}
<dl class="meta">
${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n')}
</dl>
${effectiveBlock(meta)}
<details class="scenario">
<summary>Scenario file <code>${e(meta.scenario.file)}</code> (sha256 <code>${e(meta.scenario.sha256.slice(0, 12))}</code>…)</summary>
<pre>${e(meta.scenario.text)}</pre>
</details>
</header>`;
}
