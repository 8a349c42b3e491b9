import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_PARAMETERS, parseSettings } from './parse-settings.ts';
import type { SettingsIssue } from './parse-settings.ts';
import {
  INSTALL_SECTIONS,
  POLICY_GROUPS,
  POLICY_SECTIONS,
  parsePolicy,
  policyFromSettings,
  resolveSettings,
  serializePolicy,
  settingsFromPolicy,
} from './policy-document.ts';
import type { Policy, PolicyMeta } from './policy-document.ts';
import { settingsShape } from './settings-schema.ts';
import type { Settings } from './settings-schema.ts';

const META: PolicyMeta = {
  version: 3,
  savedAt: '2026-12-02T17:40:00Z',
  savedBy: { id: 9001, name: 'Ada Admin' },
  reason: 'Gold customers get a callback within 12 h',
};

/** An installation as it is today: flat parameters, as Zendesk sends them (strings), far from the defaults. */
const FLAT = {
  title: 'Boucle',
  locale: 'fr',
  connector_url: 'https://boucle.test',
  zendesk_fields_intervention_field_id: '360001',
  costs_callback_minutes: '25',
  capacity_agent_minutes_per_day: '960',
  callback_window_hours_gold: '12',
  value_tiers_gold: '30000',
  guardrails_severe_from: 'critical',
  risk_severity_critical: '1.1',
  effort_lexicon: 'toujours rien = 1\nça suffit',
  experiment_holdout_percent: '10',
  compensation_tiers: JSON.stringify([
    {
      id: 'voucher',
      amount: 10,
      reduction: 0.4,
      label: { en: 'a {amount} voucher', fr: 'un bon de {amount}' },
    },
  ]),
  rules: JSON.stringify([
    {
      name: 'vip',
      conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'platinum' }] },
      event: { params: { force: 'callback' } },
    },
  ]),
};

function flatSettings(): Settings {
  const parsed = parseSettings(FLAT);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.data;
}

function policyOf(settings: Settings, meta: PolicyMeta = META): Policy {
  const result = policyFromSettings(settings, meta);
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return result.data;
}

function issuesOf(raw: unknown): readonly SettingsIssue[] {
  const result = parsePolicy(raw);
  if (result.success) throw new Error('expected the policy to be rejected');
  return result.issues;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
}

describe('policy document: its sections', () => {
  it('holds every setting that is not filled in at install time, each in exactly one editor group', () => {
    expect([...INSTALL_SECTIONS, ...POLICY_SECTIONS].sort()).toEqual(Object.keys(settingsShape).sort());
    const grouped = POLICY_GROUPS.flatMap((group) => group.sections);
    expect([...grouped].sort()).toEqual([...POLICY_SECTIONS].sort());
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(POLICY_GROUPS.filter((group) => group.advanced).map((group) => group.id)).toEqual(['churn']);
    for (const group of POLICY_GROUPS) {
      expect(group.title.en).not.toBe(group.title.fr);
    }
  });
});

describe('policyFromSettings / settingsFromPolicy', () => {
  it("keeps every value of an installation's flat settings, so the first save changes no decision", () => {
    const settings = flatSettings();
    const policy = policyOf(settings);
    expect(policy).toMatchObject({ format: 1, ...META });
    expect(settingsFromPolicy(policy, settings)).toEqual(settings);
    for (const parameter of SETTINGS_PARAMETERS) {
      if ((INSTALL_SECTIONS as readonly string[]).includes(parameter.path[0]!)) {
        expect(policy).not.toHaveProperty(parameter.path[0]!);
      } else {
        expect(valueAt(policy, parameter.path)).toEqual(valueAt(settings, parameter.path));
      }
    }
    expect(policy.callbackWindowHours.gold).toBe(12);
    expect(policy.rules[0]?.name).toBe('vip');
    expect(policy.effort.lexicon).toEqual([
      { phrase: 'toujours rien', weight: 1 },
      { phrase: 'ça suffit', weight: 0.5 },
    ]);
  });

  it('takes the install-time settings from the installation and the rest from the policy', () => {
    const policy = policyOf(flatSettings());
    const decided = settingsFromPolicy(policy, DEFAULT_SETTINGS);
    expect(decided.locale).toBe('en');
    expect(decided.connectorUrl).toBe('');
    expect(decided.costs.callbackMinutes).toBe(25);
    expect(decided.callbackWindowHours.gold).toBe(12);
  });

  it('refuses bad metadata with its path, in English and French', () => {
    const result = policyFromSettings(DEFAULT_SETTINGS, { ...META, version: 0, reason: '   ' });
    expect(result.success).toBe(false);
    expect(result.issues?.map((issue) => issue.path)).toEqual(['version', 'reason']);
    expect(result.issues?.[0]?.message).toEqual({
      en: 'Give a number at least 1.',
      fr: 'Donnez un nombre au moins 1.',
    });
  });
});

