/**
 * The in-memory record store. Records are plain objects of one shape per object; each object keeps its
 * records in creation order, a SystemModstamp index (sorted by SystemModstamp, then Id), a parent index per
 * lookup field, an external-id index, and a delete log for `deleted/`.
 */
import { type EmulatorClock, DAY_MS } from './clock.ts';
import { SalesforceError, notFound } from './errors.ts';
import { IdIndex, makeId, toId18 } from './ids.ts';
import {
  type FieldDef,
  type FieldValue,
  type ObjectDef,
  type SfRecord,
  OBJECTS,
  ORG_USERS,
  objectOfId,
} from './schema.ts';

/** How long deleted records stay in the recycle bin (and in the delete log). */
export const RECYCLE_BIN_MS = 15 * DAY_MS;

export interface DeletedEntry {
  readonly id: string;
  readonly deletedDate: number;
}

type JournalEntry =
  | { kind: 'create'; table: ObjectTable; rec: SfRecord }
  | { kind: 'update'; table: ObjectTable; rec: SfRecord; before: SfRecord; logged: boolean };

export class ObjectTable {
  readonly def: ObjectDef;
  /** Creation order, deleted records included until purged. */
  records: SfRecord[] = [];
  /** SystemModstamp index: entries sorted by (stamp, Id); an entry is live while its record still has that stamp. */
  stampRecs: SfRecord[] = [];
  stamps: number[] = [];
  deadEntries = 0;
  /** Lookup field → parent id → child records. */
  readonly parentIndexes = new Map<string, Map<string, SfRecord[]>>();
  /** External id field → lower-cased value → records. */
  readonly externalIndexes = new Map<string, Map<string, SfRecord[]>>();
  deleteLog: DeletedEntry[] = [];
  /** The start of the window the delete log still covers. */
  earliestDeleteAvailable: number;
  sequence = 0;
  autoNumber = 100;

  constructor(def: ObjectDef, createdAt: number) {
    this.def = def;
    this.earliestDeleteAvailable = createdAt;
    for (const f of def.fields) {
      if (f.type === 'reference') this.parentIndexes.set(f.name, new Map());
      if (f.externalId) this.externalIndexes.set(f.name, new Map());
    }
  }

