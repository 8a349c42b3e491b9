import type { RequesterData } from '../requester/zendesk-records.ts';
import type { TicketFacts } from './sidebar-model.ts';

/**
 * The Zendesk facts of a ticket, in the shape of `shared/`'s decision input (`decisionInputSchema`). This is
 * translation only — which tag means which incident type, which Zendesk channel is which — never a judgement:
 * effort, risk and the choice of action are `shared/`'s.
 */

const INCIDENT_TYPES = [
  'billing',
  'delivery',
  'product_defect',
  'service_outage',
  'service_quality',
  'staff_behaviour',
  'other',
] as const;
const CHANNELS = ['email', 'phone', 'chat', 'web', 'social', 'messaging', 'in_person', 'other'] as const;
type Channel = (typeof CHANNELS)[number];
const VALUE_TIERS = ['platinum', 'gold', 'silver', 'bronze'] as const;

/** Zendesk `via.channel` values → Boucle channels. */
const ZENDESK_CHANNELS: Record<string, Channel> = {
  email: 'email',
  web: 'web',
  web_form: 'web',
  web_widget: 'web',
  help_center: 'web',
  voice: 'phone',
  phone: 'phone',
  chat: 'chat',
  native_messaging: 'messaging',
  messaging: 'messaging',
  whatsapp: 'messaging',
  sms: 'messaging',
  twitter: 'social',
  facebook: 'social',
  instagram_dm: 'social',
};

export function toChannel(zendeskChannel: string | null | undefined): Channel {
  if (!zendeskChannel) return 'other';
  return (
    ZENDESK_CHANNELS[zendeskChannel] ??
    ((CHANNELS as readonly string[]).includes(zendeskChannel) ? (zendeskChannel as Channel) : 'other')
  );
}

/** Ticket priority → incident severity (a Zendesk priority is the agent's reading of severity). */
const SEVERITY_BY_PRIORITY = { low: 'low', normal: 'medium', high: 'high', urgent: 'critical' } as const;

/**
 * Incident type from the ticket's tags: `boucle_type_<type>` (set by triggers or the agent) or a bare
 * `<type>` tag; `other` otherwise. `boucle_customer_fault` / `boucle_third_party` mark a failure that is not the
 * company's.
 */
export function incidentTypeOf(tags: readonly string[]): (typeof INCIDENT_TYPES)[number] {
  for (const type of INCIDENT_TYPES) {
    if (tags.includes(`boucle_type_${type}`) || tags.includes(type)) return type;
  }
  return 'other';
}

function iso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function day(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return iso(value);
}

/** Hours the customer waited: from each of their comments to the next reply that is not theirs. */
export function waitingHours(comments: TicketFacts['comments'], nowMs: number): number {
  let total = 0;
  let waitingSince: number | null = null;
  for (const comment of comments) {
    const at = comment.at ? Date.parse(comment.at) : NaN;
    if (Number.isNaN(at)) continue;
    if (comment.fromRequester) waitingSince ??= at;
    else if (waitingSince !== null) {
      total += Math.max(0, at - waitingSince);
      waitingSince = null;
    }
  }
  if (waitingSince !== null) total += Math.max(0, nowMs - waitingSince);
  return Math.round((total / 3_600_000) * 10) / 10;
}

export function toDecisionInput(ticket: TicketFacts, data: RequesterData, now: Date) {
  const crm = data.crm;
  const fromRequester = ticket.comments.filter((c) => c.fromRequester);
  const fromAgents = ticket.comments.filter((c) => !c.fromRequester);
  const currentTicket = String(ticket.id);
  const others = data.interventions.filter((i) => i.ticketId !== currentTicket);
  const tier = VALUE_TIERS.find((t) => t === crm?.valueTier);
  const openedAt = iso(ticket.createdAt) ?? now.toISOString();
  const feedback = data.feedback.map((f) => {
    const channel = f.channel ? toChannel(f.channel) : undefined;
    return {
      id: f.id,
      kind: f.kind,
      score: f.score,
      ...(f.scale ? { scale: f.scale } : {}),
      respondedAt: iso(f.respondedAt) ?? f.respondedAt,
      ...(f.ticketId ? { ticketId: f.ticketId } : {}),
      ...(f.comment ? { comment: f.comment.slice(0, 10_000) } : {}),
      ...(channel ? { channel } : {}),
      ...(f.touchpoint ? { touchpoint: f.touchpoint.slice(0, 200) } : {}),
    };
  });
  return {
    id: `ticket-${ticket.id}`,
    now: now.toISOString(),
    incident: {
      ticketId: currentTicket,
      type: incidentTypeOf(ticket.tags),
      severity: SEVERITY_BY_PRIORITY[ticket.priority ?? 'normal'],
      companyAtFault: !ticket.tags.some((t) => t === 'boucle_customer_fault' || t === 'boucle_third_party'),
      contacts: Math.max(1, fromRequester.length),
      channel: toChannel(ticket.channel),
      openedAt,
      waitingHours: waitingHours(ticket.comments, now.getTime()),
      comments: fromRequester.map((c) => c.text.slice(0, 20_000)).slice(0, 500),
    },
    customer: {
      customerId: String(data.organization?.id ?? data.user.id),
      ...(tier ? { tier } : {}),
      lifetimeRevenue: Math.max(0, crm?.lifetimeRevenue ?? 0),
      revenue12m: Math.max(0, crm?.revenue12m ?? 0),
      ...(crm?.marginRate !== null &&
      crm?.marginRate !== undefined &&
      crm.marginRate >= 0 &&
      crm.marginRate <= 1
        ? { marginRate: crm.marginRate }
        : {}),
      orders12m: Math.max(0, Math.round(crm?.orders12m ?? 0)),
      ...(day(crm?.lastOrderDate) ? { lastOrderAt: day(crm?.lastOrderDate) } : {}),
      openPipeline: Math.max(0, crm?.openPipeline ?? 0),
      ...(day(crm?.customerSince) ? { customerSince: day(crm?.customerSince) } : {}),
      ...(crm?.segment ? { segment: crm.segment } : {}),
      ...(crm?.region ? { region: crm.region } : {}),
      ...(crm?.productLine ? { productLine: crm.productLine } : {}),
    },
    feedback,
    history: {
      pastIncidents: others.flatMap((i) => (iso(i.decidedAt) ? [{ at: iso(i.decidedAt) as string }] : [])),
      pastInterventions: others.flatMap((i) =>
        iso(i.decidedAt) && (i.status === 'applied' || i.status === 'contacted' || i.status === 'closed')
          ? [{ action: i.action, at: iso(i.decidedAt) as string }]
          : [],
      ),
    },
    ticketSignals: {
      publicReplies: fromAgents.length,
    },
  };
}
