import type {
  Action,
  EffortClass,
  EffortSource,
  Locale,
  LocalizedText,
  Priority,
  ValueTier,
} from '../domain/vocabulary.ts';
import type { Decision, Reason } from '../decision/decision.ts';
import type { Guardrail } from '../policy/recommend-intervention.ts';
import type { RiskFactor } from '../risk/churn-model.ts';
import type { ConditionTrace, RuleTrace } from '../rules/compile-rules.ts';

/** Words for the closed sets, in both languages, for any screen that shows a decision. */
export const LABELS = {
  action: {
    none: { en: 'no action', fr: 'aucune action' },
    apology: { en: 'an apology', fr: 'des excuses' },
    callback: { en: 'a callback', fr: 'un rappel' },
    compensation: { en: 'a compensation', fr: 'une compensation' },
  },
  /** "No <action>", for the guardrail that ruled it out. */
  without: {
    none: { en: 'No action', fr: 'Aucune action' },
    apology: { en: 'No apology', fr: 'Pas d’excuses' },
    callback: { en: 'No callback', fr: 'Pas de rappel' },
    compensation: { en: 'No compensation', fr: 'Pas de compensation' },
  },
  priority: {
    low: { en: 'low', fr: 'basse' },
    normal: { en: 'normal', fr: 'normale' },
    high: { en: 'high', fr: 'haute' },
    urgent: { en: 'urgent', fr: 'urgente' },
  },
  effortClass: {
    customer_harder: {
      en: 'the customer made more effort than the company',
      fr: 'le client a fait plus d’efforts que l’entreprise',
    },
    balanced: { en: 'efforts were balanced', fr: 'les efforts étaient équilibrés' },
    company_harder: {
      en: 'the company made more effort than the customer',
      fr: 'l’entreprise a fait plus d’efforts que le client',
    },
  },
  effortSource: {
    measured: { en: 'measured by survey', fr: 'mesuré par enquête' },
    partial: { en: 'half measured, half estimated', fr: 'en partie mesuré, en partie estimé' },
    estimated: { en: 'estimated from the ticket', fr: 'estimé d’après le ticket' },
  },
  guardrail: {
    apology_cooldown: {
      en: 'this customer already received an apology recently',
      fr: 'ce client a déjà reçu des excuses récemment',
    },
    compensation_not_at_fault: {
      en: 'the company is not at fault',
      fr: 'l’entreprise n’est pas en faute',
    },
    compensation_not_warranted: {
      en: 'the failure is neither recurrent, severe nor slowly handled',
      fr: 'l’incident n’est ni récurrent, ni grave, ni traité lentement',
    },
    spend_above_value_at_risk: {
      en: 'its cost exceeds the share of value at risk allowed',
      fr: 'son coût dépasse la part autorisée de la valeur en jeu',
    },
  },
  riskFactor: {
    baseline: { en: 'baseline', fr: 'base' },
    incidentType: { en: 'type of incident', fr: 'type d’incident' },
    severity: { en: 'severity', fr: 'gravité' },
    effortClass: { en: 'effort balance', fr: 'équilibre des efforts' },
    repeatIncidents: { en: 'repeat incidents', fr: 'incidents répétés' },
    tenure: { en: 'customer tenure', fr: 'ancienneté du client' },
    npsCategory: { en: 'latest NPS', fr: 'dernier NPS' },
    npsFalling: { en: 'falling NPS', fr: 'NPS en baisse' },
  },
  tier: {
    platinum: { en: 'platinum', fr: 'platine' },
    gold: { en: 'gold', fr: 'or' },
    silver: { en: 'silver', fr: 'argent' },
    bronze: { en: 'bronze', fr: 'bronze' },
  },
} as const satisfies {
  action: Record<Action, LocalizedText>;
  without: Record<Action, LocalizedText>;
  priority: Record<Priority, LocalizedText>;
  effortClass: Record<EffortClass, LocalizedText>;
  effortSource: Record<EffortSource, LocalizedText>;
  guardrail: Record<Guardrail, LocalizedText>;
  riskFactor: Record<RiskFactor, LocalizedText>;
  tier: Record<ValueTier, LocalizedText>;
};

