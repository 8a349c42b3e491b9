/**
 * The rule builder: a rule's conditions from the fact catalogue (each fact's operators, a value picker for closed
 * sets: tiers, incident types, channels…), its actions (force / forbid an intervention, tags, priority, callback
 * window), order, priority and enable/disable. A rule with nested groups stays editable in the JSON view.
 */
import { Button } from '@zendeskgarden/react-buttons';
import { Checkbox, Field, Input, Label, Select, Toggle } from '@zendeskgarden/react-forms';
import { styled } from 'styled-components';
import { ACTIONS, PRIORITIES } from '../../../../shared/src/domain/vocabulary.ts';
import {
  FACT_CATALOGUE,
  FACT_NAMES,
  isFactName,
  type FactName,
} from '../../../../shared/src/rules/fact-catalogue.ts';
import { OPERATORS, OPERATOR_NAMES, type OperatorName } from '../../../../shared/src/rules/operators.ts';
import type { PolicyTranslate } from './policy-i18n.ts';
import { asText, fieldId, issuesAt, pathKey, type Issue } from './policy-model.ts';
import type { AppLocale } from '../../../common/src/i18n/locale.ts';
import { FACT_LABELS, PRIORITY_LABELS, TIER_LABELS } from './fact-labels.ts';

export interface RuleDraft {
  name: string;
  priority?: number;
  enabled?: boolean;
  conditions: Record<string, unknown>;
  event: { type?: string; params: Record<string, unknown> };
}

interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
}

const RuleCard = styled.div<{ $off: boolean }>`
  border: 1px solid #d8dcde;
  border-radius: 6px;
  padding: 12px 14px;
  background: ${(p) => (p.$off ? '#f8f9f9' : '#fff')};
  opacity: ${(p) => (p.$off ? 0.8 : 1)};
`;
const Line = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 10px;
  align-items: flex-end;
  margin: 6px 0;
`;
const Small = styled.div<{ $w?: number }>`
  width: ${(p) => p.$w ?? 180}px;
`;
const Problem = styled.div`
  color: #cc3340;
  font-size: 13px;
  margin-top: 4px;
`;
const Heading = styled.div`
  font-weight: 600;
  font-size: 13px;
  color: #49545c;
  margin-top: 10px;
