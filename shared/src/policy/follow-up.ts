import type { Action, FollowUpKind, Locale } from '../domain/vocabulary.ts';

/**
 * Each intervention's promise and clock, defined once (DOMAIN.md §4, seed 003: "rappeler rapidement le client
 * sous 24/48 heures" — speed is the base of every recovery). Every recovery has a first-contact clock: the
 * window of the customer's value tier (`callbackWindowHours`, 24 h platinum/gold, 48 h silver/bronze) or the
 * window a rule sets. What the agent owes the customer before it runs out differs:
 *
 * - apology → `reply`: the written apology itself is the contact;
 * - callback → `call`: a phone call (which includes the apology);
 * - compensation → `compensate`: the gesture is offered in writing and confirmed as granted — no phone call is
 *   promised (the model's cost of a compensation counts the agent's time to arrange it, not a call).
 *
 * The sidebar's card and loop status, the connector's internal note and reminders, and the draft reply all read
 * the texts below, so they say the same thing.
 */
export const FOLLOW_UP_OF = {
  none: null,
  apology: 'reply',
  callback: 'call',
  compensation: 'compensate',
} as const satisfies Record<Action, FollowUpKind | null>;

export function followUpKindOf(action: string): FollowUpKind | null {
  return (FOLLOW_UP_OF as Record<string, FollowUpKind | null>)[action] ?? null;
}

/** The follow-up a decision promises: what, from when, until when. */
export interface FollowUp {
  readonly kind: FollowUpKind;
  /** When the clock started: the decision time, or the bad survey answer that reopened a solved ticket. */
  readonly startsAt: string;
  readonly dueAt: string;
  readonly windowHours: number;
  /**
   * True when the ticket is solved or closed and a bad answer reopened the loop: the recovery is due, on the
   * follow-up ticket the connector opens for that answer.
   */
  readonly onFollowUpTicket: boolean;
}

type Texts = Readonly<Record<Locale, string>>;
type DueTexts = Readonly<Record<Locale, (due: string) => string>>;
type HoursTexts = Readonly<Record<Locale, (hours: number) => string>>;

export interface FollowUpTexts {
  /** Label of the due time on the recommendation card: "Call back before". */
  readonly dueLabel: Texts;
  /** The agent's task, for the internal note and reminders. */
  readonly task: DueTexts;
  /** The loop status while the clock runs. */
  readonly dueIn: HoursTexts;
  readonly overdue: HoursTexts;
  /** What the draft reply promises the customer (`due` already in the customer's language). */
  readonly customerPromise: DueTexts;
}

export const FOLLOW_UP_TEXTS: Readonly<Record<FollowUpKind, FollowUpTexts>> = {
  reply: {
    dueLabel: { en: 'Reply before', fr: 'Répondre avant' },
    task: {
      en: (due) => `Send the customer the apology before ${due}.`,
      fr: (due) => `Envoyer les excuses au client avant le ${due}.`,
    },
    dueIn: { en: (h) => `Reply due in ${h} h`, fr: (h) => `Réponse attendue dans ${h} h` },
    overdue: { en: (h) => `Reply overdue by ${h} h`, fr: (h) => `Réponse en retard de ${h} h` },
    customerPromise: { en: () => '', fr: () => '' },
  },
  call: {
    dueLabel: { en: 'Call back before', fr: 'Rappeler avant' },
    task: {
      en: (due) => `Call the customer back before ${due}.`,
      fr: (due) => `Rappeler le client avant le ${due}.`,
    },
    dueIn: { en: (h) => `Callback due in ${h} h`, fr: (h) => `Rappel attendu dans ${h} h` },
    overdue: { en: (h) => `Callback overdue by ${h} h`, fr: (h) => `Rappel en retard de ${h} h` },
    customerPromise: {
      en: (due) => `I would like to call you before ${due} to make sure it is fully resolved.`,
      fr: (due) => `Je souhaite vous appeler avant le ${due} pour m'assurer que tout est bien résolu.`,
    },
  },
  compensate: {
    dueLabel: { en: 'Grant the compensation before', fr: 'Accorder la compensation avant' },
    task: {
      en: (due) => `Grant the compensation and confirm it to the customer in writing before ${due}.`,
      fr: (due) => `Accorder la compensation et la confirmer par écrit au client avant le ${due}.`,
    },
    dueIn: {
      en: (h) => `Compensation to grant within ${h} h`,
      fr: (h) => `Compensation à accorder sous ${h} h`,
    },
    overdue: {
      en: (h) => `Compensation overdue by ${h} h`,
      fr: (h) => `Compensation en retard de ${h} h`,
    },
    customerPromise: {
      en: (due) => `You will receive a written confirmation once it is applied, before ${due}.`,
      fr: (due) => `Vous recevrez une confirmation écrite dès qu'il sera appliqué, avant le ${due}.`,
    },
  },
};
