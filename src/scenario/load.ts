// Reading a scenario: file → YAML/JSON → overrides (--set and flags) → matrix expansion →
// validation of every variant → load plans. Everything that can be wrong with the input is
// found here, before any request is sent, and reported as one UsageError naming the file,
// the field path and what was expected.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { INPUT_LIMITS } from '../core/input-limits.js';
import { parseDocument } from 'yaml';
import { UsageError, messageOf } from '../core/errors.js';
import { deletePath, getPath, isPlainObject, setPath } from '../util/field-path.js';
import { applyOverrides, originOf, type Override } from '../util/override.js';
import { formatIssues } from '../util/schema.js';
import { unitHint } from '../util/duration.js';
import { unitlessDurations } from '../util/schema-walk.js';
import { unknownSamplingParams } from './sampling-names.js';
import { VARIANT_DIMENSION, applyCell, choicesOf, expandMatrix, type MatrixChoice } from './matrix.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { planLoad, type LoadPlan } from '../schedule/load-plan.js';
import { loadTrace } from './workload/trace.js';
import { tokenizerOf } from './tokenizer.js';
import { fsReason } from '../util/fs-error.js';

export interface Variant {
  name: string;
  /** The matrix values this variant uses (field path → value); {} without a matrix. */
  params: Record<string, unknown>;
  scenario: Scenario;
  plan: LoadPlan;
}

export interface LoadedScenario {
  file: string;
  /** The file's text, kept for provenance (run.json, the HTML report). */
  text: string;
  sha256: string;
  name: string;
  description: string;
  variants: Variant[];
  /** Things the user should know, e.g. a matrix key a flag replaced. */
  notes: string[];
  /** Likely mistakes that do not stop the run (a sampling parameter vLLM does not know). */
  warnings: string[];
}

