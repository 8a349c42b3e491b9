import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SyncObject } from '../config/sync.ts';
import type { MirrorRow } from './records.ts';

/**
 * The local mirror of the Salesforce columns the profile needs. Every change marks the account(s) whose
 * profile it affects as dirty; a row that comes back unchanged (same SystemModstamp) marks nothing.
 */
export class Mirror {
  readonly #db: DatabaseSync;
  readonly #s: Record<string, StatementSync>;

  constructor(db: DatabaseSync) {
    this.#db = db;
    const p = (sql: string): StatementSync => db.prepare(sql);
    this.#s = {
      getAccount: p('SELECT modstamp FROM sync_account WHERE id = ?'),
      getContact: p('SELECT modstamp, account_id FROM sync_contact WHERE id = ?'),
      getTxn: p('SELECT modstamp, account_id FROM sync_txn WHERE id = ?'),
      touchAccount: p('UPDATE sync_account SET generation = ? WHERE id = ?'),
      touchContact: p('UPDATE sync_contact SET generation = ? WHERE id = ?'),
      touchTxn: p('UPDATE sync_txn SET generation = ? WHERE id = ?'),
      putAccount:
        p(`INSERT INTO sync_account (id, name, created, segment, region, product_line, margin_rate, modstamp, generation)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, created = excluded.created,
        segment = excluded.segment, region = excluded.region, product_line = excluded.product_line,
        margin_rate = excluded.margin_rate, modstamp = excluded.modstamp, generation = excluded.generation`),
      putContact:
        p(`INSERT INTO sync_contact (id, account_id, name, email, modstamp, generation) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, email = excluded.email,
        modstamp = excluded.modstamp, generation = excluded.generation`),
      putTxn:
        p(`INSERT INTO sync_txn (id, object, account_id, name, status, amount, date, revenue, open, modstamp, generation)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id,
        name = excluded.name, status = excluded.status, amount = excluded.amount, date = excluded.date,
        revenue = excluded.revenue, open = excluded.open, modstamp = excluded.modstamp, generation = excluded.generation`),
      dirty: p('INSERT OR IGNORE INTO sync_dirty (account_id) VALUES (?)'),
      delAccount: p('DELETE FROM sync_account WHERE id = ?'),
      delContact: p('DELETE FROM sync_contact WHERE id = ? RETURNING account_id'),
      delTxn: p('DELETE FROM sync_txn WHERE id = ? RETURNING account_id'),
      deletedContact: p('INSERT OR IGNORE INTO sync_deleted_contact (id) VALUES (?)'),
    };
  }

  #st(name: string): StatementSync {
    const statement = this.#s[name];
    if (statement === undefined) throw new Error(`no statement ${name}`);
    return statement;
  }

  /** Stores one row; returns true when it changed something. `generation` tags rows seen by a full read. */
  put(entry: MirrorRow, generation: number): boolean {
    const s = (name: string): StatementSync => this.#st(name);
    switch (entry.object) {
      case 'Account': {
        const r = entry.row;
        const old = s('getAccount').get(r.id) as { modstamp: number } | undefined;
        if (old?.modstamp === r.modstamp) {
          s('touchAccount').run(generation, r.id);
          return false;
        }
        s('putAccount').run(
          r.id,
          r.name,
          r.created,
          r.segment,
          r.region,
          r.productLine,
          r.marginRate,
          r.modstamp,
          generation,
        );
        s('dirty').run(r.id);
        return true;
      }
      case 'Contact': {
        const r = entry.row;
        const old = s('getContact').get(r.id) as { modstamp: number; account_id: string } | undefined;
        if (old?.modstamp === r.modstamp) {
          s('touchContact').run(generation, r.id);
          return false;
        }
        s('putContact').run(r.id, r.accountId, r.name, r.email, r.modstamp, generation);
        s('dirty').run(r.accountId);
        if (old !== undefined && old.account_id !== r.accountId) s('dirty').run(old.account_id);
        return true;
      }
      case 'Opportunity':
      case 'Order': {
        const r = entry.row;
        const old = s('getTxn').get(r.id) as { modstamp: number; account_id: string } | undefined;
        if (old?.modstamp === r.modstamp) {
          s('touchTxn').run(generation, r.id);
          return false;
        }
        s('putTxn').run(
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
        );
        s('dirty').run(r.accountId);
        if (old !== undefined && old.account_id !== r.accountId) s('dirty').run(old.account_id);
        return true;
      }
    }
  }

  /** Applies a deletion from Salesforce; returns true when the record was known. */
  remove(object: SyncObject, id: string): boolean {
    const s = (name: string): StatementSync => this.#st(name);
    switch (object) {
      case 'Account': {
        const changed = Number(s('delAccount').run(id).changes) > 0;
        if (changed) s('dirty').run(id);
        return changed;
      }
      case 'Contact': {
        const row = s('delContact').get(id) as { account_id: string } | undefined;
        if (row === undefined) return false;
        s('deletedContact').run(id);
        return true;
      }
      case 'Opportunity':
      case 'Order': {
        const row = s('delTxn').get(id) as { account_id: string } | undefined;
        if (row === undefined) return false;
        s('dirty').run(row.account_id);
        return true;
      }
    }
  }

  /** After a complete full read: every row of `object` not seen in this generation was deleted in Salesforce. */
  removeUnseen(object: SyncObject, generation: number, batch = 5000): number {
    const table = object === 'Account' ? 'sync_account' : object === 'Contact' ? 'sync_contact' : 'sync_txn';
    const extra = table === 'sync_txn' ? ' AND object = ?' : '';
    const select = this.#db.prepare(`SELECT id FROM ${table} WHERE generation < ?${extra} LIMIT ${batch}`);
    let removed = 0;
    for (;;) {
      const rows = (extra === '' ? select.all(generation) : select.all(generation, object)) as {
        id: string;
      }[];
      if (rows.length === 0) return removed;
      for (const { id } of rows) if (this.remove(object, id)) removed++;
    }
  }
}
