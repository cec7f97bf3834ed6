// Mutation testing of the pure core: `npm run test:mutation`. Not part of `npm test` or CI:
// it runs the unit tests against each of about 4,000 mutants (see the README's development
// section for the time it takes). Reports go to reports/mutation/ (ignored by git).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Only the fast unit tests of the mutated modules (vitest.mutation.config.ts), never the
  // CLI and end-to-end tests: those run dist/, which Stryker does not mutate.
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Each mutant runs only the tests that reached it in the first (dry) run.
  coverageAnalysis: 'perTest',
  // Two cores.
  concurrency: 2,
  mutate: [
    'src/metrics/**/*.ts',
    'src/checks/**/*.ts',
    'src/scenario/**/*.ts',
    'src/schedule/**/*.ts',
    'src/answers/**/*.ts',
    'src/derive/**/*.ts',
    'src/emulator/worker/batch-size.ts',
    'src/emulator/platform/scaler.ts',
    '!src/**/*.test.ts',
  ],
  // A mutant in code that runs when a module loads (a table built at import, a zod schema) is
  // "static": no per-test coverage can say which tests reach it, so each would run every
  // test, about two thirds of the whole time for a tenth of the mutants. They are reported as
  // ignored; `npm run test:mutation -- --ignoreStatic false` includes them.
  ignoreStatic: true,
  // `npm run test:mutation -- --incremental` re-tests only mutants whose code or tests changed.
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
