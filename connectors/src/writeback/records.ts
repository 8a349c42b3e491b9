/**
 * What Boucle writes into Salesforce, as plain field values: pure functions of a survey answer, a ledger entry
 * (with the facts of its decision) and the roll-up figures. Field API names are those of force-app/.
 */
import { createHash } from 'node:crypto';
import { categorizeNps, isCsatSatisfied, type FeedbackResponse } from '../../../shared/src/index.ts';
import type { LedgerEntry } from '../loop/intervention-ledger.ts';

export type FieldValues = Record<string, string | number | boolean | null>;

export const short = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Stable hash of field values (sorted keys). */
export function hashValues(values: FieldValues): string {
  const sorted = Object.keys(values)
    .sort()
    .map((k) => [k, values[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}

const money = (n: number | null | undefined): number | null =>
  n === null || n === undefined || !Number.isFinite(n) ? null : Math.round(n * 100) / 100;
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

export function ticketLink(template: string | undefined, ticketId: number | null): string | null {
  if (template === undefined || ticketId === null) return null;
  return template.replace('{id}', String(ticketId));
}

export interface FeedbackFacts {
  readonly response: FeedbackResponse;
  /** Where the answer came from (survey import, Zendesk CSAT, webhook). */
  readonly source: string;
  readonly email: string | null;
  readonly ticketId: number | null;
}

/** The external id of an answer: its own id when it fits Salesforce's 80 characters. */
export function feedbackExternalId(responseId: string): string {
  return responseId.length <= 80 ? responseId : `boucle-feedback-${short(responseId)}`;
}

function categoryOf(response: FeedbackResponse): string | null {
  switch (response.kind) {
    case 'nps':
      return categorizeNps(response.score);
    case 'csat':
      return isCsatSatisfied(response) ? 'satisfied' : 'unsatisfied';
    case 'ces':
    case 'company_effort':
      return null;
  }
}

export function feedbackRecord(facts: FeedbackFacts, ticketUrl: string | undefined): FieldValues {
  const { response } = facts;
  const score = response.score === 'good' ? 1 : response.score === 'bad' ? 0 : response.score;
  return {
    Name: clip(`${response.kind.toUpperCase()} ${String(response.score)} — ${facts.email ?? 'unknown'}`, 80),
    Kind__c: response.kind,
    Score__c: score,
    Scale__c: response.scale,
    Category__c: categoryOf(response),
    Comment__c: response.comment ?? null,
    Channel__c: response.channel ?? null,
    Responded_At__c: response.respondedAt,
    Source__c: clip(facts.source, 40),
    Zendesk_Ticket_Id__c: facts.ticketId === null ? null : String(facts.ticketId),
    Zendesk_Ticket_URL__c: ticketLink(ticketUrl, facts.ticketId),
  };
}

/** What the ledger does not keep about a decision: the customer's email, C:CER, value at risk, override. */
export interface DecisionFacts {
  readonly decisionKey: string;
  readonly email: string | null;
  readonly ccer: number | null;
  readonly valueAtRisk: number | null;
  readonly overridden: boolean;
}

export const interventionExternalId = (decisionKey: string): string =>
  `boucle-decision-${short(decisionKey)}`;
export const taskExternalId = (decisionKey: string): string => `boucle-task-${short(decisionKey)}`;

/** The callback was made before its deadline (false while it is not made). */
export function slaMet(entry: LedgerEntry): boolean {
  return (
    entry.dueAt !== null &&
    entry.firstContactAt !== null &&
    entry.firstContactAt.getTime() <= entry.dueAt.getTime()
  );
}

export function interventionRecord(
  entry: LedgerEntry,
  facts: DecisionFacts | undefined,
  ticketUrl: string | undefined,
): FieldValues {
  // The ledger keeps how the loop was closed in `outcome` and whether the customer stayed in `recovered`.
  const recovered = entry.recovered === true;
  return {
    Name: clip(`Ticket #${entry.ticketId} — ${entry.action}`, 80),
    Zendesk_Ticket_Id__c: String(entry.ticketId),
    Zendesk_Ticket_URL__c: ticketLink(ticketUrl, entry.ticketId),
    Action__c: entry.action,
    Priority__c: entry.priority,
    Value_Tier__c: entry.tier,
    CCER__c: facts?.ccer === null || facts?.ccer === undefined ? null : Math.round(facts.ccer * 1000) / 1000,
    Expected_Value__c: money(entry.expectedValue),
    Cost__c: money(entry.cost),
    Value_At_Risk__c: money(facts?.valueAtRisk),
    Status__c: facts?.overridden === true ? 'overridden' : entry.status,
    Decided_At__c: entry.decidedAt.toISOString(),
    Callback_Due_At__c: iso(entry.dueAt),
    First_Contact_At__c: iso(entry.firstContactAt),
    SLA_Met__c: slaMet(entry),
    Outcome__c: entry.outcome,
    Outcome_At__c: iso(entry.outcomeAt),
    // The customer's value at risk that was kept (the loop recovered the customer).
    Recovered_Value__c: recovered ? money(facts?.valueAtRisk ?? entry.expectedValue) : null,
    Summary__c: entry.summary === '' ? null : entry.summary,
  };
}

/** A callback owed to a high-value customer: a Task for the account owner. */
export function owesTask(entry: LedgerEntry, tiers: ReadonlySet<string>): boolean {
  return (
    (entry.action === 'callback' || entry.action === 'compensation') &&
    entry.dueAt !== null &&
    entry.tier !== null &&
    tiers.has(entry.tier.toLowerCase())
  );
}

export function taskRecord(entry: LedgerEntry, ticketUrl: string | undefined): FieldValues {
  const link = ticketLink(ticketUrl, entry.ticketId);
  return {
    Subject: clip(`Boucle: call the customer back (ticket #${entry.ticketId})`, 255),
    Status: entry.firstContactAt !== null || entry.status === 'closed' ? 'Completed' : 'Not Started',
    Priority: 'High',
    ActivityDate: entry.dueAt === null ? null : entry.dueAt.toISOString().slice(0, 10),
    Description: [
      entry.summary,
      entry.dueAt === null ? '' : `Due before ${entry.dueAt.toISOString()} (UTC).`,
      link ?? '',
    ]
      .filter((line) => line !== '')
      .join('\n'),
  };
}

export interface Rollup {
  readonly lastNps: number | null;
  readonly lastNpsAt: string | null;
  readonly openIncidents: number;
  readonly valueAtRisk: number;
  readonly recovered12m: number;
}

export function rollupRecord(rollup: Rollup): FieldValues {
  return {
    Boucle_Last_NPS__c: rollup.lastNps,
    Boucle_Last_NPS_At__c: rollup.lastNpsAt,
    Boucle_Open_Incidents__c: rollup.openIncidents,
    Boucle_Value_At_Risk__c: money(rollup.valueAtRisk) ?? 0,
    Boucle_Recovered_12m__c: money(rollup.recovered12m) ?? 0,
  };
}
