/**
 * The Policy screen's end-to-end harness: `boucle start`'s sandbox in-process (the generated dataset, both
 * emulators, the connector reading its policy from the Boucle installation in the Zendesk emulator, the agent frame
 * hosting the built app), with the connector's ledger seeded through the real loop: an agent's public comment on
 * the dataset's first live tickets, sent to the Zendesk emulator, whose trigger calls the connector's webhook, which
 * decides and records the decision with its input (what the preview decides again). Used by the policy e2e test and
 * the screenshots.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PassThrough } from 'node:stream';
import { ZendeskClient } from '../../../connectors/src/zendesk/client.ts';
import { startBoucle, type RunningBoucle } from '../../../connectors/src/start/start-boucle.ts';
import { ZENDESK_SANDBOX_CREDENTIALS } from '../../../sandbox/zendesk/index.ts';
import { decodeDecisionInput, type DecisionInput, type ValueTier } from '../../../shared/src/index.ts';

/** One row of the connector's ledger (`automation_interventions`), with the customer's tier from its input. */
export interface LedgerRow {
  readonly id: number;
  readonly ticketId: number;
  readonly action: string;
  readonly compensationTier: string | null;
  readonly decidedAt: number;
  readonly dueAt: number | null;
  readonly policyVersion: number | null;
  /** The decision's headline (the explanation's first line, in the connector's locale). */
  readonly summary: string;
  readonly tier: ValueTier | null;
  /** The facts the loop decided on (what the preview decides again). */
  readonly input: DecisionInput | null;
}

export interface PolicyHarness {
  readonly running: RunningBoucle;
  /** The sandbox's data folder (dataset, SQLite file, built app), removed by close(). */
  readonly dataDir: string;
  /** The dataset's first live tickets (new, open, pending, on hold), each decided once by the loop at start. */
  readonly seededTickets: readonly number[];
  /** Every ledger row decided by the loop (with its input), oldest first; of one ticket when given. */
  ledger(ticketId?: number): LedgerRow[];
  /** An agent's public comment on a ticket, through the Zendesk API (the trigger calls the connector). */
  comment(ticketId: number, body: string): Promise<void>;
  /** Comments on the ticket and waits until the connector recorded one more decision on it; returns that row. */
  nextDecision(ticketId: number): Promise<LedgerRow>;
  /** The installation's stored settings (as the connector reads them). */
  installationSettings(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

interface Row {
  id: number;
  ticket_id: number;
  action: string;
  compensation_tier: string | null;
  decided_at: number;
  due_at: number | null;
  policy_version: number | null;
  summary: string;
  input_compact: string | null;
}

const LIVE = new Set(['new', 'open', 'pending', 'hold']);
/**
 * How many live tickets the loop decides at start. The emulator allows Zendesk's 700 requests a minute; the
 * sandbox's start uses about 230 and each decision about 13, so the whole set (39) would run the agent frame into
 * 429s within the minute.
 */
const SEEDED = 16;

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The emulator counts requests per calendar minute (Zendesk's 700). When the start and the seeding used most of
 * this minute's, wait for the next one, so that the pages the tests open are not refused with 429.
 */
async function freshRateWindow(zendeskUrl: string): Promise<void> {
  const { email, apiToken } = ZENDESK_SANDBOX_CREDENTIALS;
  const response = await fetch(`${zendeskUrl}/api/v2/groups.json`, {
    headers: { authorization: `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}` },
  });
  const remaining = Number(response.headers.get('x-rate-limit-remaining') ?? '700');
  if (remaining >= 200) return;
  await new Promise((resolve) => setTimeout(resolve, 60_500 - (Date.now() % 60_000)));
}

export async function startPolicyHarness(): Promise<PolicyHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'boucle-policy-'));
  const sink = new PassThrough();
  sink.resume();
  // A fresh data folder: the sandbox generates the dataset and builds the app (sidebar and console) into it.
  const running = await startBoucle({
    io: {
      stdin: new PassThrough(),
      stdout: sink,
      stderr: sink,
      env: { PATH: process.env['PATH'] },
      cwd: dataDir,
    },
    dataDir,
  });
  try {
    const zendesk = new ZendeskClient({
      baseUrl: running.zendeskUrl!,
      auth: {
        kind: 'apiToken',
        email: ZENDESK_SANDBOX_CREDENTIALS.email,
        token: ZENDESK_SANDBOX_CREDENTIALS.apiToken,
      },
    });
    const db = new DatabaseSync(join(dataDir, 'boucle.sqlite'), { readOnly: true });
    const ledger = (ticketId?: number): LedgerRow[] =>
      (
        db
          .prepare(
            `SELECT id, ticket_id, action, compensation_tier, decided_at, due_at, policy_version, summary, input_compact
             FROM automation_interventions WHERE input_compact IS NOT NULL ${ticketId === undefined ? '' : 'AND ticket_id = ?'}
             ORDER BY id`,
          )
          .all(...(ticketId === undefined ? [] : [ticketId])) as unknown as Row[]
      ).map((r) => {
        const input = r.input_compact === null ? null : decodeDecisionInput(r.input_compact);
        return {
          id: r.id,
          ticketId: r.ticket_id,
          action: r.action,
          compensationTier: r.compensation_tier,
          decidedAt: r.decided_at,
          dueAt: r.due_at,
          policyVersion: r.policy_version,
          summary: r.summary,
          tier: input?.customer?.tier ?? null,
          input,
        };
      });
    const comment = async (ticketId: number, body: string) => {
      await zendesk.request('PUT', `/api/v2/tickets/${ticketId}.json`, {
        body: { ticket: { comment: { body, public: true } } },
      });
    };
    let comments = 0;
    const nextDecision = async (ticketId: number): Promise<LedgerRow> => {
      const before = ledger(ticketId).length;
      comments += 1;
      await comment(ticketId, `Toujours aucune nouvelle, relance n° ${comments}.`);
      return until(`a new decision on ticket ${ticketId}`, () => ledger(ticketId)[before]);
    };
    const tickets = JSON.parse(readFileSync(join(dataDir, 'dataset', 'zendesk', 'tickets.json'), 'utf8')) as {
      id: number;
      status: string;
    }[];
    const seededTickets = tickets
      .filter((t) => LIVE.has(t.status))
      .slice(0, SEEDED)
      .map((t) => t.id);
    for (const id of seededTickets) await comment(id, 'Toujours pas de nouvelles, troisième relance.');
    await until('the loop to decide on every seeded ticket', () => {
      const decided = new Set(ledger().map((r) => r.ticketId));
      return seededTickets.every((id) => decided.has(id)) ? true : undefined;
    });
    await freshRateWindow(running.zendeskUrl!);
    return {
      running,
      dataDir,
      seededTickets,
      ledger,
      comment,
      nextDecision,
      installationSettings: async () => {
        const { installations } = await zendesk.request<{
          installations: { settings: Record<string, unknown> }[];
        }>('GET', '/api/v2/apps/installations');
        return installations[0]?.settings ?? {};
      },
      close: async () => {
        db.close();
        await running.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
