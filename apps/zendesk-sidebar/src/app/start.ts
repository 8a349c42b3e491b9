import { createRequesterCache, loadRequesterData } from '../requester/load-requester-data.ts';
import { readTicketFacts, type TicketRead } from '../zaf/read-ticket-facts.ts';
import type { ZafClient } from '../../../common/src/zaf/zaf-client.ts';
import { createZendeskApi, type ZendeskApi } from '../zaf/zendesk-api.ts';
import { readStoredTicket, type StoredTicket } from './apply-status.ts';
import { bootSidebar, type BootInfo } from './boot.ts';

/**
 * What the page starts before the UI code (React, Garden, the decision core) is even evaluated: the handshake,
 * the settings and the ticket's three reads. Nothing here imports the UI or `shared/`'s schemas.
 */
export interface EarlyStart {
  readonly client: ZafClient;
  readonly api: ZendeskApi;
  readonly cache: ReturnType<typeof createRequesterCache>;
  readonly boot: Promise<BootInfo>;
  /** The ticket's facts, for the sidebar's first refresh. */
  readonly ticket: Promise<TicketRead>;
  /** The saved values of Boucle's ticket fields found by title, read as soon as the facts are in. */
  readonly stored: Promise<StoredTicket>;
  /**
   * Settles once the requester's reads are on their way (or the start failed, or `requestedWithinMs` passed): the
   * moment to evaluate the UI code, whose long task would otherwise hold up the handshake's messages.
   */
  readonly requested: Promise<void>;
}

export function startSidebar(client: ZafClient, requestedWithinMs = 300): EarlyStart {
  const api = createZendeskApi(client);
  const cache = createRequesterCache((id) => loadRequesterData(api, id));
  let markRequested: () => void = () => undefined;
  const requested = new Promise<void>((resolve) => {
    markRequested = resolve;
    setTimeout(resolve, requestedWithinMs);
  });
  const boot = bootSidebar(client, (requesterId) => {
    void cache.get(requesterId).catch(() => undefined);
    markRequested();
  });
  const ticket = client.context().then(() => readTicketFacts(client));
  const stored = ticket.then((read) => readStoredTicket(client, read.ticket, read.ticket.fieldIds));
  // Handled where they are awaited (App, the first refresh); this keeps an early failure from being unhandled.
  boot.catch(() => undefined);
  ticket.catch(() => undefined);
  stored.catch(() => undefined);
  void boot.then(markRequested, markRequested);
  return { client, api, cache, boot, ticket, stored, requested };
}