export function loadScenarioFile(file: string, overrides: Override[] = []): LoadedScenario {
  let text: string;
  try {
    // Checked before reading: a scenario is a page of YAML, kept whole in run.json.
    const size = statSync(file).size;
    if (size > INPUT_LIMITS.scenarioFileBytes)
      throw new UsageError(`${file}: ${size} bytes; a scenario file is at most 1 MB (prompts belong in input.file)`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such scenario file` : `${file}: cannot read: ${fsReason(err) ?? messageOf(err)}`,
    );
  }
  return parseScenario(text, file, overrides);
}

export function parseScenario(text: string, file: string, overrides: Override[] = []): LoadedScenario {
  const raw = parseText(text, file);
  const notes: string[] = [];
  // Overrides of the matrix itself shape the variants; all others apply to each variant,
  // after its matrix values, so a flag always wins (--set load.probes=3 on a matrix of whole
  // `load` blocks shortens every one of them).
  const isMatrixPath = (path: string) => path === 'matrix' || path.startsWith('matrix.');
  const matrixOverrides = overrides.filter((o) => isMatrixPath(o.path));
  const fieldOverrides = overrides.filter((o) => !isMatrixPath(o.path));
  const doc = applyOverrides(raw, matrixOverrides);
  const matrix = doc.matrix;
  if (matrix !== undefined && !isPlainObject(matrix)) {
    throw new UsageError(`${file}: matrix: expected a map of field path to a list of values`);
  }
  const matrixEntries: Record<string, MatrixChoice[]> = {};
  for (const [path, values] of Object.entries(matrix ?? {})) {
    const valid = Array.isArray(values) ? values.length > 0 : isPlainObject(values) && Object.keys(values).length > 0;
    if (!valid) {
      throw new UsageError(`${file}: matrix.${path}: expected a non-empty list of values (or a map of label to value)`);
    }
    if (path === 'matrix' || path.startsWith('matrix.') || path === 'name') {
      throw new UsageError(`${file}: matrix.${path}: this field cannot vary`);
    }
    if (path === VARIANT_DIMENSION) {
      const choices = variantChoices(values, file);
      // Flags apply to every variant, after its own fields: say where that erases a difference.
      for (const o of fieldOverrides) {
        if (choices.some((c) => Object.keys(c.fields ?? {}).some((f) => f === o.path || f.startsWith(`${o.path}.`))))
          notes.push(`${o.origin} applies to every variant of matrix.variant, over the ${o.path} each sets`);
      }
      matrixEntries[path] = choices;
      continue;
    }
    const choices = choicesOf(values as unknown[] | Record<string, unknown>);
    // A flag that sets (or clears) the varied field, or a field holding it, replaces the dimension.
    const covers = (setPathText: string) => setPathText === path || path.startsWith(`${setPathText}.`);
    const replacedBy = fieldOverrides.find((o) => covers(o.path) || (o.clears ?? []).some(covers));
    if (replacedBy) {
      notes.push(
        `${replacedBy.origin} ${replacedBy.unset ? 'removes' : 'replaces'} matrix.${path} (${choices.length} values)`,
      );
      continue;
    }
    // A flag inside a varied block (--set polling.wait=10s, matrix polling) applies to every
    // value of it: the variants keep their names, so say that they no longer differ there.
    const inside = fieldOverrides.find((o) => o.path.startsWith(`${path}.`) && !o.unset);
    if (inside) {
      const renamed = relabelOverridden(choices, inside.path.slice(path.length + 1), inside.value);
      if (renamed.changed.length > 0) {
        // A label naming the value the flag replaced ("every 400ms") would now be false.
        notes.push(
          `${inside.origin} sets ${inside.path} = ${JSON.stringify(inside.value)} in every value of matrix.${path}: ${renamed.changed.map((l) => `"${l}"`).join(', ')} ${renamed.changed.length === 1 ? 'runs' : 'run'} as "${renamed.label}"`,
        );
        matrixEntries[path] = renamed.choices;
        continue;
      }
      notes.push(
        `${inside.origin} applies to every value of matrix.${path}: its variants keep their names, but all use ${inside.path} = ${JSON.stringify(inside.value)}`,
      );
    }
    matrixEntries[path] = choices;
  }
  // Counted before any variant is built: each is a whole scenario and a run of its own.
  const combinations = Object.values(matrixEntries).reduce((n, choices) => n * choices.length, 1);
  if (combinations > INPUT_LIMITS.variants) {
    throw new UsageError(
      `${file}: matrix: ${combinations} combinations; a scenario runs at most ${INPUT_LIMITS.variants} variants (split it into several scenarios)`,
    );
  }
  const base = deletePath(doc, 'matrix');
  if (isPlainObject(doc.sweep) && Object.keys(matrixEntries).length > 0) {
    throw new UsageError(`${file}: sweep: a sweep cannot be combined with a matrix; run them as separate scenarios`);
  }
  const cells = expandMatrix(matrixEntries);
  const variants = cells.map((cell) => {
    const where = cells.length > 1 ? `${file} (variant ${cell.name})` : file;
    // The sweep's first level goes in after the flags, so a flag that switches the swept field applies.
    const input = withSweepStart(applyOverrides(applyCell(base, cell), fieldOverrides));
    const unitless = unitlessDurations(scenarioSchema, input);
    if (unitless.length > 0) {
      throw new UsageError(
        unitless
          .map((path) => {
            const origin = originOf(path.split('.'), fieldOverrides);
            // A --set names its path already: "--set load.duration: 30 has no unit".
            return origin !== undefined
              ? `${origin}: ${unitHint(getPath(input, path))}`
              : `${where}: ${path}: ${unitHint(getPath(input, path))}`;
          })
          .join('\n'),
      );
    }
    const result = scenarioSchema.safeParse(input);
    if (!result.success)
      throw new UsageError(
        formatIssues(where, result.error, (path) => originOf(path, fieldOverrides), { schema: scenarioSchema, input }),
      );
    const scenario = result.data;
    checkCombination(scenario, where);
    // Read now (once per path), so a bad file stops the run before anything is sent.
    // Problems of a field a flag set name the flag (--tokenizer, --duration), not the file.
    const whereOf = (path: string, inFile = where) => {
      const origin = originOf(path.split('.'), fieldOverrides);
      return origin !== undefined ? `${origin}: ${path}` : `${inFile}: ${path}`;
    };
    // One tokenizer file for every variant: named by the file alone.
    if (scenario.input.tokenizer !== undefined) tokenizerOf(scenario, file, whereOf('input.tokenizer', file));
    // A replay's arrivals are the trace's: read here, so the plan (and its preview) has them.
    const trace = scenario.load.replay && scenario.input.trace ? loadTrace(scenario.input.trace, file) : undefined;
    const planned = planLoad(
      scenario.load,
      trace?.map((entry) => entry.offsetMs),
    );
    if (!planned.ok)
      throw new UsageError(
        planned.problems
          .map((p) => {
            const field = /^([\w.]+): /.exec(p)?.[1];
            return field !== undefined ? `${whereOf(field)}${p.slice(field.length)}` : `${where}: ${p}`;
          })
          .join('\n'),
      );
    return { name: cell.name, params: cell.params, scenario, plan: planned.plan };
  });
  const first = variants[0] as Variant;
  // A profile sweep's steps come from what its first two measure: one list of variants, not a matrix's.
  if (variants.length > 1 && variants.some((v) => v.scenario.load.profile === 'sweep'))
    throw new UsageError(
      `${file}: load.profile: a sweep cannot be combined with a matrix; run them as separate scenarios`,
    );
  // An endpoint given (by a flag, usually) leaves the scenario's emulator settings unused: say so once.
  const emulatorSet = raw.emulator !== undefined || Object.keys(matrixEntries).some((p) => p.startsWith('emulator'));
  const target = first.scenario.target;
  if (emulatorSet && (target?.endpoint || target?.endpointId)) {
    const flag = fieldOverrides.find((o) => o.path === 'target.endpoint' || o.path === 'target.endpointId');
    notes.push(
      `the scenario's emulator: block is ignored: requests go to ${target.endpoint ?? `endpoint ${target.endpointId}`}${flag ? ` (${flag.origin})` : ''}`,
    );
  }
  // A TTFT target picks among stream batching settings: with none to pick from it would
  // otherwise pass without a word (as --ttft-target on quick did).
  const tuned = Object.keys(matrixEntries).some(
    (p) => p === 'stream' || p === 'polling' || p.startsWith('stream.') || p.startsWith('polling.'),
  );
  if (first.scenario.tuning?.ttftTarget !== undefined && !tuned)
    notes.push(
      'tuning.ttftTarget picks among stream batching or polling settings, and no variant here differs in stream.* or polling.*: there is nothing to pick from (see scenarios/stream-batch-tuning.yaml)',
    );
  const warnings = [...new Set(variants.flatMap((v) => unknownSamplingParams(v.scenario)))];
  return {
    file,
    text,
    sha256: createHash('sha256').update(text).digest('hex'),
    name: first.scenario.name,
    description: first.scenario.description,
    variants,
    notes,
    warnings,
  };
}

