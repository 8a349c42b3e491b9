import { SIGN_LABELS, describeSign, type SignalScan, type WarningSign } from '../../../shared/src/index.ts';
import { jsonNumber, jsonText } from '../programme/programme-facts-sql.ts';
import type { Sql } from '../store/sql.ts';
import type { AlertSettings } from './alerts-config.ts';
import type { Alert } from './send-alerts.ts';

const link = (base: string | undefined, ticketId: string | number): string =>
  base === undefined ? `#${ticketId}` : `${base.replace(/\/+$/, '')}/agent/tickets/${ticketId}`;

/** A warning sign as an alert for the group configured for its cut; updated when its change moves a point. */
export function signAlert(sign: WarningSign, linkBase: string | undefined): Alert {
  const where = sign.dimension === 'all' ? 'the whole programme' : `${sign.dimension} ${sign.value}`;
  const tickets = sign.tickets.slice(0, 20);
  return {
    key: `sign:${sign.kind}:${sign.dimension}:${sign.value}:${sign.phrase ?? ''}`,
    kind: 'sign',
    subject: `Boucle warning sign: ${SIGN_LABELS[sign.kind].en}${sign.phrase === null ? '' : ` "${sign.phrase}"`} — ${where}`,
    body: [
      `What moved: ${describeSign(sign, 'en')}.`,
      `Unlikely to be noise: the recent months against the months before, with the false-alarm control of docs/programme.md (q = ${sign.qValue < 0.001 ? '< 0.001' : sign.qValue.toFixed(3)}).`,
      '',
      `The tickets behind it (${sign.ticketCount}${tickets.length < sign.ticketCount ? `, the first ${tickets.length}` : ''}):`,
      ...tickets.map((id) => `- ${link(linkBase, id)}`),
    ].join('\n'),
    fingerprint: `${sign.since}|${Math.round(sign.change * 100)}`,
    accountId: null,
    routes: sign.dimension === 'all' ? [] : [`${sign.dimension}:${sign.value}`],
    tags: [`boucle_sign_${sign.kind}`],
  };
}

export function signAlerts(scan: SignalScan, linkBase: string | undefined): Alert[] {
  return scan.signs.map((sign) => signAlert(sign, linkBase));
}

/**
 * High-value detractors: NPS answers of 0–6 in the last `detractorDays` days from customers whose account has at
 * least `detractorMinRevenue` of 12-month revenue (the Salesforce sync's profile), one alert per account, for its
 * owner. A new bad answer of the same account updates its alert.
 */
export async function detractorAlerts(sql: Sql, settings: AlertSettings, now: number): Promise<Alert[]> {
  const revenue = jsonNumber(sql, 'p.profile', 'revenue12m');
  const rows = await sql.all<{
    id: string;
    responded_at: number;
    score: number;
    comment: string | null;
    ticket_id: number | null;
    account_id: string;
    name: string;
    region: string | null;
    segment: string | null;
    revenue: number;
    tier: string | null;
  }>(
    `SELECT a.id, a.responded_at, a.score, a.comment, a.ticket_id, acc.id AS account_id, acc.name, acc.region,
         acc.segment, ${revenue} AS revenue, ${jsonText(sql, 'p.profile', 'tier')} AS tier
       FROM programme_answers a
       LEFT JOIN programme_tickets t ON t.id = a.ticket_id
       JOIN programme_users u ON u.id = COALESCE(a.user_id, t.requester_id)
       JOIN sync_contact c ON c.id = u.external_id
       JOIN sync_account acc ON acc.id = c.account_id
       JOIN sync_profile p ON p.account_id = acc.id
       WHERE a.kind = 'nps' AND a.score <= 6 AND a.responded_at >= ? AND a.responded_at <= ?
         AND ${revenue} >= ?
       ORDER BY acc.id, a.responded_at, a.id`,
    [now - settings.detractorDays * 86_400_000, now, settings.detractorMinRevenue],
  );
  const byAccount = new Map<string, typeof rows>();
  for (const row of rows) byAccount.set(row.account_id, [...(byAccount.get(row.account_id) ?? []), row]);
  return [...byAccount.values()].map((answers) => {
    const first = answers[0]!;
    const money = Math.round(first.revenue).toLocaleString('en-GB');
    return {
      key: `detractor:${first.account_id}`,
      kind: 'detractor',
      subject: `Boucle: high-value customer ${first.name} is a detractor (NPS ${answers.at(-1)!.score})`,
      body: [
        `${first.name} (€ ${money} over 12 months${first.tier === null ? '' : `, ${first.tier}`}${first.region === null ? '' : `, ${first.region}`}) answered NPS 0–6 in the last ${settings.detractorDays} days:`,
        ...answers.map(
          (a) =>
            `- NPS ${a.score} on ${new Date(a.responded_at).toISOString().slice(0, 10)}` +
            (a.ticket_id === null ? '' : ` about ${link(settings.ticketLinkBase, a.ticket_id)}`) +
            (a.comment === null || a.comment === '' ? '' : `: “${a.comment.slice(0, 300)}”`),
        ),
        '',
        `An account above € ${Math.round(settings.detractorMinRevenue).toLocaleString('en-GB')} (BOUCLE_ALERT_DETRACTOR_MIN_REVENUE) that turns detractor is worth a call from its owner.`,
      ].join('\n'),
      fingerprint: answers.map((a) => a.id).join(' '),
      accountId: first.account_id,
      routes: [
        ...(first.region === null ? [] : [`region:${first.region}`]),
        ...(first.segment === null ? [] : [`segment:${first.segment}`]),
        ...(first.tier === null ? [] : [`tier:${first.tier}`]),
      ],
      tags: [],
    };
  });
}
