// Splitting one k6 test over N machines. Pure. k6 cuts every executor's work into
// execution segments: instance i of N runs the segment i/N:(i+1)/N of the sequence
// 0,1/N,...,1, and together they send exactly the requests one instance would have (the
// same iterationInTest numbers, split, each once). k6-operator does the same split for a
// TestRun with `parallelism: N`.

export interface Segment {
  /** 0-based instance number. */
  index: number;
  /** --execution-segment, e.g. "1/3:2/3". */
  segment: string;
  /** --execution-segment-sequence, the same for every instance, e.g. "0,1/3,2/3,1". */
  sequence: string;
}

function point(i: number, n: number): string {
  if (i === 0) return '0';
  if (i === n) return '1';
  return `${i}/${n}`;
}

export function segments(instances: number): Segment[] {
  const sequence = Array.from({ length: instances + 1 }, (_, i) => point(i, instances)).join(',');
  return Array.from({ length: instances }, (_, index) => ({
    index,
    segment: `${point(index, instances)}:${point(index + 1, instances)}`,
    sequence,
  }));
}

export interface TestRunInput {
  /** Kubernetes name of the TestRun (and prefix of its ConfigMap). */
  name: string;
  stem: string;
  instances: number;
  apiKeyEnv: string;
  /** Name of the Kubernetes Secret holding the API key under the key `key`. */
  secretName: string;
  endpointUrl: string;
}

/**
 * A k6-operator TestRun. The script and its bodies come from a ConfigMap (mounted at
 * /test, so the script's ./<stem>.bodies.json resolves), the API key from a Secret, never
 * from the manifest. Each runner pod writes k6's JSON output to its stdout; `kubectl logs`
 * of the runner jobs gives the files `podbench report` merges (it skips log lines).
 */
export function testRunManifest(input: TestRunInput): string {
  const env = [
    { name: 'K6_NO_USAGE_REPORT', value: 'true' },
    { name: 'K6_AUTO_EXTENSION_RESOLUTION', value: 'false' },
    ...(input.endpointUrl ? [] : [{ name: 'PODBENCH_ENDPOINT_URL', value: 'https://api.runpod.ai/v2/<endpoint-id>' }]),
  ];
  const envYaml = env.map((e) => `      - name: ${e.name}\n        value: ${JSON.stringify(e.value)}\n`).join('');
  return `# k6-operator TestRun for ${input.stem}.ts: ${input.instances} runner pods, each an execution segment.
#   kubectl create configmap ${input.name} --from-file=${input.stem}.ts --from-file=${input.stem}.bodies.json
#   kubectl create secret generic ${input.secretName} --from-literal=key="$${input.apiKeyEnv}"
#   kubectl apply -f testrun-${input.stem}.yaml
# When it finished, one output file per runner job (podbench report skips their log lines):
#   for i in $(seq 1 ${input.instances}); do kubectl logs job/${input.name}-$i > k6/${input.stem}-$i.json; done
# ConfigMaps hold at most 1 MiB: for larger body files use a volume (spec.runner.volumes).
# --no-thresholds: a pod would judge only its own segment; podbench report judges the merged run.
apiVersion: k6.io/v1alpha1
kind: TestRun
metadata:
  name: ${input.name}
spec:
  parallelism: ${input.instances}
  script:
    configMap:
      name: ${input.name}
      file: ${input.stem}.ts
  arguments: --no-usage-report --no-thresholds --summary-mode=disabled --out json=-
  runner:
    image: grafana/k6:2.2.0
    env:
${envYaml}      - name: ${input.apiKeyEnv}
        valueFrom:
          secretKeyRef:
            name: ${input.secretName}
            key: key
`;
}