/** matrix.variant: a map of variant name to the fields it sets (field path -> value). */
function variantChoices(values: unknown, file: string): MatrixChoice[] {
  if (!isPlainObject(values)) {
    throw new UsageError(
      `${file}: matrix.variant: expected a map of variant name to the fields it sets, e.g. {runsync: {mode: sync}}`,
    );
  }
  return Object.entries(values).map(([label, fields]) => {
    if (!isPlainObject(fields) || Object.keys(fields).length === 0) {
      throw new UsageError(
        `${file}: matrix.variant.${label}: expected a map of field path to value, e.g. {mode: sync, target.kind: openai}`,
      );
    }
    for (const path of Object.keys(fields)) {
      if (path === 'matrix' || path.startsWith('matrix.') || path === 'name' || path === '' || path.includes('..'))
        throw new UsageError(`${file}: matrix.variant.${label}.${path}: this field cannot vary`);
    }
    return { label, value: fields, fields };
  });
}

/**
 * A sweep sets its own level: the file's load starts at the sweep's first step (unless the
 * file sets that field itself), and overrides (the runner's next step, flags) come after.
 */
function withSweepStart(doc: Record<string, unknown>): Record<string, unknown> {
  const sweep = doc.sweep;
  if (!isPlainObject(sweep)) return doc;
  const field = sweep.field;
  if ((field !== 'load.concurrency' && field !== 'load.rate') || typeof sweep.start !== 'number') return doc;
  const load = isPlainObject(doc.load) ? doc.load : {};
  if (load[field.slice('load.'.length)] !== undefined) return doc;
  return setPath(doc, field, sweep.start);
}

