import type { WritebackKind } from '../config/writeback.ts';
import type { Sql } from '../store/sql.ts';
import { hashValues, type DecisionFacts, type FieldValues } from './records.ts';

export interface OutboxRow {
  readonly object: string;
  readonly externalId: string;
  readonly kind: WritebackKind;
  readonly email: string | null;
  readonly contactId: string | null;
  readonly accountId: string | null;
  readonly ticketId: number | null;
  readonly payload: FieldValues;
  readonly hash: string;
  readonly writtenHash: string | null;
  readonly sfId: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly dead: boolean;
  readonly writtenAt: Date | null;
}

interface Row {
  object: string;
  external_id: string;
  kind: WritebackKind;
  email: string | null;
  contact_id: string | null;
  account_id: string | null;
  ticket_id: number | null;
  payload: string;
  hash: string;
  written_hash: string | null;
  sf_id: string | null;
  attempts: number;
  last_error: string | null;
  dead: number;
  written_at: number | null;
}

const toRow = (r: Row): OutboxRow => ({
  object: r.object,
  externalId: r.external_id,
  kind: r.kind,
  email: r.email,
  contactId: r.contact_id,
  accountId: r.account_id,
  ticketId: r.ticket_id,
  payload: JSON.parse(r.payload) as FieldValues,
  hash: r.hash,
  writtenHash: r.written_hash,
  sfId: r.sf_id,
  attempts: r.attempts,
  lastError: r.last_error,
  dead: r.dead === 1,
  writtenAt: r.written_at === null ? null : new Date(r.written_at),
});

export interface StagedRecord {
  readonly object: string;
  readonly externalId: string;
  readonly kind: WritebackKind;
  readonly email?: string | null;
  readonly zendeskUserId?: number | null;
  readonly accountId?: string | null;
  readonly contactId?: string | null;
  readonly ticketId?: number | null;
  readonly payload: FieldValues;
}

/**
 * The durable outbox of the write-back, in Boucle's store (the SQLite file, or PostgreSQL with
 * BOUCLE_DATABASE_URL). A record is staged with its wanted field values; it is pending while their hash differs
 * from the one Salesforce last acknowledged. Staging the same values again (a replayed event) changes nothing,
 * so nothing is sent again.
 */
export class WritebackOutbox {
  readonly sql: Sql;
  /**
   * "Not yet acknowledged": SQLite's text is the one of its partial index `writeback_record_pending` (which
   * SQLite only uses when the query says exactly the same), PostgreSQL's is the standard spelling of its own.
   */
  readonly #unwritten: string;
  /** Equal emails, whatever their case. */
  readonly #sameEmail: string;

  constructor(sql: Sql) {
    this.sql = sql;
    this.#unwritten =
      sql.dialect === 'sqlite' ? 'written_hash IS NOT hash' : 'written_hash IS DISTINCT FROM hash';
    this.#sameEmail = sql.dialect === 'sqlite' ? 'email = ? COLLATE NOCASE' : 'lower(email) = lower(?)';
  }

  /** Stages a record's wanted state; returns true when it changed (and so is pending). */
  async stage(record: StagedRecord, now: Date): Promise<boolean> {
    const hash = hashValues({
      ...record.payload,
      '@account': record.accountId ?? null,
      '@contact': record.contactId ?? null,
    });
    const existing = await this.sql.get<{ hash: string }>(
      'SELECT hash FROM writeback_record WHERE object = ? AND external_id = ?',
      [record.object, record.externalId],
    );
    if (existing?.hash === hash) return false;
    await this.sql.run(
      `INSERT INTO writeback_record (object, external_id, kind, email, zendesk_user_id, contact_id, account_id, ticket_id, payload, hash, staged_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (object, external_id) DO UPDATE SET
         payload = excluded.payload, hash = excluded.hash, staged_at = excluded.staged_at,
         email = COALESCE(excluded.email, writeback_record.email),
         zendesk_user_id = COALESCE(excluded.zendesk_user_id, writeback_record.zendesk_user_id),
         contact_id = COALESCE(excluded.contact_id, writeback_record.contact_id),
         account_id = COALESCE(excluded.account_id, writeback_record.account_id),
         ticket_id = COALESCE(excluded.ticket_id, writeback_record.ticket_id),
         attempts = 0, next_attempt_at = 0, dead = 0, last_error = NULL`,
      [
        record.object,
        record.externalId,
        record.kind,
        record.email ?? null,
        record.zendeskUserId ?? null,
        record.contactId ?? null,
        record.accountId ?? null,
        record.ticketId ?? null,
        JSON.stringify(record.payload),
        hash,
        now.getTime(),
      ],
    );
    return true;
  }

