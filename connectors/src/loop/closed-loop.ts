import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  BOUCLE_TAGS,
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  FOLLOW_UP_TEXTS,
  followUpKindOf,
  INTERVENTION_FIELD_KEYS,
  TICKET_FIELD_TITLES,
  applyHoldout,
  categorizeNps,
  decisionInputSchema,
  isBoucleTag,
  isCsatSatisfied,
  renderExplanation,
  type Decider,
  type Decision,
  type FeedbackResponse,
  type Locale,
} from '../../../shared/src/index.ts';
import type { ExperimentLedger } from '../experiment/experiment-ledger.ts';
import type { FeedbackEventPayload } from '../feedback/to-feedback-event.ts';
import { FEEDBACK_EVENT_KIND } from '../feedback/to-feedback-event.ts';
import type { EventQueue, QueueEvent } from '../queue/durable-queue.ts';
import { PermanentEventError } from '../queue/queue-workers.ts';
import type { WebhookEventPayload } from '../serve/to-webhook-event.ts';
import type { Writeback } from '../writeback/engine.ts';
import { addBusinessHours, type BusinessHours } from './business-hours.ts';
import {
  decisionFields,
  type InterventionLedger,
  type LedgerEntry,
  type Outcome,
} from './intervention-ledger.ts';
import type { LoopTicket, LoopUser, LoopZendesk, TicketChanges } from './loop-ports.ts';
import { priorityChange, raisePriority } from './plan-priority.ts';
import { applySurveyFatigue } from './survey-fatigue.ts';
import { toDecisionInput, toFeedbackResponse } from './to-decision-input.ts';

export const REMINDER_EVENT_KIND = 'loop.reminder';

/** Tags an agent (or a macro) adds to say how the loop was closed. */
export const OUTCOME_TAGS: Readonly<Record<string, Outcome>> = {
  boucle_outcome_contacted: 'contacted',
  boucle_outcome_resolved: 'resolved',
  boucle_outcome_compensated: 'compensated',
};

const ACTION_TAGS = (['none', 'apology', 'callback', 'compensation'] as const).map((action) =>
  BOUCLE_TAGS.action(action),
);
const OPEN_STATUSES = new Set(['new', 'open', 'pending', 'hold']);

export interface ClosedLoopOptions {
  readonly zendesk: LoopZendesk;
  readonly ledger: InterventionLedger;
  readonly decider: Decider;
  /** The version of the policy the decider decides with (null: flat settings), read just before each decision. */
  readonly policyVersion?: () => number | null;
  /** Language of internal notes. */
  readonly locale: Locale;
  /** When set, callback deadlines count working hours only. */
  readonly businessHours: BusinessHours | null;
  /** How long before a callback deadline the reminder goes out. */
  readonly reminderLeadMs: number;
  /** Group that receives follow-up tickets opened for a low score (else Zendesk's default routing). */
  readonly followUpGroupId?: number;
  /** Seconds spent deciding and acting on one incident. */
  readonly observeDecision?: (seconds: number) => void;
  /** Write-back to Salesforce: answers and decision facts go to its outbox as they happen (local, no I/O). */
  readonly writeback?: Pick<Writeback, 'captureFeedback' | 'captureDecision'>;
  /** Test and learn: where the arm of each eligible decision is recorded (the holdout applies without it too). */
  readonly experiment?: Pick<ExperimentLedger, 'record'>;
  /** Survey fatigue: no survey within this many days of the last answer, nor while a loop is open (0: off). */
  readonly surveyFatigueDays?: number;
}

export interface ClosedLoop {
  /** The queue handler: one event, applied at most once in effect however often it runs. */
  handle(event: QueueEvent): Promise<void>;
  /** Queues reminders for callbacks whose deadline is near. Returns how many were queued. */
  scheduleReminders(queue: Pick<EventQueue, 'enqueue'>, now: Date): Promise<number>;
  /** Queues Zendesk CSAT ratings received since the last pull. Returns how many were new. */
  pullSatisfactionRatings(queue: Pick<EventQueue, 'enqueue'>, now: Date): Promise<number>;
}

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Same action, tier, priority and tags: the same decision (time-dependent figures aside). */
export function fingerprintOf(
  decision: Pick<Decision, 'action' | 'compensationTier' | 'priority' | 'tags'>,
): string {
  return [
    decision.action,
    decision.compensationTier ?? '',
    decision.priority,
    [...decision.tags].sort().join(' '),
  ].join('|');
}