describe('parsePolicy', () => {
  it('reads back exactly what serializePolicy stored (the hidden parameter holds compact JSON)', () => {
    const policy = policyOf(flatSettings());
    const text = serializePolicy(policy);
    expect(text).not.toContain('\n');
    expect(parsePolicy(text)).toEqual({ success: true, data: policy });
    expect(parsePolicy(JSON.parse(text))).toEqual({ success: true, data: policy });
  });

  it('gives every section its defaults: a document with only its metadata is the default policy', () => {
    const result = parsePolicy({ ...META });
    expect(result.success).toBe(true);
    expect(result.data?.format).toBe(1);
    expect(settingsFromPolicy(result.data!, DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
  });

  it('says the stored text is not JSON, and what to do', () => {
    const issues = issuesOf('{"version": 3,');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('');
    expect(issues[0]?.message.en).toMatch(/^The policy is not valid JSON \(.+\)\. Save it again/);
    expect(issues[0]?.message.fr).toMatch(/^La politique n'est pas du JSON valide/);
  });

  it('lists every bad value at its path, without a Zendesk parameter (the policy is one document)', () => {
    const issues = issuesOf({
      ...META,
      format: 2,
      savedBy: { id: 9001 },
      savedAt: 'yesterday',
      callbackWindowHours: { gold: -1 },
      costs: { callbackMinutes: 20, coffee: 1 },
    });
    const byPath = new Map(issues.map((issue) => [issue.path, issue]));
    expect([...byPath.keys()].sort()).toEqual(
      ['format', 'savedBy.name', 'savedAt', 'callbackWindowHours.gold', 'costs.coffee'].sort(),
    );
    expect(issues.every((issue) => issue.parameter === undefined)).toBe(true);
    expect(byPath.get('format')?.message.en).toBe('Use one of: 1.');
    expect(byPath.get('callbackWindowHours.gold')?.message).toEqual({
      en: 'Give a number more than 0.',
      fr: 'Donnez un nombre plus que 0.',
    });
    expect(byPath.get('costs.coffee')?.message.fr).toBe(
      'Réglage inconnu « coffee » : supprimez-le ou vérifiez son orthographe.',
    );
  });

  it('checks what spans sections once every value is right: tiers go down, rules name real tiers', () => {
    const issues = issuesOf({
      ...META,
      valueTiers: { platinum: 1000, gold: 5000 },
      compensationTiers: [{ id: 'voucher', amount: 10, reduction: 0.4 }],
      rules: [
        {
          name: 'vip',
          conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'platinum' }] },
          event: { params: { compensationTier: 'goodwill_small' } },
        },
      ],
    });
    const byPath = new Map(issues.map((issue) => [issue.path, issue]));
    expect([...byPath.keys()]).toEqual(['valueTiers', 'rules[0].event.params.compensationTier']);
    expect(byPath.get('valueTiers')?.message.fr).toMatch(/^Les seuils des niveaux doivent décroître/);
    expect(byPath.get('rules[0].event.params.compensationTier')?.message.en).toBe(
      'No compensation tier is named "goodwill_small": use one of voucher.',
    );
  });

  it('refuses what is not a document', () => {
    expect(issuesOf('[]').map((issue) => issue.path)).toEqual(['']);
    expect(issuesOf(42)[0]?.message.en).toBe('Give an object ({…}) here.');
  });
});

describe('resolveSettings', () => {
  it('reads the flat settings, as before policies existed, when no policy is saved', () => {
    for (const raw of [FLAT, { ...FLAT, policy: '' }, { ...FLAT, policy: null }]) {
      expect(resolveSettings(raw)).toEqual({
        success: true,
        data: flatSettings(),
        source: 'settings',
        policyIssues: [],
      });
    }
    expect(resolveSettings(undefined)).toMatchObject({ success: true, data: DEFAULT_SETTINGS });
  });

  it('applies the saved policy on top of the install-time settings, whatever the old flat fields say', () => {
    const policy = policyOf(DEFAULT_SETTINGS, META);
    const text = serializePolicy({
      ...policy,
      callbackWindowHours: { ...policy.callbackWindowHours, gold: 6 },
    });
    // A stale flat field, even a bad one, no longer counts once a policy is saved.
    const result = resolveSettings({ ...FLAT, costs_callback_minutes: 'twenty', policy: text });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.source).toBe('policy');
    expect(result.policy?.version).toBe(3);
    expect(result.data.locale).toBe('fr');
    expect(result.data.connectorUrl).toBe('https://boucle.test');
    expect(result.data.zendeskFields.interventionFieldId).toBe('360001');
    expect(result.data.callbackWindowHours.gold).toBe(6);
    expect(result.data.costs.callbackMinutes).toBe(DEFAULT_SETTINGS.costs.callbackMinutes);
    expect(result.data.rules).toEqual([]);
  });

  it('accepts the policy as an object (nested settings) as well as JSON text', () => {
    const policy = policyOf(flatSettings());
    expect(resolveSettings({ policy })).toMatchObject({ success: true, source: 'policy', policy });
  });

  it('sets an unreadable stored policy aside, says why, and keeps deciding with the flat settings', () => {
    const result = resolveSettings({ ...FLAT, policy: JSON.stringify({ ...META, version: 'three' }) });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.source).toBe('settings');
    expect(result.data).toEqual(flatSettings());
    expect(result.policyIssues.map((issue) => issue.path)).toEqual(['version']);
  });

  it('still reports bad install-time settings with their Zendesk parameter when a policy is saved', () => {
    const policy = serializePolicy(policyOf(DEFAULT_SETTINGS));
    const result = resolveSettings({ connector_url: 'ftp://boucle.test', policy });
    expect(result.success).toBe(false);
    expect(result.issues?.[0]).toMatchObject({ path: 'connectorUrl', parameter: 'connector_url' });
  });

  it('reports bad flat settings when no policy is saved', () => {
    const result = resolveSettings({ costs_callback_minutes: 'twenty' });
    expect(result.success).toBe(false);
    expect(result.issues?.[0]).toMatchObject({ path: 'costs.callbackMinutes' });
    expect(resolveSettings('policy').success).toBe(false);
  });
});