  async get(object: string, externalId: string): Promise<OutboxRow | undefined> {
    const row = await this.sql.get<Row>(
      'SELECT * FROM writeback_record WHERE object = ? AND external_id = ?',
      [object, externalId],
    );
    return row === undefined ? undefined : toRow(row);
  }

  /** Pending records of one kind, due now, oldest first. */
  async pending(kind: WritebackKind, now: Date, limit: number): Promise<OutboxRow[]> {
    const rows = await this.sql.all<Row>(
      `SELECT * FROM writeback_record WHERE kind = ? AND ${this.#unwritten} AND dead = 0 AND next_attempt_at <= ?
       ORDER BY staged_at, external_id LIMIT ?`,
      [kind, now.getTime(), limit],
    );
    return rows.map(toRow);
  }

  async countPending(): Promise<number> {
    const row = await this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM writeback_record WHERE ${this.#unwritten} AND dead = 0`,
    );
    return row?.n ?? 0;
  }

  /** Records still missing their Contact (by email), at most `limit` distinct emails. */
  async unresolvedEmails(now: Date, limit: number): Promise<string[]> {
    const rows = await this.sql.all<{ email: string }>(
      `SELECT DISTINCT email FROM writeback_record
       WHERE contact_id IS NULL AND email IS NOT NULL AND dead = 0 AND ${this.#unwritten}
         AND next_attempt_at <= ? LIMIT ?`,
      [now.getTime(), limit],
    );
    return rows.map((r) => r.email);
  }

