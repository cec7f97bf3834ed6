// Check results as JUnit XML, which CI systems show as test results: one <testcase> per
// check (a threshold on a variant, or one metric of one variant against the baseline), a
// <failure> for a failed threshold or a regression, <skipped> for a comparison without data
// on one side. No timestamps or durations, so the same results give the same bytes.
import type { ThresholdResult } from '../core/summary.js';
import type { ComparisonRow } from './comparison.js';
import {
  changeText,
  detectableText,
  estimateText,
  intervalText,
  limitText,
  measuredText,
  type CheckReport,
} from './report.js';

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string; detail: string };
  skipped?: string;
}

function thresholdCase(scenario: string, t: ThresholdResult): Case {
  const c: Case = { classname: `podbench.${scenario}.thresholds`, name: `${t.variant ?? 'all'}: ${t.expression}` };
  if (!t.passed) {
    const message =
      t.value === null ? `no data: ${measuredText(t)}` : `measured ${measuredText(t)}, limit ${limitText(t)}`;
    c.failure = { type: 'threshold', message, detail: `${t.metric} ${limitText(t)}: ${message}` };
  }
  return c;
}

function comparisonCase(scenario: string, r: ComparisonRow): Case {
  const c: Case = { classname: `podbench.${scenario}.compare.${r.variant}`, name: r.metric };
  const numbers = `baseline ${estimateText(r.baseline, r.unit)}, current ${estimateText(r.current, r.unit)}, change ${changeText(r)}, 95% interval ${intervalText(r)}, band ${r.band}, detects ${detectableText(r)}`;
  if (r.verdict === 'worse')
    c.failure = { type: 'regression', message: `worse: ${changeText(r)}`, detail: `${numbers}\n${r.reason}` };
  if (r.verdict === 'n/a') c.skipped = r.reason;
  return c;
}

function suite(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const body = cases.map((c) => {
    const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}"`;
    if (c.failure)
      return `${open}>\n      <failure type="${c.failure.type}" message="${xml(c.failure.message)}">${xml(c.failure.detail)}</failure>\n    </testcase>`;
    if (c.skipped !== undefined) return `${open}>\n      <skipped message="${xml(c.skipped)}"/>\n    </testcase>`;
    return `${open}/>`;
  });
  return [
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...body,
    '  </testsuite>',
  ].join('\n');
}

export function renderJunit(report: CheckReport): string {
  const suites: Array<{ name: string; cases: Case[] }> = [];
  if (report.thresholds.length > 0)
    suites.push({
      name: `${report.scenario} thresholds`,
      cases: report.thresholds.map((t) => thresholdCase(report.scenario, t)),
    });
  if (report.comparison)
    suites.push({
      name: `${report.scenario} compared with the baseline`,
      cases: report.comparison.rows.map((r) => comparisonCase(report.scenario, r)),
    });
  const all = suites.flatMap((s) => s.cases);
  const failures = all.filter((c) => c.failure).length;
  const skipped = all.filter((c) => c.skipped !== undefined).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="podbench ${xml(report.scenario)}" tests="${all.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites.map((s) => suite(s.name, s.cases)),
    '</testsuites>',
    '',
  ].join('\n');
}
