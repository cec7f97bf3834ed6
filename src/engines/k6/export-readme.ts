// The README of a `podbench k6 export` folder: how to run the scripts with plain k6, on one
// machine or on N (execution segments, k6-operator), and how podbench turns the outputs
// into one run. Pure.
import { K6_VERSION } from './binary.js';
import { segments } from './distributed.js';

export interface ReadmeVariant {
  name: string;
  stem: string;
  /** Endpoint baked into the script; empty: PODBENCH_ENDPOINT_URL must be set. */
  endpointUrl: string;
  /** Thresholds only podbench evaluates. */
  unmapped: string[];
}

export interface ReadmeInput {
  scenarioName: string;
  scenarioFile: string;
  apiKeyEnv: string;
  instances: number;
  variants: ReadmeVariant[];
}

const ENV = 'K6_NO_USAGE_REPORT=true K6_AUTO_EXTENSION_RESOLUTION=false';
const FLAGS = '--no-usage-report';

export function exportReadme(input: ReadmeInput): string {
  const { instances, apiKeyEnv } = input;
  const needsEndpoint = input.variants.some((v) => !v.endpointUrl);
  const lines: string[] = [];
  lines.push(`# k6 scripts for podbench scenario \`${input.scenarioName}\``);
  lines.push('');
  lines.push(
    `Exported by \`podbench k6 export ${input.scenarioFile}${instances > 1 ? ` --instances ${instances}` : ''}\`. One script per variant, each with its`,
  );
  lines.push('request bodies beside it (iteration n sends body n: the same requests `podbench run` sends).');
  lines.push(
    `They need k6 ${K6_VERSION} or later (k6 runs TypeScript as it is): \`go install go.k6.io/k6/v2@${K6_VERSION}\`,`,
  );
  lines.push(
    'a release binary from https://github.com/grafana/k6/releases, `brew install k6`, or the k6 apt/rpm repositories.',
  );
  lines.push('');
  lines.push('| variant | script | bodies |');
  lines.push('| --- | --- | --- |');
  for (const v of input.variants) lines.push(`| ${v.name} | \`${v.stem}.ts\` | \`${v.stem}.bodies.json\` |`);
  lines.push('');
  lines.push('## Environment');
  lines.push('');
  lines.push(`- \`${apiKeyEnv}\`: the API key. It is read from the environment only; it is not in any file here.`);
  if (needsEndpoint) {
    lines.push(
      '- `PODBENCH_ENDPOINT_URL`: the endpoint, e.g. `https://api.runpod.ai/v2/<endpoint-id>` (the scenario names none; for',
    );
    lines.push('  the emulator, start `podbench emulate` and use the URL it prints).');
  } else {
    lines.push("- `PODBENCH_ENDPOINT_URL` (optional): another endpoint than the scenario's.");
  }
  lines.push(`- \`${ENV}\`: k6 sends no usage report and downloads no extension.`);
  lines.push('');
  lines.push('## One machine');
  lines.push('');
  lines.push('Run from this folder, one variant after another; k6 writes its raw output under `k6/`:');
  lines.push('');
  lines.push('```sh');
  lines.push(`export ${apiKeyEnv}=...`);
  for (const v of input.variants) lines.push(`${ENV} k6 run ${FLAGS} --out json=k6/${v.stem}.json ${v.stem}.ts`);
  lines.push('```');
  if (instances > 1) {
    lines.push('');
    lines.push(`## ${instances} machines: execution segments`);
    lines.push('');
    lines.push('Copy this folder to every machine and start the instances at the same time (a few seconds apart is');
    lines.push('fine: each runs its share of the schedule from its own start). Together they send exactly what one');
    lines.push('machine would, each request once. Machines should keep their clocks in sync (NTP): podbench merges');
    lines.push('records by their wall-clock times.');
    lines.push('');
    lines.push('```sh');
    for (const s of segments(instances)) {
      for (const v of input.variants) {
        lines.push(`# machine ${s.index + 1}`);
        lines.push(
          `${ENV} k6 run ${FLAGS} --execution-segment ${s.segment} --execution-segment-sequence ${s.sequence} --out json=k6/${v.stem}-${s.index + 1}.json ${v.stem}.ts`,
        );
      }
    }
    lines.push('```');
    lines.push('');
    lines.push('## k6-operator (Kubernetes)');
    lines.push('');
    lines.push(
      `\`testrun-<variant>.yaml\` is a TestRun with \`parallelism: ${instances}\`: the operator starts ${instances} runner pods, gives each its`,
    );
    lines.push('execution segment and starts them together. The comments at the top of each manifest list the');
    lines.push('`kubectl` commands: a ConfigMap for the script and its bodies, a Secret for the key, and how to');
    lines.push("collect each runner's JSON output into `k6/`.");
  }
  lines.push('');
  lines.push('## Reports');
  lines.push('');
  lines.push('Put every raw output under `k6/` (any file names), then:');
  lines.push('');
  lines.push('```sh');
  lines.push('podbench report .');
  lines.push('```');
  lines.push('');
  lines.push('It merges the outputs into one run (`results.ndjson`: every request once, from the raw per-request');
  lines.push('events, so percentiles come from all requests, not from per-instance summaries) and writes the usual');
  lines.push('reports here. To merge again after adding outputs, delete `results.ndjson` first. podbench is not on');
  lines.push('npm: outside its checkout, run `node <checkout>/bin/podbench.js report .`, or `npm link` in the');
  lines.push('checkout once to put `podbench` on PATH.');
  const unmapped = input.variants.flatMap((v) => v.unmapped.map((t) => `- ${v.name}: \`${t}\``));
  if (unmapped.length > 0) {
    lines.push('');
    lines.push('## Thresholds');
    lines.push('');
    lines.push("The scripts carry the scenario's thresholds that k6 can evaluate itself. These need the whole run");
    lines.push('and are checked only by podbench:');
    lines.push('');
    lines.push(...unmapped);
  }
  lines.push('');
  return lines.join('\n');
}