/** A low score opens an incident: an NPS detractor or an unsatisfied CSAT. */
export function isLowScore(response: FeedbackResponse): boolean {
  if (response.kind === 'nps') return categorizeNps(response.score) === 'detractor';
  if (response.kind === 'csat') return !isCsatSatisfied(response);
  return false;
}

export function createClosedLoop(options: ClosedLoopOptions): ClosedLoop {
  const { zendesk, ledger, decider } = options;
  let fieldIds: Promise<{ intervention: number | null; callbackDue: number | null }> | undefined;

  const resolveFieldIds = () => {
    fieldIds ??= (async () => {
      const configured = decider.settings.zendeskFields;
      const byTitle = await zendesk.ticketFieldIdsByTitle();
      const pick = (configuredId: string, title: string) =>
        configuredId !== '' ? Number(configuredId) : (byTitle.get(title) ?? null);
      return {
        intervention: pick(configured.interventionFieldId, TICKET_FIELD_TITLES.intervention),
        callbackDue: pick(configured.callbackDueFieldId, TICKET_FIELD_TITLES.callbackDueAt),
      };
    })().catch((error: unknown) => {
      fieldIds = undefined;
      throw error;
    });
    return fieldIds;
  };

  // One decision at a time per ticket: a feedback event and a webhook about the same ticket may run together.
  const ticketLocks = new Map<number, Promise<void>>();
  const decideOnTicket = (ticketId: number, decisionKey: string, now: Date): Promise<void> => {
    const previous = ticketLocks.get(ticketId) ?? Promise.resolve();
    const run = previous.then(
      () => decideOnTicketNow(ticketId, decisionKey, now),
      () => decideOnTicketNow(ticketId, decisionKey, now),
    );
    const tail = run.catch(() => undefined);
    ticketLocks.set(ticketId, tail);
    void tail.then(() => {
      if (ticketLocks.get(ticketId) === tail) ticketLocks.delete(ticketId);
    });
    return run;
  };

  /** Decide on one ticket and act on the decision; `decisionKey` makes a replay find its own work. */
  const decideOnTicketNow = async (ticketId: number, decisionKey: string, now: Date): Promise<void> => {
    const started = performance.now();
    const ticket = await zendesk.getTicket(ticketId);
    if (ticket === null) return; // deleted: nothing to act on
    const state = await ledger.ticketState(ticketId);
    await recordAgentOutcomes(ticket, state.interventionId, now);
    if (!OPEN_STATUSES.has(ticket.status)) {
      // Survey fatigue: a solved ticket is tagged so that Zendesk's CSAT automation skips it (docs/programme.md).
      if (options.surveyFatigueDays !== undefined)
        await applySurveyFatigue(zendesk, ledger, ticket, now, options.surveyFatigueDays);
      return;
    }
    const requester = await zendesk.getUser(ticket.requester_id);
    if (requester === null)
      throw new PermanentEventError(`Requester ${ticket.requester_id} of ticket ${ticketId} does not exist.`);
    const organizationId = ticket.organization_id ?? requester.organization_id;
    const [organization, comments, feedbackRecords] = await Promise.all([
      organizationId === null ? Promise.resolve(null) : zendesk.getOrganization(organizationId),
      zendesk.listComments(ticketId),
      zendesk.findRecords(CUSTOM_OBJECT_KEYS.feedback, FEEDBACK_FIELD_KEYS.userId, String(requester.id)),
    ]);
    const feedback = feedbackRecords.map(toFeedbackResponse).filter((response) => response !== null);
    const boucleSetPriority = state.bouclePriority !== null && ticket.priority === state.bouclePriority;
    const basePriority = boucleSetPriority ? state.basePriority : ticket.priority;
    const input = toDecisionInput(
      {
        ticket,
        basePriority,
        requester,
        organization,
        comments,
        feedback,
        history: (await ledger.forUser(requester.id)).filter((entry) => entry.ticketId !== ticketId),
      },
      decisionKey,
      now,
    );
    const parsed = decisionInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new PermanentEventError(
        `The facts of ticket ${ticketId} do not make a decision input: ${z.prettifyError(parsed.error)}`,
      );
    }
    // Test and learn: a step after the decision (docs/programme.md); without a holdout share it changes nothing.
    const policyVersion = options.policyVersion?.() ?? null;
    const { decision, assignment } = applyHoldout(
      decider.decide(parsed.data, now.toISOString()),
      decider.settings.experiment,
    );
    const fingerprint = fingerprintOf(decision);
    if (fingerprint === state.fingerprint) {
      options.observeDecision?.((performance.now() - started) / 1000);
      return;
    }

    const ids = await resolveFieldIds();
    const dueAt = callbackDue(decision, now);
    const explanation = renderExplanation(decision, options.locale, {
      compensationTiers: decider.settings.compensationTiers,
    });
    // A retry decides again: the ledger takes the decision applied now if it differs from the one recorded.
    const entry = await ledger.recordOrRedecide({
      decisionKey: `${decisionKey}#${ticketId}`,
      ticketId,
      userId: requester.id,
      ...decisionFields(decision),
      summary: explanation.headline,
      decidedAt: now,
      dueAt,
      input: parsed.data,
      policyVersion,
    });
    await options.experiment?.record(entry.decisionKey, assignment, {
      customerId: decision.customerId,
      ticketId,
      userId: requester.id,
      decidedAt: now,
    });
    const record = await zendesk.upsertRecord(
      CUSTOM_OBJECT_KEYS.intervention,
      `boucle-decision-${short(entry.decisionKey)}`,
      `Ticket #${ticketId} — ${decision.action}`,
      {
        [INTERVENTION_FIELD_KEYS.ticketId]: String(ticketId),
        [INTERVENTION_FIELD_KEYS.userId]: String(requester.id),
        [INTERVENTION_FIELD_KEYS.action]: decision.action,
        [INTERVENTION_FIELD_KEYS.compensationTier]: decision.compensationTier,
        [INTERVENTION_FIELD_KEYS.priority]: decision.priority,
        [INTERVENTION_FIELD_KEYS.expectedValue]: Math.round(decision.expectedValue * 100) / 100,
        [INTERVENTION_FIELD_KEYS.cost]: Math.round(decision.cost * 100) / 100,
        [INTERVENTION_FIELD_KEYS.status]: 'applied',
        [INTERVENTION_FIELD_KEYS.dueAt]: dueAt?.toISOString() ?? null,
        [INTERVENTION_FIELD_KEYS.decidedAt]: now.toISOString(),
        [INTERVENTION_FIELD_KEYS.summary]: explanation.headline.slice(0, 1000),
      },
    );

    const marker = `[boucle:${short(entry.decisionKey)}]`;
    const noteAlreadyPosted = comments.some((comment) => !comment.public && comment.body.includes(marker));
    const newTags = new Set([BOUCLE_TAGS.action(decision.action), ...decision.tags.filter(isBoucleTag)]);
    if (decision.action === 'callback' || decision.action === 'compensation')
      newTags.add(BOUCLE_TAGS.followUp);
    if (decision.decidedBy === 'rule') newTags.add(BOUCLE_TAGS.ruleForced);
    const managed = new Set([...ACTION_TAGS, ...state.tags, BOUCLE_TAGS.ruleForced]);
    const changes: TicketChanges = {
      addTags: [...newTags].filter((tag) => !ticket.tags.includes(tag)),
      removeTags: ticket.tags.filter((tag) => isBoucleTag(tag) && managed.has(tag) && !newTags.has(tag)),
      ...priorityChange(ticket.priority, decision.priority, boucleSetPriority),
      customFields: [
        ...(ids.intervention === null
          ? []
          : [{ id: ids.intervention, value: BOUCLE_TAGS.action(decision.action) }]),
        // The "callback due" field holds the due time of a callback's or a compensation's follow-up.
        ...(ids.callbackDue === null
          ? []
          : [
              {
                id: ids.callbackDue,
                value: decision.callbackDueAt === null ? null : (dueAt?.toISOString() ?? null),
              },
            ]),
      ],
      ...(noteAlreadyPosted
        ? {}
        : { internalNote: renderNote(decision, explanation, dueAt, options.locale, marker) }),
    };
    await zendesk.updateTicket(ticketId, changes);
    await ledger.markApplied(entry.id, record.id);
    await options.writeback?.captureDecision(
      {
        decisionKey: entry.decisionKey,
        email: requester.email,
        ccer: Number.isFinite(decision.effort.ratio) ? decision.effort.ratio : null,
        valueAtRisk: decision.valueAtRisk,
        overridden: false,
      },
      now,
    );
    await ledger.saveTicketState(
      {
        ticketId,
        fingerprint,
        bouclePriority: changes.priority ?? (boucleSetPriority ? state.bouclePriority : null),
        basePriority,
        interventionId: decision.action === 'none' ? null : entry.id,
        tags: [...newTags],
      },
      now,
    );
    options.observeDecision?.((performance.now() - started) / 1000);
  };

  /** The follow-up's due time (every recovery has one: shared/src/policy/follow-up.ts), in working hours if set. */
  const callbackDue = (decision: Decision, now: Date): Date | null => {
    const followUp = decision.followUp;
    if (followUp === null) return null;
    if (options.businessHours === null) return new Date(followUp.dueAt);
    const start = new Date(Math.min(now.getTime(), Date.parse(followUp.startsAt)));
    return addBusinessHours(start, followUp.windowHours, options.businessHours);
  };

  const recordAgentOutcomes = async (
    ticket: LoopTicket,
    interventionId: number | null,
    now: Date,
  ): Promise<void> => {
    if (interventionId === null) return;
    for (const tag of ticket.tags) {
      const outcome = OUTCOME_TAGS[tag];
      if (outcome !== undefined) await ledger.recordOutcome(interventionId, outcome, now);
    }
  };

  const ingestFeedback = async (
    payload: FeedbackEventPayload,
    eventKey: string,
    now: Date,
  ): Promise<void> => {
    const { response } = payload;
    let user: LoopUser | null = null;
    if (payload.userId !== undefined) user = await zendesk.getUser(payload.userId);
    if (user === null && payload.email !== undefined) user = await zendesk.ensureEndUser(payload.email);
    let ticket: LoopTicket | null =
      payload.ticketId === undefined ? null : await zendesk.getTicket(payload.ticketId);
    if (user === null && ticket !== null) user = await zendesk.getUser(ticket.requester_id);
    if (user === null)
      throw new PermanentEventError(`Nobody to link answer ${response.id} to: no such user or ticket.`);

    await zendesk.upsertRecord(
      CUSTOM_OBJECT_KEYS.feedback,
      response.id,
      `${response.kind.toUpperCase()} ${String(response.score)} — ${user.email ?? `user ${user.id}`}`,
      {
        [FEEDBACK_FIELD_KEYS.kind]: response.kind,
        [FEEDBACK_FIELD_KEYS.score]:
          response.score === 'good' ? 1 : response.score === 'bad' ? 0 : response.score,
        [FEEDBACK_FIELD_KEYS.scale]: response.scale,
        [FEEDBACK_FIELD_KEYS.comment]: response.comment ?? null,
        [FEEDBACK_FIELD_KEYS.channel]: response.channel ?? null,
        [FEEDBACK_FIELD_KEYS.touchpoint]: response.touchpoint ?? null,
        [FEEDBACK_FIELD_KEYS.respondedAt]: response.respondedAt,
        [FEEDBACK_FIELD_KEYS.ticketId]: ticket === null ? null : String(ticket.id),
        [FEEDBACK_FIELD_KEYS.userId]: String(user.id),
        [FEEDBACK_FIELD_KEYS.source]: payload.source,
      },
    );

    await options.writeback?.captureFeedback(
      { response, source: payload.source, email: user.email, ticketId: ticket?.id ?? null },
      now,
    );
    if (ticket !== null) await recordRecovery(ticket.id, response, now);
    if (!isLowScore(response)) {
      if (ticket !== null && OPEN_STATUSES.has(ticket.status)) await decideOnTicket(ticket.id, eventKey, now);
      return;
    }
    if (ticket === null || !OPEN_STATUSES.has(ticket.status)) {
      const open = await zendesk.listOpenTickets(user.id);
      ticket = open[0] ?? (await openFollowUpTicket(user, response, now));
    }
    await decideOnTicket(ticket.id, eventKey, now);
  };

  /** A follow-up survey after the loop was closed says whether the customer was recovered. */
  const recordRecovery = async (ticketId: number, response: FeedbackResponse, now: Date): Promise<void> => {
    const entries = (await ledger.forTicket(ticketId)).filter(
      (entry) =>
        entry.firstContactAt !== null && entry.firstContactAt.getTime() <= Date.parse(response.respondedAt),
    );
    const last = entries.at(-1);
    if (last === undefined || (response.kind !== 'nps' && response.kind !== 'csat')) return;
    await ledger.recordOutcome(last.id, isLowScore(response) ? 'lost' : 'recovered', now);
  };

  /** The critical-incident alert: a ticket for the customer, idempotent by the answer's id. */
  const openFollowUpTicket = async (
    user: LoopUser,
    response: FeedbackResponse,
    now: Date,
  ): Promise<LoopTicket> => {
    const externalId = `boucle-followup-${short(response.id)}`;
    const existing = await zendesk.findTicketByExternalId(externalId);
    if (existing !== null) return existing;
    const fr = options.locale === 'fr';
    const score = `${response.kind.toUpperCase()} ${String(response.score)}`;
    return zendesk.createFollowUpTicket({
      externalId,
      requesterId: user.id,
      subject: fr
        ? `Suivi Boucle : ${score} de ${user.name}`
        : `Boucle follow-up: ${score} from ${user.name}`,
      internalNote: [
        fr
          ? `Réponse ${score} reçue le ${response.respondedAt} sans ticket ouvert : ce ticket a été ouvert pour boucler la boucle.`
          : `Answer ${score} received ${response.respondedAt} with no open ticket: this ticket was opened to close the loop.`,
        ...(response.comment === undefined
          ? []
          : [fr ? `Commentaire : « ${response.comment} »` : `Comment: "${response.comment}"`]),
        `(${now.toISOString()})`,
      ].join('\n'),
      tags: [BOUCLE_TAGS.followUp],
      priority: 'normal',
      ...(options.followUpGroupId === undefined ? {} : { groupId: options.followUpGroupId }),
    });
  };

  const sendReminder = async (interventionId: number, now: Date): Promise<void> => {
    const entry = await ledger.byId(interventionId);
    if (
      entry === undefined ||
      entry.firstContactAt !== null ||
      entry.outcome !== null ||
      entry.dueAt === null
    )
      return;
    const ticket = await zendesk.getTicket(entry.ticketId);
    if (ticket === null || !OPEN_STATUSES.has(ticket.status)) return;
    const overdue = entry.dueAt.getTime() <= now.getTime();
    const tag = overdue ? BOUCLE_TAGS.callbackOverdue : BOUCLE_TAGS.callbackDueSoon;
    if (ticket.tags.includes(tag)) {
      await ledger.markReminded(entry.id, now);
      return;
    }
    const raised = raisePriority(ticket.priority);
    await zendesk.updateTicket(ticket.id, {
      addTags: [tag],
      ...(raised === null ? {} : { priority: raised }),
      internalNote: reminderNote(entry, overdue, options.locale),
    });
    await ledger.markReminded(entry.id, now);
    if (raised !== null) {
      const state = await ledger.ticketState(ticket.id);
      await ledger.saveTicketState(
        { ...state, bouclePriority: raised, basePriority: state.basePriority ?? ticket.priority },
        now,
      );
    }
  };

  return {
    async handle(event) {
      const now = event.acceptedAt;
      switch (event.kind) {
        case 'zendesk.ticket.created':
        case 'zendesk.ticket.updated':
        case 'zendesk.ticket.solved':
          return decideOnTicket((event.payload as WebhookEventPayload).ticketId, event.idempotencyKey, now);
        case 'zendesk.satisfaction.rated': {
          const payload = event.payload as WebhookEventPayload;
          const ticket = await zendesk.getTicket(payload.ticketId);
          const rating = ticket?.satisfaction_rating;
          const score = payload.score ?? rating?.score;
          if (ticket === null || (score !== 'good' && score !== 'bad'))
            return decideOnTicket(payload.ticketId, event.idempotencyKey, now);
          const ratingId = payload.satisfactionRatingId ?? rating?.id ?? null;
          return ingestFeedback(
            {
              source: 'zendesk_csat',
              ticketId: ticket.id,
              userId: ticket.requester_id,
              response: {
                id:
                  ratingId === null
                    ? `zendesk_csat:ticket-${ticket.id}-${short(event.idempotencyKey)}`
                    : `zendesk_csat:${ratingId}`,
                kind: 'csat',
                scale: 'good_bad',
                score,
                respondedAt: now.toISOString(),
                ticketId: String(ticket.id),
                ...((payload.comment ?? rating?.comment)
                  ? { comment: (payload.comment ?? rating?.comment)! }
                  : {}),
              },
            },
            event.idempotencyKey,
            now,
          );
        }
        case FEEDBACK_EVENT_KIND:
          return ingestFeedback(event.payload as FeedbackEventPayload, event.idempotencyKey, now);
        case REMINDER_EVENT_KIND:
          return sendReminder((event.payload as { interventionId: number }).interventionId, now);
        default:
          throw new PermanentEventError(`No handler for events of kind "${event.kind}".`);
      }
    },

    async scheduleReminders(queue, now) {
      let queued = 0;
      for (const entry of await ledger.dueBefore(new Date(now.getTime() + options.reminderLeadMs))) {
        const overdue = entry.dueAt!.getTime() <= now.getTime();
        const stage = overdue ? 'overdue' : 'due-soon';
        if (entry.remindedAt !== null && !overdue) continue;
        const outcome = await queue.enqueue({
          idempotencyKey: `reminder:${entry.id}:${stage}`,
          kind: REMINDER_EVENT_KIND,
          groupKey: `ticket:${entry.ticketId}`,
          payload: { interventionId: entry.id },
        });
        if (outcome.outcome === 'accepted') queued += 1;
      }
      return queued;
    },

    async pullSatisfactionRatings(queue, now) {
      const cursorKey = 'zendesk_csat_start_time';
      const start = Number((await ledger.getState(cursorKey)) ?? Math.floor(now.getTime() / 1000) - 86_400);
      const ratings = await zendesk.listSatisfactionRatings(start);
      let queued = 0;
      let newest = start;
      for (const rating of ratings) {
        newest = Math.max(newest, Math.floor(Date.parse(rating.updated_at) / 1000));
        if (rating.score !== 'good' && rating.score !== 'bad') continue;
        const outcome = await queue.enqueue({
          idempotencyKey: `feedback:zendesk_csat:${rating.id}`,
          kind: FEEDBACK_EVENT_KIND,
          groupKey: `ticket:${rating.ticket_id}`,
          payload: {
            source: 'zendesk_csat',
            ticketId: rating.ticket_id,
            userId: rating.requester_id,
            response: {
              id: `zendesk_csat:${rating.id}`,
              kind: 'csat',
              scale: 'good_bad',
              score: rating.score,
              respondedAt: new Date(rating.created_at).toISOString(),
              ticketId: String(rating.ticket_id),
              ...(rating.comment === null || rating.comment === '' ? {} : { comment: rating.comment }),
            },
          } satisfies FeedbackEventPayload,
        });
        if (outcome.outcome === 'accepted') queued += 1;
      }
      await ledger.setState(cursorKey, String(newest));
      return queued;
    },
  };
}

