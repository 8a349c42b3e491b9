import { afterEach } from 'vitest';

// A test that writes to the console is either noisy or hiding a failure: make it fail.
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const calls: string[] = [];

for (const method of METHODS) {
  console[method] = (...args: unknown[]) => {
    calls.push(`console.${method}: ${args.map(String).join(' ')}`);
  };
}

afterEach(() => {
  if (calls.length > 0) {
    const seen = calls.splice(0);
    throw new Error(`Unexpected console output during the test:\n${seen.join('\n')}`);
  }
});
