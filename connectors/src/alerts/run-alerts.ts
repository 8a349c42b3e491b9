import type { SignalScan } from '../../../shared/src/index.ts';
import { loadConfig, type Env } from '../config/config.ts';
import { salesforceSection } from '../config/salesforce.ts';
import { zendeskSection } from '../config/zendesk.ts';
import { SalesforceClient } from '../salesforce/client.ts';
import type { Sql } from '../store/sql.ts';
import { ZendeskClient } from '../zendesk/client.ts';
import { alertPorts } from './alert-ports.ts';
import { alertsSection, type AlertSettings } from './alerts-config.ts';
import { detractorAlerts, signAlerts } from './compose-alerts.ts';
import { sendAlerts, type AlertOutcome } from './send-alerts.ts';

/**
 * `boucle report signals --alert`: the scan's warning signs and the high-value detractors of the last days, each
 * sent to its owner (Zendesk ticket, rate-limited). Reads ZENDESK_* (required), SALESFORCE_* (optional: without it
 * every alert goes to the configured groups) and BOUCLE_ALERT_* (docs/programme.md).
 */
export async function runAlerts(options: {
  readonly env: Env;
  /** A database with the programme's and the alerts' tables (SQLite or PostgreSQL). */
  readonly sql: Sql;
  readonly scan: SignalScan;
  readonly now: number;
}): Promise<AlertOutcome[]> {
  const config = loadConfig({ zendesk: zendeskSection, alerts: alertsSection }, options.env);
  const salesforce =
    options.env.SALESFORCE_LOGIN_URL === undefined || options.env.SALESFORCE_LOGIN_URL === ''
      ? null
      : new SalesforceClient({
          settings: loadConfig({ salesforce: salesforceSection }, options.env).salesforce,
        });
  const zendesk = new ZendeskClient({
    baseUrl: config.zendesk.url,
    auth: { kind: 'apiToken', email: config.zendesk.email, token: config.zendesk.apiToken },
    requestsPerMinute: config.zendesk.requestsPerMinute,
  });
  const settings: AlertSettings = { ...config.alerts, ticketLinkBase: config.zendesk.url };
  const alerts = [
    ...signAlerts(options.scan, settings.ticketLinkBase),
    ...(await detractorAlerts(options.sql, settings, options.now)),
  ];
  if (salesforce !== null) await salesforce.connect();
  return sendAlerts(options.sql, alerts, alertPorts(zendesk, salesforce), settings, options.now);
}

export function formatAlertOutcomes(outcomes: readonly AlertOutcome[]): string {
  const count = (status: AlertOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const lines = [
    `Alerts: ${count('opened')} opened, ${count('updated')} updated, ${count('unchanged')} unchanged, ` +
      `${count('rate_limited')} rate-limited (sent on a later run), ${count('no_owner')} without an owner ` +
      '(set BOUCLE_ALERT_GROUPS default=<group id>).',
    ...outcomes.map((o) =>
      o.status === 'no_owner'
        ? `  ${o.key}: no owner`
        : `  ${o.key}: ${o.status.replace('_', '-')} → ${o.owner}${'ticketId' in o ? ` (ticket #${o.ticketId})` : ''}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
