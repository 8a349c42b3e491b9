import {
  applyHoldout,
  createDecider,
  decisionInputSchema,
  describeRuleTrace,
  formatIssuePath,
  formatPercent,
  renderExplanation,
  resolveSettings,
  type CompensationTier,
  type Decision,
} from '../../../../shared/src/index.ts';
import { createTranslator, formatMoney, type SidebarLocale } from '../i18n/i18n.ts';
import { toSettingsProblems } from './boot.ts';
import type { RecommendationView, SettingsProblem } from './sidebar-model.ts';
import { toDecisionInput } from './to-decision-input.ts';
import type { SidebarDecider } from './use-sidebar.ts';

export interface SidebarDeciderSetup {
  /** Null when the settings are invalid. */
  readonly decide: SidebarDecider | null;
  readonly problems: readonly SettingsProblem[];
  readonly fieldIds: { readonly intervention: string; readonly callbackDueAt: string };
}

/** `shared/`'s decision → what the sidebar shows (texts in the agent's language). */
export function toRecommendationView(
  decision: Decision,
  locale: SidebarLocale,
  compensationTiers: readonly CompensationTier[] = [],
): RecommendationView {
  const percent = (p: number) => formatPercent(p, locale);
  const t = createTranslator(locale);
  const facts = decision.explanation.facts;
  const num = (name: keyof typeof facts) => {
    const value = facts[name];
    return typeof value === 'number' ? value : 0;
  };
  const signals: string[] = [];
  const count = (key: Parameters<typeof t>[0], n: number, from = 1) => {
    if (n >= from) signals.push(t(key, { n: Math.round(n * 10) / 10 }));
  };
  count('signal.contacts', num('incident.contacts'), 2);
  count('signal.reopens', num('incident.reopens'));
  count('signal.transfers', num('incident.transfers'));
  count('signal.channelSwitches', num('incident.channelSwitches'));
  count('signal.waitingHours', num('incident.waitingHours'));
  if (decision.explanation.effortPhrases.length > 0) {
    signals.push(
      t('signal.phrases', { phrases: decision.explanation.effortPhrases.map((p) => `“${p}”`).join(', ') }),
    );
  }
  const figures = decision.explanation.figures;
  const explained = renderExplanation(decision, locale, { compensationTiers });
  const tier = compensationTiers.find((candidate) => candidate.id === decision.compensationTier);
  const reasons = decision.explanation.reasons;
  return {
    action: decision.action,
    compensationTier: decision.compensationTier,
    priority: decision.priority,
    expectedValue: decision.expectedValue,
    cost: decision.cost,
    callbackDueAt: decision.callbackDueAt,
    followUp: decision.followUp,
    compensation:
      decision.action === 'compensation' && tier !== undefined
        ? { amount: tier.amount, ...(tier.label === undefined ? {} : { label: tier.label }) }
        : null,
    ticketStage: reasons.some((r) => r.code === 'ticket_solved')
      ? 'solved'
      : reasons.some((r) => r.code === 'feedback_after_solve')
        ? 'reopened'
        : 'live',
    tags: decision.tags,
    headline: explained.glance,
    facts: explained.details,
    rules: decision.explanation.rules.filter((r) => r.fired).flatMap((r) => describeRuleTrace(r, locale)),
    figures: [
      t('figure.valueAtRisk', { value: formatMoney(locale, figures.valueAtRisk) }),
      t('figure.expectedLoss', { value: formatMoney(locale, figures.expectedLoss) }),
      t('figure.churn', {
        without: percent(figures.churnRiskWithoutAction),
        with: percent(figures.churnRiskWithAction),
      }),
      t('figure.agentMinutes', { n: decision.agentMinutes }),
    ],
    effort: {
      customerEffort: decision.effort.customer,
      companyEffort: decision.effort.company,
      ratio: decision.effort.ratio,
      effortClass: decision.effort.class,
      source: decision.effort.source,
      signals,
    },
    alternatives: decision.explanation.candidates
      .filter((c) => c.action !== decision.action && c.blockedBy.length === 0 && c.forbiddenBy < 0)
      .map((c) => ({ action: c.action, expectedValue: c.expectedValue })),
  };
}

/**
 * Parses the installation settings once (with `shared/`), and binds the decision to them: the saved policy (the
 * hidden `policy` parameter) when there is one, else the flat settings.
 */
export function createSidebarDecider(
  rawSettings: Record<string, unknown>,
  locale: SidebarLocale,
): SidebarDeciderSetup {
  const parsed = resolveSettings(rawSettings);
  if (!parsed.success) {
    return {
      decide: null,
      problems: toSettingsProblems(parsed.issues, locale),
      fieldIds: { intervention: '', callbackDueAt: '' },
    };
  }
  const settings = parsed.data;
  const decider = createDecider(settings);
  const t = createTranslator(locale);
  return {
    decide: ({ ticket, data, now }) => {
      const input = decisionInputSchema.safeParse(toDecisionInput(ticket, data, now));
      if (!input.success) {
        const detail = input.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`).join('; ');
        return { ok: false, reason: t('decision.invalidInput', { detail }) };
      }
      return {
        ok: true,
        recommendation: toRecommendationView(
          // Test and learn: the same draw by customer as the connector's, so both show the same decision.
          applyHoldout(decider.decide(input.data, now.getTime()), settings.experiment).decision,
          locale,
          settings.compensationTiers,
        ),
      };
    },
    problems: [],
    fieldIds: {
      intervention: settings.zendeskFields.interventionFieldId,
      callbackDueAt: settings.zendeskFields.callbackDueFieldId,
    },
  };
}
