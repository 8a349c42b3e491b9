import {
  FOLLOW_UP_OF,
  FOLLOW_UP_TEXTS,
  compensationWording,
  type CompensationTier,
} from '../../../../shared/src/index.ts';
import type { SidebarLocale } from '../i18n/i18n.ts';
import type { Action } from './sidebar-model.ts';

interface ReplyValues {
  readonly customerName: string;
  /** The follow-up's due time, already formatted for the customer. */
  readonly deadline?: string;
  /** The compensation tier's amount and labels; without it the agent must describe the gesture. */
  readonly compensation?: Pick<CompensationTier, 'amount' | 'label'> | null;
}

const FIRST_NAME = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** A part the agent must write before sending: in brackets, and highlighted by the sidebar. */
export const TO_FILL = /\[[^\]\n]+\]/g;

/** The customer's promise of the action's follow-up (shared/src/policy/follow-up.ts), when there is a deadline. */
function promise(
  action: Exclude<Action, 'none'>,
  locale: SidebarLocale,
  deadline: string | undefined,
): string {
  if (deadline === undefined) return '';
  const text = FOLLOW_UP_TEXTS[FOLLOW_UP_OF[action]].customerPromise[locale](deadline);
  return text === '' ? '' : ` ${text}`;
}

/**
 * Draft replies put in the comment box by Apply, in the customer's language, ready to send: the compensation is
 * named by the admin's wording with its amount, and the follow-up promise is the action's own. Only what Boucle
 * cannot know is left in brackets (what went wrong, for an apology), and the sidebar highlights it.
 */
const TEMPLATES: Record<SidebarLocale, Record<Exclude<Action, 'none'>, (v: ReplyValues) => string>> = {
  en: {
    apology: (v) =>
      `Hello ${FIRST_NAME(v.customerName)},\n\nI am sorry for the trouble this caused you, and for the effort it took on your side. [Say in one sentence what went wrong and what we did about it.]\n\nThank you for your patience.`,
    callback: (v) =>
      `Hello ${FIRST_NAME(v.customerName)},\n\nI am sorry for the trouble this caused you.${promise('callback', 'en', v.deadline) || ' I would like to call you to make sure it is fully resolved.'} Could you reply with the best number and time to reach you?\n\nThank you for your patience.`,
    compensation: (v) =>
      `Hello ${FIRST_NAME(v.customerName)},\n\nI am sorry for the trouble this caused you; it should not have happened. As a gesture, we are offering you ${v.compensation ? compensationWording(v.compensation, 'en') : '[describe the gesture and its amount]'}.${promise('compensation', 'en', v.deadline)}\n\nThank you for your patience.`,
  },
  fr: {
    apology: (v) =>
      `Bonjour ${FIRST_NAME(v.customerName)},\n\nJe suis désolé(e) pour la gêne occasionnée et pour les efforts que cela vous a demandés. [Dites en une phrase ce qui s'est passé et ce que nous avons fait.]\n\nMerci de votre patience.`,
    callback: (v) =>
      `Bonjour ${FIRST_NAME(v.customerName)},\n\nJe suis désolé(e) pour la gêne occasionnée.${promise('callback', 'fr', v.deadline) || " Je souhaite vous appeler pour m'assurer que tout est bien résolu."} Pouvez-vous me répondre avec le meilleur numéro et le bon moment pour vous joindre ?\n\nMerci de votre patience.`,
    compensation: (v) =>
      `Bonjour ${FIRST_NAME(v.customerName)},\n\nJe suis désolé(e) pour la gêne occasionnée ; cela n'aurait pas dû arriver. En geste commercial, nous vous proposons ${v.compensation ? compensationWording(v.compensation, 'fr') : '[décrivez le geste et son montant]'}.${promise('compensation', 'fr', v.deadline)}\n\nMerci de votre patience.`,
  },
};

/** The draft for an action; empty for "none" (nothing to send). */
export function draftReply(action: Action, locale: SidebarLocale, values: ReplyValues): string {
  return action === 'none' ? '' : TEMPLATES[locale][action](values);
}
