/**
 * What a policy may see of a generated incident: the CRM value profile (from the Salesforce records), the
 * ticket facts and the survey answers that had arrived at decision time. Never the hidden truth.
 */
import {
  DEFAULT_SETTINGS,
  type DecisionInput,
  type FeedbackResponse,
  decisionInputSchema,
} from '../../../shared/src/index.ts';
import type { IncidentRecord, SurveyAnswer, World } from '../../../sandbox/dataset/generate-world.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** One incident as every policy sees it. */
export interface ObservedIncident {
  readonly incident: IncidentRecord;
  /** When the decision is taken: the survey answer's arrival, else the end of the ticket's waiting. */
  readonly decidedAt: number;
  /** The post-incident answers (absent when the customer did not answer). */
  readonly nps: number | null;
  readonly ces: number | null;
  /** Shared's decision input, minus the policy's own past interventions (added by the simulator). */
  readonly input: DecisionInput;
}

/** Index of a world's observables, built once per world. */
export function observeIncidents(world: World): ObservedIncident[] {
  const ordersOf = new Map<string, World['orders'][number][]>();
  for (const order of world.orders) {
    const list = ordersOf.get(order.accountId) ?? [];
    list.push(order);
    ordersOf.set(order.accountId, list);
  }
  const oppsOf = new Map<string, World['opportunities'][number][]>();
  for (const opp of world.opportunities) {
    const list = oppsOf.get(opp.accountId) ?? [];
    list.push(opp);
    oppsOf.set(opp.accountId, list);
  }
  const answersOf = new Map<string, SurveyAnswer[]>();
  for (const answer of world.answers) {
    const list = answersOf.get(answer.accountId) ?? [];
    list.push(answer);
    answersOf.set(answer.accountId, list);
  }
  const ticketOf = new Map(world.tickets.map((t) => [t.id, t]));
  const accountOf = new Map(world.accounts.map((a) => [a.id, a]));
  const incidentsOf = new Map<string, IncidentRecord[]>();
  for (const incident of world.incidents) {
    const list = incidentsOf.get(incident.accountId) ?? [];
    list.push(incident);
    incidentsOf.set(incident.accountId, list);
  }

  return world.incidents.map((incident) => {
    const own = (answersOf.get(incident.accountId) ?? []).filter((a) => a.ticketId === incident.ticketId);
    const decidedAt =
      own.length > 0
        ? Math.max(...own.map((a) => a.respondedAt))
        : incident.openedAt + incident.waitingHours * HOUR;
    const account = accountOf.get(incident.accountId)!;
    const orders = (ordersOf.get(incident.accountId) ?? []).filter(
      (o) => o.status === 'Activated' && o.createdAt <= decidedAt,
    );
    const recent = orders.filter((o) => o.createdAt > decidedAt - 365 * DAY);
    const lastOrder = Math.max(0, ...orders.map((o) => o.createdAt));
    const openPipeline = (oppsOf.get(incident.accountId) ?? [])
      .filter(
        (o) =>
          o.createdAt <= decidedAt && Date.parse(o.closeDate) > decidedAt && !o.stage.startsWith('Closed'),
      )
      .reduce((sum, o) => sum + o.amount, 0);
    const feedback: FeedbackResponse[] = (answersOf.get(incident.accountId) ?? [])
      .filter((a) => a.respondedAt <= decidedAt)
      .slice(-200)
      .map((a) => ({
        id: a.id,
        kind: a.kind,
        score: a.score,
        scale: a.scale,
        respondedAt: new Date(a.respondedAt).toISOString(),
        ...(a.ticketId === null ? {} : { ticketId: String(a.ticketId) }),
        ...(a.interactionId === null ? {} : { interactionId: a.interactionId }),
        ...(a.comment === null ? {} : { comment: a.comment }),
        channel: a.channel,
        touchpoint: a.touchpoint,
      })) as FeedbackResponse[];
    const ticket = ticketOf.get(incident.ticketId)!;
    const input = decisionInputSchema.parse({
      id: incident.id,
      now: new Date(decidedAt).toISOString(),
      incident: {
        ticketId: String(incident.ticketId),
        type: incident.type,
        severity: incident.severity,
        companyAtFault: incident.companyAtFault,
        recurrence: incident.recurrence,
        contacts: incident.contacts,
        reopens: incident.reopens,
        transfers: incident.transfers,
        channelSwitches: incident.channelSwitches,
        waitingHours: incident.waitingHours,
        channel: incident.channel,
        openedAt: new Date(incident.openedAt).toISOString(),
        comments: ticket.comments.filter((c) => c.author === 'customer').map((c) => c.body),
        ...(incident.monetaryLoss === null ? {} : { monetaryLoss: incident.monetaryLoss }),
      },
      customer: {
        customerId: incident.accountId,
        lifetimeRevenue: Math.round(orders.reduce((sum, o) => sum + o.amount, 0)),
        revenue12m: Math.round(recent.reduce((sum, o) => sum + o.amount, 0)),
        orders12m: recent.length,
        ...(lastOrder > 0 ? { lastOrderAt: new Date(lastOrder).toISOString().slice(0, 10) } : {}),
        openPipeline: Math.round(openPipeline),
        customerSince: new Date(account.createdAt).toISOString().slice(0, 10),
        segment: account.segment,
      },
      feedback,
      history: {
        pastIncidents: (incidentsOf.get(incident.accountId) ?? [])
          .filter((i) => i.openedAt < incident.openedAt)
          .map((i) => ({ at: new Date(i.openedAt).toISOString(), type: i.type, severity: i.severity })),
        pastInterventions: [],
      },
      ticketSignals: {
        publicReplies: incident.publicReplies,
        proactiveCallbacks: 0,
        escalations: incident.escalations,
        ownerAssigned: incident.ownerAssigned,
        gestures: 0,
      },
    });
    const score = (kind: string): number | null => own.find((a) => a.kind === kind)?.score ?? null;
    return { incident, decidedAt, nps: score('nps'), ces: score('ces'), input };
  });
}

/** The settings every policy's costs are counted with (shared's defaults). */
export const COST_SETTINGS = DEFAULT_SETTINGS;
