import { computeValueAtRisk, computeValueTier } from '../customer/compute-value-tier.ts';
import { MS_PER_DAY, MS_PER_HOUR, formatIsoUtc, parseIsoMs } from '../domain/time.ts';
import type { Action, NpsCategory } from '../domain/vocabulary.ts';
import { assessEffort } from '../effort/assess-effort.ts';
import { compileLexicon } from '../effort/effort-lexicon.ts';
import { categorizeNps, isCsatSatisfied } from '../metrics/feedback-metrics.ts';
import { FOLLOW_UP_OF, type FollowUp } from '../policy/follow-up.ts';
import {
  chooseBestCandidate,
  computePriority,
  isAllowed,
  listCandidates,
} from '../policy/recommend-intervention.ts';
import type { Candidate, Guardrail } from '../policy/recommend-intervention.ts';
import { RISK_FACTORS, computeChurnRisk } from '../risk/churn-model.ts';
import type { RiskFactor } from '../risk/churn-model.ts';
import { compileRules } from '../rules/compile-rules.ts';
import type { CompiledRules, RuleTrace, RulesOutcome } from '../rules/compile-rules.ts';
import { FACT_NAMES } from '../rules/fact-catalogue.ts';
import type { FactName, FactValue, Facts } from '../rules/fact-catalogue.ts';
import type { Settings } from '../settings/settings-schema.ts';
import type { Decision, DecisionFigures, Explanation, Reason } from './decision.ts';
import type { DecisionInput } from './decision-input-schema.ts';

export interface Decider {
  readonly settings: Settings;
  readonly rules: CompiledRules;
  /**
   * Decides on one incident. `now` (ISO 8601 or ms since the epoch) is the decision time unless the input
   * carries its own `now`, which wins. Same input, same settings, same time: same decision.
   */
  readonly decide: (input: DecisionInput, now: string | number) => Decision;
}

// Rounding to 2 and 4 decimals, with the factor written out (10 ** digits computed on every call showed up in
// the profile).
const round2 = (value: number): number => Math.round(value * 100) / 100;
const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
const round2OrNull = (value: number | null): number | null => (value === null ? null : round2(value));

interface NpsHistory {
  readonly last: number | null;
  readonly category: NpsCategory | null;
  readonly falling: boolean;
  readonly lastCsatSatisfied: boolean | null;
}

function readScoreHistory(feedback: DecisionInput['feedback'], nowMs: number, fallingBy: number): NpsHistory {
  let last: number | null = null;
  let previous: number | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  let previousAt = Number.NEGATIVE_INFINITY;
  let csatAt = Number.NEGATIVE_INFINITY;
  let lastCsatSatisfied: boolean | null = null;
  for (const response of feedback) {
    if (response.kind !== 'nps' && response.kind !== 'csat') continue;
    const at = parseIsoMs(response.respondedAt);
    if (at > nowMs) continue;
    if (response.kind === 'csat') {
      if (at >= csatAt) {
        csatAt = at;
        lastCsatSatisfied = isCsatSatisfied(response);
      }
    } else if (at >= lastAt) {
      previous = last;
      previousAt = lastAt;
      last = response.score;
      lastAt = at;
    } else if (at >= previousAt) {
      previous = response.score;
      previousAt = at;
    }
  }
  return {
    last,
    category: last === null ? null : categorizeNps(last),
    falling: last !== null && previous !== null && previous - last >= fallingBy,
    lastCsatSatisfied,
  };
}

function yearsBetween(fromIso: string | undefined, nowMs: number): number | null {
  if (fromIso === undefined) return null;
  return Math.max(0, (nowMs - parseIsoMs(fromIso)) / (365.25 * MS_PER_DAY));
}

function daysSince(fromIso: string | undefined, nowMs: number): number | null {
  if (fromIso === undefined) return null;
  return Math.max(0, (nowMs - parseIsoMs(fromIso)) / MS_PER_DAY);
}

