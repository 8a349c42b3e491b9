/**
 * SOQL for the emulator: parsed by @jetstreamapp/soql-parser-js, compiled to predicates and getters, run
 * against the record store with index use for Id / lookup filters and SystemModstamp keyset paging.
 * Anything the emulator does not implement is refused with MALFORMED_QUERY, never answered approximately.
 */
import {
  type Condition,
  type FunctionExp,
  type HavingClause,
  type OrderByClause,
  type Query,
  type Subquery,
  type WhereClause,
  parseQuery,
} from '@jetstreamapp/soql-parser-js';
import { DAY_MS, formatDate, formatDateTime } from './clock.ts';
import { SalesforceError, malformedQuery } from './errors.ts';
import { toId18 } from './ids.ts';
import { type FieldDef, type FieldValue, type ObjectDef, type SfRecord, findObject } from './schema.ts';
import type { ObjectTable, RecordStore } from './store.ts';
import { parseDateTime } from './store.ts';

type Getter = (rec: SfRecord) => FieldValue;

/** A selected (or filtered, or sorted) field: a path through lookups ending at a field. */
export interface FieldPath {
  /** Canonical dotted name, e.g. "Account.Name". */
  readonly name: string;
  /** Relationship hops: the reference fields followed and the object each leads to. */
  readonly hops: readonly { readonly via: FieldDef; readonly object: ObjectDef }[];
  readonly field: FieldDef;
  readonly get: Getter;
}

export interface ChildSelect {
  readonly relationshipName: string;
  readonly parentField: string;
  readonly query: CompiledQuery;
}

export interface AggregateColumn {
  readonly kind: 'group' | 'aggregate';
  /** Output key: the field name for groups, the alias or exprN for aggregates. */
  readonly key: string;
  readonly fn: 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX' | null;
  /** Null for COUNT(). */
  readonly path: FieldPath | null;
  readonly hidden: boolean;
}

interface Order {
  readonly get: Getter;
  readonly type: FieldDef['type'];
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export interface CompiledQuery {
  readonly soql: string;
  readonly object: ObjectDef;
  readonly kind: 'records' | 'count' | 'aggregate';
  readonly columns: readonly FieldPath[];
  readonly children: readonly ChildSelect[];
  readonly aggregateColumns: readonly AggregateColumn[];
  readonly groupBy: readonly FieldPath[];
  readonly predicate: (rec: SfRecord) => boolean;
  readonly having: ((row: Readonly<Record<string, FieldValue>>) => boolean) | null;
  readonly orderBy: readonly Order[];
  readonly aggregateOrder: readonly { key: string; desc: boolean; nullsFirst: boolean }[];
  readonly limit: number | null;
  readonly offset: number;
  readonly hints: Hints;
  readonly hasOffset: boolean;
}

interface Hints {
  ids: string[] | null;
  parent: { field: string; ids: string[] } | null;
  stampLower: number | null;
  /** The ORDER BY is (SystemModstamp [, Id]) in one direction: the SystemModstamp index gives the order. */
  stampOrder: 'asc' | 'desc' | null;
}

export interface QueryContext {
  readonly store: RecordStore;
  /** Emulator "now", for date literals. */
  readonly now: number;
}

// ---------------------------------------------------------------------------------------------------------
// Compilation

/** Parses and compiles a SOQL statement, or throws a SalesforceError (MALFORMED_QUERY, INVALID_FIELD…). */
export function compileQuery(soql: string, ctx: QueryContext): CompiledQuery {
  let parsed: Query;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0] ?? 'parse error';
    throw malformedQuery(`\n${soql}\n^\nERROR at Row:1:Column:1\n${first}`);
  }
  return compileParsed(soql, parsed, ctx, null);
}