`;

function isLeaf(c: unknown): c is Leaf {
  return typeof c === 'object' && c !== null && 'fact' in c;
}

function operatorsFor(fact: string): OperatorName[] {
  const def = FACT_CATALOGUE[fact as FactName];
  if (def === undefined) return OPERATOR_NAMES;
  return OPERATOR_NAMES.filter((op) => (OPERATORS[op].factTypes as readonly string[]).includes(def.type));
}

function defaultValue(fact: string, operator: string): unknown {
  const def = FACT_CATALOGUE[fact as FactName];
  const values = def !== undefined && 'values' in def ? def.values : undefined;
  const list = OPERATORS[operator as OperatorName]?.value === 'list';
  if (def?.type === 'boolean') return list ? [true] : true;
  if (def?.type === 'number') return list ? [0] : 0;
  if (values !== undefined) return list ? [values[0]] : values[0];
  return list ? [''] : '';
}

/** The fact groups of the menu, in the catalogue's order (incident, customer, effort…). */
const FACT_GROUPS = [...new Set(FACT_NAMES.map((f) => f.split('.')[0]!))];

/** A closed-set value as the admin reads it (the tiers in their language); the rule stores the id. */
function valueLabel(fact: string, value: string, locale: AppLocale): string {
  if (fact === 'customer.tier' && value in TIER_LABELS)
    return TIER_LABELS[value as keyof typeof TIER_LABELS][locale];
  return value;
}

function ValuePicker({
  leaf,
  id,
  readOnly,
  onChange,
  t,
  locale,
}: {
  leaf: Leaf;
  id: string;
  readOnly: boolean;
  onChange: (value: unknown) => void;
  t: PolicyTranslate;
  locale: AppLocale;
}) {
  const def = FACT_CATALOGUE[leaf.fact as FactName];
  const operator = OPERATORS[leaf.operator as OperatorName];
  const values = def !== undefined && 'values' in def ? def.values : undefined;
  const list = operator?.value === 'list';
  if (list && values !== undefined) {
    const chosen: unknown[] = Array.isArray(leaf.value) ? (leaf.value as unknown[]) : [];
    return (
      <fieldset
        id={id}
        style={{ border: 0, padding: 0, margin: 0, display: 'flex', gap: 12, flexWrap: 'wrap' }}
      >
        <legend style={{ fontSize: 13, fontWeight: 600, marginBottom: 4, padding: 0 }}>
          {t('rules.value')}
        </legend>
        {values.map((v) => (
          <Field key={v}>
            <Checkbox
              checked={chosen.includes(v)}
              disabled={readOnly}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, v] : chosen.filter((x: unknown) => x !== v))
              }
            >
              <Label>{valueLabel(leaf.fact, v, locale)}</Label>
            </Checkbox>
          </Field>
        ))}
      </fieldset>
    );
  }
  if (!list && (values !== undefined || def?.type === 'boolean') && operator?.value !== 'string') {
    const options = values ?? ['true', 'false'];
    return (
      <Small>
        <Field>
          <Label>{t('rules.value')}</Label>
          <Select
            id={id}
            value={String(leaf.value)}
            disabled={readOnly}
            onChange={(e) => onChange(def?.type === 'boolean' ? e.target.value === 'true' : e.target.value)}
          >
            {options.map((v) => (
              <option key={v} value={v}>
                {def?.type === 'boolean' ? t(v === 'true' ? 'yes' : 'no') : valueLabel(leaf.fact, v, locale)}
              </option>
            ))}
          </Select>
        </Field>
      </Small>
    );
  }
  const number = def?.type === 'number' && operator?.value !== 'string';
  const text = Array.isArray(leaf.value) ? leaf.value.join(', ') : asText(leaf.value);
  const parse = (raw: string): unknown => (number && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw);
  return (
    <Small $w={list ? 260 : 160}>
      <Field>
        <Label>{t('rules.value')}</Label>
        <Input
          id={id}
          value={text}
          readOnly={readOnly}
          {...(number ? { inputMode: 'decimal' as const } : {})}
          {...(list ? { placeholder: t('rules.listHint') } : {})}
          onChange={(e) =>
            onChange(
              list
                ? e.target.value
                    .split(',')
                    .map((s) => s.trim())
                    .filter((s) => s !== '')
                    .map(parse)
                : parse(e.target.value),
            )
          }
        />
      </Field>
    </Small>
  );
}

export function RuleEditor({
  rule,
  index,
  count,
  tiers,
  issues,
  readOnly,
  locale,
  t,
  onChange,
  onMove,
  onRemove,
}: {
  rule: RuleDraft;
  index: number;
  count: number;
  tiers: readonly string[];
  issues: readonly Issue[];
  readOnly: boolean;
  locale: AppLocale;
  t: PolicyTranslate;
  onChange: (next: RuleDraft) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const base = ['rules', index] as const;
  const key = pathKey(base);
  const mode: 'all' | 'any' | null =
    'all' in rule.conditions ? 'all' : 'any' in rule.conditions ? 'any' : null;
  const conditions = mode === null ? [] : ((rule.conditions[mode] as unknown[]) ?? []);
  const flat = mode !== null && conditions.every(isLeaf);
  const params = rule.event.params;
  const setParam = (name: string, value: unknown) => {
    const next = { ...params };
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete next[name];
    else next[name] = value;
    if (name === 'force' && value !== 'compensation') delete next['compensationTier'];
    onChange({ ...rule, event: { ...rule.event, params: next } });
  };
  const setConditions = (list: unknown[]) => onChange({ ...rule, conditions: { [mode ?? 'all']: list } });
  const here = (path: readonly (string | number)[]) =>
    issuesAt(issues, pathKey([...base, ...path]), true).map((i) => (
      <Problem key={i.path + i.message.en} role="alert">
        {i.message[locale]}
      </Problem>
    ));
  const forbid = Array.isArray(params['forbid']) ? (params['forbid'] as string[]) : [];
  return (
    <RuleCard $off={rule.enabled === false} data-testid="rule" data-rule={rule.name} id={fieldId(key)}>
      <Line>
        <Small $w={280}>
          <Field>
            <Label>{t('rules.name')}</Label>
            <Input
              id={fieldId([...base, 'name'])}
              value={rule.name}
              readOnly={readOnly}
              onChange={(e) => onChange({ ...rule, name: e.target.value })}
            />
          </Field>
        </Small>
        <Small $w={120}>
          <Field>
            <Label>{t('rules.priority')}</Label>
            <Input
              id={fieldId([...base, 'priority'])}
              inputMode="numeric"
              value={String(rule.priority ?? 1)}
              readOnly={readOnly}
              onChange={(e) =>
                onChange({
                  ...rule,
                  priority: /^\d+$/.test(e.target.value) ? Number(e.target.value) : (e.target.value as never),
                })
              }
            />
          </Field>
        </Small>
        <Field>
          <Toggle
            checked={rule.enabled !== false}
            disabled={readOnly}
            onChange={(e) => onChange({ ...rule, enabled: e.target.checked })}
          >
            <Label>{t('rules.enabled')}</Label>
          </Toggle>
        </Field>
        {!readOnly && (
          <>
            <Button size="small" disabled={index === 0} onClick={() => onMove(-1)}>
              {t('rules.up')}
            </Button>
            <Button size="small" disabled={index === count - 1} onClick={() => onMove(1)}>
              {t('rules.down')}
            </Button>
            <Button size="small" isDanger onClick={onRemove}>
              {t('rules.remove')}
            </Button>
          </>
        )}
      </Line>
      {here(['name'])}
      {here(['priority'])}
      <Heading>{t('rules.when')}</Heading>
      {!flat ? (
        <Problem style={{ color: '#49545c' }}>{t('rules.nested')}</Problem>
      ) : (
        <>
          <Line>
            <Small $w={330}>
              <Field>
                <Label hidden>{t('rules.when')}</Label>
                <Select
                  value={mode ?? 'all'}
                  disabled={readOnly}
                  onChange={(e) => onChange({ ...rule, conditions: { [e.target.value]: conditions } })}
                >
                  <option value="all">{t('rules.all')}</option>
                  <option value="any">{t('rules.any')}</option>
                </Select>
              </Field>
            </Small>
          </Line>
          {conditions.map((leaf, ci) => {
            const cpath = [...base, 'conditions', mode ?? 'all', ci] as const;
            const update = (next: Partial<Leaf>) =>
              setConditions(conditions.map((c, j) => (j === ci ? { ...leaf, ...next } : c)));
            return (
              <div key={ci} data-testid="condition">
                <Line>
                  <Small $w={330}>
                    <Field>
                      <Label>{t('rules.fact')}</Label>
                      <Select
                        id={fieldId([...cpath, 'fact'])}
                        value={leaf.fact}
                        disabled={readOnly}
                        onChange={(e) => {
                          const fact = e.target.value;
                          const ops = operatorsFor(fact);
                          const operator = ops.includes(leaf.operator as OperatorName)
                            ? leaf.operator
                            : ops[0]!;
                          update({ fact, operator, value: defaultValue(fact, operator) });
                        }}
                      >
                        {FACT_GROUPS.map((group) => (
                          <optgroup key={group} label={group}>
                            {FACT_NAMES.filter((f) => f.startsWith(`${group}.`)).map((f) => (
                              <option key={f} value={f} title={f}>
                                {FACT_LABELS[f][locale]}
                              </option>
                            ))}
                          </optgroup>
                        ))}
                        {!isFactName(leaf.fact) && <option value={leaf.fact}>{leaf.fact}</option>}
                      </Select>
                    </Field>
                  </Small>
                  <Small $w={150}>
                    <Field>
                      <Label>{t('rules.operator')}</Label>
                      <Select
                        id={fieldId([...cpath, 'operator'])}
                        value={leaf.operator}
                        disabled={readOnly}
                        onChange={(e) => {
                          const operator = e.target.value;
                          const wasList = OPERATORS[leaf.operator as OperatorName]?.value === 'list';
                          const isList = OPERATORS[operator as OperatorName]?.value === 'list';
                          update({
                            operator,
                            value: wasList === isList ? leaf.value : defaultValue(leaf.fact, operator),
                          });
                        }}
                      >
                        {operatorsFor(leaf.fact).map((op) => (
                          <option key={op} value={op}>
                            {t(`op.${op}`)}
                          </option>
                        ))}
                      </Select>
                    </Field>
                  </Small>
                  <ValuePicker
                    leaf={leaf}
                    id={fieldId([...cpath, 'value'])}
                    readOnly={readOnly}
                    t={t}
                    locale={locale}
                    onChange={(value) => update({ value })}
                  />
                  {!readOnly && conditions.length > 1 && (
                    <Button
                      size="small"
                      isBasic
                      onClick={() => setConditions(conditions.filter((_, j) => j !== ci))}
                    >
                      {t('rules.removeCondition')}
                    </Button>
                  )}
                </Line>
                {here(['conditions', mode ?? 'all', ci])}
              </div>
            );
          })}
          {!readOnly && (
            <Button
              size="small"
              isBasic
              onClick={() =>
                setConditions([
                  ...conditions,
                  { fact: 'customer.tier', operator: 'equal', value: 'platinum' },
                ])
              }
            >
              {t('rules.addCondition')}
            </Button>
          )}
        </>
      )}
      <Heading>{t('rules.then')}</Heading>
      <Line>
        <Small $w={210}>
          <Field>
            <Label>{t('rules.force')}</Label>
            <Select
              id={fieldId([...base, 'event', 'params', 'force'])}
              value={typeof params['force'] === 'string' ? params['force'] : ''}
              disabled={readOnly}
              onChange={(e) => setParam('force', e.target.value === '' ? undefined : e.target.value)}
            >
              <option value="">{t('rules.forceNone')}</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`action.${a}`)}
                </option>
              ))}
            </Select>
          </Field>
        </Small>
        {params['force'] === 'compensation' && (
          <Small>
            <Field>
              <Label>{t('rules.tier')}</Label>
              <Select
                id={fieldId([...base, 'event', 'params', 'compensationTier'])}
                value={typeof params['compensationTier'] === 'string' ? params['compensationTier'] : ''}
                disabled={readOnly}
                onChange={(e) =>
                  setParam('compensationTier', e.target.value === '' ? undefined : e.target.value)
                }
              >
                <option value="">{t('rules.forceNone')}</option>
                {tiers.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </Select>
            </Field>
          </Small>
        )}
        <Small $w={220}>
          <Field>
            <Label>{t('rules.setPriority')}</Label>
            <Select
              id={fieldId([...base, 'event', 'params', 'setPriority'])}
              value={typeof params['setPriority'] === 'string' ? params['setPriority'] : ''}
              disabled={readOnly}
              onChange={(e) => setParam('setPriority', e.target.value === '' ? undefined : e.target.value)}
            >
              <option value="">{t('rules.noAction')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p][locale]}
                </option>
              ))}
            </Select>
          </Field>
        </Small>
        <Small $w={170}>
          <Field>
            <Label>{t('rules.windowHours')}</Label>
            <Input
              id={fieldId([...base, 'event', 'params', 'callbackWindowHours'])}
              inputMode="decimal"
              readOnly={readOnly}
              value={asText(params['callbackWindowHours'])}
              onChange={(e) =>
                setParam(
                  'callbackWindowHours',
                  e.target.value.trim() === ''
                    ? undefined
                    : /^\d+(\.\d+)?$/.test(e.target.value.trim())
                      ? Number(e.target.value)
                      : e.target.value,
                )
              }
            />
          </Field>
        </Small>
        <Small $w={300}>
          <Field>
            <Label>{t('rules.tags')}</Label>
            <Input
              id={fieldId([...base, 'event', 'params', 'addTags'])}
              readOnly={readOnly}
              placeholder={t('rules.listHint')}
              value={Array.isArray(params['addTags']) ? (params['addTags'] as string[]).join(', ') : ''}
              onChange={(e) =>
                setParam(
                  'addTags',
                  e.target.value
                    .split(',')
                    .map((s) => s.trim())
                    .filter((s) => s !== ''),
                )
              }
            />
          </Field>
        </Small>
      </Line>
      <fieldset
        id={fieldId([...base, 'event', 'params', 'forbid'])}
        style={{ border: 0, padding: 0, margin: '4px 0', display: 'flex', gap: 14, flexWrap: 'wrap' }}
      >
        <legend style={{ fontSize: 13, fontWeight: 600, marginBottom: 4, padding: 0 }}>
          {t('rules.forbid')}
        </legend>
        {ACTIONS.filter((a) => a !== 'none').map((a) => (
          <Field key={a}>
            <Checkbox
              checked={forbid.includes(a)}
              disabled={readOnly}
              onChange={(e) =>
                setParam('forbid', e.target.checked ? [...forbid, a] : forbid.filter((x) => x !== a))
              }
            >
              <Label>{t(`action.${a}`)}</Label>
            </Checkbox>
          </Field>
        ))}
      </fieldset>
      {here(['event'])}
    </RuleCard>
  );
}

export function newRule(existing: readonly RuleDraft[], t: PolicyTranslate): RuleDraft {
  let n = existing.length + 1;
  const names = new Set(existing.map((r) => r.name));
  while (names.has(t('rules.newName', { n }))) n++;
  return {
    name: t('rules.newName', { n }),
    priority: 1,
    enabled: true,
    conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'platinum' }] },
    event: { type: 'boucle', params: { force: 'callback' } },
  };
}
