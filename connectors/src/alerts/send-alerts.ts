import { createHash } from 'node:crypto';
import type { Sql } from '../store/sql.ts';
import type { AlertSettings } from './alerts-config.ts';

/** One thing someone should look at: a warning sign of a cut, or a high-value customer who became a detractor. */
export interface Alert {
  /** Stable identity: one ticket per key, ever (updated, never duplicated). */
  readonly key: string;
  readonly kind: 'sign' | 'detractor';
  readonly subject: string;
  /** What moved, by how much, since when, and the tickets behind it (with links). */
  readonly body: string;
  /** Changes when there is something new to say; an unchanged alert is not sent again. */
  readonly fingerprint: string;
  /** The Salesforce account, when the alert is about one customer (its owner gets it). */
  readonly accountId: string | null;
  /** Cut keys tried in order against BOUCLE_ALERT_GROUPS (`region:Belgium`, …), `default` last. */
  readonly routes: readonly string[];
  readonly tags: readonly string[];
}

/** What sending needs from Salesforce and Zendesk (the real clients in `boucle`, the emulators in tests). */
export interface AlertPorts {
  /** Salesforce: each account's owner e-mail (Account.Owner.Email). */
  ownerEmails(accountIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Zendesk: the agent (or admin) with this e-mail, null when there is none. */
  findAgent(email: string): Promise<number | null>;
  findTicketByExternalId(externalId: string): Promise<number | null>;
  createTicket(ticket: {
    readonly externalId: string;
    readonly subject: string;
    readonly body: string;
    readonly assigneeId: number | null;
    readonly groupId: number | null;
    readonly tags: readonly string[];
  }): Promise<number>;
  addNote(ticketId: number, body: string): Promise<void>;
}

export type AlertOutcome =
  | {
      readonly key: string;
      readonly status: 'opened' | 'updated';
      readonly ticketId: number;
      readonly owner: string;
    }
  | { readonly key: string; readonly status: 'unchanged'; readonly ticketId: number; readonly owner: string }
  | { readonly key: string; readonly status: 'rate_limited'; readonly owner: string }
  | { readonly key: string; readonly status: 'no_owner' };

interface Owner {
  /** `agent:<id>` or `group:<id>`: the rate limit's unit. */
  readonly key: string;
  readonly assigneeId: number | null;
  readonly groupId: number | null;
  readonly why: string;
}

export const alertExternalId = (key: string): string =>
  `boucle-alert-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Sends each alert to whoever owns it — the Salesforce account owner when Zendesk has an agent with that e-mail,
 * else the group configured for the alert's cut (BOUCLE_ALERT_GROUPS), else `default` — as a Zendesk ticket
 * (internal note, tag `boucle_alert`). One ticket per alert key: a changed alert adds a note to its ticket, an
 * unchanged one sends nothing. At most `maxPerOwnerPerDay` tickets opened or updated per owner and UTC day; the
 * rest wait for the next run (they are reported as rate-limited).
 */
export async function sendAlerts(
  sql: Sql,
  alerts: readonly Alert[],
  ports: AlertPorts,
  settings: AlertSettings,
  now: number,
): Promise<AlertOutcome[]> {
  const accountIds = [...new Set(alerts.flatMap((a) => (a.accountId === null ? [] : [a.accountId])))];
  const emails = accountIds.length === 0 ? new Map<string, string>() : await ports.ownerEmails(accountIds);
  const agents = new Map<string, number | null>();
  const agentOf = async (email: string): Promise<number | null> => {
    const known = agents.get(email);
    if (known !== undefined) return known;
    const id = await ports.findAgent(email);
    agents.set(email, id);
    return id;
  };
  const ownerOf = async (alert: Alert): Promise<Owner | null> => {
    const email = alert.accountId === null ? undefined : emails.get(alert.accountId);
    if (email !== undefined) {
      const agent = await agentOf(email);
      if (agent !== null)
        return {
          key: `agent:${agent}`,
          assigneeId: agent,
          groupId: null,
          why: `You own this account in Salesforce (${email}).`,
        };
    }
    for (const route of [...alert.routes, 'default']) {
      const group = settings.groups.get(route);
      if (group !== undefined)
        return {
          key: `group:${group}`,
          assigneeId: null,
          groupId: group,
          why:
            (email === undefined
              ? ''
              : `The account owner (${email}) is not a Zendesk agent, so this goes to a group. `) +
            (route === 'default'
              ? 'Your group is the default for alerts (BOUCLE_ALERT_GROUPS default=…).'
              : `Your group is configured for ${route} (BOUCLE_ALERT_GROUPS).`),
        };
    }
    return null;
  };

  const stored = {
    get: (key: string) =>
      sql.get<{ ticket_id: number; owner: string; fingerprint: string }>(
        'SELECT ticket_id, owner, fingerprint FROM alerts_tickets WHERE alert_key = ?',
        [key],
      ),
  };
  const sentToday = {
    get: async (owner: string, day: string) =>
      (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM alerts_sent WHERE owner = ? AND day = ?', [
        owner,
        day,
      ]))!,
  };
  const recordSent = {
    run: (owner: string, day: string, key: string, kind: string, at: number) =>
      sql.run('INSERT INTO alerts_sent (owner, day, alert_key, kind, sent_at) VALUES (?, ?, ?, ?, ?)', [
        owner,
        day,
        key,
        kind,
        at,
      ]),
  };
  const saveTicket = {
    run: (
      key: string,
      ticketId: number,
      owner: string,
      fingerprint: string,
      openedAt: number,
      updatedAt: number,
    ) =>
      sql.run(
        `INSERT INTO alerts_tickets (alert_key, ticket_id, owner, fingerprint, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (alert_key) DO UPDATE SET fingerprint = excluded.fingerprint, updated_at = excluded.updated_at`,
        [key, ticketId, owner, fingerprint, openedAt, updatedAt],
      ),
  };
  const outcomes: AlertOutcome[] = [];
  for (const alert of alerts) {
    const previous = await stored.get(alert.key);
    if (previous !== undefined && previous.fingerprint === alert.fingerprint) {
      outcomes.push({
        key: alert.key,
        status: 'unchanged',
        ticketId: previous.ticket_id,
        owner: previous.owner,
      });
      continue;
    }
    const owner = await ownerOf(alert);
    if (owner === null) {
      outcomes.push({ key: alert.key, status: 'no_owner' });
      continue;
    }
    // An update goes to the ticket's owner of record (the ticket may have been reassigned in Zendesk since).
    const limitOwner = previous?.owner ?? owner.key;
    const count = (await sentToday.get(limitOwner, dayOf(now))).n;
    if (count >= settings.maxPerOwnerPerDay) {
      outcomes.push({ key: alert.key, status: 'rate_limited', owner: limitOwner });
      continue;
    }
    const body = `${alert.body}\n\nWhy you: ${owner.why}\n\n(Boucle alert ${alert.key}; at most ${settings.maxPerOwnerPerDay} alerts per owner and day.)`;
    if (previous !== undefined) {
      await ports.addNote(previous.ticket_id, `Update — ${alert.subject}\n\n${body}`);
      await saveTicket.run(alert.key, previous.ticket_id, previous.owner, alert.fingerprint, now, now);
      await recordSent.run(previous.owner, dayOf(now), alert.key, 'updated', now);
      outcomes.push({
        key: alert.key,
        status: 'updated',
        ticketId: previous.ticket_id,
        owner: previous.owner,
      });
      continue;
    }
    const externalId = alertExternalId(alert.key);
    // The stored key is the first guard; the ticket's external id the second (a database restored from a backup).
    const existing = await ports.findTicketByExternalId(externalId);
    let ticketId: number;
    let status: 'opened' | 'updated';
    if (existing !== null) {
      await ports.addNote(existing, `Update — ${alert.subject}\n\n${body}`);
      ticketId = existing;
      status = 'updated';
    } else {
      ticketId = await ports.createTicket({
        externalId,
        subject: alert.subject,
        body,
        assigneeId: owner.assigneeId,
        groupId: owner.groupId,
        tags: ['boucle_alert', `boucle_alert_${alert.kind}`, ...alert.tags],
      });
      status = 'opened';
    }
    await saveTicket.run(alert.key, ticketId, owner.key, alert.fingerprint, now, now);
    await recordSent.run(owner.key, dayOf(now), alert.key, status, now);
    outcomes.push({ key: alert.key, status, ticketId, owner: owner.key });
  }
  return outcomes;
}
