import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: more workers only fight over the CPU and make timing-sensitive
    // end-to-end tests flaky.
    maxWorkers: 2,
    // The CLI tests run dist/: rebuild it first when it is older than src/.
    globalSetup: ['test/support/fresh-dist.ts'],
  },
});