function compileParsed(
  soql: string,
  q: Query | Subquery,
  ctx: QueryContext,
  parent: ObjectDef | null,
): CompiledQuery {
  let object: ObjectDef | undefined;
  if (parent === null) {
    const name = (q as Query).sObject ?? '';
    object = findObject(name);
    if (object === undefined) {
      throw new SalesforceError(
        400,
        'INVALID_TYPE',
        `\n${soql}\n^\nERROR at Row:1:Column:1\nsObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
  } else {
    const rel = (q as Subquery).relationshipName.toLowerCase();
    const child = parent.childRelationships.find((c) => c.relationshipName.toLowerCase() === rel);
    if (child === undefined) {
      throw new SalesforceError(
        400,
        'INVALID_TYPE',
        `Didn't understand relationship '${(q as Subquery).relationshipName}' in FROM part of query call.`,
      );
    }
    object = findObject(child.childSObject)!;
  }
  const def = object;
  if (q.usingScope !== undefined) throw unsupported('USING SCOPE');
  if (q.withDataCategory !== undefined) throw unsupported('WITH DATA CATEGORY');
  if (q.for !== undefined) throw unsupported(`FOR ${q.for}`);
  if (q.update !== undefined) throw unsupported(`UPDATE ${q.update}`);
  const alias = q.sObjectAlias?.toLowerCase() ?? null;
  const resolve = (raw: string): FieldPath => resolvePath(def, raw, alias, ctx.store);

  const fields = q.fields ?? [];
  const groupByRaw = q.groupBy === undefined ? [] : Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy];
  const groupBy = groupByRaw.map((g) => {
    if ('fn' in g) throw unsupported(`GROUP BY ${g.fn.functionName ?? 'function'}`);
    const path = resolve(g.field);
    if (['currency', 'double', 'datetime'].includes(path.field.type)) {
      throw malformedQuery(`field '${path.field.name}' can not be grouped in a query call`);
    }
    return path;
  });
  const isAggregate =
    groupBy.length > 0 ||
    fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn === true);

  const columns: FieldPath[] = [];
  const children: ChildSelect[] = [];
  const aggregateColumns: AggregateColumn[] = [];
  let exprIndex = 0;
  let countOnly = false;
  for (const f of fields) {
    switch (f.type) {
      case 'Field':
      case 'FieldRelationship': {
        const raw = f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
        const path = resolve(raw);
        if (isAggregate) {
          if (!groupBy.some((g) => g.name === path.name)) {
            throw malformedQuery(`Field must be grouped or aggregated: ${path.field.name}`);
          }
          const key = ('alias' in f && typeof f.alias === 'string' ? f.alias : undefined) ?? path.field.name;
          aggregateColumns.push({ kind: 'group', key, fn: null, path, hidden: false });
        } else if (!columns.some((c) => c.name === path.name)) {
          columns.push(path);
        }
        break;
      }
      case 'FieldFunctionExpression': {
        if (f.functionName.toUpperCase() === 'FIELDS' && !isAggregate) {
          const param = f.parameters[0];
          const which = typeof param === 'string' ? param.toUpperCase() : '';
          for (const field of def.fields) {
            if (
              which === 'ALL' ||
              (which === 'CUSTOM' && field.custom) ||
              (which === 'STANDARD' && !field.custom)
            ) {
              if (!columns.some((c) => c.name === field.name)) columns.push(resolve(field.name));
            }
          }
          if (which === 'ALL' || which === 'CUSTOM') {
            if (q.limit === undefined || q.limit > 200) {
              throw malformedQuery('The SOQL FIELDS function must have a LIMIT of at most 200');
            }
          }
          break;
        }
        if (f.isAggregateFn !== true) throw unsupported(`function ${f.functionName}()`);
        const fn = f.functionName.toUpperCase();
        if (fn === 'COUNT' && f.parameters.length === 0) {
          if (fields.length !== 1 || groupBy.length > 0) {
            throw malformedQuery('COUNT() must be the only element in the SELECT list.');
          }
          countOnly = true;
          break;
        }
        aggregateColumns.push(
          aggregateColumn(fn, f.parameters, f.alias ?? `expr${exprIndex}`, resolve, false),
        );
        if (f.alias === undefined) exprIndex += 1;
        break;
      }
      case 'FieldSubquery': {
        if (parent !== null) throw malformedQuery('Nested subqueries are not supported');
        if (isAggregate) throw malformedQuery('Subqueries cannot be used in an aggregate query');
        const sub = compileParsed(soql, f.subquery, ctx, def);
        const rel = def.childRelationships.find(
          (c) => c.relationshipName.toLowerCase() === f.subquery.relationshipName.toLowerCase(),
        )!;
        children.push({ relationshipName: rel.relationshipName, parentField: rel.field, query: sub });
        break;
      }
      case 'FieldTypeof':
        throw unsupported('TYPEOF');
    }
  }
  if (columns.length === 0 && children.length === 0 && aggregateColumns.length === 0 && !countOnly) {
    throw malformedQuery('SELECT list must name at least one field');
  }

  const hints: Hints = { ids: null, parent: null, stampLower: null, stampOrder: null };
  const where = q.where === undefined ? null : buildBoolean(flattenWhere(q.where), def, resolve, ctx, soql);
  if (where !== null) collectHints(where, hints);
  const predicate = where === null ? () => true : compileNode(where);

  const orderRaw = q.orderBy === undefined ? [] : Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
  const orderBy: Order[] = [];
  const aggregateOrder: { key: string; desc: boolean; nullsFirst: boolean }[] = [];
  for (const o of orderRaw) {
    const desc = o.order === 'DESC';
    const nullsFirst = o.nulls === undefined ? !desc : o.nulls === 'FIRST';
    if (isAggregate)
      aggregateOrder.push({ key: aggregateKeyFor(o, aggregateColumns, resolve), desc, nullsFirst });
    else {
      if (!('field' in o)) throw unsupported('ORDER BY a function');
      const path = resolve(o.field);
      orderBy.push({ get: path.get, type: path.field.type, desc, nullsFirst });
    }
  }
  if (!isAggregate) hints.stampOrder = stampOrderOf(orderRaw);

  let having: CompiledQuery['having'] = null;
  if (q.having !== undefined) {
    if (!isAggregate) throw malformedQuery('HAVING requires GROUP BY');
    having = compileHaving(q.having, aggregateColumns, resolve);
  }

  const limit = q.limit ?? null;
  const offset = q.offset ?? 0;
  if (offset > 2000) {
    throw new SalesforceError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
  }
  if (parent !== null && q.offset !== undefined) throw malformedQuery('OFFSET is not allowed in a subquery');

  return {
    soql,
    object: def,
    kind: countOnly ? 'count' : isAggregate ? 'aggregate' : 'records',
    columns,
    children,
    aggregateColumns,
    groupBy,
    predicate,
    having,
    orderBy,
    aggregateOrder,
    limit,
    offset,
    hints,
    hasOffset: q.offset !== undefined,
  };
}

function unsupported(what: string): SalesforceError {
  return malformedQuery(`${what} is not supported by the Boucle Salesforce emulator`);
}