function parseText(text: string, file: string): Record<string, unknown> {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}: ` : '';
    throw new UsageError(
      `${file}: ${where}${problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  let value: unknown;
  try {
    // The yaml library refuses alias expansions that would blow up (maxAliasCount).
    value = document.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new UsageError(`${file}: cannot read the YAML: ${messageOf(err)}`);
  }
  if (!isPlainObject(value)) {
    throw new UsageError(
      `${file}: expected a map of scenario fields (name, mode, load...), got ${value === null ? 'an empty file' : Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  return value;
}

/** Rules that span fields, which the schema cannot say on its own. */
function checkCombination(scenario: Scenario, where: string): void {
  const { mode, input } = scenario;
  const openai = mode === 'openai' || mode === 'openai-stream';
  if (openai && input.format === 'prompt_chat_template') {
    throw new UsageError(
      `${where}: input.format: prompt_chat_template needs a native mode (sync, async, stream); the OpenAI routes take messages (chat) or prompt (completions)`,
    );
  }
  if (scenario.sampling_params.stream !== undefined) {
    throw new UsageError(
      `${where}: sampling_params.stream: streaming is chosen by mode (stream, openai-stream), not a sampling parameter`,
    );
  }
  const sweep = scenario.sweep;
  if (sweep && scenario.load.profile !== undefined)
    throw new UsageError(
      `${where}: load.profile ${scenario.load.profile} and sweep: give one of them (sweep: searches for the most load within the SLOs; the profile sets the load)`,
    );
  if (sweep) {
    // Growth steps from start to max, then the bisection: each step is a variant.
    const growth =
      sweep.max > sweep.start ? Math.ceil(Math.log(sweep.max / sweep.start) / Math.log(sweep.factor)) + 1 : 1;
    if (growth + sweep.refine > INPUT_LIMITS.variants) {
      throw new UsageError(
        `${where}: sweep: up to ${growth + sweep.refine} steps from ${sweep.start} to ${sweep.max} by ${sweep.factor}; a scenario runs at most ${INPUT_LIMITS.variants} variants (raise sweep.factor)`,
      );
    }
  }
  if (scenario.polling.runsyncWait < 1000 || scenario.polling.runsyncWait > 300_000) {
    throw new UsageError(
      `${where}: polling.runsyncWait: Runpod accepts 1000-300000 ms, got ${scenario.polling.runsyncWait}`,
    );
  }
}

/**
 * A flag sets `field` inside every value of a matrix dimension: the values that held another
 * value there get a label saying what they now run with, and values that became the same
 * run once (the first one's place).
 */
function relabelOverridden(
  choices: MatrixChoice[],
  field: string,
  value: unknown,
): { choices: MatrixChoice[]; changed: string[]; label: string } {
  const label = `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  const changed: string[] = [];
  const out: MatrixChoice[] = [];
  const seen = new Set<string>();
  for (const choice of choices) {
    const before = isPlainObject(choice.value) ? getPath(choice.value, field) : undefined;
    const differs = before !== undefined && JSON.stringify(before) !== JSON.stringify(value);
    const after = differs
      ? setPath(structuredClone(choice.value as Record<string, unknown>), field, value)
      : choice.value;
    if (differs) changed.push(choice.label);
    const key = JSON.stringify(after);
    if (seen.has(key)) continue;
    seen.add(key);
    // Values that still differ elsewhere keep names of their own.
    const taken = out.some((c) => c.label === label);
    out.push(differs ? { label: taken ? `${label} (was ${choice.label})` : label, value: after } : choice);
  }
  return { choices: out, changed, label };
}
