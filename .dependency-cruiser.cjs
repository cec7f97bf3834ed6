// The allowed import directions of src/ (docs/architecture.md draws them), checked by
// `npm run lint`. Layers, top to bottom; a layer imports only the layers below it:
//   cli → runner → derive → {report, engines, answers} → checks
//       → {scenario → schedule, metrics, runpod} → util → core
// The emulator is a world of its own: reached only through src/emulator/index.ts (and
// src/emulator/settings/index.ts for code that needs only its settings), importing only
// core and util. Tests may import anything, so *.test.ts files are not checked.
const layer = (folders) => `^src/(${folders.join('|')})/`;
const rule = (name, from, forbidden, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: layer(from), pathNot: '\\.test\\.ts$' },
  to: { path: layer(forbidden) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A file-level import cycle: move the shared piece into a module both can import.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { circular: true },
    },
    rule(
      'core-is-the-ground',
      ['core'],
      [
        'util',
        'scenario',
        'schedule',
        'metrics',
        'runpod',
        'checks',
        'answers',
        'engines',
        'report',
        'derive',
        'runner',
        'cli',
        'emulator',
      ],
      'core holds types and plain data; it imports nothing of podbench.',
    ),
    rule(
      'util-above-core-only',
      ['util'],
      [
        'scenario',
        'schedule',
        'metrics',
        'runpod',
        'checks',
        'answers',
        'engines',
        'report',
        'derive',
        'runner',
        'cli',
        'emulator',
      ],
      'util imports only core.',
    ),
    rule(
      'schedule-below-scenario',
      ['schedule'],
      [
        'scenario',
        'metrics',
        'runpod',
        'checks',
        'answers',
        'engines',
        'report',
        'derive',
        'runner',
        'cli',
        'emulator',
      ],
      'schedule turns a load into times; the scenario builds on it, not the other way.',
    ),
    rule(
      'scenario-layer',
      ['scenario'],
      ['metrics', 'runpod', 'checks', 'answers', 'engines', 'report', 'derive', 'runner', 'cli'],
      'scenario imports schedule, util, core and the emulator settings entry only.',
    ),
    rule(
      'metrics-layer',
      ['metrics'],
      [
        'scenario',
        'schedule',
        'runpod',
        'checks',
        'answers',
        'engines',
        'report',
        'derive',
        'runner',
        'cli',
        'emulator',
      ],
      'metrics derive numbers from records: core and util only.',
    ),
    rule(
      'runpod-layer',
      ['runpod'],
      [
        'scenario',
        'schedule',
        'metrics',
        'checks',
        'answers',
        'engines',
        'report',
        'derive',
        'runner',
        'cli',
        'emulator',
      ],
      'the Runpod client knows the protocol, not scenarios or metrics.',
    ),
    rule(
      'checks-layer',
      ['checks'],
      ['runpod', 'answers', 'engines', 'report', 'derive', 'runner', 'cli', 'emulator'],
      'checks (thresholds, compare) sit under the engines, answers and reports that use their language.',
    ),
    rule(
      'answers-layer',
      ['answers'],
      ['runpod', 'engines', 'report', 'derive', 'runner', 'cli', 'emulator'],
      "answers turn summaries into findings (data); the words are the renderers'.",
    ),
    rule(
      'engines-layer',
      ['engines'],
      ['answers', 'report', 'derive', 'runner', 'cli', 'emulator'],
      'engines drive load through the Runpod client; they know nothing of reports or the runner.',
    ),
    rule(
      'report-layer',
      ['report'],
      ['runpod', 'engines', 'answers', 'derive', 'runner', 'cli', 'emulator'],
      'report only renders what deriveRun produced.',
    ),
    rule(
      'derive-layer',
      ['derive'],
      ['runpod', 'engines', 'report', 'runner', 'cli', 'emulator'],
      'deriveRun is pure: records in, summary out.',
    ),
    rule('runner-layer', ['runner'], ['cli'], 'the runner is driven by the CLI, never the reverse.'),
    {
      name: 'emulator-imports-only-core-util',
      comment: 'The emulator stands alone: it may import only src/core and src/util.',
      severity: 'error',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/(emulator|core|util)/' },
    },
    {
      name: 'emulator-through-its-entries',
      comment:
        'Outside code reaches the emulator only through src/emulator/index.ts or src/emulator/settings/index.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/emulator/|\\.test\\.ts$' },
      to: { path: '^src/emulator/', pathNot: '^src/emulator/(index|settings/index)\\.ts$' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
  },
};
