import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_PARAMETERS, parseSettings } from './parse-settings.ts';
import type { SettingsIssue } from './parse-settings.ts';
import { CALIBRATION, DEFAULT_CUSTOMER_HARDER_POINTS, DEFAULT_INTERCEPT } from './settings-schema.ts';

function issuesOf(raw: unknown): readonly SettingsIssue[] {
  const result = parseSettings(raw);
  if (result.success) throw new Error('expected settings to be rejected');
  return result.issues;
}

describe('parseSettings', () => {
  it.each([undefined, null, {}, { title: 'Boucle' }, { name: 'Boucle', title: 'Boucle', policy: '{}' }])(
    'gives every default for %j',
    (raw) => {
      expect(parseSettings(raw)).toEqual({ success: true, data: DEFAULT_SETTINGS });
    },
  );

  it('reads the flat parameters Zendesk sends, strings included', () => {
    const result = parseSettings({
      locale: 'fr',
      connector_url: 'https://boucle.test',
      costs_callback_minutes: '25',
      costs_agent_cost_per_minute: '0,9',
      callback_window_hours_silver: 36,
      value_tiers_gold: '',
      zendesk_fields_intervention_field_id: '360001',
      rules:
        '[{"name":"vip","conditions":{"all":[{"fact":"customer.tier","operator":"equal","value":"platinum"}]},"event":{"params":{"force":"callback"}}}]',
      compensation_tiers: '[{"id":"voucher","amount":10,"reduction":0.4}]',
      effort_lexicon: 'toujours rien = 1\n\n  ça suffit  ',
    });
    expect(result.success).toBe(true);
    const data = result.data!;
    expect(data.locale).toBe('fr');
    expect(data.connectorUrl).toBe('https://boucle.test');
    expect(data.costs.callbackMinutes).toBe(25);
    expect(data.costs.agentCostPerMinute).toBe(0.9);
    expect(data.callbackWindowHours.silver).toBe(36);
    expect(data.valueTiers.gold).toBe(DEFAULT_SETTINGS.valueTiers.gold);
    expect(data.zendeskFields.interventionFieldId).toBe('360001');
    expect(data.rules[0]).toMatchObject({
      name: 'vip',
      priority: 1,
      enabled: true,
      event: { type: 'boucle' },
    });
    expect(data.compensationTiers).toEqual([{ id: 'voucher', amount: 10, reduction: 0.4 }]);
    expect(data.effort.lexicon).toEqual([
      { phrase: 'toujours rien', weight: 1 },
      { phrase: 'ça suffit', weight: 0.5 },
    ]);
  });

  it('reads nested objects and a JSON lexicon', () => {
    const result = parseSettings({
      costs: { callbackMinutes: 30 },
      rules: [],
      effort_lexicon: '[{"phrase":"jamais","weight":2}]',
    });
    expect(result.data?.costs).toEqual({ ...DEFAULT_SETTINGS.costs, callbackMinutes: 30 });
    expect(result.data?.effort.lexicon).toEqual([{ phrase: 'jamais', weight: 2 }]);
  });

  it('reports every bad path at once, with the parameter and a fix in English and French', () => {
    const issues = issuesOf({
      costs_callback_minutes: 'twenty',
      costs_apology_minutes: '-1',
      rules: '[{',
      locale: 'de',
      colour: 'blue',
      compensation_tiers: '[{"id":"Big","amount":5,"reduction":0.5}]',
      connector_url: 'ftp://x',
      zendesk_fields_callback_due_field_id: 'abc',
      history: { repeatWindowDays: 1.5 },
      effort: { lexicon: 'nope' },
    });
    expect(issues.map((issue) => [issue.path, issue.parameter])).toEqual([
      ['costs.callbackMinutes', 'costs_callback_minutes'],
      ['rules', 'rules'],
      ['locale', 'locale'],
      ['connectorUrl', 'connector_url'],
      ['zendeskFields.callbackDueFieldId', 'zendesk_fields_callback_due_field_id'],
      ['costs.apologyMinutes', 'costs_apology_minutes'],
      ['compensationTiers[0].id', 'compensation_tiers'],
      ['history.repeatWindowDays', 'history_repeat_window_days'],
      ['effort.lexicon', 'effort_lexicon'],
      ['colour', undefined],
    ]);
    const byPath = new Map(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath.get('costs.callbackMinutes')).toEqual({
      en: '"twenty" is not a number: write digits, e.g. 20.',
      fr: "« twenty » n'est pas un nombre : écrivez des chiffres, par exemple 20.",
    });
    expect(byPath.get('rules')?.en).toMatch(/^This is not valid JSON \(.+\)\. Check quotes/);
    expect(byPath.get('locale')).toEqual({
      en: 'Use one of: "en", "fr".',
      fr: 'Utilisez l\'une de ces valeurs : "en", "fr".',
    });
    expect(byPath.get('costs.apologyMinutes')).toEqual({
      en: 'Give a number at least 0.',
      fr: 'Donnez un nombre au moins 0.',
    });
    expect(byPath.get('compensationTiers[0].id')?.fr).toContain('goodwill_small');
    expect(byPath.get('connectorUrl')?.en).toBe(
      'Give a full URL starting with https:// (or leave it empty).',
    );
    expect(byPath.get('zendeskFields.callbackDueFieldId')?.fr).toBe(
      'Un identifiant de champ ne contient que des chiffres.',
    );
    expect(byPath.get('history.repeatWindowDays')?.en).toBe('Give a whole number here.');
    expect(byPath.get('effort.lexicon')).toEqual({
      en: 'Give a list ([…]) here.',
      fr: 'Donnez une liste ([…]) ici.',
    });
    expect(byPath.get('colour')?.en).toBe('Unknown setting "colour": remove it or check its spelling.');
  });

  it.each([
    [{ value_tiers_gold: '200000' }, 'valueTiers', 'platinum ≥ gold ≥ silver'],
    [{ priority_high_from: '9000' }, 'priority', 'urgentFrom ≥ highFrom ≥ normalFrom'],
    [{ effects_apology: '0.5' }, 'effects.apology', 'lower effects.apology'],
    [
      {
        compensation_tiers: '[{"id":"a","amount":50,"reduction":0.4},{"id":"a","amount":10,"reduction":0.5}]',
      },
      'compensationTiers[1].id',
      'named "a"',
    ],
    [
      {
        compensation_tiers: '[{"id":"a","amount":50,"reduction":0.4},{"id":"b","amount":10,"reduction":0.5}]',
      },
      'compensationTiers[1]',
      'smallest to the largest',
    ],
    [
      { compensation_tiers: '[{"id":"a","amount":50,"reduction":0.2}]' },
      'compensationTiers[0]',
      'as a callback',
    ],
    [
      {
        rules:
          '[{"name":"r","conditions":{"all":[{"fact":"risk.churn","operator":"greaterThan","value":0.5}]},"event":{"params":{"force":"compensation","compensationTier":"gold_bar"}}}]',
      },
      'rules[0].event.params.compensationTier',
      'No compensation tier is named "gold_bar": use one of goodwill_small, goodwill_medium, goodwill_large.',
    ],
    [
      {
        compensation_tiers: '[]',
        rules:
          '[{"name":"r","conditions":{"all":[{"fact":"risk.churn","operator":"greaterThan","value":0.5}]},"event":{"params":{"compensationTier":"x","forbid":["none"]}}}]',
      },
      'rules[0].event.params.compensationTier',
      'use one of (none defined)',
    ],
  ])('checks consistency across settings (%#)', (raw, path, text) => {
    const issue = issuesOf(raw).find((candidate) => candidate.path === path);
    expect(issue?.message.en).toContain(text);
    expect(issue?.message.fr).not.toBe(issue?.message.en);
  });

  it.each([
    [
      { effort: { lexicon: [{ phrase: 'x' }] } },
      'effort.lexicon[0].phrase',
      'Write at least 2 character(s).',
    ],
    [
      { effort: { lexicon: [{ phrase: 'x'.repeat(81) }] } },
      'effort.lexicon[0].phrase',
      'Write at most 80 character(s).',
    ],
    [
      { compensationTiers: new Array(11).fill({ id: 'a', amount: 1, reduction: 0.5 }) },
      'compensationTiers',
      'Give at most 10 item(s).',
    ],
    [{ costs: { callbackMinutes: 601 } }, 'costs.callbackMinutes', 'Give a number at most 600.'],
    [{ callbackWindowHours: { gold: 0 } }, 'callbackWindowHours.gold', 'Give a number more than 0.'],
    [{ risk: { intercept: 'x' } }, 'risk.intercept', 'Give a number here.'],
    [{ locale: 3 }, 'locale', 'Use one of: "en", "fr".'],
    [{ costs: 3 }, 'costs', 'Give an object ({…}) here.'],
    [
      { rules: [{ name: 'x', conditions: { all: [] }, event: { params: { force: 'none' } } }] },
      'rules[0].conditions.all',
      'Give at least 1 item(s).',
    ],
  ])('explains zod issues in plain words (%#)', (raw, path, en) => {
    const issue = issuesOf(raw).find((candidate) => candidate.path === path);
    expect(issue?.message.en).toBe(en);
  });

  it('never throws, whatever it is given', () => {
    for (const raw of [1, 'x', true, [], { rules: 1 }, { costs_callback_minutes: {} }, { title: 1 }]) {
      expect(() => parseSettings(raw)).not.toThrow();
    }
    expect(issuesOf('x')[0]?.message.en).toContain('Settings must be an object');
    expect(issuesOf({ costs_callback_minutes: {} })[0]?.path).toBe('costs.callbackMinutes');
  });

  it('falls back to the zod message for rarer issues', () => {
    const issues = issuesOf({
      rules: [
        {
          name: 'r',
          conditions: { all: [{ fact: 'risk.churn', operator: 'equal', value: 1 }] },
          event: { params: { force: 'x' } },
        },
      ],
    });
    expect(issues[0]?.path).toBe('rules[0].event.params.force');
    expect(issues[0]?.message.en).toContain('"none"');
    const union = issuesOf({ connectorUrl: 5 })[0]!;
    expect(union.path).toBe('connectorUrl');
    expect(union.message.fr).toMatch(/^Valeur invalide : /);
  });
});

