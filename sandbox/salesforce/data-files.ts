/** `--data DIR`: one JSON file per object (Account.json, Contact.json, …), each an array of records. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SalesforceError } from './errors.ts';
import { toId18 } from './ids.ts';
import { OBJECTS, type SfRecord } from './schema.ts';
import { type RecordStore, parseDateTime } from './store.ts';

/** Load order: parents before children. */
const ORDER = ['Account', 'Contact', 'Opportunity', 'Order'] as const;
const SYSTEM = new Set([
  'id',
  'isdeleted',
  'createddate',
  'lastmodifieddate',
  'systemmodstamp',
  'attributes',
]);

/** Loads every <Object>.json found in `dir`; throws an Error naming the file, record and problem. */
export function loadDataDir(store: RecordStore, dir: string): Record<string, number> {
  if (!existsSync(dir)) throw new Error(`--data: folder ${dir} does not exist`);
  const counts: Record<string, number> = {};
  let found = 0;
  for (const name of ORDER) {
    const file = join(dir, `${name}.json`);
    if (!existsSync(file)) continue;
    found += 1;
    let rows: unknown;
    try {
      rows = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array of ${name} records`);
    const def = OBJECTS.get(name)!;
    const prepared: SfRecord[] = [];
    for (const [i, row] of rows.entries()) {
      const where = `${file} record ${i + 1}`;
      if (typeof row !== 'object' || row === null || Array.isArray(row))
        throw new Error(`${where}: not a JSON object`);
      const raw = row as Record<string, unknown>;
      const values: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) if (!SYSTEM.has(k.toLowerCase())) values[k] = v;
      let rec: SfRecord;
      try {
        rec = store.validateValues(name, values);
      } catch (error) {
        if (error instanceof SalesforceError) throw new Error(`${where}: ${error.message}`, { cause: error });
        throw error;
      }
      if (raw.Id !== undefined) {
        const id = typeof raw.Id === 'string' ? toId18(raw.Id) : null;
        if (id === null || !id.startsWith(def.keyPrefix)) {
          throw new Error(
            `${where}: Id must be a 15- or 18-character ${name} id starting with ${def.keyPrefix}`,
          );
        }
        if (store.byId.has(id) || prepared.some((p) => p.Id === id))
          throw new Error(`${where}: duplicate Id ${id}`);
        rec.Id = id;
      }
      for (const field of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'] as const) {
        const v = raw[field];
        if (v === undefined) continue;
        const ms = typeof v === 'string' ? parseDateTime(v) : Number.NaN;
        if (Number.isNaN(ms))
          throw new Error(`${where}: ${field} must be a datetime like 2024-05-01T10:00:00.000Z`);
        rec[field] = ms;
      }
      prepared.push(rec);
    }
    store.loadRecords(name, prepared);
    counts[name] = prepared.length;
  }
  if (found === 0) {
    throw new Error(`--data: ${dir} holds none of ${ORDER.map((n) => `${n}.json`).join(', ')}`);
  }
  return counts;
}
