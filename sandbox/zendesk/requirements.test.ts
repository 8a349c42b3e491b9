import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRequirements } from '../../apps/zendesk-sidebar/tools/requirements.ts';
import { CUSTOM_OBJECT_KEYS } from '../../shared/src/zendesk/data-model.ts';
import {
  ZENDESK_SANDBOX_CREDENTIALS as C,
  signWebhook,
  startZendeskEmulator,
  type ZendeskEmulator,
} from './index.ts';

let emu: ZendeskEmulator | undefined;
let receiver: Server | undefined;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
  await new Promise((resolve) => (receiver === undefined ? resolve(undefined) : receiver.close(resolve)));
  receiver = undefined;
});

describe('installRequirements', () => {
  it("installs Boucle's requirements.json; the trigger then sends signed, authenticated webhooks to the connector", async () => {
    const received: { headers: IncomingHttpHeaders; body: string; url: string }[] = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body, url: req.url ?? '' });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', () => resolve()));
    const connector = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    emu = await startZendeskEmulator({ seed: 6, counts: { users: 6, organizations: 2, tickets: 4 } });
    const requirements = buildRequirements();
    const installed = emu.installRequirements(requirements, {
      connector_url: connector,
      connector_token: 'tok-123',
    });
    expect(Object.keys(installed.webhooks)).toEqual(Object.keys(requirements.webhooks));
    expect(Object.keys(installed.triggers)).toEqual(Object.keys(requirements.triggers));
    expect(emu.store.customObjects.has(CUSTOM_OBJECT_KEYS.intervention)).toBe(true);
    expect(Object.keys(installed.ticket_fields)).toHaveLength(Object.keys(requirements.ticket_fields).length);

    const ticket = [...emu.store.tickets.values()].find(
      (t) => t.status === 'open' || t.status === 'new' || t.status === 'pending',
    );
    if (ticket === undefined) throw new Error('no open ticket');
    const auth = `Basic ${Buffer.from(`${C.email}/token:${C.apiToken}`).toString('base64')}`;
    const put = await fetch(`${emu.url}/api/v2/tickets/${ticket.id}.json`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { status: 'solved' } }),
    });
    expect(put.status).toBe(200);
    await emu.settle();
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery?.url).toBe('/webhooks/zendesk');
    expect(delivery?.headers['authorization']).toBe('Bearer tok-123');
    expect(JSON.parse(delivery?.body ?? '')).toMatchObject({
      ticket_id: String(ticket.id),
      status: 'Solved',
    });
    const webhookId = Object.values(installed.webhooks)[0] ?? '';
    const secret = (
      (await (
        await fetch(`${emu.url}/api/v2/webhooks/${webhookId}/signing_secret`, {
          headers: { authorization: auth },
        })
      ).json()) as {
        signing_secret: { secret: string };
      }
    ).signing_secret.secret;
    const timestamp = String(delivery?.headers['x-zendesk-webhook-signature-timestamp']);
    expect(delivery?.headers['x-zendesk-webhook-signature']).toBe(
      signWebhook(secret, timestamp, delivery?.body ?? ''),
    );

    await emu.rateTicket(ticket.id, 'bad', 'Trop long');
    await emu.settle();
    expect(JSON.parse(received[1]?.body ?? '')).toMatchObject({ satisfaction: "Bad, I'm unsatisfied" });
  });

  it('says which setting is missing, and refuses sections the sandbox does not support', async () => {
    emu = await startZendeskEmulator({ seed: 6, counts: { users: 4, organizations: 1, tickets: 1 } });
    expect(() => emu?.installRequirements(buildRequirements(), {})).toThrow(
      /requirements\.webhooks\.\w+ uses \{\{setting\.connector_url\}\}/,
    );
    expect(() => emu?.installRequirements({ macros: {} })).toThrow(/requirements\.macros is not supported/);
  });
});
