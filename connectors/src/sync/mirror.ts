import type { SyncObject } from '../config/sync.ts';
import type { Sql, SqlValue } from '../store/sql.ts';
import type { MirrorRow } from './records.ts';

/** Rows per multi-row statement: few round trips on PostgreSQL, well under both databases' parameter limits. */
const CHUNK = 200;

const TABLE: Record<SyncObject, 'sync_account' | 'sync_contact' | 'sync_txn'> = {
  Account: 'sync_account',
  Contact: 'sync_contact',
  Opportunity: 'sync_txn',
  Order: 'sync_txn',
};

const COLUMNS = {
  sync_account: [
    'id',
    'name',
    'created',
    'segment',
    'region',
    'product_line',
    'margin_rate',
    'modstamp',
    'generation',
  ],
  sync_contact: ['id', 'account_id', 'name', 'email', 'modstamp', 'generation'],
  sync_txn: [
    'id',
    'object',
    'account_id',
    'name',
    'status',
    'amount',
    'date',
    'revenue',
    'open',
    'modstamp',
    'generation',
  ],
} as const;

/** `(?, ?), (?, ?) …`: `rows` groups of `width` placeholders. */
export function placeholders(rows: number, width: number): string {
  const one = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => one).join(', ');
}

/** `?, ?, ?` for an IN list. */
export function list(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function values(entry: MirrorRow, generation: number): SqlValue[] {
  switch (entry.object) {
    case 'Account': {
      const r = entry.row;
      return [
        r.id,
        r.name,
        r.created,
        r.segment,
        r.region,
        r.productLine,
        r.marginRate,
        r.modstamp,
        generation,
      ];
    }
    case 'Contact': {
      const r = entry.row;
      return [r.id, r.accountId, r.name, r.email, r.modstamp, generation];
    }
    case 'Opportunity':
    case 'Order': {
      const r = entry.row;
      return [
        r.id,
        r.object,
        r.accountId,
        r.name,
        r.status,
        r.amount,
        r.date,
        r.revenue ? 1 : 0,
        r.open ? 1 : 0,
        r.modstamp,
        generation,
      ];
    }
  }
}

/**
 * The local mirror of the Salesforce columns the profile needs. Every change marks the account(s) whose
 * profile it affects as dirty; a row that comes back unchanged (same SystemModstamp) marks nothing.
 * Rows are written a page at a time: one read of what is known, one multi-row upsert of what changed, one
 * multi-row insert of the dirty accounts per chunk of rows, on both databases (no round trip per row).
 */
export class Mirror {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** Stores one row; returns true when it changed something. `generation` tags rows seen by a full read. */
  async put(entry: MirrorRow, generation: number): Promise<boolean> {
    return (await this.putMany([entry], generation)) > 0;
  }

  /** Stores rows of one object (a page); returns how many changed. Later rows of the same Id win. */
  async putMany(entries: readonly MirrorRow[], generation: number): Promise<number> {
    if (entries.length === 0) return 0;
    const latest = new Map<string, MirrorRow>();
    for (const entry of entries) latest.set(entry.row.id, entry);
    let changed = 0;
    for (const part of chunks([...latest.values()])) changed += await this.#putChunk(part, generation);
    return changed;
  }

  async #putChunk(entries: readonly MirrorRow[], generation: number): Promise<number> {
    const table = TABLE[entries[0]!.object];
    const ids = entries.map((e) => e.row.id);
    const known = new Map(
      (
        await this.#sql.all<{ id: string; modstamp: number; account_id: string | null }>(
          table === 'sync_account'
            ? `SELECT id, modstamp, NULL AS account_id FROM sync_account WHERE id IN (${list(ids.length)})`
            : `SELECT id, modstamp, account_id FROM ${table} WHERE id IN (${list(ids.length)})`,
          ids,
        )
      ).map((r) => [r.id, r]),
    );
    const same: string[] = [];
    const changed: MirrorRow[] = [];
    const dirty = new Set<string>();
    for (const entry of entries) {
      const old = known.get(entry.row.id);
      if (old?.modstamp === entry.row.modstamp) {
        same.push(entry.row.id);
        continue;
      }
      changed.push(entry);
      if (entry.object === 'Account') dirty.add(entry.row.id);
      else {
        dirty.add(entry.row.accountId);
        if (old !== undefined && old.account_id !== null && old.account_id !== entry.row.accountId)
          dirty.add(old.account_id);
      }
    }
    if (same.length > 0)
      await this.#sql.run(`UPDATE ${table} SET generation = ? WHERE id IN (${list(same.length)})`, [
        generation,
        ...same,
      ]);
    if (changed.length > 0) {
      const columns = COLUMNS[table];
      const updates = columns
        .filter((c) => c !== 'id' && !(table === 'sync_txn' && c === 'object'))
        .map((c) => `${c} = excluded.${c}`)
        .join(', ');
      await this.#sql.run(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders(changed.length, columns.length)}
         ON CONFLICT (id) DO UPDATE SET ${updates}`,
        changed.flatMap((e) => values(e, generation)),
      );
    }
    await this.#markDirty([...dirty]);
    return changed.length;
  }

  async #markDirty(accountIds: readonly string[]): Promise<void> {
    for (const part of chunks(accountIds))
      await this.#sql.run(
        `INSERT INTO sync_dirty (account_id) VALUES ${placeholders(part.length, 1)} ON CONFLICT (account_id) DO NOTHING`,
        part,
      );
  }

  /** Applies a deletion from Salesforce; returns true when the record was known. */
  async remove(object: SyncObject, id: string): Promise<boolean> {
    return (await this.removeMany(object, [id])) > 0;
  }

  /** Applies deletions from Salesforce; returns how many of the records were known. */
  async removeMany(object: SyncObject, ids: readonly string[]): Promise<number> {
    let removed = 0;
    for (const part of chunks([...new Set(ids)])) {
      const table = TABLE[object];
      const rows = await this.#sql.all<{ id: string; account_id: string }>(
        table === 'sync_account'
          ? `DELETE FROM sync_account WHERE id IN (${list(part.length)}) RETURNING id, id AS account_id`
          : `DELETE FROM ${table} WHERE id IN (${list(part.length)}) RETURNING id, account_id`,
        part,
      );
      removed += rows.length;
      if (rows.length === 0) continue;
      if (object === 'Contact')
        await this.#sql.run(
          `INSERT INTO sync_deleted_contact (id) VALUES ${placeholders(rows.length, 1)} ON CONFLICT (id) DO NOTHING`,
          rows.map((r) => r.id),
        );
      else await this.#markDirty([...new Set(rows.map((r) => r.account_id))]);
    }
    return removed;
  }

  /** After a complete full read: every row of `object` not seen in this generation was deleted in Salesforce. */
  async removeUnseen(object: SyncObject, generation: number, batch = 5000): Promise<number> {
    const table = TABLE[object];
    const extra = table === 'sync_txn' ? ' AND object = ?' : '';
    const select = `SELECT id FROM ${table} WHERE generation < ?${extra} LIMIT ${batch}`;
    let removed = 0;
    for (;;) {
      const rows = await this.#sql.all<{ id: string }>(
        select,
        extra === '' ? [generation] : [generation, object],
      );
      if (rows.length === 0) return removed;
      removed += await this.removeMany(
        object,
        rows.map((r) => r.id),
      );
    }
  }
}