/** The (at most two) factors that raise the risk most, beyond the baseline. */
function pushRiskDrivers(points: Readonly<Record<RiskFactor, number>>, reasons: Reason[]): void {
  // Read by name, in RISK_FACTORS order: a load by a different key each time would go megamorphic.
  const values = [
    points.baseline,
    points.incidentType,
    points.severity,
    points.effortClass,
    points.repeatIncidents,
    points.tenure,
    points.npsCategory,
    points.npsFalling,
  ];
  let first = -1;
  let second = -1;
  for (let factor = 1; factor < values.length; factor += 1) {
    const value = values[factor]!;
    if (value <= 0) continue;
    if (first === -1 || value > values[first]!) {
      second = first;
      first = factor;
    } else if (second === -1 || value > values[second]!) {
      second = factor;
    }
  }
  for (const factor of [first, second]) {
    if (factor !== -1)
      reasons.push({ code: 'risk_driver', factor: RISK_FACTORS[factor]!, points: round4(values[factor]!) });
  }
}

/** `formatIsoUtc` that remembers its last answer: the same instant is written once. */
function lastFormatted(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastText = formatIsoUtc(ms);
      lastMs = ms;
    }
    return lastText;
  };
}

/**
 * The latest NPS or CSAT answer about this ticket when the ticket is solved or closed and that answer is bad
 * (a detractor, an unsatisfied CSAT): the loop reopens. A later good answer about the ticket closes it again.
 */
function lateBadAnswer(input: DecisionInput, nowMs: number) {
  let latest: DecisionInput['feedback'][number] | null = null;
  let latestAt = Number.NEGATIVE_INFINITY;
  for (const response of input.feedback) {
    if (response.kind !== 'nps' && response.kind !== 'csat') continue;
    if (response.ticketId !== input.incident.ticketId) continue;
    const at = parseIsoMs(response.respondedAt);
    if (at > nowMs || at < latestAt) continue;
    latest = response;
    latestAt = at;
  }
  if (latest === null) return null;
  const bad = latest.kind === 'nps' ? categorizeNps(latest.score) === 'detractor' : !isCsatSatisfied(latest);
  return bad ? { response: latest, at: latestAt } : null;
}

/**
 * The explanation, with the rule traces built on first read (or when serialised to JSON), not on every decision:
 * a trace re-evaluates every condition without short-circuit, which the decision itself does not need.
 */
class LazyExplanation implements Explanation {
  readonly reasons: readonly Reason[];
  readonly riskPoints: Readonly<Record<RiskFactor, number>>;
  readonly candidates: readonly Candidate[];
  readonly figures: DecisionFigures;
  readonly effortPhrases: readonly string[];
  readonly #values: readonly FactValue[];
  readonly #rules: CompiledRules;
  readonly #outcome: RulesOutcome;
  #facts: Facts | undefined;
  #traces: readonly RuleTrace[] | undefined;

  constructor(
    reasons: readonly Reason[],
    values: readonly FactValue[],
    riskPoints: Readonly<Record<RiskFactor, number>>,
    candidates: readonly Candidate[],
    figures: DecisionFigures,
    effortPhrases: readonly string[],
    rules: CompiledRules,
    outcome: RulesOutcome,
  ) {
    this.reasons = reasons;
    this.#values = values;
    this.riskPoints = riskPoints;
    this.candidates = candidates;
    this.figures = figures;
    this.effortPhrases = effortPhrases;
    this.#rules = rules;
    this.#outcome = outcome;
  }

  /** Every fact by name, in catalogue order, built from the list the rules read. */
  get facts(): Facts {
    if (this.#facts === undefined) {
      const facts: Partial<Record<FactName, FactValue>> = {};
      const values = this.#values;
      for (let slot = 0; slot < FACT_NAMES.length; slot += 1) facts[FACT_NAMES[slot]!] = values[slot]!;
      this.#facts = facts as Facts;
    }
    return this.#facts;
  }

