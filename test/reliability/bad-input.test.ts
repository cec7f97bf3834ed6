// Bad input, table-driven: every malformed scenario gets one message naming the problem
// (file, field path, what was expected), a UsageError (exit 2) and no stack trace.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { hasStackTrace, runCli, tempDir, writeScenario } from '../support/cli.js';

const BASE = 'name: t\nload: { concurrency: 1, requests: 1 }\n';

const CASES: Array<[string, string, RegExp]> = [
  // wrong types
  ['a number for a map', `${BASE}sampling_params: 3\n`, /sampling_params: expected record, received number/],
  [
    'a string for a number',
    'name: t\nload: { concurrency: many, requests: 1 }\n',
    /load\.concurrency: expected number, received string/,
  ],
  ['a list for a string', `${BASE}description: [a]\n`, /description: expected string, received array/],
  [
    'a fraction for a count',
    'name: t\nload: { concurrency: 1.5, requests: 1 }\n',
    /load\.concurrency: expected a whole number$/,
  ],
  ['a bad duration', `${BASE}timeouts: { request: forever }\n`, /timeouts\.request: expected a duration/],
  ['a zero timeout', `${BASE}timeouts: { request: 0 }\n`, /timeouts\.request: expected a duration above 0/],
  ['a bad enum', `${BASE}input: { format: xml }\n`, /input\.format: expected one of "messages", "prompt"/],
  // unknown fields
  ['an unknown top-level field', `${BASE}smapling_params: {}\n`, /\(top level\): unknown field "smapling_params"/],
  ['an unknown nested field', `${BASE}polling: { intervall: 1s }\n`, /polling: unknown field "intervall"/],
  [
    'an unknown emulator field',
    `${BASE}emulator: { workers: { maximum: 3 } }\n`,
    /emulator\.workers: unknown field "maximum"/,
  ],
  // impossible values
  [
    'zero concurrency',
    'name: t\nload: { concurrency: 0, requests: 1 }\n',
    /load\.concurrency: expected a number above 0/,
  ],
  ['a negative rate', 'name: t\nload: { rate: -1, duration: 1s }\n', /load\.rate: expected a number above 0/],
  [
    'min above max workers',
    `${BASE}emulator: { workers: { min: 5, max: 2 } }\n`,
    /emulator\.workers\.min: 5 is above workers\.max \(2\)/,
  ],
  [
    'a probability above 1',
    `${BASE}emulator: { faults: { http429: 2 } }\n`,
    /emulator\.faults\.http429: expected a number at most 1/,
  ],
  [
    'a runsync wait out of range',
    `${BASE}polling: { runsyncWait: 500ms }\n`,
    /polling\.runsyncWait: Runpod accepts 1000-300000 ms/,
  ],
  ['a load that never stops', 'name: t\nload: { concurrency: 2 }\n', /set requests, duration or stages/],
  [
    'both concurrency and rate',
    'name: t\nload: { concurrency: 2, rate: 3, requests: 1 }\n',
    /give concurrency \(closed loop\) or rate \(open loop\), not both/,
  ],
  [
    'an uppercase api key variable with a dash',
    `${BASE}target: { endpointId: x, apiKeyEnv: MY-KEY }\n`,
    /target\.apiKeyEnv: expected an environment variable name/,
  ],
  [
    'both endpoint and endpointId',
    `${BASE}target: { endpoint: "https://a/v2/b", endpointId: c }\n`,
    /give endpoint or endpointId, not both/,
  ],
  ['a bad name', 'name: "my test"\nload: { concurrency: 1, requests: 1 }\n', /name: expected letters, digits/],
  ['a missing name', 'load: { concurrency: 1, requests: 1 }\n', /name: required \(expected string\)/],
  // matrix
  [
    'an empty matrix list',
    `${BASE}matrix: { load.concurrency: [] }\n`,
    /matrix\.load\.concurrency: expected a non-empty list of values \(or a map of label to value\)/,
  ],
  ['a matrix that is a list', `${BASE}matrix: [1, 2]\n`, /matrix: expected a map of field path to a list of values/],
  [
    'a matrix value that breaks a variant',
    `${BASE}matrix: { mode: [sync, teleport] }\n`,
    /\(variant mode=teleport\): mode: expected one of/,
  ],
  // YAML
  ['a YAML syntax error', 'name: t\nload: { concurrency: 1\n', /line \d+, column \d+: /],
  ['duplicate keys', 'name: t\nname: u\n', /line 2, column 1: Map keys must be unique/],
  ['an empty file', '', /expected a map of scenario fields \(name, mode, load\.\.\.\), got an empty file/],
  ['a scalar document', 'just text\n', /expected a map of scenario fields \(name, mode, load\.\.\.\), got string/],
];

