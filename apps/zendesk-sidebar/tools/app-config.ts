/**
 * The admin-facing configuration of the app, generated from `shared/`'s settings: the manifest `parameters`
 * (the install-time settings only, `INSTALL_SECTIONS`: locale, connector URL, Zendesk field ids; as `parseSettings`
 * reads them) plus the secure connector token and the hidden `policy`, and the `translations/` files. Everything
 * else is the policy, edited in the Boucle console (docs/admin.md), so Zendesk's settings page shows only what an
 * installer must fill in.
 * `npm run app:config` writes them into the root manifest.json and translations/; a test checks they are current.
 */
import { INSTALL_SECTIONS, POLICY_PARAMETER, SETTINGS_PARAMETERS } from '../../../shared/src/index.ts';
import { PARAMETER_HELP, PARAMETER_LABELS } from '../../common/src/settings/parameter-labels.ts';

export interface ManifestParameter {
  name: string;
  type: 'text' | 'number' | 'url' | 'multiline' | 'hidden';
  required: boolean;
  secure?: boolean;
  scopes?: string[];
  default?: string | number;
}

/** Parameters that are not Boucle settings: secure, used only by the webhook in requirements.json. */
export const CONNECTOR_TOKEN_PARAMETER: ManifestParameter = {
  name: 'connector_token',
  type: 'text',
  required: true,
  secure: true,
  scopes: ['header'],
};

/**
 * The policy document (JSON text), written by the Boucle console through the Apps installation API with an
 * admin's session, read by the sidebar with its other settings: hidden from the settings page, never required,
 * no default (the validator warns on a default of a hidden parameter). See docs/admin.md.
 */
export const POLICY_MANIFEST_PARAMETER: ManifestParameter = {
  name: POLICY_PARAMETER,
  type: 'hidden',
  required: false,
};

export function buildManifestParameters(): ManifestParameter[] {
  const install = SETTINGS_PARAMETERS.filter((p) =>
    (INSTALL_SECTIONS as readonly string[]).includes(p.path[0]!),
  );
  const parameters = install.map((p): ManifestParameter => {
    const type =
      p.name === 'connector_url'
        ? 'url'
        : p.kind === 'number'
          ? 'number'
          : p.kind === 'text'
            ? 'text'
            : 'multiline';
    const parameter: ManifestParameter = { name: p.name, type, required: p.name === 'connector_url' };
    if (p.default !== '') parameter.default = p.default;
    return parameter;
  });
  return [...parameters, CONNECTOR_TOKEN_PARAMETER, POLICY_MANIFEST_PARAMETER];
}

const APP_TEXT = {
  en: {
    name: 'Boucle',
    short_description:
      'Close the loop on every critical incident: call back, apologise, compensate — or not.',
    long_description:
      "Boucle shows the customer's value from the CRM, their feedback history and the effort ratio (C:CER) of the current incident, recommends the intervention with the best expected value, explains why, and applies it in one click.",
    installation_instructions:
      'Set the connector URL and token. Then open the Boucle console (left bar) → Policy to review costs, callback windows, tiers and rules: admins edit the policy there, with validation, a preview and a history.',
  },
  fr: {
    name: 'Boucle',
    short_description: 'Bouclez chaque incident critique : rappeler, s’excuser, dédommager — ou non.',
    long_description:
      "Boucle affiche la valeur du client issue du CRM, l'historique de ses retours et le ratio d'effort (C:CER) de l'incident en cours, recommande l'intervention à la meilleure valeur attendue, explique pourquoi et l'applique en un clic.",
    installation_instructions:
      "Renseignez l'URL et le jeton du connecteur. Ouvrez ensuite la console Boucle (barre de gauche) → Politique pour vérifier coûts, délais de rappel, niveaux et règles : les administrateurs y modifient la politique, avec validation, aperçu et historique.",
  },
} as const;

function helpFor(name: string, locale: 0 | 1): string | undefined {
  const prefix = Object.keys(PARAMETER_HELP)
    .filter((p) => name === p || name.startsWith(`${p}_`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? PARAMETER_HELP[prefix]?.[locale] : undefined;
}

export function buildTranslations(locale: 'en' | 'fr') {
  const index = locale === 'en' ? 0 : 1;
  const parameters: Record<string, { label: string; helpText?: string }> = {};
  for (const p of buildManifestParameters()) {
    const label = PARAMETER_LABELS[p.name]?.[index];
    if (!label)
      throw new Error(`app-config: no ${locale} label for parameter "${p.name}" (tools/parameter-labels.ts)`);
    const help = helpFor(p.name, index);
    const defaultText =
      p.default !== undefined && p.type === 'number'
        ? `${locale === 'en' ? 'Default' : 'Par défaut'}: ${p.default}`
        : '';
    const helpText = [help, defaultText].filter(Boolean).join(' ');
    parameters[p.name] = helpText ? { label, helpText } : { label };
  }
  return { app: { ...APP_TEXT[locale], parameters } };
}

export function withParameters(manifest: Record<string, unknown>): Record<string, unknown> {
  return { ...manifest, parameters: buildManifestParameters() };
}