/** Money without decimals and with thin grouping, the same in both languages (no locale data needed). */
export function formatMoney(value: number): string {
  const sign = value < 0 ? '−' : '';
  const digits = Math.round(Math.abs(value)).toString();
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

export function formatPercent(probability: number, locale: Locale): string {
  const text = (Math.round(probability * 1000) / 10).toFixed(1);
  return `${locale === 'fr' ? text.replace('.', ',') : text}${locale === 'fr' ? '\u202f%' : '%'}`;
}

function formatNumber(value: number, locale: Locale): string {
  const text = String(Math.round(value * 100) / 100);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

function action(value: Action, locale: Locale, tier: string | null = null): string {
  const label = LABELS.action[value][locale];
  return tier === null ? label : `${label} (${tier})`;
}

/** One reason as one sentence. */
export function describeReason(reason: Reason, locale: Locale): string {
  const fr = locale === 'fr';
  switch (reason.code) {
    case 'rule_forced':
      return fr
        ? `La règle « ${reason.rule} » impose ${action(reason.action, locale)} : les règles l’emportent sur le modèle.`
        : `Rule "${reason.rule}" requires ${action(reason.action, locale)}: rules win over the model.`;
    case 'rule_force_blocked': {
      const why = reason.guardrails
        .map((guardrail) => LABELS.guardrail[guardrail][locale])
        .join(fr ? ' ; ' : '; ');
      return fr
        ? `La règle « ${reason.rule} » demande ${action(reason.action, locale)}, mais un garde-fou l’empêche (${why}) : le modèle décide.`
        : `Rule "${reason.rule}" asks for ${action(reason.action, locale)}, but a guardrail prevents it (${why}): the model decides.`;
    }
    case 'rule_force_overruled':
      return fr
        ? `La règle « ${reason.rule} » demande ${action(reason.action, locale)}, mais « ${reason.by} », plus prioritaire, l’interdit.`
        : `Rule "${reason.rule}" asks for ${action(reason.action, locale)}, but "${reason.by}", of higher priority, forbids it.`;
    case 'best_expected_value':
      return fr
        ? `${capitalize(action(reason.action, locale, reason.compensationTier))} a la meilleure valeur attendue : ${formatMoney(reason.expectedValue)}.`
        : `${capitalize(action(reason.action, locale, reason.compensationTier))} has the best expected value: ${formatMoney(reason.expectedValue)}.`;
    case 'no_action_pays':
      return fr
        ? 'Aucune action ne rapporte plus qu’elle ne coûte : l’incident compte dans les tendances.'
        : 'No action is worth more than it costs: the incident counts in the trends.';
    case 'nothing_allowed':
      return fr
        ? 'Les règles et garde-fous n’autorisent aucune action.'
        : 'Rules and guardrails allow no action.';
    case 'rule_forbade':
      return fr
        ? `La règle « ${reason.rule} » interdit ${action(reason.action, locale)}.`
        : `Rule "${reason.rule}" forbids ${action(reason.action, locale)}.`;
    case 'guardrail':
      return `${LABELS.without[reason.action][locale]}${fr ? ' :' : ':'} ${LABELS.guardrail[reason.guardrail][locale]}.`;
    case 'effort':
      return fr
        ? `Effort (C:CER ${formatNumber(reason.ratio, locale)}, client ${formatNumber(reason.customer, locale)} / entreprise ${formatNumber(reason.company, locale)}, ${LABELS.effortSource[reason.source][locale]}) : ${LABELS.effortClass[reason.class][locale]}.`
        : `Effort (C:CER ${formatNumber(reason.ratio, locale)}, customer ${formatNumber(reason.customer, locale)} / company ${formatNumber(reason.company, locale)}, ${LABELS.effortSource[reason.source][locale]}): ${LABELS.effortClass[reason.class][locale]}.`;
    case 'value':
      return fr
        ? `Client ${LABELS.tier[reason.tier][locale]} : ${formatMoney(reason.valueAtRisk)} de marge en jeu, risque de départ ${formatPercent(reason.churnRisk, locale)}, perte attendue ${formatMoney(reason.expectedLoss)}.`
        : `${capitalize(LABELS.tier[reason.tier][locale])} customer: ${formatMoney(reason.valueAtRisk)} of margin at risk, churn risk ${formatPercent(reason.churnRisk, locale)}, expected loss ${formatMoney(reason.expectedLoss)}.`;
    case 'risk_driver':
      return fr
        ? `Le risque augmente avec : ${LABELS.riskFactor[reason.factor][locale]} (+${formatNumber(reason.points, locale)} point${reason.points >= 2 ? 's' : ''} de log-cote).`
        : `Risk raised by: ${LABELS.riskFactor[reason.factor][locale]} (+${formatNumber(reason.points, locale)} log-odds).`;
    case 'priority_by_rule':
      return fr
        ? `La règle « ${reason.rule} » fixe la priorité : ${LABELS.priority[reason.priority][locale]}.`
        : `Rule "${reason.rule}" sets the priority: ${LABELS.priority[reason.priority][locale]}.`;
    case 'callback_window_by_rule':
      return fr
        ? `La règle « ${reason.rule} » fixe le délai de rappel à ${formatNumber(reason.hours, locale)} h.`
        : `Rule "${reason.rule}" sets the callback window to ${formatNumber(reason.hours, locale)} h.`;
    case 'rule_tags':
      return fr
        ? `La règle « ${reason.rule} » ajoute les tags ${reason.tags.join(', ')}.`
        : `Rule "${reason.rule}" adds the tags ${reason.tags.join(', ')}.`;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface RenderedExplanation {
  /** One line for a glance: the recommendation and its main reason. */
  readonly headline: string;
  /** Every reason, one sentence each, headline's reason first. */
  readonly details: readonly string[];
  /** Each rule, fired or not, with each condition's outcome and the value seen. */
  readonly rules: readonly string[];
}

function describeCondition(trace: ConditionTrace, locale: Locale, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const mark = trace.result ? '✓' : '✗';
  if (trace.kind === 'fact') {
    const seen =
      trace.factValue === null ? (locale === 'fr' ? 'inconnu' : 'unknown') : JSON.stringify(trace.factValue);
    const label = locale === 'fr' ? 'valeur vue' : 'value seen';
    return [
      `${indent}${mark} ${trace.fact} ${trace.operator} ${JSON.stringify(trace.value)} (${label}: ${seen})`,
    ];
  }
  return [
    `${indent}${mark} ${trace.kind}`,
    ...trace.conditions.flatMap((child) => describeCondition(child, locale, depth + 1)),
  ];
}

/** A rule trace as indented lines: the rule, then every condition with its outcome (✓/✗) and the value seen. */
export function describeRuleTrace(rule: RuleTrace, locale: Locale): string[] {
  const head =
    locale === 'fr'
      ? `Règle « ${rule.name} » (priorité ${rule.priority}) : ${rule.fired ? 'déclenchée' : 'non déclenchée'}`
      : `Rule "${rule.name}" (priority ${rule.priority}): ${rule.fired ? 'fired' : 'not fired'}`;
  return [head, ...describeCondition(rule.conditions, locale, 1)];
}

/** The decision in words, for an agent: a headline to read at a glance, details on demand. */
export function renderExplanation(decision: Decision, locale: Locale): RenderedExplanation {
  const fr = locale === 'fr';
  const what = capitalize(action(decision.action, locale, decision.compensationTier));
  const priority = LABELS.priority[decision.priority][locale];
  const main = decision.explanation.reasons[0]!;
  const headline = fr
    ? `${what}, priorité ${priority} — ${describeReason(main, locale)}`
    : `${what}, ${priority} priority — ${describeReason(main, locale)}`;
  return {
    headline,
    details: decision.explanation.reasons.map((reason) => describeReason(reason, locale)),
    rules: decision.explanation.rules.flatMap((rule) => describeRuleTrace(rule, locale)),
  };
}
