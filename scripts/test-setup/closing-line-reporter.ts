import type { Reporter, TestModule, Vitest } from 'vitest/node';

/**
 * Ends the run with one plain line, `tests: N passed, N failed[, N skipped]`, that any CI can read.
 * With coverage on, the summary table is printed after the run ends, so the line waits for the process exit.
 */
export default class ClosingLineReporter implements Reporter {
  private coverageEnabled = false;

  onInit(vitest: Vitest): void {
    this.coverageEnabled = vitest.config.coverage.enabled;
  }

  onTestRunEnd(testModules: readonly TestModule[], unhandledErrors: readonly unknown[]): void {
    // An error outside any test (a file that fails to load, a hook that throws) fails the run too.
    const counts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
    for (const testModule of testModules) {
      const failedBefore = counts.failed;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
      if (testModule.state() === 'failed' && counts.failed === failedBefore) counts.failed += 1;
    }
    const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
    const line = `\ntests: ${counts.passed} passed, ${counts.failed} failed${skipped}\n`;
    if (this.coverageEnabled) process.once('exit', () => process.stdout.write(line));
    else process.stdout.write(line);
  }
}
