#!/usr/bin/env node
// Boucle's command line. Runs on the Node pinned in package.json (npm and npx put it first on PATH).
import { runCli } from '../connectors/src/cli/main.ts';

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
