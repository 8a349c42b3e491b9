import { describe as suite, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  parsePolicy,
  policyFromSettings,
  POLICY_GROUPS,
} from '../../../../shared/src/index.ts';
import { policyEn, policyFr, policyTranslator } from './policy-i18n.ts';
import {
  anchorOf,
  describe,
  diffPolicies,
  fieldId,
  getAt,
  nextVersion,
  pathKey,
  sectionFields,
  setAt,
  sharedHelp,
  unitShown,
  type Draft,
} from './policy-model.ts';
import { FACT_NAMES, POLICY_SECTIONS } from '../../../../shared/src/index.ts';
import { FACT_LABELS } from './fact-labels.ts';

const META = {
  version: 3,
  savedAt: '2026-12-02T18:00:00Z',
  savedBy: { id: 7, name: 'Ada Admin' },
  reason: 'test',
};
const base = policyFromSettings(DEFAULT_SETTINGS, META).data!;

suite('the policy editor model', () => {
  it('lists every plain number of the groups with a label and unit in both languages', () => {
    const draft = base as unknown as Draft;
    for (const locale of ['en', 'fr'] as const) {
      const fields = sectionFields(draft, 'callbackWindowHours', locale);
      expect(fields.map((f) => pathKey(f.path))).toEqual([
        'callbackWindowHours.platinum',
        'callbackWindowHours.gold',
        'callbackWindowHours.silver',
        'callbackWindowHours.bronze',
      ]);
      expect(fields[1]!.unit).toBe('h');
      expect(fields[1]!.label).not.toBe('callbackWindowHours.gold');
      expect(fields[1]!.source).toMatch(/seed 003/);
    }
    expect(describe(['callbackWindowHours', 'gold'], 'fr').label).not.toBe(
      describe(['callbackWindowHours', 'gold'], 'en').label,
    );
    // Lists have their own editors, not plain fields.
    expect(sectionFields(draft, 'effort', 'en').some((f) => pathKey(f.path) === 'effort.lexicon')).toBe(
      false,
    );
    expect(sectionFields(draft, 'guardrails', 'en').find((f) => f.kind === 'select')?.options).toEqual([
      'medium',
      'high',
      'critical',
    ]);
  });

  it('edits at a path without touching the original, and a save makes the next version', () => {
    const draft = base as unknown as Draft;
    const next = setAt(draft, ['callbackWindowHours', 'gold'], 12);
    expect(getAt(next, ['callbackWindowHours', 'gold'])).toBe(12);
    expect(base.callbackWindowHours.gold).toBe(24);
    const doc = parsePolicy(nextVersion(next, base, { id: 9, name: 'Bea' }, ' faster ', new Date(0)));
    expect(doc.success).toBe(true);
    expect(doc.data).toMatchObject({ version: 4, savedBy: { id: 9, name: 'Bea' }, reason: 'faster' });
  });

  it('maps a validation issue to its field, or to the nearest enclosing one', () => {
    const bad = parsePolicy({ ...base, callbackWindowHours: { ...base.callbackWindowHours, gold: -5 } });
    expect(bad.success).toBe(false);
    const issue = bad.issues!.find((i) => i.path === 'callbackWindowHours.gold');
    expect(issue?.message.fr).toBeTruthy();
    const exists = new Set([fieldId('callbackWindowHours.gold'), fieldId('rules[0]')]);
    expect(anchorOf('callbackWindowHours.gold', (id) => exists.has(id))).toBe(
      fieldId('callbackWindowHours.gold'),
    );
    expect(anchorOf('rules[0].conditions.all[0].value', (id) => exists.has(id))).toBe(fieldId('rules[0]'));
    expect(anchorOf('valueTiers', () => false)).toBe('policy-group-value');
  });

  it('diffs two versions per field, grouped as the editor groups them, ignoring the metadata', () => {
    const rule = {
      name: 'Platinum gets a callback',
      conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'platinum' }] },
      event: { params: { force: 'callback' } },
    };
    const after = parsePolicy({
      ...base,
      version: 4,
      reason: 'other',
      callbackWindowHours: { ...base.callbackWindowHours, gold: 12 },
      rules: [rule],
    }).data!;
    const diff = diffPolicies(base, after);
    expect(diff.map((g) => g.group.id)).toEqual(['callbacks', 'rules']);
    expect(diff[0]!.entries).toEqual([{ path: 'callbackWindowHours.gold', before: 24, after: 12 }]);
    expect(diff[1]!.entries[0]!.path).toBe('rules[0]');
    expect(diffPolicies(base, base)).toEqual([]);
    expect(POLICY_GROUPS.length).toBeGreaterThan(5);
  });

  it('the JSON view round-trips the draft exactly', () => {
    const draft = setAt(base as unknown as Draft, ['capacity', 'agentMinutesPerDay'], 300);
    expect(JSON.parse(JSON.stringify(draft, null, 2))).toEqual(draft);
  });

  it('has every string in English and French', () => {
    expect(Object.keys(policyFr).sort()).toEqual(Object.keys(policyEn).sort());
  });

  it('shows a unit only when the label does not already state it', () => {
    for (const locale of ['en', 'fr'] as const) {
      const [platinum] = sectionFields(base, 'callbackWindowHours', locale);
      expect(platinum!.label).toMatch(/\((hours|heures)\)/);
      expect(unitShown(platinum!)).toBeUndefined();
    }
    expect(unitShown({ label: 'Priority urgent from (expected loss)', unit: '€' })).toBe('€');
    expect(
      unitShown({ label: 'Effect: churn reduction of an apology (0–1)', unit: 'share 0–1' }),
    ).toBeUndefined();
    expect(unitShown({ label: 'Capacity: agent minutes per day', unit: 'min/day' })).toBe('min/day');
  });

  it('gives a section’s shared meaning once, and none when its fields differ', () => {
    const windows = sectionFields(base, 'callbackWindowHours', 'en');
    expect(sharedHelp(windows)).toEqual({ help: windows[0]!.help, source: windows[0]!.source });
    expect(sharedHelp(windows.slice(0, 1))).toBeUndefined();
    expect(sharedHelp([windows[0]!, { ...windows[1]!, help: 'another meaning' }])).toBeUndefined();
  });

  it('labels every fact of the catalogue and titles every section, in English and French', () => {
    expect(Object.keys(FACT_LABELS).sort()).toEqual([...FACT_NAMES].sort());
    for (const fact of FACT_NAMES) {
      expect(FACT_LABELS[fact].en).not.toBe(FACT_LABELS[fact].fr);
    }
    for (const section of POLICY_SECTIONS)
      expect(policyEn[`section.${section}` as keyof typeof policyEn], section).toBeDefined();
  });

  it('says one or several in each language', () => {
    const en = policyTranslator('en');
    const fr = policyTranslator('fr');
    expect(en('save.disabled', { count: 1 })).toBe('Fix 1 problem to save.');
    expect(en('save.disabled', { count: 3 })).toBe('Fix 3 problems to save.');
    expect(en('preview.changed', { changed: 2, incidents: 1, days: 30 })).toBe(
      '2 decisions would change, out of 1 incident in the last 30 days.',
    );
    expect(fr('preview.changed', { changed: 1, incidents: 16, days: 30 })).toBe(
      '1 décision changerait, sur 16 incidents des 30 derniers jours.',
    );
    expect(en('preview.due', { count: 1, groups: 'silver 48 h → 6 h (1)' })).toBe(
      'The due time would change for 1 follow-up (same intervention, another window): silver 48 h → 6 h (1).',
    );
    expect(en('preview.due', { count: 5, groups: 'silver 48 h → 6 h (5)' })).toMatch(/for 5 follow-ups /);
    expect(fr('preview.due', { count: 5, groups: 'argent 48 h → 6 h (5)' })).toBe(
      'L’échéance changerait pour 5 suivis (même intervention, autre délai) : argent 48 h → 6 h (5).',
    );
    expect(fr('preview.due', { count: 1, groups: '' })).toMatch(/pour 1 suivi \(/);
    expect(fr('draft.changed', { count: 0, version: 2 })).toBe('0 valeur modifiée depuis la version 2.');
    expect(() => en('save.disabled', { count: '1' })).toThrow(/needs a number/);
  });
});
