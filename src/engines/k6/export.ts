// `podbench k6 export`: a folder that runs with plain k6 and turns back into a podbench run.
// Builds the files (the CLI writes them): per variant a script and its bodies (and, for N
// instances, a k6-operator TestRun), a README, and run.json, the run's provenance with the
// start left open; `podbench report <folder>` fills it in from the k6 outputs.
import { thresholdsForRun } from '../../checks/thresholds.js';
import { UsageError } from '../../core/errors.js';
import { K6_OUTPUT_DIR, RUN_FILES } from '../../core/run-folder.js';
import type { RunMeta } from '../../core/summary.js';
import { resolveTarget } from '../../runpod/target.js';
import { coldStartRuleFor } from '../../scenario/cold-rule.js';
import type { LoadedScenario } from '../../scenario/load.js';
import { needsModel } from '../../scenario/payload.js';
import { createPromptSource } from '../../scenario/prompts.js';
import { describeLoad } from '../../schedule/describe.js';
import { bodiesFileText, bodyCount, k6Requests } from './bodies.js';
import { testRunManifest } from './distributed.js';
import { exportReadme, type ReadmeVariant } from './export-readme.js';
import { planK6 } from './plan.js';
import { renderK6Script } from './script.js';
import { runMetaHead } from '../run-meta.js';
import { k6Thresholds } from './thresholds.js';

export interface ExportOptions {
  /** Machines (k6 instances) to split the load over; 1 = plain k6 on one machine. */
  instances: number;
  /** Model name for OpenAI bodies, when the scenario does not name one. */
  model?: string;
}

export interface ExportFile {
  /** Relative to the export folder. */
  path: string;
  text: string;
}

/** A file-name stem per variant: its name in safe characters, unique. */
export function variantStems(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'variant';
    let stem = base;
    for (let n = 2; used.has(stem); n++) stem = `${base}-${n}`;
    used.add(stem);
    return stem;
  });
}

/** Why a scenario whose next step depends on the last one's results cannot be a k6 script; undefined when it can. */
export function adaptiveExportProblem(loaded: LoadedScenario): string | undefined {
  const scenario = loaded.variants[0]?.scenario;
  if (!scenario) return undefined;
  if (scenario.load.profile === 'sweep')
    return `${loaded.file}: load.profile sweep picks each step's rate from what the steps before it measured, which a k6 script cannot do; run it with podbench run (--engine k6 runs each step on k6), or export fixed rates as a matrix (e.g. load: { rate: [2, 4, 8] })`;
  if (scenario.sweep)
    return `${loaded.file}: sweep: picks each step from what the steps before it measured, which a k6 script cannot do; run it with podbench run (--engine k6 runs each step on k6), or export fixed levels as a matrix of ${scenario.sweep.field}`;
  return undefined;
}

export async function k6ExportFiles(loaded: LoadedScenario, options: ExportOptions): Promise<ExportFile[]> {
  const adaptive = adaptiveExportProblem(loaded);
  if (adaptive) throw new UsageError(adaptive);
  const problems = loaded.variants.flatMap((v) => {
    const planned = planK6(v);
    return planned.ok ? [] : planned.problems.map((p) => `${loaded.file} (variant ${v.name}): ${p}`);
  });
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  // Checked now, recorded in run.json: `podbench report` evaluates them over the merged records.
  const thresholds = thresholdsForRun(
    loaded.file,
    loaded.variants.map((v) => ({ name: v.name, thresholds: v.scenario.thresholds })),
    [],
  );
  const stems = variantStems(loaded.variants.map((v) => v.name));
  const files: ExportFile[] = [];
  const readmeVariants: ReadmeVariant[] = [];
  let prompts = '';
  let apiKeyEnv = 'RUNPOD_API_KEY';
  for (const [i, variant] of loaded.variants.entries()) {
    const stem = stems[i] as string;
    const { scenario } = variant;
    const planned = planK6(variant);
    if (!planned.ok) continue; // checked above
    const target = resolveTarget(scenario, loaded.file);
    if (target.api === 'openai' || target.api === 'runpod-local') {
      throw new UsageError(
        `${loaded.file} (variant ${variant.name}): the k6 export drives Runpod's queue API only; run a ${target.api} target with podbench run (the native engine)`,
      );
    }
    const model = needsModel(scenario) ? (options.model ?? scenario.input.model) : undefined;
    if (needsModel(scenario) && model === undefined) {
      throw new UsageError(
        `${loaded.file} (variant ${variant.name}): OpenAI bodies name a model: set input.model in the scenario or pass --model`,
      );
    }
    apiKeyEnv = scenario.target?.apiKeyEnv ?? apiKeyEnv;
    const source = await createPromptSource(scenario, loaded.file);
    prompts = source.describe;
    const requests = k6Requests(variant, source, model, bodyCount(planned.plan));
    const endpointUrl = target.kind === 'endpoint' ? target.endpointUrl : '';
    const k6 = k6Thresholds(scenario.thresholds, variant.name);
    files.push({
      path: `${stem}.ts`,
      text: renderK6Script({
        scenarioName: loaded.name,
        variant,
        plan: planned.plan,
        submitPath: requests.submitPath,
        stem,
        endpointUrl,
        apiKeyEnv,
        thresholds: k6,
        forExport: true,
      }),
    });
    files.push({ path: `${stem}.bodies.json`, text: bodiesFileText(requests.bodies) });
    if (options.instances > 1) {
      const name = `podbench-${loaded.name}-${stem}`
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .slice(0, 50)
        .replace(/-+$/, '');
      files.push({
        path: `testrun-${stem}.yaml`,
        text: testRunManifest({
          name,
          stem,
          instances: options.instances,
          apiKeyEnv,
          secretName: 'runpod-api-key',
          endpointUrl,
        }),
      });
    }
    readmeVariants.push({ name: variant.name, stem, endpointUrl, unmapped: k6.unmapped.map((u) => u.text) });
  }

  const first = resolveTarget(loaded.variants[0]!.scenario, loaded.file);
  const meta: RunMeta = {
    ...runMetaHead(loaded, first, `${loaded.name}-k6`, 'k6'),
    // Filled in by `podbench report` from the earliest k6 sample: the run starts when k6 does.
    startedAt: '',
    startedEpochMs: 0,
    prompts,
    variants: loaded.variants.map((v) => ({
      name: v.name,
      params: v.params,
      mode: v.scenario.mode,
      coldStartRule: coldStartRuleFor(v.scenario, false),
      load: describeLoad(v.plan),
    })),
    ...(thresholds.length > 0 ? { thresholds } : {}),
    // `podbench report` warns when outputs of fewer instances come back: a missing segment's requests are missing.
    ...(options.instances > 1 ? { k6Instances: options.instances } : {}),
  };
  files.push({ path: RUN_FILES.meta, text: `${JSON.stringify(meta, null, 2)}\n` });
  files.push({
    path: 'README.md',
    text: exportReadme({
      scenarioName: loaded.name,
      scenarioFile: loaded.file,
      apiKeyEnv,
      instances: options.instances,
      variants: readmeVariants,
    }),
  });
  files.push({ path: `${K6_OUTPUT_DIR}/.gitkeep`, text: '' });
  return files;
}