function resolvePath(def: ObjectDef, raw: string, alias: string | null, store: RecordStore): FieldPath {
  let parts = raw.split('.');
  if (
    parts.length > 1 &&
    (parts[0]!.toLowerCase() === alias || parts[0]!.toLowerCase() === def.name.toLowerCase())
  ) {
    parts = parts.slice(1);
  }
  const hops: { via: FieldDef; object: ObjectDef }[] = [];
  let current = def;
  for (const rel of parts.slice(0, -1)) {
    const via = current.relationshipsByLowerName.get(rel.toLowerCase());
    const target = via === undefined ? undefined : findObject(via.referenceTo[0] ?? '');
    if (via === undefined || target === undefined) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    hops.push({ via, object: target });
    current = target;
  }
  const last = parts[parts.length - 1] ?? '';
  const field = current.fieldsByLowerName.get(last.toLowerCase());
  if (field === undefined) {
    throw new SalesforceError(
      400,
      'INVALID_FIELD',
      `\nERROR at Row:1:Column:1\nNo such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const name = [...hops.map((h) => h.via.relationshipName!), field.name].join('.');
  const fieldName = field.name;
  let get: Getter;
  if (hops.length === 0) get = (rec) => rec[fieldName] ?? null;
  else {
    const vias = hops.map((h) => h.via.name);
    get = (rec) => {
      let cur: SfRecord | undefined = rec;
      for (const via of vias) {
        const id: FieldValue | undefined = cur[via];
        cur = typeof id === 'string' ? store.byId.get(id) : undefined;
        if (cur === undefined) return null;
      }
      return cur[fieldName] ?? null;
    };
  }
  return { name, hops, field, get };
}

function aggregateColumn(
  fn: string,
  parameters: readonly (string | FunctionExp)[],
  key: string,
  resolve: (raw: string) => FieldPath,
  hidden: boolean,
): AggregateColumn {
  const param = parameters[0];
  if (typeof param !== 'string' || parameters.length !== 1) throw unsupported(`${fn} of an expression`);
  const path = resolve(param);
  const known = ['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX'] as const;
  const name = known.find((k) => k === fn);
  if (name === undefined) throw unsupported(`aggregate ${fn}()`);
  const numeric = ['currency', 'double', 'int'].includes(path.field.type);
  if ((name === 'SUM' || name === 'AVG') && !numeric) {
    throw malformedQuery(`field ${path.field.name} does not support aggregate operator ${name}`);
  }
  return { kind: 'aggregate', key, fn: name, path, hidden };
}

function aggregateKeyFor(
  o: OrderByClause,
  columns: AggregateColumn[],
  resolve: (raw: string) => FieldPath,
): string {
  if ('field' in o) {
    const path = resolve(o.field);
    const col = columns.find((c) => c.kind === 'group' && c.path?.name === path.name);
    if (col !== undefined) return col.key;
    const alias = columns.find((c) => c.key.toLowerCase() === o.field.toLowerCase());
    if (alias !== undefined) return alias.key;
    throw malformedQuery(`Ordered field must be grouped or aggregated: ${path.field.name}`);
  }
  return ensureAggregate(o.fn, columns, resolve);
}

function ensureAggregate(
  fn: FunctionExp,
  columns: AggregateColumn[],
  resolve: (raw: string) => FieldPath,
): string {
  const name = (fn.functionName ?? '').toUpperCase();
  const params = fn.parameters ?? [];
  if (name === 'COUNT' && params.length === 0) throw unsupported('COUNT() in ORDER BY or HAVING');
  const probe = aggregateColumn(name, params, '', resolve, true);
  const existing = columns.find((c) => c.fn === probe.fn && c.path?.name === probe.path?.name);
  if (existing !== undefined) return existing.key;
  const key = `__hidden${columns.length}`;
  columns.push({ ...probe, key });
  return key;
}

// WHERE: the parser returns a flat chain with paren counts; rebuild a tree with SOQL's rules (no mixing of
// AND and OR without parentheses).

type Token =
  { t: '(' } | { t: ')' } | { t: 'AND' } | { t: 'OR' } | { t: 'NOT' } | { t: 'cond'; c: Condition };

function flattenWhere(where: WhereClause | HavingClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | HavingClause | undefined = where;
  while (node !== undefined) {
    const n = node as { left: unknown; operator?: string; right?: WhereClause };
    const left = n.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    if (n.operator === 'NOT') {
      for (let i = 0; i < (left?.openParen ?? 0); i += 1) tokens.push({ t: '(' });
      tokens.push({ t: 'NOT' });
      node = n.right;
      continue;
    }
    if (left === null || !('operator' in left)) throw malformedQuery('unexpected token in WHERE clause');
    for (let i = 0; i < (left.openParen ?? 0); i += 1) tokens.push({ t: '(' });
    tokens.push({ t: 'cond', c: left });
    for (let i = 0; i < (left.closeParen ?? 0); i += 1) tokens.push({ t: ')' });
    if (n.operator === 'AND' || n.operator === 'OR') tokens.push({ t: n.operator });
    node = n.right;
  }
  return tokens;
}

type Node =
  | { k: 'and' | 'or'; items: Node[] }
  | { k: 'not'; item: Node }
  | { k: 'cond'; path: FieldPath | null; op: string; test: (rec: SfRecord) => boolean; values: FieldValue[] }
  | { k: 'having'; test: (row: Readonly<Record<string, FieldValue>>) => boolean };

function buildBoolean(
  tokens: Token[],
  def: ObjectDef,
  resolve: (raw: string) => FieldPath,
  ctx: QueryContext,
  soql: string,
  leaf?: (c: Condition) => Node,
): Node {
  let pos = 0;
  const makeLeaf = leaf ?? ((c: Condition) => compileCondition(c, def, resolve, ctx, soql));
  const operand = (): Node => {
    const tok = tokens[pos];
    if (tok === undefined) throw malformedQuery('unexpected end of WHERE clause');
    if (tok.t === 'NOT') {
      pos += 1;
      return { k: 'not', item: operand() };
    }
    if (tok.t === '(') {
      pos += 1;
      const inner = sequence();
      if (tokens[pos]?.t !== ')') throw malformedQuery('unbalanced parentheses in WHERE clause');
      pos += 1;
      return inner;
    }
    if (tok.t === 'cond') {
      pos += 1;
      return makeLeaf(tok.c);
    }
    throw malformedQuery(`unexpected token: '${tok.t}'`);
  };
  const sequence = (): Node => {
    const items = [operand()];
    let op: 'AND' | 'OR' | null = null;
    while (tokens[pos]?.t === 'AND' || tokens[pos]?.t === 'OR') {
      const next = tokens[pos]!.t as 'AND' | 'OR';
      if (op !== null && op !== next) {
        throw malformedQuery(`unexpected token: '${next}' (use parentheses when mixing AND and OR)`);
      }
      op = next;
      pos += 1;
      items.push(operand());
    }
    return items.length === 1 ? items[0]! : { k: op === 'OR' ? 'or' : 'and', items };
  };
  const tree = sequence();
  if (pos !== tokens.length) throw malformedQuery('unbalanced parentheses in WHERE clause');
  return tree;
}

function compileNode(node: Node): (rec: SfRecord) => boolean {
  switch (node.k) {
    case 'cond':
      return node.test;
    case 'not': {
      const inner = compileNode(node.item);
      return (rec) => !inner(rec);
    }
    case 'and': {
      const items = node.items.map(compileNode);
      return (rec) => items.every((f) => f(rec));
    }
    case 'or': {
      const items = node.items.map(compileNode);
      return (rec) => items.some((f) => f(rec));
    }
    case 'having':
      throw malformedQuery('aggregate functions are not allowed in WHERE');
  }
}

function collectHints(node: Node, hints: Hints): void {
  const conjuncts = node.k === 'and' ? node.items : [node];
  for (const c of conjuncts) {
    if (c.k === 'cond' && c.path !== null && c.path.hops.length === 0 && (c.op === '=' || c.op === 'IN')) {
      const ids = c.values.filter((v): v is string => typeof v === 'string');
      if (ids.length !== c.values.length) continue; // "= null" cannot use an index
      if (c.path.field.type === 'id') hints.ids = ids;
      else if (c.path.field.type === 'reference' && hints.parent === null) {
        hints.parent = { field: c.path.field.name, ids };
      }
    }
    const lower = stampLowerBound(c);
    if (lower !== null) hints.stampLower = Math.max(hints.stampLower ?? lower, lower);
  }
}

/** A lower bound on SystemModstamp implied by a node, or null. */
function stampLowerBound(node: Node): number | null {
  switch (node.k) {
    case 'cond': {
      if (node.path?.name !== 'SystemModstamp' || node.path.hops.length > 0) return null;
      const v = node.values[0];
      if (typeof v !== 'number') return null;
      return node.op === '>' || node.op === '>=' || node.op === '=' ? v : null;
    }
    case 'and': {
      const bounds = node.items.map(stampLowerBound).filter((b): b is number => b !== null);
      return bounds.length === 0 ? null : Math.max(...bounds);
    }
    case 'or': {
      const bounds = node.items.map(stampLowerBound);
      return bounds.some((b) => b === null) ? null : Math.min(...(bounds as number[]));
    }
    case 'not':
    case 'having':
      return null;
  }
}

function stampOrderOf(order: readonly OrderByClause[]): 'asc' | 'desc' | null {
  if (order.length === 0 || order.length > 2) return null;
  const [first, second] = order;
  if (first === undefined || !('field' in first) || first.field.toLowerCase() !== 'systemmodstamp')
    return null;
  const dir = first.order === 'DESC' ? 'desc' : 'asc';
  if (second === undefined) return dir;
  if (!('field' in second) || second.field.toLowerCase() !== 'id') return null;
  return (second.order === 'DESC' ? 'desc' : 'asc') === dir ? dir : null;
}

function unquote(raw: string): string {
  if (!raw.startsWith("'") || !raw.endsWith("'")) return raw;
  return raw.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return c;
    }
  });
}

const TEXT_TYPES = new Set(['string', 'picklist', 'email', 'phone', 'textarea', 'url']);

function typeName(type: FieldDef['type']): string {
  switch (type) {
    case 'datetime':
      return 'dateTime';
    case 'currency':
    case 'double':
    case 'percent':
      return 'double';
    case 'int':
      return 'int';
    case 'boolean':
    case 'date':
    case 'email':
    case 'id':
    case 'phone':
    case 'picklist':
    case 'reference':
    case 'string':
    case 'textarea':
    case 'url':
      return type;
  }
}

/** A literal as a comparable value, or a [start, end) range for date literals. */
type Literal = { v: FieldValue } | { range: [number, number] };

function literalValue(
  raw: string,
  literalType: string,
  field: FieldDef,
  ctx: QueryContext,
  nValue: number | undefined,
): Literal {
  const mismatch = (): SalesforceError =>
    new SalesforceError(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      `value of filter criterion for field '${field.name}' must be of type ${typeName(field.type)} and should not be enclosed in quotes`,
    );
  if (literalType === 'NULL') return { v: null };
  switch (field.type) {
    case 'id':
    case 'reference': {
      if (literalType !== 'STRING') throw mismatch();
      const text = unquote(raw);
      const id = toId18(text);
      if (id === null) {
        throw new SalesforceError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${text}`);
      }
      return { v: id };
    }
    case 'string':
    case 'picklist':
    case 'email':
    case 'phone':
    case 'textarea':
    case 'url':
      if (literalType !== 'STRING') throw mismatch();
      return { v: unquote(raw).toLowerCase() };
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      if (literalType !== 'INTEGER' && literalType !== 'DECIMAL') throw mismatch();
      return { v: Number(raw) };
    case 'boolean':
      if (literalType !== 'BOOLEAN') throw mismatch();
      return { v: raw.toUpperCase() === 'TRUE' };
    case 'date':
    case 'datetime': {
      if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
        return { range: dateRange(raw, nValue, ctx.now) };
      }
      if (field.type === 'date' && literalType === 'DATE') return { v: Date.parse(`${raw}T00:00:00Z`) };
      if (field.type === 'datetime' && literalType === 'DATETIME') {
        const ms = parseDateTime(raw);
        if (Number.isNaN(ms)) throw malformedQuery(`invalid dateTime literal: ${raw}`);
        return { v: ms };
      }
      throw mismatch();
    }
  }
}

function startOfDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

/** [start, end) in UTC of a SOQL date literal, relative to now. */
function dateRange(raw: string, n: number | undefined, now: number): [number, number] {
  const today = startOfDay(now);
  const d = new Date(today);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const quarterStart = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
  const weekStart = today - d.getUTCDay() * DAY_MS;
  const name = raw.split(':')[0]!.toUpperCase();
  const k = n ?? 0;
  switch (name) {
    case 'TODAY':
      return [today, today + DAY_MS];
    case 'YESTERDAY':
      return [today - DAY_MS, today];
    case 'TOMORROW':
      return [today + DAY_MS, today + 2 * DAY_MS];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY_MS];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY_MS, weekStart];
    case 'NEXT_WEEK':
      return [weekStart + 7 * DAY_MS, weekStart + 14 * DAY_MS];
    case 'THIS_MONTH':
      return [monthStart, addMonths(monthStart, 1)];
    case 'LAST_MONTH':
      return [addMonths(monthStart, -1), monthStart];
    case 'NEXT_MONTH':
      return [addMonths(monthStart, 1), addMonths(monthStart, 2)];
    case 'THIS_QUARTER':
      return [quarterStart, addMonths(quarterStart, 3)];
    case 'LAST_QUARTER':
      return [addMonths(quarterStart, -3), quarterStart];
    case 'NEXT_QUARTER':
      return [addMonths(quarterStart, 3), addMonths(quarterStart, 6)];
    case 'THIS_YEAR':
      return [yearStart, addMonths(yearStart, 12)];
    case 'LAST_YEAR':
      return [addMonths(yearStart, -12), yearStart];
    case 'NEXT_YEAR':
      return [addMonths(yearStart, 12), addMonths(yearStart, 24)];
    case 'LAST_90_DAYS':
      return [today - 90 * DAY_MS, today + DAY_MS];
    case 'NEXT_90_DAYS':
      return [today + DAY_MS, today + 91 * DAY_MS];
    case 'LAST_N_DAYS':
      return [today - k * DAY_MS, today + DAY_MS];
    case 'NEXT_N_DAYS':
      return [today + DAY_MS, today + (k + 1) * DAY_MS];
    case 'N_DAYS_AGO':
      return [today - k * DAY_MS, today - (k - 1) * DAY_MS];
    case 'LAST_N_MONTHS':
      return [addMonths(monthStart, -k), monthStart];
    case 'NEXT_N_MONTHS':
      return [addMonths(monthStart, 1), addMonths(monthStart, k + 1)];
    case 'LAST_N_YEARS':
      return [addMonths(yearStart, -12 * k), yearStart];
    case 'NEXT_N_YEARS':
      return [addMonths(yearStart, 12), addMonths(yearStart, 12 * (k + 1))];
    default:
      throw unsupported(`date literal ${raw}`);
  }
}

