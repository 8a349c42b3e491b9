import { ZendeskApiError, type ZendeskClient, type ZendeskTicket } from '../zendesk/index.ts';
import type { LoopTicket, LoopZendesk } from './loop-ports.ts';

async function collect<T>(items: AsyncIterable<T>, limit = 10_000): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

async function orNull<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ZendeskApiError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

const toTicket = (ticket: ZendeskTicket): LoopTicket => ticket;

/** The closed loop's view of Zendesk, over Boucle's Zendesk API client (the only HTTP to Zendesk). */
export function createLoopZendesk(client: ZendeskClient): LoopZendesk {
  return {
    async getTicket(id) {
      const ticket = await orNull(client.getTicket(id));
      return ticket === null ? null : toTicket(ticket);
    },
    async getUser(id) {
      return await orNull(client.getUser(id));
    },
    async findUserByEmail(email) {
      return (await client.findUserByEmail(email)) ?? null;
    },
    async ensureEndUser(email) {
      const found = await client.findUserByEmail(email);
      if (found !== undefined) return found;
      return await client.createOrUpdateUser({
        email,
        name: email.split('@')[0] ?? email,
        role: 'end-user',
      });
    },
    async getOrganization(id) {
      return await orNull(client.getOrganization(id));
    },
    async listComments(ticketId) {
      return collect(client.listComments(ticketId));
    },
    async listOpenTickets(requesterId) {
      const results = await collect(
        client.search(`type:ticket requester_id:${requesterId} status<solved`),
        100,
      );
      return results
        .filter((result) => (result as { result_type?: string }).result_type === 'ticket')
        .map((result) => result as unknown as LoopTicket)
        .sort((a, b) => a.id - b.id);
    },
    async findTicketByExternalId(externalId) {
      const body = await client.request<{ tickets: ZendeskTicket[] }>('GET', '/api/v2/tickets.json', {
        query: { external_id: externalId },
      });
      const ticket = body.tickets.find((candidate) => candidate.external_id === externalId);
      return ticket === undefined ? null : toTicket(ticket);
    },
    async updateTicket(id, changes) {
      const { ticket } = await client.updateTicket(id, {
        ...(changes.addTags !== undefined && changes.addTags.length > 0
          ? { additional_tags: changes.addTags }
          : {}),
        ...(changes.removeTags !== undefined && changes.removeTags.length > 0
          ? { remove_tags: changes.removeTags }
          : {}),
        ...(changes.priority === undefined ? {} : { priority: changes.priority }),
        ...(changes.customFields !== undefined && changes.customFields.length > 0
          ? { custom_fields: changes.customFields }
          : {}),
        ...(changes.internalNote === undefined
          ? {}
          : { comment: { body: changes.internalNote, public: false } }),
      });
      return toTicket(ticket);
    },
    async createFollowUpTicket(input) {
      const body = await client.request<{ ticket: ZendeskTicket }>('POST', '/api/v2/tickets.json', {
        body: {
          ticket: {
            external_id: input.externalId,
            requester_id: input.requesterId,
            subject: input.subject,
            comment: { body: input.internalNote, public: false },
            tags: input.tags,
            priority: input.priority,
            ...(input.groupId === undefined ? {} : { group_id: input.groupId }),
          },
        },
      });
      return toTicket(body.ticket);
    },
    async upsertRecord(objectKey, externalId, name, fields) {
      const cleaned = Object.fromEntries(
        Object.entries(fields).filter(([, value]) => value !== null && value !== undefined),
      );
      return await client.upsertCustomObjectRecord(objectKey, externalId, {
        name,
        external_id: externalId,
        custom_object_fields: cleaned,
      });
    },
    async findRecords(objectKey, field, value) {
      return await collect(
        client.filterCustomObjectRecords(objectKey, { [`custom_object_fields.${field}`]: { $eq: value } }),
        1000,
      );
    },
    async ticketFieldIdsByTitle() {
      const fields = await client.listTicketFields();
      return new Map(fields.map((field) => [field.title, field.id]));
    },
    async listSatisfactionRatings(startTime) {
      return collect(client.listSatisfactionRatings({ startTime }), 10_000);
    },
  };
}