  /** First index position whose entry is ≥ (stamp, id). */
  lowerBound(stamp: number, id = ''): number {
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.stamps[mid]!;
      if (s < stamp || (s === stamp && (this.stampRecs[mid]!.Id as string) < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  isLive(position: number): boolean {
    return this.stampRecs[position]!.SystemModstamp === this.stamps[position];
  }

  indexInsert(rec: SfRecord): void {
    const stamp = rec.SystemModstamp as number;
    const last = this.stamps.length - 1;
    if (
      last < 0 ||
      this.stamps[last]! < stamp ||
      (this.stamps[last] === stamp && (this.stampRecs[last]!.Id as string) < (rec.Id as string))
    ) {
      this.stampRecs.push(rec);
      this.stamps.push(stamp);
      return;
    }
    const at = this.lowerBound(stamp, rec.Id as string);
    this.stampRecs.splice(at, 0, rec);
    this.stamps.splice(at, 0, stamp);
  }

  /** Rebuilds the SystemModstamp index from the records (after bulk loads and purges). */
  reindex(): void {
    const recs = this.records;
    const n = recs.length;
    let sorted: SfRecord[];
    if (n < 4_194_304) {
      // Native sort of (stamp << 22 | position) keys, then Id order within equal stamps.
      const keys = new BigUint64Array(n);
      for (let i = 0; i < n; i += 1) keys[i] = (BigInt(recs[i]!.SystemModstamp as number) << 22n) | BigInt(i);
      keys.sort();
      sorted = new Array<SfRecord>(n);
      for (let i = 0; i < n; i += 1) sorted[i] = recs[Number(keys[i]! & 0x3fffffn)]!;
      let runStart = 0;
      for (let i = 1; i <= n; i += 1) {
        if (i === n || sorted[i]!.SystemModstamp !== sorted[runStart]!.SystemModstamp) {
          if (i - runStart > 1) {
            const run = sorted.slice(runStart, i).sort(byId);
            for (let j = 0; j < run.length; j += 1) sorted[runStart + j] = run[j]!;
          }
          runStart = i;
        }
      }
    } else {
      sorted = recs
        .slice()
        .sort((a, b) => (a.SystemModstamp as number) - (b.SystemModstamp as number) || byId(a, b));
    }
    this.stampRecs = sorted;
    this.stamps = sorted.map((r) => r.SystemModstamp as number);
    this.deadEntries = 0;
  }

  compactIfNeeded(): void {
    if (this.deadEntries > 50_000 && this.deadEntries > this.records.length) this.reindex();
  }
}

export interface WriteOptions {
  /** Allows read-only, non-system fields (e.g. Order.TotalAmount, OrderNumber): data loads and test set-up. */
  readonly system?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SYSTEM_ONLY = new Set(['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp']);

export class RecordStore {
  readonly clock: EmulatorClock;
  readonly tables = new Map<string, ObjectTable>();
  readonly byId = new IdIndex<SfRecord>();
  private lastStamp = 0;
  /** While set, writes are recorded so that an all-or-none batch can be rolled back. */
  private journal: JournalEntry[] | null = null;
  /** Called after every write with the object name (the server uses it to invalidate caches). */
  onWrite: (objectName: string) => void = () => undefined;

  constructor(clock: EmulatorClock) {
    this.clock = clock;
    for (const def of OBJECTS.values()) this.tables.set(def.name, new ObjectTable(def, clock.now()));
    this.loadRecords(
      'User',
      ORG_USERS.map((user) => ({ ...user })),
    );
  }

  table(name: string): ObjectTable {
    const table = this.tables.get(name);
    if (table === undefined)
      throw new SalesforceError(404, 'NOT_FOUND', `The requested resource does not exist`);
    return table;
  }

  /** A write timestamp: emulator time, never earlier than a previous write. */
  nextStamp(): number {
    this.lastStamp = Math.max(this.lastStamp, this.clock.now());
    return this.lastStamp;
  }

  get(id: string): SfRecord | undefined {
    const id18 = toId18(id);
    return id18 === null ? undefined : this.byId.get(id18);
  }

  /** Creates a record through the same validation as the REST API. */
  create(
    objectName: string,
    values: Readonly<Record<string, unknown>>,
    options: WriteOptions = {},
  ): SfRecord {
    const table = this.table(objectName);
    const def = table.def;
    const rec: SfRecord = { ...def.template };
    const provided = this.coerceAll(def, values, 'create', options);
    const missing = def.fields.filter(
      (f) => f.required && (provided.get(f.name) ?? null) === null && !(f.autoNumber || !f.createable),
    );
    if (missing.length > 0) {
      const names = missing.map((f) => f.name);
      throw new SalesforceError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${names.join(', ')}]`,
        names,
      );
    }
    this.checkUnique(table, provided, null);
    for (const [name, value] of provided) rec[name] = value;
    // Salesforce makes the running user the owner when none is given.
    if ('OwnerId' in rec && rec.OwnerId === null) rec.OwnerId = ORG_USERS[0]!.Id;
    const stamp = this.nextStamp();
    rec.Id = this.allocateId(def.name);
    rec.IsDeleted = false;
    rec.CreatedDate = stamp;
    rec.LastModifiedDate = stamp;
    rec.SystemModstamp = stamp;
    if (def.name === 'Order' && rec.OrderNumber === null) {
      table.autoNumber += 1;
      rec.OrderNumber = String(table.autoNumber).padStart(8, '0');
    }
    if (def.name === 'Order' && rec.TotalAmount === null) rec.TotalAmount = 0;
    applyDerived(def, rec);
    this.insert(table, rec);
    table.indexInsert(rec);
    this.journal?.push({ kind: 'create', table, rec });
    this.onWrite(def.name);
    return rec;
  }

  /** Runs `work`; if it throws, every write it made is undone (all-or-none batches). */
  atomically<T>(work: () => T): T {
    const outer = this.journal;
    const journal: JournalEntry[] = [];
    this.journal = journal;
    try {
      const result = work();
      outer?.push(...journal);
      return result;
    } catch (error) {
      this.rollback(journal);
      throw error;
    } finally {
      this.journal = outer;
    }
  }

  private rollback(journal: JournalEntry[]): void {
    const touched = new Set<ObjectTable>();
    for (const entry of journal.reverse()) {
      touched.add(entry.table);
      if (entry.kind === 'create') {
        this.unindex(entry.table, entry.rec);
        this.byId.delete(entry.rec.Id as string);
        const at = entry.table.records.lastIndexOf(entry.rec);
        if (at >= 0) entry.table.records.splice(at, 1);
      } else {
        this.unindex(entry.table, entry.rec);
        Object.assign(entry.rec, entry.before);
        for (const [field, index] of entry.table.parentIndexes) addTo(index, entry.rec[field], entry.rec);
        for (const [field, index] of entry.table.externalIndexes)
          addTo(index, lower(entry.rec[field]), entry.rec);
        if (entry.logged) entry.table.deleteLog.pop();
      }
    }
    for (const table of touched) table.reindex();
  }

  /** Updates fields of a record; bumps LastModifiedDate and SystemModstamp. */
  update(
    objectName: string,
    id: string,
    values: Readonly<Record<string, unknown>>,
    options: WriteOptions = {},
  ): SfRecord {
    const table = this.table(objectName);
    const rec = this.get(id);
    if (rec === undefined || rec.IsDeleted === true || !(rec.Id as string).startsWith(table.def.keyPrefix)) {
      throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    const provided = this.coerceAll(table.def, values, 'update', options);
    this.journal?.push({ kind: 'update', table, rec, before: { ...rec }, logged: false });
    for (const [name, value] of provided) {
      const field = table.def.fieldsByLowerName.get(name.toLowerCase())!;
      if (field.required && value === null) {
        throw new SalesforceError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${name}]`, [
          name,
        ]);
      }
    }
    this.checkUnique(table, provided, rec);
    for (const [name, value] of provided) this.setIndexed(table, rec, name, value);
    applyDerived(table.def, rec);
    this.bump(table, rec, true);
    return rec;
  }

  /** Upsert by an external id field (or Id): returns the record and whether it was created. */
  upsert(
    objectName: string,
    field: string,
    value: string,
    values: Readonly<Record<string, unknown>>,
    options: WriteOptions = {},
  ): { record: SfRecord; created: boolean } {
    const table = this.table(objectName);
    const def = table.def;
    const f = def.fieldsByLowerName.get(field.toLowerCase());
    if (f === undefined || !(f.externalId || f.name === 'Id')) {
      throw new SalesforceError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${field}`,
      );
    }
    const matches = this.findByExternalId(objectName, f.name, value);
    if (matches.length > 1) {
      throw new SalesforceError(
        300,
        'MULTIPLE_CHOICES',
        `More than one record found for external id field ${f.name}`,
      );
    }
    const existing = matches[0];
    if (existing !== undefined) {
      return {
        record: this.update(objectName, existing.Id as string, stripField(values, f.name), options),
        created: false,
      };
    }
    if (f.name === 'Id') throw notFound();
    return { record: this.create(objectName, { ...values, [f.name]: value }, options), created: true };
  }

  findByExternalId(objectName: string, field: string, value: string): SfRecord[] {
    const table = this.table(objectName);
    if (field === 'Id') {
      const rec = this.get(value);
      return rec === undefined ||
        rec.IsDeleted === true ||
        !(rec.Id as string).startsWith(table.def.keyPrefix)
        ? []
        : [rec];
    }
    return (table.externalIndexes.get(field)?.get(value.toLowerCase()) ?? []).filter(
      (r) => r.IsDeleted !== true,
    );
  }

  /** Deletes a record (to the recycle bin); cascades to the contacts, opportunities and orders of an account. */
  delete(objectName: string, id: string): void {
    const table = this.table(objectName);
    const rec = this.get(id);
    if (rec === undefined || rec.IsDeleted === true || !(rec.Id as string).startsWith(table.def.keyPrefix)) {
      throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    const stamp = this.nextStamp();
    this.journal?.push({ kind: 'update', table, rec, before: { ...rec }, logged: true });
    rec.IsDeleted = true;
    table.deleteLog.push({ id: rec.Id as string, deletedDate: stamp });
    this.bump(table, rec, true);
    for (const child of this.tables.values()) {
      for (const [fieldName, index] of child.parentIndexes) {
        const field = child.def.fieldsByLowerName.get(fieldName.toLowerCase());
        if (field?.referenceTo[0] !== table.def.name) continue;
        for (const c of (index.get(rec.Id as string) ?? []).slice()) {
          if (c.IsDeleted === true) continue;
          if (field.cascadeDelete) this.delete(child.def.name, c.Id as string);
          else this.update(child.def.name, c.Id as string, { [field.name]: null }); // lookup SetNull
        }
      }
    }
  }

  /** A system change: bumps SystemModstamp only (as Salesforce's own background updates do). */
  touch(id: string): SfRecord {
    const rec = this.get(id);
    const def = rec === undefined ? undefined : objectOfId(rec.Id as string);
    if (rec === undefined || def === undefined) throw notFound();
    this.bump(this.table(def.name), rec, false);
    return rec;
  }

  /**
   * Fast load of already-typed records (generator, data files): no per-record index maintenance; the
   * SystemModstamp index is rebuilt once at the end. Records missing an Id get one.
   */
  loadRecords(objectName: string, rows: readonly SfRecord[]): void {
    const table = this.table(objectName);
    for (const row of rows) {
      const rec: SfRecord = { ...table.def.template };
      for (const key in row) {
        if (key in rec) rec[key] = row[key]!;
      }
      rec.Id ??= this.allocateId(objectName);
      rec.IsDeleted ??= false;
      if (rec.CreatedDate === null) rec.CreatedDate = this.clock.now();
      rec.LastModifiedDate ??= rec.CreatedDate ?? null;
      rec.SystemModstamp ??= rec.LastModifiedDate ?? null;
      if (table.def.name === 'Order' && rec.OrderNumber === null) {
        table.autoNumber += 1;
        rec.OrderNumber = String(table.autoNumber).padStart(8, '0');
      }
      applyDerived(table.def, rec);
      this.lastStamp = Math.max(this.lastStamp, rec.SystemModstamp as number);
      this.insert(table, rec);
    }
    table.reindex();
    this.onWrite(objectName);
  }

  /** Checks and types field values as a create would (without storing); read-only data fields allowed. */
  validateValues(objectName: string, values: Readonly<Record<string, unknown>>): SfRecord {
    const def = this.table(objectName).def;
    const rec: SfRecord = { ...def.template };
    for (const [name, value] of this.coerceAll(def, values, 'create', { system: true })) rec[name] = value;
    const missing = def.fields
      .filter((f) => f.required && f.createable && rec[f.name] === null)
      .map((f) => f.name);
    if (missing.length > 0) {
      throw new SalesforceError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      );
    }
    return rec;
  }

  /** Reserves the next id of an object (for generators that link children before loading). */
  allocateId(objectName: string): string {
    const table = this.table(objectName);
    let id: string;
    do {
      table.sequence += 1;
      id = makeId(table.def.keyPrefix, table.sequence);
    } while (this.byId.has(id));
    return id;
  }

  /**
   * Fastest load: records already built from the object's template with every value typed (the generator).
   * Only derived fields are recomputed; the SystemModstamp index is rebuilt once.
   */
  loadPrepared(objectName: string, recs: readonly SfRecord[]): void {
    const table = this.table(objectName);
    for (const rec of recs) {
      applyDerived(table.def, rec);
      if ((rec.SystemModstamp as number) > this.lastStamp) this.lastStamp = rec.SystemModstamp as number;
      this.insert(table, rec);
    }
    table.reindex();
    this.onWrite(objectName);
  }

  /** Drops deleted records and delete-log entries older than the recycle-bin window. */
  purgeRecycleBin(): void {
    const cutoff = this.clock.now() - RECYCLE_BIN_MS;
    for (const table of this.tables.values()) {
      const first = table.deleteLog[0];
      if (first === undefined || first.deletedDate >= cutoff) continue;
      const keep = table.deleteLog.findIndex((e) => e.deletedDate >= cutoff);
      const purged = keep === -1 ? table.deleteLog : table.deleteLog.slice(0, keep);
      table.deleteLog = keep === -1 ? [] : table.deleteLog.slice(keep);
      table.earliestDeleteAvailable = Math.max(table.earliestDeleteAvailable, cutoff);
      const gone = new Set(purged.map((e) => e.id));
      for (const id of gone) {
        const rec = this.byId.get(id);
        if (rec === undefined || rec.IsDeleted !== true) continue;
        this.byId.delete(id);
        this.unindex(table, rec);
      }
      table.records = table.records.filter((r) => !gone.has(r.Id as string) || r.IsDeleted !== true);
      table.reindex();
    }
  }

  /** A unique external id already held by another record: DUPLICATE_VALUE, as Salesforce answers. */
  private checkUnique(
    table: ObjectTable,
    values: ReadonlyMap<string, FieldValue>,
    self: SfRecord | null,
  ): void {
    for (const [name, value] of values) {
      if (typeof value !== 'string') continue;
      const field = table.def.fieldsByLowerName.get(name.toLowerCase());
      if (field === undefined || !field.unique) continue;
      const other = (table.externalIndexes.get(field.name)?.get(value.toLowerCase()) ?? []).find(
        (r) => r !== self && r.IsDeleted !== true,
      );
      if (other !== undefined)
        throw new SalesforceError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${String(other.Id)}`,
          [field.name],
        );
    }
  }

