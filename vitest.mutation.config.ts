import { defineConfig } from 'vitest/config';

// The tests `npm run test:mutation` (Stryker, stryker.config.json) runs against each mutant:
// the unit tests of the mutated modules (metrics, checks, scenario, schedule, answers, derive,
// the emulator's batch sizes and scaler) and the pure test/ files that exercise them. None
// spawns a process or needs dist/: a CLI test runs dist/, which Stryker never mutates, so it
// could only slow every run down without killing a mutant.
export default defineConfig({
  test: {
    include: [
      'src/metrics/**/*.test.ts',
      'src/checks/**/*.test.ts',
      'src/scenario/**/*.test.ts',
      'src/schedule/**/*.test.ts',
      'src/answers/**/*.test.ts',
      'src/derive/**/*.test.ts',
      'src/emulator/worker/batch-size.test.ts',
      'src/emulator/platform/scaler.test.ts',
      'src/report/console-report.test.ts',
      'test/checks/compare-rules.test.ts',
      'test/checks/golden.test.ts',
      'test/checks/statistics.test.ts',
      'test/checks/threshold-language.test.ts',
      'test/checks/threshold-operators.test.ts',
      'test/checks/thresholds-evaluate.test.ts',
      'test/checks/warm-cold-summary.test.ts',
      'test/metrics/**/*.test.ts',
      'test/engines/autocannon-plan.test.ts',
      'test/engines/k6-plan.test.ts',
      'test/report-html/collect.test.ts',
      'test/report-html/tables.test.ts',
    ],
    testTimeout: 30_000,
  },
});
