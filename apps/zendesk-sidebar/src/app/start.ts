import { createRequesterCache, loadRequesterData } from '../requester/load-requester-data.ts';
import { readTicketFacts, type TicketRead } from '../zaf/read-ticket-facts.ts';
import type { ZafClient } from '../zaf/zaf-client.ts';
import { createZendeskApi, type ZendeskApi } from '../zaf/zendesk-api.ts';
import { bootSidebar, type BootInfo } from './boot.ts';

/** What the page starts before React and the UI code are even loaded: the handshake, settings and requests. */
export interface EarlyStart {
  readonly api: ZendeskApi;
  readonly cache: ReturnType<typeof createRequesterCache>;
  readonly boot: Promise<BootInfo>;
  /** The ticket's facts, for the sidebar's first refresh. */
  readonly ticket: Promise<TicketRead>;
}

export function startSidebar(client: ZafClient): EarlyStart {
  const api = createZendeskApi(client);
  const cache = createRequesterCache((id) => loadRequesterData(api, id));
  const boot = bootSidebar(client, (requesterId) => void cache.get(requesterId).catch(() => undefined));
  const ticket = client.context().then(() => readTicketFacts(client));
  // Handled where they are awaited (App, the first refresh); this keeps an early failure from being unhandled.
  boot.catch(() => undefined);
  ticket.catch(() => undefined);
  return { api, cache, boot, ticket };
}