function renderNote(
  decision: Decision,
  explanation: { headline: string; details: readonly string[]; rules: readonly string[] },
  dueAt: Date | null,
  locale: Locale,
  marker: string,
): string {
  const lines = [
    `Boucle — ${explanation.headline}`,
    '',
    ...explanation.details.map((detail) => `• ${detail}`),
  ];
  const kind = followUpKindOf(decision.action);
  if (dueAt !== null && kind !== null)
    lines.push('', FOLLOW_UP_TEXTS[kind].task[locale](`${dueAt.toISOString()} (UTC)`));
  const fired = explanation.rules.filter((line) => !line.startsWith(' '));
  if (decision.decidedBy === 'rule' && fired.length > 0) lines.push('', ...fired);
  lines.push('', marker);
  return lines.join('\n');
}

/** The reminder in the words of the intervention's own promise (shared/src/policy/follow-up.ts). */
function reminderNote(entry: LedgerEntry, overdue: boolean, locale: Locale): string {
  const due = `${entry.dueAt!.toISOString()} (UTC)`;
  const kind = followUpKindOf(entry.action) ?? 'call';
  const task = FOLLOW_UP_TEXTS[kind].task[locale](due);
  const head =
    locale === 'fr'
      ? overdue
        ? 'Boucle — en retard :'
        : 'Boucle — rappel :'
      : overdue
        ? 'Boucle — overdue:'
        : 'Boucle — reminder:';
  return `${head} ${task} ${entry.summary}`;
}
