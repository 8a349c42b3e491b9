import type { SidebarLocale } from '../i18n/i18n.ts';
import type { Action } from './sidebar-model.ts';

interface ReplyValues {
  readonly customerName: string;
  readonly agentName?: string;
  /** Callback deadline, already formatted for the customer. */
  readonly deadline?: string;
}

const FIRST_NAME = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/**
 * Draft replies put in the comment box by Apply, in the customer's language. The agent edits them before
 * sending: they are deliberately short and plain, never the same boiler-plate twice in a row for one customer
 * (the decision avoids repeated apologies; the agent personalises the rest).
 */
const TEMPLATES: Record<SidebarLocale, Record<Exclude<Action, 'none'>, (v: ReplyValues) => string>> = {
  en: {
    apology: (v) =>
      `Hello ${FIRST_NAME(v.customerName)},\n\nI am sorry for the trouble this caused you, and for the effort it took on your side. [Say what went wrong and what we did about it.]\n\nThank you for your patience.`,
    callback: (v) =>
      `Hello ${FIRST_NAME(v.customerName)},\n\nI am sorry for the trouble this caused you. I would like to call you${v.deadline ? ` before ${v.deadline}` : ''} to make sure it is fully resolved. [Confirm the best number and time.]\n\nThank you for your patience.`,
    compensation: (v) =>
      `Hello ${FIRST_NAME(v.customerName)},\n\nI am sorry for the trouble this caused you; it should not have happened. As a gesture, we are offering you [describe the compensation]. I will also call you${v.deadline ? ` before ${v.deadline}` : ''} to make sure everything is now in order.\n\nThank you for your patience.`,
  },
  fr: {
    apology: (v) =>
      `Bonjour ${FIRST_NAME(v.customerName)},\n\nJe suis désolé(e) pour la gêne occasionnée et pour les efforts que cela vous a demandés. [Expliquez ce qui s'est passé et ce que nous avons fait.]\n\nMerci de votre patience.`,
    callback: (v) =>
      `Bonjour ${FIRST_NAME(v.customerName)},\n\nJe suis désolé(e) pour la gêne occasionnée. Je souhaite vous appeler${v.deadline ? ` avant le ${v.deadline}` : ''} pour m'assurer que tout est bien résolu. [Confirmez le meilleur numéro et le bon moment.]\n\nMerci de votre patience.`,
    compensation: (v) =>
      `Bonjour ${FIRST_NAME(v.customerName)},\n\nJe suis désolé(e) pour la gêne occasionnée ; cela n'aurait pas dû arriver. En geste commercial, nous vous proposons [décrivez la compensation]. Je vous appellerai aussi${v.deadline ? ` avant le ${v.deadline}` : ''} pour m'assurer que tout est rentré dans l'ordre.\n\nMerci de votre patience.`,
  },
};

/** The draft for an action; empty for "none" (nothing to send). */
export function draftReply(action: Action, locale: SidebarLocale, values: ReplyValues): string {
  return action === 'none' ? '' : TEMPLATES[locale][action](values);
}
