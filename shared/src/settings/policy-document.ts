import { z } from 'zod';
import { timestampSchema } from '../domain/time.ts';
import type { LocalizedText } from '../domain/vocabulary.ts';
import { POLICY_PARAMETER, SETTINGS_PARAMETERS, parseSettings, toSettingsIssues } from './parse-settings.ts';
import type { SettingsIssue } from './parse-settings.ts';
import { refineSettings, settingsShape } from './settings-schema.ts';
import type { Settings } from './settings-schema.ts';

/**
 * The policy: everything an admin decides about Boucle's decisions, as ONE versioned document (the admin's
 * editor writes it whole, the sidebar and the connector read it whole). It holds the same sections as the
 * settings, under the same names, so a path means the same thing in both (`callbackWindowHours.gold`) and the
 * decider takes it without translation. What is not policy stays a Zendesk setting filled in at install time.
 */
export const INSTALL_SECTIONS = ['locale', 'connectorUrl', 'zendeskFields'] as const;
type InstallSection = (typeof INSTALL_SECTIONS)[number];
type SettingsShape = typeof settingsShape;
type PolicySectionName = Exclude<keyof SettingsShape, InstallSection>;

const policySectionShape = Object.fromEntries(
  Object.entries(settingsShape).filter(([key]) => !(INSTALL_SECTIONS as readonly string[]).includes(key)),
) as Omit<SettingsShape, InstallSection>;

export const POLICY_SECTIONS = Object.keys(policySectionShape) as PolicySectionName[];

/** The format of the document itself; a later format is migrated by `parsePolicy`, never rejected silently. */
export const POLICY_FORMAT = 1;

/** The policy's sections as the editor groups them, by what an admin decides. Every section is in one group. */
export const POLICY_GROUPS: readonly {
  readonly id: string;
  readonly title: LocalizedText;
  readonly sections: readonly PolicySectionName[];
  /** Shown collapsed, for advanced admins (the churn model's calibrated weights). */
  readonly advanced?: true;
}[] = [
  {
    id: 'costs',
    title: { en: 'Costs and capacity', fr: 'Coûts et capacité' },
    sections: ['costs', 'capacity', 'effects'],
  },
  {
    id: 'callbacks',
    title: { en: 'Callback windows per tier', fr: 'Délais de rappel par niveau' },
    sections: ['callbackWindowHours'],
  },
  {
    id: 'value',
    title: { en: 'Value tiers and priority', fr: 'Niveaux de valeur et priorité' },
    sections: ['valueTiers', 'valueAtRisk', 'priority'],
  },
  {
    id: 'compensation',
    title: { en: 'Compensation tiers', fr: 'Paliers de compensation' },
    sections: ['compensationTiers'],
  },
  {
    id: 'guardrails',
    title: { en: 'Guardrails', fr: 'Garde-fous' },
    sections: ['guardrails', 'history'],
  },
  {
    id: 'effort',
    title: { en: 'Effort signals and phrases', fr: 'Signaux et expressions d’effort' },
    sections: ['effort'],
  },
  {
    id: 'churn',
    title: { en: 'Churn model weights', fr: 'Poids du modèle d’attrition' },
    sections: ['risk'],
    advanced: true,
  },
  { id: 'rules', title: { en: 'Rules', fr: 'Règles' }, sections: ['rules'] },
  { id: 'experiment', title: { en: 'Experiment', fr: 'Expérimentation' }, sections: ['experiment'] },
];

const policyMetaShape = {
  format: z.literal(POLICY_FORMAT).default(POLICY_FORMAT),
  /** 1 for the first saved policy, then one more at each save (a rollback saves a new version too). */
  version: z.number().int().min(1).max(1e9),
  savedAt: timestampSchema,
  /** The Zendesk user who saved it (an admin: Zendesk refuses the write to anyone else). */
  savedBy: z.strictObject({
    id: z.number().int().positive(),
    name: z.string().trim().min(1).max(200),
  }),
  /** Why, in the admin's words: asked at every save, shown in the history. */
  reason: z.string().trim().min(1).max(500),
};

export const policySchema = z
  .strictObject({ ...policyMetaShape, ...policySectionShape })
  .superRefine(refineSettings);

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type PolicyMeta = Pick<Policy, 'version' | 'savedAt' | 'savedBy' | 'reason'>;

