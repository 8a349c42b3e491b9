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
import type { CompensationTier } from '../settings/settings-schema.ts';
import { PRIORITY_LABELS, TIER_LABELS } from './tier-labels.ts';
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
  priority: PRIORITY_LABELS,
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
  tier: TIER_LABELS,
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

/** The currency of every amount Boucle shows (CRM revenue, costs, compensation amounts). */
export const CURRENCY = 'EUR';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * Money in one way everywhere — the explanation, the sidebar's cards, the draft reply: the locale's currency
 * format without decimals ("€1,250" in English, "1 250 €" in French). Intl formats are built once per locale.
 */
export function formatMoney(value: number, locale: Locale, currency: string = CURRENCY): string {
  const key = `${locale}:${currency}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
      minimumFractionDigits: 0,
    });
    moneyFormats.set(key, format);
  }
  // -0 would print as "-€0".
  return format.format(Math.round(value) || 0);
}

/** What the customer reads for a compensation tier: its admin-defined label, the amount in their language. */
export function compensationWording(
  tier: Pick<CompensationTier, 'amount' | 'label'>,
  locale: Locale,
): string {
  const amount = formatMoney(tier.amount, locale);
  const label =
    tier.label?.[locale] ??
    (locale === 'fr' ? 'un geste commercial de {amount}' : 'a goodwill gesture of {amount}');
  return label.replaceAll('{amount}', amount);
}

/** Options of the texts: the compensation tiers, so that a tier is named by its wording, not its id. */
export interface ExplainOptions {
  readonly compensationTiers?: readonly Pick<CompensationTier, 'id' | 'amount' | 'label'>[];
}

export function formatPercent(probability: number, locale: Locale): string {
  const text = (Math.round(probability * 1000) / 10).toFixed(1);
  return `${locale === 'fr' ? text.replace('.', ',') : text}${locale === 'fr' ? '\u202f%' : '%'}`;
}

function formatNumber(value: number, locale: Locale): string {
  const text = String(Math.round(value * 100) / 100);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

function action(
  value: Action,
  locale: Locale,
  tier: string | null = null,
  options: ExplainOptions = {},
): string {
  const label = LABELS.action[value][locale];
  if (tier === null) return label;
  const defined = options.compensationTiers?.find((candidate) => candidate.id === tier);
  return `${label} (${defined === undefined ? tier : compensationWording(defined, locale)})`;
}

const STATUS_WORD = {
  solved: { en: 'solved', fr: 'résolu' },
  closed: { en: 'closed', fr: 'clos' },
} as const;

/** One reason as one sentence. */
export function describeReason(reason: Reason, locale: Locale, options: ExplainOptions = {}): string {
  const fr = locale === 'fr';
  const money = (value: number) => formatMoney(value, locale);
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
    case 'ticket_solved':
      return fr
        ? `Le ticket est ${STATUS_WORD[reason.status].fr} et aucune mauvaise réponse n’est arrivée depuis : aucune nouvelle intervention (le modèle aurait proposé ${action(reason.modelAction, locale)} sur un ticket ouvert). Si le client répond mal à une enquête, la boucle se rouvre sur un ticket de suivi.`
        : `The ticket is ${STATUS_WORD[reason.status].en} and no bad answer came since: no new intervention (on a live ticket the model would propose ${action(reason.modelAction, locale)}). If the customer answers a survey badly, the loop reopens on a follow-up ticket.`;
    case 'feedback_after_solve':
      return fr
        ? `Le client a répondu ${reason.kind.toUpperCase()} ${String(reason.score)} après la résolution du ticket : la reprise de contact reste due, sur le ticket de suivi, et son délai court depuis cette réponse.`
        : `The customer answered ${reason.kind.toUpperCase()} ${String(reason.score)} after the ticket was solved: the recovery is still due, on the follow-up ticket, and its clock runs from that answer.`;
    case 'best_expected_value':
      return fr
        ? `${capitalize(action(reason.action, locale, reason.compensationTier, options))} a la meilleure valeur attendue : ${money(reason.expectedValue)}.`
        : `${capitalize(action(reason.action, locale, reason.compensationTier, options))} has the best expected value: ${money(reason.expectedValue)}.`;
    case 'holdout':
      return fr
        ? `Test et apprentissage : ce client fait partie du groupe témoin de l’expérience « ${reason.experiment} » (${formatPercent(reason.percent / 100, locale)} des clients éligibles, tirés au sort par client). Boucle aurait recommandé ${action(reason.action, locale, reason.compensationTier, options)} (valeur attendue ${money(reason.expectedValue)}) mais ne recommande rien : l’équipe traite le ticket comme d’habitude, et la comparaison mesure ce que la politique rapporte.`
        : `Test and learn: this customer is in the holdout of experiment "${reason.experiment}" (${formatPercent(reason.percent / 100, locale)} of eligible customers, drawn by customer). Boucle would have recommended ${action(reason.action, locale, reason.compensationTier, options)} (expected value ${money(reason.expectedValue)}) but recommends nothing: the team handles the ticket as usual, and the comparison measures what the policy earns.`;
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
        ? `Client ${LABELS.tier[reason.tier][locale]} : ${money(reason.valueAtRisk)} de marge en jeu, risque de départ ${formatPercent(reason.churnRisk, locale)}, perte attendue ${money(reason.expectedLoss)}.`
        : `${capitalize(LABELS.tier[reason.tier][locale])} customer: ${money(reason.valueAtRisk)} of margin at risk, churn risk ${formatPercent(reason.churnRisk, locale)}, expected loss ${money(reason.expectedLoss)}.`;
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
        ? `La règle « ${reason.rule} » fixe le délai de premier contact à ${formatNumber(reason.hours, locale)} h.`
        : `Rule "${reason.rule}" sets the first-contact window to ${formatNumber(reason.hours, locale)} h.`;
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
  /** One line for notes and the ledger: the recommendation, its priority, and the reasons of the glance line. */
  readonly headline: string;
  /** The two or three reasons behind the recommendation, for a glance ("High-value customer (gold), …."). */
  readonly glance: string;
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

function ordinal(n: number, locale: Locale): string {
  if (locale === 'fr') return n === 1 ? '1er' : `${n}e`;
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/**
 * The two or three facts that carry the decision, as short phrases for the glance line ("high-value customer
 * (gold), 3rd contact on the same issue, company at fault"). Read from the decision's facts and reasons only, so
 * the CLI, the note and the sidebar say the same thing; the figures stay in the details.
 */
export function glanceReasons(decision: Decision, locale: Locale): string[] {
  const fr = locale === 'fr';
  const facts = decision.explanation.facts;
  const reasons = decision.explanation.reasons;
  const num = (name: keyof typeof facts): number => {
    const value = facts[name];
    return typeof value === 'number' ? value : 0;
  };
  const items: string[] = [];
  const has = (code: Reason['code']) => reasons.find((reason) => reason.code === code);
  const late = has('feedback_after_solve');
  if (late?.code === 'feedback_after_solve') {
    const score = `${late.kind.toUpperCase()} ${String(late.score)}`;
    items.push(fr ? `${score} après la résolution du ticket` : `${score} after the ticket was solved`);
  }
  const solved = has('ticket_solved');
  if (solved?.code === 'ticket_solved') {
    items.push(
      fr
        ? `ticket ${STATUS_WORD[solved.status].fr} sans mauvaise réponse depuis`
        : `ticket ${STATUS_WORD[solved.status].en} with no bad answer since`,
    );
  }
  if (has('holdout') !== undefined)
    items.push(fr ? 'groupe témoin (test et apprentissage)' : 'holdout (test and learn)');
  const forced = has('rule_forced');
  if (forced?.code === 'rule_forced')
    items.push(fr ? `imposé par la règle « ${forced.rule} »` : `required by rule "${forced.rule}"`);
  const action = decision.action;
  if (action === 'none' && has('no_action_pays') !== undefined) {
    const value = formatMoney(decision.valueAtRisk, locale);
    items.push(fr ? `peu de valeur en jeu (${value})` : `little value at risk (${value})`);
  }
  if (decision.tier === 'platinum' || decision.tier === 'gold') {
    const tier = LABELS.tier[decision.tier][locale];
    items.push(fr ? `client à forte valeur (${tier})` : `high-value customer (${tier})`);
  }
  const contacts = num('incident.contacts');
  if (contacts >= 2) {
    items.push(
      fr
        ? `${ordinal(contacts, locale)} contact pour le même problème`
        : `${ordinal(contacts, locale)} contact on the same issue`,
    );
  }
  if (Math.max(num('incident.recurrence'), num('history.repeatIncidents')) >= 1)
    items.push(fr ? 'problème récurrent' : 'recurring problem');
  if (action === 'compensation' && facts['incident.companyAtFault'] === true)
    items.push(fr ? 'entreprise en faute' : 'company at fault');
  if (facts['effort.class'] === 'customer_harder') items.push(LABELS.effortClass.customer_harder[locale]);
  const waiting = num('incident.waitingHours');
  if (waiting >= 24) {
    const hours = Math.round(waiting);
    items.push(fr ? `${hours} h d’attente de réponse` : `${hours} h waiting for replies`);
  }
  const severity = facts['incident.severity'];
  if (severity === 'critical') items.push(fr ? 'incident critique' : 'critical incident');
  else if (severity === 'high') items.push(fr ? 'incident grave' : 'severe incident');
  if (facts['feedback.npsCategory'] === 'detractor')
    items.push(
      fr ? `NPS ${num('feedback.lastNps')} — détracteur` : `NPS ${num('feedback.lastNps')} — detractor`,
    );
  for (const reason of reasons) {
    if (reason.code !== 'guardrail') continue;
    if (reason.guardrail === 'apology_cooldown')
      items.push(fr ? 'excuses déjà reçues récemment' : 'apology already sent recently');
    if (reason.guardrail === 'compensation_not_at_fault' && action !== 'compensation')
      items.push(fr ? 'l’entreprise n’est pas en faute' : 'not the company’s fault');
  }
  if (items.length === 0) {
    items.push(
      fr
        ? `perte attendue ${formatMoney(decision.explanation.figures.expectedLoss, locale)}`
        : `expected loss ${formatMoney(decision.explanation.figures.expectedLoss, locale)}`,
    );
  }
  return items.slice(0, 3);
}

/** The decision in words, for an agent: the reasons at a glance, details on demand. */
export function renderExplanation(
  decision: Decision,
  locale: Locale,
  options: ExplainOptions = {},
): RenderedExplanation {
  const fr = locale === 'fr';
  const what = capitalize(action(decision.action, locale, decision.compensationTier, options));
  const priority = LABELS.priority[decision.priority][locale];
  const glance = `${capitalize(glanceReasons(decision, locale).join(', '))}.`;
  const headline = fr
    ? `${what}, priorité ${priority} — ${glance}`
    : `${what}, ${priority} priority — ${glance}`;
  return {
    headline,
    glance,
    details: decision.explanation.reasons.map((reason) => describeReason(reason, locale, options)),
    rules: decision.explanation.rules.flatMap((rule) => describeRuleTrace(rule, locale)),
  };
}
