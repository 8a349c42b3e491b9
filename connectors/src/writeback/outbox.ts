import type { DatabaseSync } from 'node:sqlite';
import type { WritebackKind } from '../config/writeback.ts';
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
 * The durable outbox of the write-back, in Boucle's SQLite file. A record is staged with its wanted field
 * values; it is pending while their hash differs from the one Salesforce last acknowledged. Staging the same
 * values again (a replayed event) changes nothing, so nothing is sent again.
 */
export class WritebackOutbox {
  readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Stages a record's wanted state; returns true when it changed (and so is pending). */
  stage(record: StagedRecord, now: Date): boolean {
    const hash = hashValues({
      ...record.payload,
      '@account': record.accountId ?? null,
      '@contact': record.contactId ?? null,
    });
    const existing = this.db
      .prepare('SELECT hash FROM writeback_record WHERE object = ? AND external_id = ?')
      .get(record.object, record.externalId) as { hash: string } | undefined;
    if (existing?.hash === hash) return false;
    this.db
      .prepare(
        `INSERT INTO writeback_record (object, external_id, kind, email, zendesk_user_id, contact_id, account_id, ticket_id, payload, hash, staged_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (object, external_id) DO UPDATE SET
           payload = excluded.payload, hash = excluded.hash, staged_at = excluded.staged_at,
           email = COALESCE(excluded.email, email),
           zendesk_user_id = COALESCE(excluded.zendesk_user_id, zendesk_user_id),
           contact_id = COALESCE(excluded.contact_id, contact_id),
           account_id = COALESCE(excluded.account_id, account_id),
           ticket_id = COALESCE(excluded.ticket_id, ticket_id),
           attempts = 0, next_attempt_at = 0, dead = 0, last_error = NULL`,
      )
      .run(
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
      );
    return true;
  }

  get(object: string, externalId: string): OutboxRow | undefined {
    const row = this.db
      .prepare('SELECT * FROM writeback_record WHERE object = ? AND external_id = ?')
      .get(object, externalId) as Row | undefined;
    return row === undefined ? undefined : toRow(row);
  }

