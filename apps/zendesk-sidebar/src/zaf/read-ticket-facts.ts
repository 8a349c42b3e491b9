import { TICKET_FIELD_TITLES } from '../../../../shared/src/zendesk/data-model.ts';
import type { TicketFacts } from '../app/sidebar-model.ts';
import type { ZafClient, ZafGetPath } from '../../../common/src/zaf/zaf-client.ts';

const PATHS = [
  'ticket.id',
  'ticket.subject',
  'ticket.priority',
  'ticket.tags',
  'ticket.status',
  'ticket.createdAt',
  'ticket.via',
  'ticket.requester',
  'ticket.organization',
  'ticket.comments',
  'ticket.assignee',
  'currentUser.locale',
  'ticketFields',
] as const satisfies readonly ZafGetPath[];

/** Strips markup from a comment body so that only its text is kept (it is rendered as text anyway). */
function toPlainText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

export interface TicketRead {
  readonly ticket: TicketFacts;
  readonly agentLocale: string | null;
}

/** One `client.get` for every ticket fact the sidebar needs (no HTTP request). Missing paths degrade softly. */
export async function readTicketFacts(client: ZafClient): Promise<TicketRead> {
  const { values } = await client.get(PATHS);
  const requester = values['ticket.requester'] ?? null;
  const fields = values.ticketFields ?? [];
  const fieldId = (title: string) => fields.find((f) => f.label === title)?.name ?? null;
  const comments = (values['ticket.comments'] ?? []).map((c) => ({
    text: toPlainText(c.value ?? ''),
    fromRequester: requester !== null && c.author?.id === requester.id,
    public: c.isPublic !== false,
    at: c.createdAt ?? null,
  }));
  return {
    agentLocale: values['currentUser.locale'] ?? null,
    ticket: {
      id: values['ticket.id'] ?? 0,
      subject: values['ticket.subject'] ?? '',
      priority: values['ticket.priority'] ?? null,
      tags: values['ticket.tags'] ?? [],
      status: values['ticket.status'] ?? 'open',
      createdAt: values['ticket.createdAt'] ?? null,
      channel: values['ticket.via']?.channel ?? null,
      assigned: values['ticket.assignee'] ? typeof values['ticket.assignee'].user?.id === 'number' : null,
      organization: values['ticket.organization']
        ? { id: values['ticket.organization'].id, name: values['ticket.organization'].name }
        : null,
      requester: requester
        ? { id: requester.id, name: requester.name, locale: requester.locale ?? null }
        : null,
      comments,
      fieldIds: {
        intervention: fieldId(TICKET_FIELD_TITLES.intervention),
        callbackDueAt: fieldId(TICKET_FIELD_TITLES.callbackDueAt),
      },
    },
  };
}