  get rules(): readonly RuleTrace[] {
    return (this.#traces ??= this.#rules.traceValues(this.#values, this.#outcome));
  }

  toJSON(): Explanation {
    return {
      reasons: this.reasons,
      facts: this.facts,
      riskPoints: this.riskPoints,
      candidates: this.candidates,
      rules: this.rules,
      figures: this.figures,
      effortPhrases: this.effortPhrases,
    };
  }
}

/**
 * Compiles the settings once (rules into closures, the effort lexicon into one expression) and returns the
 * decision function. Decisions do no I/O and read no clock.
 */
export function createDecider(settings: Settings): Decider {
  const rules = compileRules(settings.rules);
  const lexicon = compileLexicon(settings.effort.lexicon);
  const ruleNames = rules.rules.map((rule) => rule.name);
  const tierIds = new Set(settings.compensationTiers.map((tier) => tier.id));

  // A batch (the CLI, a bench, a preview) decides many incidents at the same time: the time's text is read and
  // written once for all of them. The last value only, so the memory stays constant.
  let lastNowText: string | undefined;
  let lastNowMs = 0;
  const formatDecidedAt = lastFormatted();
  const formatDueAt = lastFormatted();

  const decide = (input: DecisionInput, now: string | number): Decision => {
    let nowMs: number;
    if (input.now !== undefined) nowMs = parseIsoMs(input.now);
    else if (typeof now === 'number') nowMs = now;
    else if (now === lastNowText) nowMs = lastNowMs;
    else {
      nowMs = Date.parse(now);
      lastNowText = now;
      lastNowMs = nowMs;
    }
    const decidedAt = formatDecidedAt(nowMs);
    const { incident, customer, history } = input;

    const tier =
      customer.tier ?? computeValueTier(customer, settings.valueTiers, settings.valueAtRisk.pipelineWeight);
    const valueAtRisk = round2(computeValueAtRisk(customer, settings.valueAtRisk));
    const effort = assessEffort(incident, input.feedback, input.ticketSignals, settings.effort, lexicon);
    const scores = readScoreHistory(input.feedback, nowMs, settings.risk.npsFallingBy);

    const windowStart = nowMs - settings.history.repeatWindowDays * MS_PER_DAY;
    let repeatIncidents = 0;
    for (const past of history.pastIncidents) {
      const at = parseIsoMs(past.at);
      if (at >= windowStart && at < nowMs) repeatIncidents += 1;
    }
    let lastApologyAt = Number.NEGATIVE_INFINITY;
    let lastInterventionAt = Number.NEGATIVE_INFINITY;
    for (const past of history.pastInterventions) {
      const at = parseIsoMs(past.at);
      if (at > nowMs || past.action === 'none') continue;
      if (at > lastInterventionAt) lastInterventionAt = at;
      if (past.action === 'apology' && at > lastApologyAt) lastApologyAt = at;
    }
    const daysSinceLastApology =
      lastApologyAt === Number.NEGATIVE_INFINITY ? null : (nowMs - lastApologyAt) / MS_PER_DAY;
    const daysSinceLastIntervention =
      lastInterventionAt === Number.NEGATIVE_INFINITY ? null : (nowMs - lastInterventionAt) / MS_PER_DAY;
    const tenureYears = yearsBetween(customer.customerSince, nowMs);

    const risk = computeChurnRisk(
      {
        incidentType: incident.type,
        severity: incident.severity,
        effortClass: effort.class,
        repeatIncidents: Math.max(repeatIncidents, incident.recurrence),
        tenureYears,
        npsCategory: scores.category,
        npsFalling: scores.falling,
      },
      settings.risk,
    );
    const churnRisk = round4(risk.probability);
    const expectedLoss = round2(valueAtRisk * churnRisk);

    // The facts as a list, in FACT_NAMES order (the catalogue's): what the compiled rules read. The facts by name
    // are built from it when the explanation is read.
    const values: FactValue[] = [
      incident.type, // incident.type
      incident.severity, // incident.severity
      incident.companyAtFault, // incident.companyAtFault
      incident.recurrence, // incident.recurrence
      incident.contacts, // incident.contacts
      incident.reopens, // incident.reopens
      incident.transfers, // incident.transfers
      incident.channelSwitches, // incident.channelSwitches
      incident.waitingHours, // incident.waitingHours
      incident.channel, // incident.channel
      incident.monetaryLoss ?? null, // incident.monetaryLoss
      tier, // customer.tier
      customer.revenue12m, // customer.revenue12m
      customer.lifetimeRevenue, // customer.lifetimeRevenue
      customer.marginRate ?? settings.valueAtRisk.defaultMarginRate, // customer.marginRate
      customer.orders12m, // customer.orders12m
      customer.openPipeline, // customer.openPipeline
      round2OrNull(tenureYears), // customer.tenureYears
      round2OrNull(daysSince(customer.lastOrderAt, nowMs)), // customer.daysSinceLastOrder
      customer.segment ?? null, // customer.segment
      customer.region ?? null, // customer.region
      customer.productLine ?? null, // customer.productLine
      effort.class, // effort.class
      effort.source, // effort.source
      effort.ratio, // effort.ratio
      effort.difference, // effort.difference
      effort.customer, // effort.customer
      effort.company, // effort.company
      effort.phrases.length, // effort.phraseMatches
      scores.last, // feedback.lastNps
      scores.category, // feedback.npsCategory
      scores.lastCsatSatisfied, // feedback.lastCsatSatisfied
      repeatIncidents, // history.repeatIncidents
      round2OrNull(daysSinceLastApology), // history.daysSinceLastApology
      round2OrNull(daysSinceLastIntervention), // history.daysSinceLastIntervention
      churnRisk, // risk.churn
      valueAtRisk, // value.atRisk
      expectedLoss, // value.expectedLoss
    ];

    const outcome = rules.evaluateValues(values);
    const candidates = listCandidates(
      {
        valueAtRisk,
        churnRisk,
        companyAtFault: incident.companyAtFault,
        severity: incident.severity,
        recurrence: incident.recurrence,
        repeatIncidents,
        waitingHours: incident.waitingHours,
        daysSinceLastApology,
      },
      settings,
      outcome.forbiddenBy,
    );

    const reasons: Reason[] = [];
    let chosen: Candidate | null = null;
    let decidedBy: Decision['decidedBy'] = 'model';
    // The ticket's status (docs/decision-model.md §6): live tickets are decided as below; a solved or closed one
    // starts no new intervention, unless a bad answer about it came since — then the recovery is still due.
    const status = incident.ticketStatus;
    const solved = status === 'solved' || status === 'closed' ? status : null;
    const late = solved === null ? null : lateBadAnswer(input, nowMs);
    if (solved !== null && late === null) {
      reasons.push({
        code: 'ticket_solved',
        status: solved,
        modelAction: chooseBestCandidate(candidates)?.action ?? 'none',
      });
      chosen = candidates[0]!;
    }
    if (late !== null) {
      reasons.push({
        code: 'feedback_after_solve',
        kind: late.response.kind,
        score: late.response.score,
        respondedAt: formatIsoUtc(late.at),
      });
    }
    const forced = chosen === null ? outcome.forced : null;
    if (forced !== null) {
      const rule = ruleNames[forced.rule]!;
      const matching = candidates.filter(
        (candidate) =>
          candidate.action === forced.action &&
          (forced.compensationTier === null ||
            !tierIds.has(forced.compensationTier) ||
            candidate.compensationTier === forced.compensationTier),
      );
      let forcedChoice: Candidate | null = null;
      for (const candidate of matching) {
        if (candidate.blockedBy.length > 0) continue;
        if (forcedChoice === null || candidate.expectedValue > forcedChoice.expectedValue)
          forcedChoice = candidate;
      }
      if (forcedChoice === null) {
        reasons.push({
          code: 'rule_force_blocked',
          rule,
          action: forced.action,
          guardrails: matching[0]!.blockedBy,
        });
      } else {
        chosen = forcedChoice;
        decidedBy = 'rule';
        reasons.push({ code: 'rule_forced', rule, action: forced.action });
      }
    }
    for (const overruled of outcome.overruledForces) {
      reasons.push({
        code: 'rule_force_overruled',
        rule: ruleNames[overruled.rule]!,
        action: overruled.action,
        by: ruleNames[overruled.forbiddenBy]!,
      });
    }
    if (chosen === null) {
      chosen = chooseBestCandidate(candidates);
      if (chosen === null) reasons.push({ code: 'nothing_allowed' });
      else if (chosen.action === 'none') reasons.push({ code: 'no_action_pays' });
      else {
        reasons.push({
          code: 'best_expected_value',
          action: chosen.action,
          compensationTier: chosen.compensationTier,
          expectedValue: round2(chosen.expectedValue),
        });
      }
    }
    const final = chosen ?? candidates[0]!;
    const action: Action = final.action;

    // Why the stronger actions were not taken.
    // Each reason once: compensation tiers share their rule and most of their guardrails.
    let seenForbidden: Action | null = null;
    const seenGuardrails: Guardrail[] = [];
    for (const candidate of candidates) {
      if (candidate.action === 'none' || isAllowed(candidate)) continue;
      if (candidate.forbiddenBy !== -1 && seenForbidden !== candidate.action) {
        seenForbidden = candidate.action;
        reasons.push({
          code: 'rule_forbade',
          rule: ruleNames[candidate.forbiddenBy]!,
          action: candidate.action,
        });
      }
      for (const guardrail of candidate.blockedBy) {
        if (seenGuardrails.includes(guardrail)) continue;
        seenGuardrails.push(guardrail);
        reasons.push({ code: 'guardrail', action: candidate.action, guardrail });
      }
    }
    reasons.push({
      code: 'effort',
      class: effort.class,
      source: effort.source,
      ratio: effort.ratio,
      customer: effort.customer,
      company: effort.company,
    });
    reasons.push({ code: 'value', tier, valueAtRisk, churnRisk, expectedLoss });
    pushRiskDrivers(risk.points, reasons);

    let priority = computePriority(expectedLoss, action, incident.severity, settings.priority);
    if (outcome.priority !== null) {
      priority = outcome.priority.value;
      reasons.push({ code: 'priority_by_rule', rule: ruleNames[outcome.priority.rule]!, priority });
    }

    const tags: string[] = [`boucle_${action}`];
    if (effort.class === 'customer_harder') tags.push('boucle_effort_customer_harder');
    if (effort.source === 'estimated') tags.push('boucle_effort_estimated');
    if (decidedBy === 'rule') tags.push('boucle_rule_forced');
    let ruleTagGroup: { rule: string; tags: string[] } | null = null;
    for (const { tag, rule } of outcome.tags) {
      if (!tags.includes(tag)) tags.push(tag);
      const name = ruleNames[rule]!;
      if (ruleTagGroup === null || ruleTagGroup.rule !== name) {
        ruleTagGroup = { rule: name, tags: [] };
        reasons.push({ code: 'rule_tags', rule: name, tags: ruleTagGroup.tags });
      }
      ruleTagGroup.tags.push(tag);
    }

    let followUp: FollowUp | null = null;
    const followUpKind = FOLLOW_UP_OF[action];
    if (followUpKind !== null) {
      let hours = settings.callbackWindowHours[tier];
      if (outcome.callbackWindowHours !== null) {
        hours = outcome.callbackWindowHours.value;
        reasons.push({
          code: 'callback_window_by_rule',
          rule: ruleNames[outcome.callbackWindowHours.rule]!,
          hours,
        });
      }
      const startsAt = late === null ? nowMs : late.at;
      followUp = {
        kind: followUpKind,
        startsAt: late === null ? decidedAt : formatIsoUtc(startsAt),
        dueAt: formatDueAt(startsAt + hours * MS_PER_HOUR),
        windowHours: hours,
        onFollowUpTicket: late !== null,
      };
    }
    const callbackDueAt =
      followUp !== null && (action === 'callback' || action === 'compensation') ? followUp.dueAt : null;

    const churnRiskWithAction = round4(final.churnRisk);
    const expectedValue = round2(final.expectedValue);
    const cost = round2(final.cost);
    const explanation = new LazyExplanation(
      reasons,
      values,
      risk.points,
      candidates,
      {
        valueAtRisk,
        expectedLoss,
        churnRiskWithoutAction: churnRisk,
        churnRiskWithAction,
        cost,
        expectedValue,
      },
      effort.phrases,
      rules,
      outcome,
    );

    return {
      id: input.id,
      ticketId: incident.ticketId,
      customerId: customer.customerId,
      decidedAt,
      action,
      compensationTier: final.compensationTier,
      priority,
      tags,
      expectedValue,
      cost,
      agentMinutes: final.agentMinutes,
      callbackDueAt,
      followUp,
      decidedBy,
      tier,
      valueAtRisk,
      churnRisk: { withoutAction: churnRisk, withAction: churnRiskWithAction },
      effort: {
        ratio: effort.ratio,
        difference: effort.difference,
        class: effort.class,
        source: effort.source,
        customer: effort.customer,
        company: effort.company,
        confidence: effort.confidence,
      },
      explanation,
    };
  };

  return { settings, rules, decide };
}