describe('malformed scenarios', () => {
  it.each(CASES)('%s', (_label, text, expected) => {
    let caught: unknown;
    try {
      parseScenario(text, 'scenarios/bad.yaml');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const message = (caught as Error).message;
    expect(message).toMatch(/^scenarios\/bad\.yaml/);
    expect(message).toMatch(expected);
    expect(hasStackTrace(message)).toBe(false);
  });

  it('a missing file and a prompt file with a bad line', () => {
    expect(() => loadScenarioFile('/nonexistent/s.yaml')).toThrow('/nonexistent/s.yaml: no such scenario file');
    // A folder given for the file: said in words, not as the system call's EISDIR text.
    const folder = tempDir();
    expect(() => loadScenarioFile(folder)).toThrow(`${folder}: cannot read: it is a folder, not a file (EISDIR)`);
  });
});

describe('through the CLI: exit 2 and one message', () => {
  it.each([
    [
      'a bad scenario',
      (file: string) => ['run', file],
      'name: t\nload: { concurrency: x }\n',
      /load\.concurrency: expected number/,
    ],
    ['a JSON scenario with a syntax error', (file: string) => ['run', file], '{"name": "t",', /line \d+, column \d+/],
    ['a bad endpoint URL', (file: string) => ['run', file, '--endpoint', 'api.runpod.ai/v2/x'], BASE, /is not a URL/],
    [
      'an endpoint URL without an id',
      (file: string) => ['run', file, '--endpoint', 'https://api.runpod.ai/'],
      BASE,
      /must end in the endpoint id/,
    ],
    [
      'a flag whose value the load plan refuses names the flag, not the file',
      (file: string) => ['run', file, '--duration', '0s'],
      BASE,
      /^podbench: --duration: load\.duration: must be longer than 0$/m,
    ],
    [
      'a word for a number flag',
      (file: string) => ['run', file, '--seed', 'abc'],
      BASE,
      /--seed: seed: expected a number$/m,
    ],
    [
      "the README's placeholder as an endpoint id",
      (file: string) => ['run', file, '--endpoint-id', '<id>'],
      BASE,
      /--endpoint-id: target\.endpointId: expected an endpoint id/,
    ],
    [
      'an unknown engine',
      (file: string) => ['run', file, '--engine', 'jmeter'],
      BASE,
      /--engine: "jmeter" is not one of native, autocannon, k6/,
    ],
    [
      'a mistyped flag',
      (file: string) => ['run', file, '--concurency', '4'],
      BASE,
      /Unknown argument: concurency \(did you mean "--concurrency"\?\)/,
    ],
    ['a mistyped mode', (file: string) => ['run', file, '--mode', 'strem'], BASE, /\(did you mean "stream"\?\)/],
    [
      'a mistyped bundled scenario',
      () => ['run', 'quik'],
      BASE,
      /no bundled scenario of that name \(did you mean "quick"\?\)/,
    ],
    [
      'a duration without a unit',
      (file: string) => ['run', file, '--duration', '30'],
      BASE,
      /--duration: 30 has no unit: write 30s for seconds or 30ms for milliseconds/,
    ],
    [
      'a --warmup that is neither',
      (file: string) => ['run', file, '--warmup', 'lots'],
      BASE,
      /--warmup: expected a duration/,
    ],
  ] as const)('%s', async (_label, args, text, expected) => {
    const file = writeScenario(text, text.startsWith('{') ? 's.json' : 's.yaml');
    const result = await runCli([...args(file)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

describe('an empty --out', () => {
  // path.resolve('') is the current folder: a run once wrote itself over the files there.
  it.each([
    ['run', (file: string) => ['run', file, '--out', '']],
    ['k6 export', (file: string) => ['k6', 'export', file, '--out', ' ']],
  ] as const)('%s: refused, nothing written where podbench runs', async (_label, args) => {
    const file = writeScenario(BASE);
    const cwd = tempDir();
    const result = await runCli([...args(file)], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out is empty/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('bad workload files through the CLI: exit 2, one line, nothing sent', () => {
  const ONE = 'load: { concurrency: 1, requests: 1 }';
  it.each([
    [
      'a CSV without the mapped column',
      'q.csv',
      'text\nhello\n',
      `input: { file: q.csv }\n${ONE}`,
      /q\.csv: row 2: has neither "prompt" nor "messages"/,
    ],
    [
      'a Parquet file that is not one',
      'p.parquet',
      'PAR1 nope',
      `input: { file: p.parquet }\n${ONE}`,
      /p\.parquet: not a Parquet file podbench can read/,
    ],
    [
      'a ShareGPT file with an unknown role',
      's.json',
      '[{"conversations":[{"from":"bot","value":"x"}]}]',
      `input: { file: s.json }\n${ONE}`,
      /s\.json: item 1: conversations\[0\]: role "bot"/,
    ],
    [
      'a trace with a bad timestamp',
      't.csv',
      'TIMESTAMP,ContextTokens,GeneratedTokens\nnow,1,1\n',
      'input: { trace: { file: t.csv } }\nload: { replay: true }',
      /t\.csv: row 2: TIMESTAMP: expected a date-time/,
    ],
  ])('%s', async (_label, name, content, body, expected) => {
    const scenario = writeScenario(`name: w\n${body}\n`);
    writeFileSync(join(dirname(scenario), name), content);
    const result = await runCli(['run', scenario, '--out', join(dirname(scenario), 'out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

describe('bad output paths and scenario arguments: refused before anything is sent', () => {
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, 'x');
  it.each([
    [
      '--save-baseline in a missing folder',
      ['--save-baseline', '/nonexistent-podbench/b.json'],
      /the folder \/nonexistent-podbench does not exist/,
    ],
    ['--junit under a file', ['--junit', join(file, 'x.xml')], /--junit .*: .*a-file is a file, not a folder/],
    ['--json naming a folder', ['--json', tmpdir()], /--json .*: is a folder; name a file in it/],
    ['--markdown two levels under a file', ['--markdown', join(file, 'a', 'x.md')], /a part of .* is a file/],
  ])('%s', async (_label, flags, expected) => {
    const cwd = tempDir();
    const result = await runCli(['run', 'quick', '--quiet', ...flags], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(cwd, 'reports'))).toBe(false);
  });

  it('a file in the --out folder is fine: the run makes that folder', async () => {
    const out = join(tempDir(), 'run');
    const result = await runCli([
      'run',
      'quick',
      '--quiet',
      '--requests',
      '1',
      '--out',
      out,
      '--junit',
      join(out, 'c.xml'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(out, 'c.xml'))).toBe(true);
  });

  it('a scenario after the first that does not load', async () => {
    const cwd = tempDir();
    const bad = writeScenario('name: t\nload: { concurrency: x }\n');
    for (const [second, expected] of [
      ['nope.yaml', /nope\.yaml: no such scenario file/],
      [bad, /load\.concurrency: expected number/],
    ] as const) {
      const result = await runCli(['run', 'quick', second, '--quiet'], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(expected);
      expect(existsSync(join(cwd, 'reports'))).toBe(false);
    }
  });
});
