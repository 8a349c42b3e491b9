import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { ERROR_SCHEMA, OBJECT_SCHEMAS } from './object-schemas.ts';

type Node = Record<string, unknown>;

export interface ResponseContract {
  /** The file that documents the operation. */
  readonly document: string;
  /** Documented statuses of the operation. */
  readonly statuses: readonly string[];
  /** Validator of the documented JSON schema for the status, or of Zendesk's error body when undocumented. */
  readonly validate: ValidateFunction;
  /** Component schemas the response refers to that neither the document nor OBJECT_SCHEMAS define. */
  readonly unresolved: readonly string[];
  readonly documentedStatus: boolean;
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The OpenAPI documents, parsed. */
export async function loadOpenApi(dir: string): Promise<Map<string, Node>> {
  const docs = new Map<string, Node>();
  for (const name of (await readdir(dir)).sort()) {
    if (!name.endsWith('.yml') || name.startsWith('webhooks')) continue;
    const doc: unknown = parse(await readFile(join(dir, name), 'utf8'));
    if (isNode(doc) && isNode(doc['paths'])) docs.set(name, doc);
  }
  return docs;
}

/** OpenAPI 3.0/3.1 schema → JSON Schema for Ajv: `nullable`, component `$ref`s, dangling refs. */
function convert(node: unknown, doc: Node, defs: Node, unresolved: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => convert(item, doc, defs, unresolved));
  if (!isNode(node)) return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    if (name === undefined) return {};
    if (!(name in defs)) {
      const components =
        isNode(doc['components']) && isNode(doc['components']['schemas']) ? doc['components']['schemas'] : {};
      const local = components[name];
      defs[name] = {};
      if (local !== undefined) defs[name] = convert(local, doc, defs, unresolved);
      else if (OBJECT_SCHEMAS[name] !== undefined)
        defs[name] = convert(OBJECT_SCHEMAS[name], doc, defs, unresolved);
      else unresolved.add(name);
    }
    return { $ref: `#/$defs/${name}` };
  }
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'nullable' || key === 'xml') continue;
    out[key] =
      key === 'properties' && isNode(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, doc, defs, unresolved)]))
        : convert(value, doc, defs, unresolved);
  }
  if (node['nullable'] === true) {
    const type = out['type'];
    if (typeof type === 'string') out['type'] = [type, 'null'];
    else if (Array.isArray(type)) out['type'] = [...(type as unknown[]), 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
  }
  return out;
}

export class OpenApiContracts {
  readonly #docs: Map<string, Node>;
  readonly #ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  constructor(docs: Map<string, Node>) {
    this.#docs = docs;
  }

  /** Whether any document has this operation (`GET /api/v2/tickets/{ticket_id}`). */
  documents(operation: string): string | undefined {
    const [method = '', path = ''] = operation.split(' ');
    for (const [name, doc] of this.#docs) {
      const item = (doc['paths'] as Node)[path];
      if (isNode(item) && isNode(item[method.toLowerCase()])) return name;
    }
    return undefined;
  }

  /**
   * The contract of one response. `requireAll` makes every property of the documented envelope required (the
   * extracts rarely list `required`, so absent keys would otherwise pass).
   */
  response(
    operation: string,
    status: number,
    options: { requireAll?: readonly string[] | boolean } = {},
  ): ResponseContract {
    const [method = '', path = ''] = operation.split(' ');
    const name = this.documents(operation);
    if (name === undefined) throw new Error(`${operation} is in none of the OpenAPI documents`);
    const doc = this.#docs.get(name) as Node;
    const op = ((doc['paths'] as Node)[path] as Node)[method.toLowerCase()] as Node;
    const responses = isNode(op['responses']) ? op['responses'] : {};
    const documented = responses[String(status)];
    const content =
      isNode(documented) && isNode(documented['content'])
        ? documented['content']['application/json']
        : undefined;
    const schema = isNode(content) ? content['schema'] : undefined;
    const defs: Node = {};
    const unresolved = new Set<string>();
    let root: Node;
    if (schema === undefined) root = convert(ERROR_SCHEMA, doc, defs, unresolved) as Node;
    else {
      const converted = convert(schema, doc, defs, unresolved) as Node;
      const target =
        typeof converted['$ref'] === 'string'
          ? (defs[converted['$ref'].slice('#/$defs/'.length)] as Node)
          : converted;
      const required =
        options.requireAll === undefined || options.requireAll === true
          ? Object.keys(isNode(target['properties']) ? target['properties'] : {})
          : options.requireAll === false
            ? []
            : [...options.requireAll];
      root = { allOf: [converted, { required }] };
    }
    const validate = this.#ajv.compile({ ...root, $defs: defs });
    return {
      document: name,
      statuses: Object.keys(responses),
      validate,
      unresolved: [...unresolved],
      documentedStatus: schema !== undefined,
    };
  }
}