  private insert(table: ObjectTable, rec: SfRecord): void {
    table.records.push(rec);
    this.byId.set(rec.Id as string, rec);
    for (const [field, index] of table.parentIndexes) addTo(index, rec[field], rec);
    for (const [field, index] of table.externalIndexes) addTo(index, lower(rec[field]), rec);
  }

  private unindex(table: ObjectTable, rec: SfRecord): void {
    for (const [field, index] of table.parentIndexes) removeFrom(index, rec[field], rec);
    for (const [field, index] of table.externalIndexes) removeFrom(index, lower(rec[field]), rec);
  }

  private setIndexed(table: ObjectTable, rec: SfRecord, name: string, value: FieldValue): void {
    const parent = table.parentIndexes.get(name);
    if (parent !== undefined && rec[name] !== value) {
      removeFrom(parent, rec[name], rec);
      addTo(parent, value, rec);
    }
    const external = table.externalIndexes.get(name);
    if (external !== undefined && rec[name] !== value) {
      removeFrom(external, lower(rec[name]), rec);
      addTo(external, lower(value), rec);
    }
    rec[name] = value;
  }

  private bump(table: ObjectTable, rec: SfRecord, userChange: boolean): void {
    const stamp = this.nextStamp();
    if (userChange) rec.LastModifiedDate = stamp;
    if (rec.SystemModstamp !== stamp) {
      rec.SystemModstamp = stamp;
      table.deadEntries += 1;
      table.indexInsert(rec);
      table.compactIfNeeded();
    }
    this.onWrite(table.def.name);
  }

