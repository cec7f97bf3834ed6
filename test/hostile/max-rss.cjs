// Preloaded (node --require) into the podbench process a hostile test runs: at exit it writes
// the process's peak resident memory (getrusage's maxrss, in KB) where the test asks, so the
// test measures the peak itself, not a sample of it.
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

if (isMainThread && process.env.PODBENCH_TEST_MAXRSS_FILE) {
  process.on('exit', () => {
    writeFileSync(process.env.PODBENCH_TEST_MAXRSS_FILE, String(process.resourceUsage().maxRSS));
  });
}
