/**
 * End-to-end harness: the built app in the agent frame (real ZAF SDK, cross-origin) backed by the Zendesk
 * emulator, with Boucle's custom objects provisioned from requirements.json and two seeded customers.
 * Used by the e2e tests, the screenshots and `npm run bench:app`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  ZAF_SDK_CDN_URL,
  startAgentFrame,
  type RunningAgentFrame,
} from '../../../sandbox/agent-frame/index.ts';
import {
  startZendeskEmulator,
  ZENDESK_SANDBOX_CREDENTIALS,
  type ZendeskEmulator,
} from '../../../sandbox/zendesk/index.ts';
import {
  DEFAULT_SETTINGS,
  parsePolicy,
  policyFromSettings,
  serializePolicy,
  type PolicyInput,
} from '../../../shared/src/index.ts';
import { buildApp } from '../tools/build-app.ts';
import { buildRequirements } from '../tools/requirements.ts';

export { launchChromium } from '../../../sandbox/chromium.ts';

/**
 * A new tab on the agent frame's ticket page, with the ZAF SDK's CDN address answered by the frame's own copy of
 * the SDK (nothing reaches the internet).
 */
export async function openTicketPage(
  browser: Browser,
  frame: RunningAgentFrame,
  ticketId: number,
  height = 1000,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height } });
  const sdk = await (await fetch(frame.sdkUrl)).text();
  await page.route(ZAF_SDK_CDN_URL, (route) => route.fulfill({ body: sdk, contentType: 'text/javascript' }));
  await page.goto(frame.ticketUrl(ticketId));
  return page;
}

/** Settings of a valid installation (the required ones; everything else keeps its default). */
export const VALID_SETTINGS = {
  connector_url: 'https://connector.boucle.example',
  connector_token: 'e2e-secret-token-never-in-the-iframe',
};

/**
 * The hidden `policy` parameter's text for the defaults with some sections replaced (the manifest has no flat policy
 * fields any more: a test that needs other rules saves a policy, as the console would).
 */
export function policySetting(sections: Partial<PolicyInput>, version = 1): string {
  const base = policyFromSettings(DEFAULT_SETTINGS, {
    version,
    savedAt: '2026-12-02T18:00:00Z',
    savedBy: { id: 1, name: 'Ada Admin' },
    reason: 'e2e',
  }).data!;
  const parsed = parsePolicy({ ...base, ...sections });
  if (!parsed.success) throw new Error(`policySetting: ${JSON.stringify(parsed.issues)}`);
  return serializePolicy(parsed.data);
}

export const HOSTILE_COMMENT =
  '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Livraison encore en retard';

export interface SeededTickets {
  /** A gold customer with surveys, past incidents and effort phrases in the ticket. */
  readonly withSurvey: number;
  /** A new customer: no CRM data, no survey. */
  readonly withoutSurvey: number;
  readonly customerId: number;
}

export interface SidebarHarness {
  readonly zendesk: ZendeskEmulator;
  readonly appDir: string;
  readonly tickets: SeededTickets;
  openFrame(options?: {
    locale?: string;
    settings?: Record<string, string | number | boolean>;
  }): Promise<RunningAgentFrame>;
  close(): Promise<void>;
}

export async function startSidebarHarness(options: { appDir?: string } = {}): Promise<SidebarHarness> {
  const appDir =
    options.appDir ??
    (await buildApp({ outDir: await mkdtemp(join(tmpdir(), 'boucle-sidebar-')), quiet: true })).packageDir;
  const zendesk = await startZendeskEmulator({
    seed: 7,
    counts: { users: 10, organizations: 3, tickets: 5 },
  });
  const frames: RunningAgentFrame[] = [];
  try {
    const tickets = await seedZendesk(zendesk.url);
    return {
      zendesk,
      appDir,
      tickets,
      async openFrame(frameOptions = {}) {
        const frame = await startAgentFrame({
          zendesk: { url: zendesk.url, ...ZENDESK_SANDBOX_CREDENTIALS },
          appDir,
          settings: frameOptions.settings ?? VALID_SETTINGS,
          locale: frameOptions.locale ?? 'en-US',
        });
        frames.push(frame);
        return frame;
      },
      async close() {
        await Promise.all(frames.map((f) => f.close()));
        await zendesk.close();
      },
    };
  } catch (error) {
    await zendesk.close();
    throw error;
  }
}

