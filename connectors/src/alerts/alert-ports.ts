import type { SalesforceClient } from '../salesforce/client.ts';
import type { ZendeskClient } from '../zendesk/client.ts';
import type { ZendeskTicket } from '../zendesk/types.ts';
import type { AlertPorts } from './send-alerts.ts';

const soqlId = (id: string): string => {
  if (!/^[a-zA-Z0-9]{15,18}$/.test(id)) throw new Error(`"${id}" is not a Salesforce id`);
  return `'${id}'`;
};

/** The real clients: jsforce for the owners (Account.Owner.Email, 200 ids a query), the Zendesk API for the rest. */
export function alertPorts(zendesk: ZendeskClient, salesforce: SalesforceClient | null): AlertPorts {
  return {
    async ownerEmails(accountIds) {
      const emails = new Map<string, string>();
      if (salesforce === null) return emails;
      for (let start = 0; start < accountIds.length; start += 200) {
        const ids = accountIds.slice(start, start + 200).map(soqlId);
        const records = await salesforce.query(
          `SELECT Id, Owner.Email FROM Account WHERE Id IN (${ids.join(', ')})`,
        );
        for (const record of records) {
          const owner = record.Owner as { Email?: string | null } | null | undefined;
          if (typeof record.Id === 'string' && typeof owner?.Email === 'string')
            emails.set(record.Id, owner.Email.toLowerCase());
        }
      }
      return emails;
    },
    async findAgent(email) {
      const user = await zendesk.findUserByEmail(email);
      return user !== undefined && (user.role === 'agent' || user.role === 'admin') ? user.id : null;
    },
    async findTicketByExternalId(externalId) {
      const body = await zendesk.request<{ tickets: ZendeskTicket[] }>('GET', '/api/v2/tickets.json', {
        query: { external_id: externalId },
      });
      return body.tickets.find((ticket) => ticket.external_id === externalId)?.id ?? null;
    },
    async createTicket(ticket) {
      const body = await zendesk.request<{ ticket: ZendeskTicket }>('POST', '/api/v2/tickets.json', {
        body: {
          ticket: {
            external_id: ticket.externalId,
            subject: ticket.subject,
            type: 'task',
            priority: 'high',
            comment: { body: ticket.body, public: false },
            tags: ticket.tags,
            ...(ticket.assigneeId === null ? {} : { assignee_id: ticket.assigneeId }),
            ...(ticket.groupId === null ? {} : { group_id: ticket.groupId }),
          },
        },
      });
      return body.ticket.id;
    },
    async addNote(ticketId, body) {
      await zendesk.addInternalNote(ticketId, body);
    },
  };
}