export type ParsePolicyResult =
  | { readonly success: true; readonly data: Policy; readonly issues?: never }
  | { readonly success: false; readonly issues: readonly SettingsIssue[]; readonly data?: never };

/**
 * Reads a policy document: the JSON text of the hidden `policy` parameter, or the object. Every section has its
 * defaults; the metadata is required. Never throws: on failure, every bad path with what to do, in en and fr.
 */
export function parsePolicy(raw: unknown): ParsePolicyResult {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch (error) {
      const reason = (error as Error).message;
      return {
        success: false,
        issues: [
          {
            path: '',
            message: {
              en: `The policy is not valid JSON (${reason}). Save it again from the Boucle console.`,
              fr: `La politique n'est pas du JSON valide (${reason}). Enregistrez-la à nouveau depuis la console Boucle.`,
            },
          },
        ],
      };
    }
  }
  const result = policySchema.safeParse(value);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, issues: toSettingsIssues(result.error.issues, { parameters: false }) };
}

/** The text stored in the hidden parameter: compact JSON, which `parsePolicy` reads back to an equal policy. */
export function serializePolicy(policy: Policy): string {
  return JSON.stringify(policy);
}

function pickSections(source: Settings | Policy): Pick<Settings, PolicySectionName> {
  return Object.fromEntries(POLICY_SECTIONS.map((key) => [key, source[key]])) as Pick<
    Settings,
    PolicySectionName
  >;
}

/**
 * The first policy of an installation, from its settings as they are today (flat parameters already parsed by
 * `parseSettings`): every value is kept, so saving it changes no decision. Fails only on bad metadata.
 */
export function policyFromSettings(settings: Settings, meta: PolicyMeta): ParsePolicyResult {
  return parsePolicy({ format: POLICY_FORMAT, ...meta, ...pickSections(settings) });
}

/** What the decider reads: the install-time settings of the installation, and the policy for the rest. */
export function settingsFromPolicy(policy: Policy, installation: Settings): Settings {
  return {
    locale: installation.locale,
    connectorUrl: installation.connectorUrl,
    zendeskFields: installation.zendeskFields,
    ...pickSections(policy),
  };
}

/** Names (flat and nested) of the settings that stay on Zendesk's settings page once a policy is saved. */
const INSTALL_KEYS = new Set<string>([
  ...INSTALL_SECTIONS,
  ...SETTINGS_PARAMETERS.filter((p) => (INSTALL_SECTIONS as readonly string[]).includes(p.path[0]!)).map(
    (p) => p.name,
  ),
]);

export type ResolveSettingsResult =
  | {
      readonly success: true;
      readonly data: Settings;
      /** `policy`: the saved policy applies; `settings`: none (or an unreadable one), the flat settings apply. */
      readonly source: 'policy' | 'settings';
      readonly policy?: Policy;
      /** Why a stored policy was set aside (then `source` is `settings`). */
      readonly policyIssues: readonly SettingsIssue[];
      readonly issues?: never;
    }
  | { readonly success: false; readonly issues: readonly SettingsIssue[]; readonly data?: never };

/**
 * An installation's settings (ZAF `metadata().settings`, or the Apps installation API's `settings`) as the
 * decider's settings: the saved policy when there is one, on top of the install-time settings; otherwise the
 * flat settings, as before policies existed. A stored policy that does not parse (written past the console) is
 * set aside with its issues, and the flat settings apply: nothing stored is lost, and no invalid value is used.
 */
export function resolveSettings(raw: unknown): ResolveSettingsResult {
  const stored =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[POLICY_PARAMETER] : '';
  const hasPolicy = !(stored === undefined || stored === null || stored === '');
  const policy = hasPolicy ? parsePolicy(stored) : undefined;
  if (policy?.success === true) {
    const installOnly = Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(([key]) => INSTALL_KEYS.has(key)),
    );
    const installation = parseSettings(installOnly);
    if (!installation.success) return { success: false, issues: installation.issues };
    return {
      success: true,
      data: settingsFromPolicy(policy.data, installation.data),
      source: 'policy',
      policy: policy.data,
      policyIssues: [],
    };
  }
  const flat = parseSettings(raw);
  if (!flat.success) return { success: false, issues: flat.issues };
  return { success: true, data: flat.data, source: 'settings', policyIssues: policy?.issues ?? [] };
}