export function zendeskFetch(base: string) {
  const auth = `Basic ${Buffer.from(`${ZENDESK_SANDBOX_CREDENTIALS.email}/token:${ZENDESK_SANDBOX_CREDENTIALS.apiToken}`).toString('base64')}`;
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

async function seedZendesk(base: string): Promise<SeededTickets> {
  const api = zendeskFetch(base);
  // Provision the custom objects the way requirements.json declares them.
  const co = buildRequirements().custom_objects_v2;
  for (const object of co.objects) {
    await api('POST', '/api/v2/custom_objects', {
      custom_object: { key: object.key, title: object.title, title_pluralized: object.title_pluralized },
    });
  }
  for (const field of co.object_fields) {
    const { object_key: objectKey, ...rest } = field;
    await api('POST', `/api/v2/custom_objects/${objectKey}/fields`, { custom_object_field: rest });
  }
  const crm = {
    boucle_value_tier: 'gold',
    boucle_lifetime_revenue: 182000,
    boucle_revenue_12m: 46000,
    boucle_orders_12m: 14,
    boucle_customer_since: '2019-03-01',
    boucle_margin_rate: 0.32,
    boucle_recent_transactions: JSON.stringify([
      { kind: 'order', label: 'SO-1182', amount: 1250, date: daysAgo(20).slice(0, 10) },
      { kind: 'order', label: 'SO-1139', amount: 980, date: daysAgo(55).slice(0, 10) },
      {
        kind: 'opportunity',
        label: 'Renewal 2027',
        amount: 40000,
        date: daysAgo(-30).slice(0, 10),
        stage: 'Negotiation',
      },
    ]),
  };
  const { organization } = await api<{ organization: { id: number } }>('POST', '/api/v2/organizations', {
    organization: { name: 'Maison Martin SARL', organization_fields: crm },
  });
  const { user } = await api<{ user: { id: number } }>('POST', '/api/v2/users', {
    user: {
      name: 'Camille Martin',
      email: 'camille.martin@maison-martin.test',
      role: 'end-user',
      locale: 'fr',
      organization_id: organization.id,
      user_fields: crm,
    },
  });
  const { ticket } = await api<{ ticket: { id: number } }>('POST', '/api/v2/tickets', {
    ticket: {
      subject: 'Colis toujours pas livré',
      requester_id: user.id,
      priority: 'normal',
      tags: ['delivery'],
      comment: {
        body: "Toujours pas de colis, c'est la troisième fois que j'écris. Still waiting, I called again yesterday.",
        author_id: user.id,
      },
    },
  });
  const feedback = (fields: Record<string, unknown>, name: string) =>
    api('POST', '/api/v2/custom_objects/boucle_feedback/records', {
      custom_object_record: { name, custom_object_fields: { user: String(user.id), ...fields } },
    });
  await feedback(
    {
      kind: 'nps',
      score: '4',
      scale: '0-10',
      comment: HOSTILE_COMMENT,
      channel: 'email',
      touchpoint: 'delivery',
      responded_at: daysAgo(40),
    },
    'NPS after delivery',
  );
  await feedback(
    {
      kind: 'csat',
      score: '2',
      scale: '1-5',
      channel: 'web',
      touchpoint: 'support',
      responded_at: daysAgo(12),
    },
    'CSAT',
  );
  await feedback(
    {
      kind: 'ces',
      score: '6',
      scale: '1-7',
      ticket_id: String(ticket.id),
      channel: 'email',
      touchpoint: 'support',
      responded_at: daysAgo(1),
    },
    'CES',
  );
  await feedback(
    {
      kind: 'company_effort',
      score: '3',
      scale: '1-7',
      ticket_id: String(ticket.id),
      channel: 'email',
      touchpoint: 'support',
      responded_at: daysAgo(1),
    },
    'KE',
  );
  await api('POST', '/api/v2/custom_objects/boucle_intervention/records', {
    custom_object_record: {
      name: 'Ticket #900 — apology',
      custom_object_fields: {
        ticket_id: '900',
        user: String(user.id),
        action: 'apology',
        status: 'closed',
        outcome: 'resolved',
        decided_at: daysAgo(75),
      },
    },
  });

  const { user: newcomer } = await api<{ user: { id: number } }>('POST', '/api/v2/users', {
    user: { name: 'Alex Newman', email: 'alex.newman@example.test', role: 'end-user', locale: 'en-US' },
  });
  const { ticket: newTicket } = await api<{ ticket: { id: number } }>('POST', '/api/v2/tickets', {
    ticket: {
      subject: 'Wrong invoice amount',
      requester_id: newcomer.id,
      priority: 'high',
      tags: ['billing'],
      comment: { body: 'My first invoice is wrong, please fix it.', author_id: newcomer.id },
    },
  });
  return { withSurvey: ticket.id, withoutSurvey: newTicket.id, customerId: user.id };
}
