import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTranslations, withParameters } from '../app-config.ts';
import { REPO_ROOT } from '../build-app.ts';
import { buildRequirements } from '../requirements.ts';

// `npm run app:config`: regenerates the manifest parameters translations/ and requirements.json from shared/.
const manifestPath = join(REPO_ROOT, 'manifest.json');
const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
await writeFile(manifestPath, `${JSON.stringify(withParameters(manifest), null, 2)}\n`);
for (const locale of ['en', 'fr'] as const) {
  await writeFile(
    join(REPO_ROOT, 'translations', `${locale}.json`),
    `${JSON.stringify(buildTranslations(locale), null, 2)}\n`,
  );
}
await writeFile(join(REPO_ROOT, 'requirements.json'), `${JSON.stringify(buildRequirements(), null, 2)}\n`);
console.log('manifest.json parameters, translations/{en,fr}.json and requirements.json written');