function compare(a: FieldValue, b: FieldValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compileCondition(
  cond: Condition,
  _def: ObjectDef,
  resolve: (raw: string) => FieldPath,
  ctx: QueryContext,
  soql: string,
): Node {
  if (!('field' in cond)) throw unsupported('a function in WHERE');
  const c = cond as {
    field: string;
    operator: string;
    value?: string | string[];
    valueQuery?: Query;
    literalType?: string | string[];
    dateLiteralVariable?: number | number[];
  };
  const path = resolve(c.field);
  const field = path.field;
  const text = TEXT_TYPES.has(field.type);
  const get: Getter = text
    ? (rec) => {
        const v = path.get(rec);
        return typeof v === 'string' ? v.toLowerCase() : v;
      }
    : path.get;
  const op = c.operator.toUpperCase();

  if (op === 'INCLUDES' || op === 'EXCLUDES') throw unsupported(`${op} (multi-select picklists)`);

  if (op === 'IN' || op === 'NOT IN') {
    let values: FieldValue[];
    if (c.valueQuery !== undefined) {
      values = semiJoin(c.valueQuery, field, ctx, soql);
    } else {
      const raws = Array.isArray(c.value) ? c.value : [c.value ?? ''];
      const types = Array.isArray(c.literalType)
        ? c.literalType
        : raws.map(() => (c.literalType as string) ?? 'STRING');
      values = raws.map((raw, i) => {
        const lit = literalValue(raw, types[i] ?? 'STRING', field, ctx, undefined);
        if ('range' in lit) throw unsupported('date literals in IN lists');
        return lit.v;
      });
    }
    const set = new Set(values);
    const test = op === 'IN' ? (rec: SfRecord) => set.has(get(rec)) : (rec: SfRecord) => !set.has(get(rec));
    return { k: 'cond', path, op, test, values };
  }

  if (c.valueQuery !== undefined) throw malformedQuery('a subquery needs IN or NOT IN');
  const raw = Array.isArray(c.value) ? undefined : c.value;
  const literalType = Array.isArray(c.literalType) ? undefined : c.literalType;
  if (raw === undefined || literalType === undefined) throw malformedQuery(`invalid value for ${c.field}`);
  const nValue = Array.isArray(c.dateLiteralVariable) ? undefined : c.dateLiteralVariable;

  if (op === 'LIKE') {
    if (!text || literalType !== 'STRING') {
      throw new SalesforceError(
        400,
        'INVALID_QUERY_FILTER_OPERATOR',
        `invalid operator on ${typeName(field.type)} field: LIKE (field ${field.name})`,
      );
    }
    const pattern = unquoteLike(raw);
    return {
      k: 'cond',
      path,
      op,
      test: (rec) => {
        const v = get(rec);
        return typeof v === 'string' && pattern.test(v);
      },
      values: [],
    };
  }

  const lit = literalValue(raw, literalType, field, ctx, nValue);
  if ('range' in lit) {
    const [start, end] = lit.range;
    const inRange = (v: FieldValue): boolean => typeof v === 'number' && v >= start && v < end;
    const tests: Record<string, (v: FieldValue) => boolean> = {
      '=': inRange,
      '!=': (v) => !inRange(v),
      '<': (v) => typeof v === 'number' && v < start,
      '<=': (v) => typeof v === 'number' && v < end,
      '>': (v) => typeof v === 'number' && v >= end,
      '>=': (v) => typeof v === 'number' && v >= start,
    };
    const t = tests[op];
    if (t === undefined) throw malformedQuery(`unexpected operator ${op}`);
    return { k: 'cond', path, op, test: (rec) => t(get(rec)), values: [op === '>' ? end : start] };
  }
  const value = lit.v;
  if (value === null) {
    if (op === '=') return { k: 'cond', path, op, test: (rec) => get(rec) === null, values: [null] };
    if (op === '!=') return { k: 'cond', path, op, test: (rec) => get(rec) !== null, values: [null] };
    throw malformedQuery(`invalid operator ${op} with null`);
  }
  if (field.type === 'boolean' && op !== '=' && op !== '!=') {
    throw new SalesforceError(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      `invalid operator on boolean field: ${op}`,
    );
  }
  let test: (rec: SfRecord) => boolean;
  switch (op) {
    case '=':
      test = (rec) => get(rec) === value;
      break;
    case '!=':
      test = (rec) => get(rec) !== value;
      break;
    case '<':
      test = (rec) => {
        const v = get(rec);
        return v !== null && compare(v, value) < 0;
      };
      break;
    case '<=':
      test = (rec) => {
        const v = get(rec);
        return v !== null && compare(v, value) <= 0;
      };
      break;
    case '>':
      test = (rec) => {
        const v = get(rec);
        return v !== null && compare(v, value) > 0;
      };
      break;
    case '>=':
      test = (rec) => {
        const v = get(rec);
        return v !== null && compare(v, value) >= 0;
      };
      break;
    default:
      throw malformedQuery(`unexpected operator ${op}`);
  }
  return { k: 'cond', path, op, test, values: [value] };
}

function unquoteLike(raw: string): RegExp {
  const body = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i]!;
    if (ch === '\\' && i + 1 < body.length) {
      i += 1;
      out += body[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'i');
}

function semiJoin(inner: Query, field: FieldDef, ctx: QueryContext, soql: string): FieldValue[] {
  if (field.type !== 'id' && field.type !== 'reference') {
    throw malformedQuery('semi-join subqueries filter Id or lookup fields only');
  }
  const compiled = compileParsed(soql, inner, ctx, null);
  if (compiled.kind !== 'records' || compiled.columns.length !== 1 || compiled.children.length > 0) {
    throw malformedQuery('a semi-join subquery selects exactly one Id or lookup field');
  }
  const col = compiled.columns[0]!;
  if (col.field.type !== 'id' && col.field.type !== 'reference') {
    throw malformedQuery('a semi-join subquery selects exactly one Id or lookup field');
  }
  const rows = executeRecords(compiled, ctx.store, false);
  return rows.map((r) => col.get(r));
}

function compileHaving(
  having: HavingClause,
  columns: AggregateColumn[],
  resolve: (raw: string) => FieldPath,
): (row: Readonly<Record<string, FieldValue>>) => boolean {
  const leaf = (c: Condition): Node => {
    const cond = c as {
      fn?: FunctionExp;
      field?: string;
      operator: string;
      value?: string | string[];
      literalType?: string | string[];
    };
    let key: string;
    if (cond.fn !== undefined) key = ensureAggregate(cond.fn, columns, resolve);
    else if (cond.field !== undefined) key = aggregateKeyFor({ field: cond.field }, columns, resolve);
    else throw malformedQuery('invalid HAVING condition');
    if (Array.isArray(cond.value) || cond.value === undefined) throw unsupported('IN lists in HAVING');
    const lt = Array.isArray(cond.literalType) ? 'STRING' : (cond.literalType ?? 'STRING');
    const value: FieldValue =
      lt === 'INTEGER' || lt === 'DECIMAL'
        ? Number(cond.value)
        : lt === 'NULL'
          ? null
          : unquote(cond.value).toLowerCase();
    const op = cond.operator;
    const cmp = (row: Readonly<Record<string, FieldValue>>): number | null => {
      let v = row[key] ?? null;
      if (typeof v === 'string') v = v.toLowerCase();
      return v === null || value === null ? null : compare(v, value);
    };
    const test = (row: Readonly<Record<string, FieldValue>>): boolean => {
      const r = cmp(row);
      switch (op) {
        case '=':
          return r === 0 || (r === null && (row[key] ?? null) === value);
        case '!=':
          return r !== 0;
        case '<':
          return r !== null && r < 0;
        case '<=':
          return r !== null && r <= 0;
        case '>':
          return r !== null && r > 0;
        case '>=':
          return r !== null && r >= 0;
        default:
          throw unsupported(`${op} in HAVING`);
      }
    };
    return { k: 'having', test };
  };
  const dummy = findObject('Account')!;
  const tree = buildBoolean(
    flattenWhere(having),
    dummy,
    resolve,
    { store: undefined as never, now: 0 },
    '',
    leaf,
  );
  const run = (node: Node): ((row: Readonly<Record<string, FieldValue>>) => boolean) => {
    switch (node.k) {
      case 'having':
        return node.test;
      case 'not': {
        const inner = run(node.item);
        return (row) => !inner(row);
      }
      case 'and': {
        const items = node.items.map(run);
        return (row) => items.every((f) => f(row));
      }
      case 'or': {
        const items = node.items.map(run);
        return (row) => items.some((f) => f(row));
      }
      case 'cond':
        throw malformedQuery('invalid HAVING condition');
    }
  };
  return run(tree);
}

// ---------------------------------------------------------------------------------------------------------
// Execution

function comparator(orderBy: readonly Order[]): (a: SfRecord, b: SfRecord) => number {
  return (a, b) => {
    for (const o of orderBy) {
      let x = o.get(a);
      let y = o.get(b);
      if (x === y) continue;
      if (x === null) return o.nullsFirst ? -1 : 1;
      if (y === null) return o.nullsFirst ? 1 : -1;
      if (TEXT_TYPES.has(o.type)) {
        x = (x as string).toLowerCase();
        y = (y as string).toLowerCase();
        if (x === y) continue;
      }
      const d = compare(x, y);
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  };
}

/** The matching records of a record query, ordered, with OFFSET and LIMIT applied. */
export function executeRecords(q: CompiledQuery, store: RecordStore, includeDeleted: boolean): SfRecord[] {
  const table = store.table(q.object.name);
  const keep = includeDeleted ? q.predicate : (rec: SfRecord) => rec.IsDeleted !== true && q.predicate(rec);
  const want = q.limit === null ? Infinity : q.offset + q.limit;
  let rows: SfRecord[];
  let ordered = q.orderBy.length === 0;
  if (q.hints.ids !== null) {
    rows = [];
    for (const id of new Set(q.hints.ids)) {
      const rec = store.byId.get(id);
      if (rec !== undefined && (rec.Id as string).startsWith(q.object.keyPrefix) && keep(rec)) rows.push(rec);
    }
  } else if (q.hints.parent !== null) {
    rows = [];
    const index = table.parentIndexes.get(q.hints.parent.field)!;
    for (const id of new Set(q.hints.parent.ids)) {
      for (const rec of index.get(id) ?? []) if (keep(rec)) rows.push(rec);
    }
  } else if (q.hints.stampOrder !== null || (q.orderBy.length === 0 && q.hints.stampLower !== null)) {
    rows = scanByStamp(table, q.hints.stampLower, q.hints.stampOrder ?? 'asc', keep, want);
    ordered = true;
  } else {
    rows = [];
    const limitWithoutOrder = q.orderBy.length === 0 ? want : Infinity;
    for (const rec of table.records) {
      if (keep(rec)) {
        rows.push(rec);
        if (rows.length >= limitWithoutOrder) break;
      }
    }
  }
  if (!ordered) rows.sort(comparator(q.orderBy));
  if (q.offset > 0 || rows.length > want) rows = rows.slice(q.offset, want === Infinity ? undefined : want);
  return rows;
}

function scanByStamp(
  table: ObjectTable,
  lower: number | null,
  direction: 'asc' | 'desc',
  keep: (rec: SfRecord) => boolean,
  want: number,
): SfRecord[] {
  const rows: SfRecord[] = [];
  const recs = table.stampRecs;
  const stamps = table.stamps;
  if (direction === 'asc') {
    for (
      let i = lower === null ? 0 : table.lowerBound(lower);
      i < recs.length && rows.length < want;
      i += 1
    ) {
      const rec = recs[i]!;
      if (rec.SystemModstamp === stamps[i] && keep(rec)) rows.push(rec);
    }
  } else {
    const stop = lower === null ? 0 : table.lowerBound(lower);
    for (let i = recs.length - 1; i >= stop && rows.length < want; i -= 1) {
      const rec = recs[i]!;
      if (rec.SystemModstamp === stamps[i] && keep(rec)) rows.push(rec);
    }
  }
  return rows;
}

/** The number of matching records (COUNT()). */
export function executeCount(q: CompiledQuery, store: RecordStore, includeDeleted: boolean): number {
  const rows = executeRecords(
    { ...q, orderBy: [], hints: { ...q.hints, stampOrder: null } },
    store,
    includeDeleted,
  );
  return rows.length;
}

/** Aggregate rows (already formatted values), ordered, limited. */
export function executeAggregate(
  q: CompiledQuery,
  store: RecordStore,
  includeDeleted: boolean,
): Record<string, FieldValue>[] {
  const rows = executeRecords(
    { ...q, orderBy: [], limit: null, offset: 0, hints: { ...q.hints, stampOrder: null } },
    store,
    includeDeleted,
  );
  const groups = new Map<string, SfRecord[]>();
  for (const rec of rows) {
    const key = q.groupBy.map((g) => String(g.get(rec))).join('\u0000');
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [rec]);
    else list.push(rec);
  }
  if (q.groupBy.length === 0 && groups.size === 0) groups.set('', []);
  let out: Record<string, FieldValue>[] = [];
  for (const members of groups.values()) {
    const row: Record<string, FieldValue> = {};
    for (const col of q.aggregateColumns) {
      const path = col.path!;
      if (col.kind === 'group') {
        row[col.key] = members.length === 0 ? null : path.get(members[0]!);
        continue;
      }
      const values = members.map((m) => path.get(m)).filter((v) => v !== null);
      switch (col.fn) {
        case 'COUNT':
          row[col.key] = values.length;
          break;
        case 'COUNT_DISTINCT':
          row[col.key] = new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
          break;
        case 'SUM':
          row[col.key] = values.length === 0 ? null : values.reduce<number>((s, v) => s + (v as number), 0);
          break;
        case 'AVG':
          row[col.key] =
            values.length === 0
              ? null
              : values.reduce<number>((s, v) => s + (v as number), 0) / values.length;
          break;
        case 'MIN':
        case 'MAX': {
          let best: FieldValue = null;
          for (const v of values) {
            if (best === null || (col.fn === 'MIN' ? compare(v, best) < 0 : compare(v, best) > 0)) best = v;
          }
          row[col.key] = best;
          break;
        }
        case null:
          break;
      }
    }
    if (q.having === null || q.having(row)) out.push(row);
  }
  if (q.aggregateOrder.length > 0) {
    out.sort((a, b) => {
      for (const o of q.aggregateOrder) {
        const x = a[o.key] ?? null;
        const y = b[o.key] ?? null;
        if (x === y) continue;
        if (x === null) return o.nullsFirst ? -1 : 1;
        if (y === null) return o.nullsFirst ? 1 : -1;
        const d = compare(
          typeof x === 'string' ? x.toLowerCase() : x,
          typeof y === 'string' ? y.toLowerCase() : y,
        );
        if (d !== 0) return o.desc ? -d : d;
      }
      return 0;
    });
  }
  if (q.offset > 0 || q.limit !== null)
    out = out.slice(q.offset, q.limit === null ? undefined : q.offset + q.limit);
  const types = new Map(q.aggregateColumns.map((c) => [c.key, c]));
  return out.map((row) => {
    const formatted: Record<string, FieldValue> = {};
    for (const [key, value] of Object.entries(row)) {
      const col = types.get(key)!;
      if (col.hidden) continue;
      const fieldType = col.path?.field.type;
      formatted[key] =
        col.fn === 'COUNT' ||
        col.fn === 'COUNT_DISTINCT' ||
        col.fn === 'SUM' ||
        col.fn === 'AVG' ||
        fieldType === undefined
          ? value
          : formatValue(fieldType, value);
    }
    return formatted;
  });
}

/** Why Bulk API 2.0 refuses a query, or null when it accepts it. */
export function bulkRefusal(q: CompiledQuery): string | null {
  if (q.kind !== 'records')
    return 'Aggregate queries (COUNT, SUM, GROUP BY…) are not supported by Bulk API 2.0 query';
  if (q.hasOffset) return 'OFFSET clause is not supported by Bulk API 2.0 query';
  if (q.children.length > 0) return 'Parent-to-child subqueries are not supported by Bulk API 2.0 query';
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Output

/** A stored value as the REST API shows it. */
export function formatValue(type: FieldDef['type'], value: FieldValue): FieldValue {
  if (value === null) return null;
  if (type === 'datetime') return formatDateTime(value as number);
  if (type === 'date') return formatDate(value as number);
  return value;
}

/** A record as the REST query API shows it: attributes, selected fields, nested parents and child results. */
export function renderRecord(
  q: CompiledQuery,
  rec: SfRecord,
  version: string,
  store: RecordStore,
  includeDeleted: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: {
      type: q.object.name,
      url: `/services/data/v${version}/sobjects/${q.object.name}/${String(rec.Id)}`,
    },
  };
  for (const col of q.columns) {
    if (col.hops.length === 0) {
      out[col.field.name] = formatValue(col.field.type, rec[col.field.name] ?? null);
      continue;
    }
    let target = out;
    let cur: SfRecord | undefined = rec;
    for (const hop of col.hops) {
      const relName = hop.via.relationshipName!;
      const id: FieldValue | undefined = cur?.[hop.via.name];
      cur = typeof id === 'string' ? store.byId.get(id) : undefined;
      if (cur === undefined) {
        if (!(relName in target)) target[relName] = null;
        target = {};
        break;
      }
      let next = target[relName] as Record<string, unknown> | null | undefined;
      if (next === undefined || next === null) {
        next = {
          attributes: {
            type: hop.object.name,
            url: `/services/data/v${version}/sobjects/${hop.object.name}/${String(cur.Id)}`,
          },
        };
        target[relName] = next;
      }
      target = next;
    }
    if (cur !== undefined) target[col.field.name] = formatValue(col.field.type, cur[col.field.name] ?? null);
  }
  for (const child of q.children) {
    const index = store.table(child.query.object.name).parentIndexes.get(child.parentField)!;
    const candidates = index.get(rec.Id as string) ?? [];
    let rows = candidates.filter((c) => (includeDeleted || c.IsDeleted !== true) && child.query.predicate(c));
    if (child.query.orderBy.length > 0) rows.sort(comparator(child.query.orderBy));
    if (child.query.limit !== null) rows = rows.slice(0, child.query.limit);
    out[child.relationshipName] =
      rows.length === 0
        ? null
        : {
            totalSize: rows.length,
            done: true,
            records: rows.map((r) => renderRecord(child.query, r, version, store, includeDeleted)),
          };
  }
  return out;
}

/** Column headers of a Bulk API 2.0 CSV result. */
export function csvHeaders(q: CompiledQuery): string[] {
  return q.columns.map((c) => c.name);
}

/** One CSV cell as Bulk API 2.0 writes it (datetimes in UTC with Z, nulls empty). */
export function csvCell(col: FieldPath, rec: SfRecord): string {
  const v = col.get(rec);
  if (v === null) return '';
  if (col.field.type === 'datetime') return new Date(v as number).toISOString();
  if (col.field.type === 'date') return formatDate(v as number);
  return String(v);
}