  /** Pending records of one kind, due now, oldest first. */
  pending(kind: WritebackKind, now: Date, limit: number): OutboxRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM writeback_record WHERE kind = ? AND written_hash IS NOT hash AND dead = 0 AND next_attempt_at <= ?
         ORDER BY staged_at, external_id LIMIT ?`,
      )
      .all(kind, now.getTime(), limit) as unknown as Row[];
    return rows.map(toRow);
  }

  countPending(): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM writeback_record WHERE written_hash IS NOT hash AND dead = 0')
      .get() as { n: number };
    return row.n;
  }

  /** Records still missing their Contact (by email), at most `limit` distinct emails. */
  unresolvedEmails(now: Date, limit: number): string[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT email FROM writeback_record
         WHERE contact_id IS NULL AND email IS NOT NULL AND dead = 0 AND written_hash IS NOT hash
           AND next_attempt_at <= ? LIMIT ?`,
      )
      .all(now.getTime(), limit) as { email: string }[];
    return rows.map((r) => r.email);
  }

  /** Pending records that know neither the customer's email nor their Contact: their Zendesk users. */
  usersWithoutEmail(limit: number): number[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT zendesk_user_id AS id FROM writeback_record
         WHERE contact_id IS NULL AND email IS NULL AND zendesk_user_id IS NOT NULL AND dead = 0
           AND written_hash IS NOT hash LIMIT ?`,
      )
      .all(limit) as { id: number }[];
    return rows.map((r) => r.id);
  }

  setEmail(zendeskUserId: number, email: string): void {
    this.db
      .prepare('UPDATE writeback_record SET email = ? WHERE zendesk_user_id = ? AND email IS NULL')
      .run(email, zendeskUserId);
  }

  /** Pending records (not rollups) that cannot find their Contact, due now. */
  unlinkable(now: Date, where: 'no-email' | { email: string }): { object: string; externalId: string }[] {
    const rows = (
      where === 'no-email'
        ? this.db
            .prepare(
              `SELECT object, external_id FROM writeback_record WHERE kind != 'rollup' AND contact_id IS NULL
               AND email IS NULL AND dead = 0 AND written_hash IS NOT hash AND next_attempt_at <= ?`,
            )
            .all(now.getTime())
        : this.db
            .prepare(
              `SELECT object, external_id FROM writeback_record WHERE contact_id IS NULL AND email = ? COLLATE NOCASE
               AND dead = 0 AND written_hash IS NOT hash AND next_attempt_at <= ?`,
            )
            .all(where.email, now.getTime())
    ) as { object: string; external_id: string }[];
    return rows.map((r) => ({ object: r.object, externalId: r.external_id }));
  }

  resolve(email: string, contactId: string, accountId: string | null): void {
    this.db
      .prepare(
        `UPDATE writeback_record SET contact_id = ?, account_id = COALESCE(?, account_id)
         WHERE email = ? COLLATE NOCASE AND contact_id IS NULL`,
      )
      .run(contactId, accountId, email);
  }

  /** Salesforce acknowledged exactly this state of the record. */
  markWritten(object: string, externalId: string, hash: string, sfId: string | null, now: Date): void {
    this.db
      .prepare(
        `UPDATE writeback_record SET written_hash = ?, sf_id = COALESCE(?, sf_id), written_at = ?, attempts = 0,
           next_attempt_at = 0, last_error = NULL WHERE object = ? AND external_id = ?`,
      )
      .run(hash, sfId, now.getTime(), object, externalId);
  }

  /** A refusal: retried later with backoff, a dead letter after `maxAttempts`. Returns true when dead. */
  markFailed(
    object: string,
    externalId: string,
    error: string,
    now: Date,
    retry: { readonly baseMs: number; readonly maxAttempts: number },
  ): boolean {
    const row = this.db
      .prepare('SELECT attempts FROM writeback_record WHERE object = ? AND external_id = ?')
      .get(object, externalId) as { attempts: number } | undefined;
    const attempts = (row?.attempts ?? 0) + 1;
    const dead = attempts >= retry.maxAttempts;
    this.db
      .prepare(
        `UPDATE writeback_record SET attempts = ?, last_error = ?, dead = ?, next_attempt_at = ?
         WHERE object = ? AND external_id = ?`,
      )
      .run(
        attempts,
        error.slice(0, 2000),
        dead ? 1 : 0,
        now.getTime() + retry.baseMs * 2 ** (attempts - 1),
        object,
        externalId,
      );
    return dead;
  }

  deadLetters(): OutboxRow[] {
    const rows = this.db
      .prepare('SELECT * FROM writeback_record WHERE dead = 1 ORDER BY object, external_id')
      .all() as unknown as Row[];
    return rows.map(toRow);
  }

  /** Dead letters go back to the outbox (after the cause was fixed). Returns how many. */
  retryDeadLetters(): number {
    return Number(
      this.db
        .prepare('UPDATE writeback_record SET dead = 0, attempts = 0, next_attempt_at = 0 WHERE dead = 1')
        .run().changes,
    );
  }

  /** Every record, newest write first (reports). */
  all(limit = 1_000_000): OutboxRow[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM writeback_record ORDER BY written_at IS NULL, written_at DESC, object, external_id LIMIT ?',
      )
      .all(limit) as unknown as Row[];
    return rows.map(toRow);
  }

  saveDecisionFacts(facts: DecisionFacts, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO writeback_decision (decision_key, email, ccer, value_at_risk, overridden, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (decision_key) DO UPDATE SET email = COALESCE(excluded.email, email),
           ccer = COALESCE(excluded.ccer, ccer), value_at_risk = COALESCE(excluded.value_at_risk, value_at_risk),
           overridden = MAX(overridden, excluded.overridden)`,
      )
      .run(
        facts.decisionKey,
        facts.email,
        facts.ccer,
        facts.valueAtRisk,
        facts.overridden ? 1 : 0,
        now.getTime(),
      );
  }

  decisionFacts(): Map<string, DecisionFacts> {
    const rows = this.db.prepare('SELECT * FROM writeback_decision').all() as {
      decision_key: string;
      email: string | null;
      ccer: number | null;
      value_at_risk: number | null;
      overridden: number;
    }[];
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

  getState(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM writeback_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setState(key: string, value: string | null): void {
    if (value === null) {
      this.db.prepare('DELETE FROM writeback_state WHERE key = ?').run(key);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO writeback_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
