// The part of run.json that says what ran where: the same for `podbench run` and for the
// folder `podbench k6 export` writes (which `podbench report` later fills with k6's results).
// It sits with the engines, below the runner, because the k6 export (an engine's) needs it too.
import { SCHEMA_VERSION, type RunMeta } from '../core/summary.js';
import type { Target } from '../runpod/target.js';
import type { LoadedScenario } from '../scenario/load.js';
import { PODBENCH_VERSION } from '../util/version.js';

export function runMetaHead(
  loaded: LoadedScenario,
  first: Target,
  runId: string,
  engine: string,
): Pick<RunMeta, 'schemaVersion' | 'runId' | 'podbenchVersion' | 'scenario' | 'target' | 'engine' | 'seed'> {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId,
    podbenchVersion: PODBENCH_VERSION,
    scenario: {
      name: loaded.name,
      description: loaded.description,
      file: loaded.file,
      sha256: loaded.sha256,
      text: loaded.text,
    },
    // Host and endpoint id only: never a key.
    target:
      first.kind === 'emulator'
        ? {
            kind: 'emulator',
            host: '127.0.0.1',
            endpointId: 'local',
            workerFormat: loaded.variants[0]?.scenario.emulator.worker ?? 'legacy',
            api: first.api,
          }
        : {
            kind: 'endpoint',
            host: first.host,
            endpointId: first.endpointId,
            // A URL that does not say what serves it is asked when the run starts; the runner fills it in then.
            ...(first.api !== 'detect' ? { api: first.api } : {}),
          },
    engine,
    seed: loaded.variants[0]?.scenario.seed ?? 1,
  };
}