describe('SETTINGS_PARAMETERS', () => {
  it('names every setting as a snake_case Zendesk parameter with its default', () => {
    const byName = new Map(SETTINGS_PARAMETERS.map((parameter) => [parameter.name, parameter]));
    expect(byName.get('costs_callback_minutes')).toEqual({
      name: 'costs_callback_minutes',
      path: ['costs', 'callbackMinutes'],
      kind: 'number',
      default: 20,
    });
    expect(byName.get('risk_effort_class_customer_harder')?.default).toBe(DEFAULT_CUSTOMER_HARDER_POINTS);
    expect(byName.get('rules')).toMatchObject({ kind: 'json', default: '[]' });
    expect(byName.get('effort_lexicon')).toMatchObject({ kind: 'lexicon', default: '' });
    expect(JSON.parse(byName.get('compensation_tiers')!.default as string)).toEqual(
      DEFAULT_SETTINGS.compensationTiers,
    );
    for (const parameter of SETTINGS_PARAMETERS) expect(parameter.name).toMatch(/^[a-z0-9_]+$/);
  });

  it('round-trips: the defaults written as Zendesk strings parse to the default settings', () => {
    const raw = Object.fromEntries(
      SETTINGS_PARAMETERS.map((parameter) => [parameter.name, String(parameter.default)]),
    );
    expect(parseSettings(raw)).toEqual({ success: true, data: DEFAULT_SETTINGS });
  });
});

describe('calibration (DOMAIN.md §3)', () => {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  it('gives 8.6% churn on the reference incident and 4× that when the customer made more effort', () => {
    const reference = sigmoid(DEFAULT_INTERCEPT);
    const harder = sigmoid(DEFAULT_INTERCEPT + DEFAULT_CUSTOMER_HARDER_POINTS);
    expect(reference).toBeCloseTo(0.0857, 4);
    expect(harder / reference).toBeCloseTo(CALIBRATION.customerHarderFactor, 3);
    expect(0.6 * harder + 0.4 * reference).toBeCloseTo(CALIBRATION.baselineChurn, 4);
  });
});