  private coerceAll(
    def: ObjectDef,
    values: Readonly<Record<string, unknown>>,
    mode: 'create' | 'update',
    options: WriteOptions,
  ): Map<string, FieldValue> {
    const out = new Map<string, FieldValue>();
    for (const [key, raw] of Object.entries(values)) {
      if (key === 'attributes') continue;
      const field = def.fieldsByLowerName.get(key.toLowerCase());
      if (field === undefined) {
        throw new SalesforceError(
          400,
          'INVALID_FIELD',
          `No such column '${key}' on sobject of type ${def.name}`,
        );
      }
      if (field.name === 'Id' && mode === 'update') continue;
      const writable = mode === 'create' ? field.createable : field.updateable;
      const allowed =
        writable || (options.system === true && !SYSTEM_ONLY.has(field.name) && !field.calculated);
      if (!allowed) {
        throw new SalesforceError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [field.name],
        );
      }
      out.set(field.name, this.coerce(field, raw));
    }
    return out;
  }

  private coerce(field: FieldDef, raw: unknown): FieldValue {
    if (raw === null || raw === undefined || raw === '') return field.type === 'boolean' ? false : null;
    const bad = (what: string): SalesforceError =>
      new SalesforceError(
        400,
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${what} from ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE_' + typeof raw} value ${JSON.stringify(raw)} at [field ${field.name}]`,
      );
    switch (field.type) {
      case 'id':
      case 'reference': {
        if (typeof raw !== 'string') throw bad('reference');
        const id = toId18(raw);
        if (id === null) {
          throw new SalesforceError(
            400,
            'MALFORMED_ID',
            `${field.label}: id value of incorrect type: ${raw}`,
            [field.name],
          );
        }
        const target = field.referenceTo[0];
        if (target !== undefined && objectOfId(id)?.name !== target) {
          throw new SalesforceError(
            400,
            'FIELD_INTEGRITY_EXCEPTION',
            `${field.label}: id value of incorrect type: ${raw}`,
            [field.name],
          );
        }
        const parent = this.byId.get(id);
        if (target !== undefined && (parent === undefined || parent.IsDeleted === true)) {
          throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [
            field.name,
          ]);
        }
        return id;
      }
      case 'string':
      case 'phone':
      case 'email':
      case 'picklist':
      case 'textarea':
      case 'url': {
        if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
          throw bad('string');
        const text = String(raw);
        if (field.length > 0 && text.length > field.length) {
          throw new SalesforceError(
            400,
            'STRING_TOO_LONG',
            `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`,
            [field.name],
          );
        }
        if (field.type === 'email' && !EMAIL.test(text)) {
          throw new SalesforceError(
            400,
            'INVALID_EMAIL_ADDRESS',
            `${field.label}: invalid email address: ${text}`,
            [field.name],
          );
        }
        if (field.restrictedPicklist && !field.picklistValues.includes(text)) {
          throw new SalesforceError(
            400,
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.label}: bad value for restricted picklist field: ${text}`,
            [field.name],
          );
        }
        return text;
      }
      case 'currency':
      case 'double':
      case 'percent':
      case 'int': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
        if (!Number.isFinite(n)) throw bad(field.type === 'int' ? 'int' : 'double');
        return field.type === 'int' ? Math.trunc(n) : n;
      }
      case 'boolean':
        if (raw === true || raw === 'true') return true;
        if (raw === false || raw === 'false') return false;
        throw bad('boolean');
      case 'date': {
        if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw bad('date');
        const ms = Date.parse(`${raw}T00:00:00Z`);
        if (Number.isNaN(ms)) throw bad('date');
        return ms;
      }
      case 'datetime': {
        const ms = typeof raw === 'string' ? parseDateTime(raw) : Number.NaN;
        if (Number.isNaN(ms)) throw bad('datetime');
        return ms;
      }
    }
  }
}

/** Parses Salesforce datetimes (2024-01-01T10:00:00.000+0000, …Z, …+00:00); NaN when invalid. */
export function parseDateTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    text.trim(),
  );
  if (m === null) return Number.NaN;
  let zone = m[2] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return Date.parse(`${m[1]}${zone.toUpperCase()}`);
}

function applyDerived(def: ObjectDef, rec: SfRecord): void {
  switch (def.name) {
    case 'Contact': {
      const first = rec.FirstName;
      rec.Name =
        typeof first === 'string' && first !== ''
          ? `${first} ${String(rec.LastName ?? '')}`
          : (rec.LastName ?? null);
      break;
    }
    case 'Opportunity':
      rec.IsWon = rec.StageName === 'Closed Won';
      rec.IsClosed = rec.StageName === 'Closed Won' || rec.StageName === 'Closed Lost';
      break;
    case 'Order':
      rec.StatusCode = rec.Status === 'Activated' ? 'Activated' : 'Draft';
      break;
    default:
      break;
  }
}

function byId(a: SfRecord, b: SfRecord): number {
  return (a.Id as string) < (b.Id as string) ? -1 : (a.Id as string) > (b.Id as string) ? 1 : 0;
}

function stripField(values: Readonly<Record<string, unknown>>, field: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (k.toLowerCase() !== field.toLowerCase()) out[k] = v;
  return out;
}

function lower(value: FieldValue | undefined): FieldValue | undefined {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function addTo(index: Map<string, SfRecord[]>, key: FieldValue | undefined, rec: SfRecord): void {
  if (typeof key !== 'string') return;
  const list = index.get(key);
  if (list === undefined) index.set(key, [rec]);
  else list.push(rec);
}

function removeFrom(index: Map<string, SfRecord[]>, key: FieldValue | undefined, rec: SfRecord): void {
  if (typeof key !== 'string') return;
  const list = index.get(key);
  if (list === undefined) return;
  const at = list.indexOf(rec);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) index.delete(key);
}