  /** Pending records that know neither the customer's email nor their Contact: their Zendesk users. */
  async usersWithoutEmail(limit: number): Promise<number[]> {
    const rows = await this.sql.all<{ id: number }>(
      `SELECT DISTINCT zendesk_user_id AS id FROM writeback_record
       WHERE contact_id IS NULL AND email IS NULL AND zendesk_user_id IS NOT NULL AND dead = 0
         AND ${this.#unwritten} LIMIT ?`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  async setEmail(zendeskUserId: number, email: string): Promise<void> {
    await this.sql.run('UPDATE writeback_record SET email = ? WHERE zendesk_user_id = ? AND email IS NULL', [
      email,
      zendeskUserId,
    ]);
  }

  /** Pending records (not rollups) that cannot find their Contact, due now. */
  async unlinkable(
    now: Date,
    where: 'no-email' | { email: string },
  ): Promise<{ object: string; externalId: string }[]> {
    const rows =
      where === 'no-email'
        ? await this.sql.all<{ object: string; external_id: string }>(
            `SELECT object, external_id FROM writeback_record WHERE kind != 'rollup' AND contact_id IS NULL
             AND email IS NULL AND dead = 0 AND ${this.#unwritten} AND next_attempt_at <= ?`,
            [now.getTime()],
          )
        : await this.sql.all<{ object: string; external_id: string }>(
            `SELECT object, external_id FROM writeback_record WHERE contact_id IS NULL AND ${this.#sameEmail}
             AND dead = 0 AND ${this.#unwritten} AND next_attempt_at <= ?`,
            [where.email, now.getTime()],
          );
    return rows.map((r) => ({ object: r.object, externalId: r.external_id }));
  }

  async resolve(email: string, contactId: string, accountId: string | null): Promise<void> {
    await this.sql.run(
      `UPDATE writeback_record SET contact_id = ?, account_id = COALESCE(?, account_id)
       WHERE ${this.#sameEmail} AND contact_id IS NULL`,
      [contactId, accountId, email],
    );
  }

  /** Salesforce acknowledged exactly this state of the record. */
  async markWritten(
    object: string,
    externalId: string,
    hash: string,
    sfId: string | null,
    now: Date,
  ): Promise<void> {
    await this.sql.run(
      `UPDATE writeback_record SET written_hash = ?, sf_id = COALESCE(?, sf_id), written_at = ?, attempts = 0,
         next_attempt_at = 0, last_error = NULL WHERE object = ? AND external_id = ?`,
      [hash, sfId, now.getTime(), object, externalId],
    );
  }

  /** A refusal: retried later with backoff, a dead letter after `maxAttempts`. Returns true when dead. */
  async markFailed(
    object: string,
    externalId: string,
    error: string,
    now: Date,
    retry: { readonly baseMs: number; readonly maxAttempts: number },
  ): Promise<boolean> {
    const row = await this.sql.get<{ attempts: number }>(
      'SELECT attempts FROM writeback_record WHERE object = ? AND external_id = ?',
      [object, externalId],
    );
    const attempts = (row?.attempts ?? 0) + 1;
    const dead = attempts >= retry.maxAttempts;
    await this.sql.run(
      `UPDATE writeback_record SET attempts = ?, last_error = ?, dead = ?, next_attempt_at = ?
       WHERE object = ? AND external_id = ?`,
      [
        attempts,
        error.slice(0, 2000),
        dead ? 1 : 0,
        now.getTime() + retry.baseMs * 2 ** (attempts - 1),
        object,
        externalId,
      ],
    );
    return dead;
  }

  async deadLetters(): Promise<OutboxRow[]> {
    const rows = await this.sql.all<Row>(
      'SELECT * FROM writeback_record WHERE dead = 1 ORDER BY object, external_id',
    );
    return rows.map(toRow);
  }

  /** Dead letters go back to the outbox (after the cause was fixed). Returns how many. */
  async retryDeadLetters(): Promise<number> {
    return (
      await this.sql.run(
        'UPDATE writeback_record SET dead = 0, attempts = 0, next_attempt_at = 0 WHERE dead = 1',
      )
    ).changes;
  }

  /** Every record, newest write first (reports). */
  async all(limit = 1_000_000): Promise<OutboxRow[]> {
    const rows = await this.sql.all<Row>(
      `SELECT * FROM writeback_record ORDER BY CASE WHEN written_at IS NULL THEN 1 ELSE 0 END, written_at DESC,
         object, external_id LIMIT ?`,
      [limit],
    );
    return rows.map(toRow);
  }

  async saveDecisionFacts(facts: DecisionFacts, now: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO writeback_decision (decision_key, email, ccer, value_at_risk, overridden, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (decision_key) DO UPDATE SET email = COALESCE(excluded.email, writeback_decision.email),
         ccer = COALESCE(excluded.ccer, writeback_decision.ccer),
         value_at_risk = COALESCE(excluded.value_at_risk, writeback_decision.value_at_risk),
         overridden = CASE WHEN excluded.overridden > writeback_decision.overridden THEN excluded.overridden
                           ELSE writeback_decision.overridden END`,
      [
        facts.decisionKey,
        facts.email,
        facts.ccer,
        facts.valueAtRisk,
        facts.overridden ? 1 : 0,
        now.getTime(),
      ],
    );
  }

  async decisionFacts(): Promise<Map<string, DecisionFacts>> {
    const rows = await this.sql.all<{
      decision_key: string;
      email: string | null;
      ccer: number | null;
      value_at_risk: number | null;
      overridden: number;
    }>('SELECT decision_key, email, ccer, value_at_risk, overridden FROM writeback_decision');
    return new Map(
      rows.map((r) => [
        r.decision_key,
        {
          decisionKey: r.decision_key,
          email: r.email,
          ccer: r.ccer,
          valueAtRisk: r.value_at_risk,
          overridden: r.overridden === 1,
        },
      ]),
    );
  }

  async getState(key: string): Promise<string | undefined> {
    const row = await this.sql.get<{ value: string }>('SELECT value FROM writeback_state WHERE key = ?', [
      key,
    ]);
    return row?.value;
  }

  async setState(key: string, value: string | null): Promise<void> {
    if (value === null) {
      await this.sql.run('DELETE FROM writeback_state WHERE key = ?', [key]);
      return;
    }
    await this.sql.run(
      'INSERT INTO writeback_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }
}
