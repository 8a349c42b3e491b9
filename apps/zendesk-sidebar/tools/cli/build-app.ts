import { relative } from 'node:path';
import { buildApp, REPO_ROOT } from '../build-app.ts';

// `npm run build:app`
buildApp().then(
  (result) => {
    for (const warning of result.report.warnings) console.log(`warning: ${warning}`);
    console.log(`app package: ${relative(REPO_ROOT, result.packageDir)}/ (${result.files.length} files)`);
    console.log(`zip:         ${relative(REPO_ROOT, result.zipPath)}`);
    console.log('preflight:   0 errors');
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
