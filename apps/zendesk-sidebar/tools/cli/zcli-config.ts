import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildManifestParameters } from '../app-config.ts';
import { REPO_ROOT } from '../build-app.ts';

// `npm run zcli:config -- <connector url> <connector token>`: writes zcli.apps.config.json into the built
// package folder so that `zcli apps:server dist/zendesk-sidebar` starts without prompting for the parameters.
// It is written after the zip and the preflight (which refuses it), and `npm run build:app` removes it.
const [connectorUrl = 'https://connector.example.invalid', connectorToken = 'change-me'] =
  process.argv.slice(2);
const parameters: Record<string, string | number> = {};
for (const p of buildManifestParameters()) {
  if (p.name === 'connector_url') parameters[p.name] = connectorUrl;
  else if (p.name === 'connector_token') parameters[p.name] = connectorToken;
  else parameters[p.name] = p.default ?? '';
}
const path = join(REPO_ROOT, 'dist/zendesk-sidebar/zcli.apps.config.json');
await writeFile(path, `${JSON.stringify({ parameters }, null, 2)}\n`);
console.log(`wrote ${relative(REPO_ROOT, path)} (${Object.keys(parameters).length} parameters)`);
console.log('now: npx @zendesk/zcli@1.0.1 apps:server dist/zendesk-sidebar');
