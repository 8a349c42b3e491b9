/**
 * Reads the Salesforce DX source of the repository (`force-app/main/default/objects`) into the emulator's
 * field specs, so the emulator serves — and `describe` answers for — exactly the custom objects and fields
 * that `sf project deploy start` would create in a real org. XML is parsed by xml2js (already in the tree as
 * a dependency of jsforce; small, synchronous, no native code).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseString } from 'xml2js';

export type SourceFieldType =
  | 'string'
  | 'textarea'
  | 'url'
  | 'picklist'
  | 'email'
  | 'phone'
  | 'currency'
  | 'double'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'reference';

export interface SourceField {
  readonly name: string;
  readonly label: string;
  readonly type: SourceFieldType;
  readonly required: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly length: number | undefined;
  readonly precision: number | undefined;
  readonly scale: number | undefined;
  readonly referenceTo: string | undefined;
  /** `Account__r` for a lookup `Account__c`. */
  readonly relationshipName: string | undefined;
  /** The child relationship name on the parent (`Boucle_Feedback__r`). */
  readonly childRelationshipName: string | undefined;
  readonly picklist: readonly string[] | undefined;
  readonly restricted: boolean;
}

export interface SourceObject {
  /** API name (`Boucle_Feedback__c`, or a standard object such as `Account` that only gains fields). */
  readonly name: string;
  /** False for a standard object the source only adds fields to. */
  readonly custom: boolean;
  readonly label: string;
  readonly pluralLabel: string;
  readonly nameFieldLabel: string;
  readonly fields: readonly SourceField[];
}

/** Where the repository's SFDX objects live. */
export const DEFAULT_SOURCE_DIR = fileURLToPath(
  new URL('../../force-app/main/default/objects', import.meta.url),
);

type Xml = Record<string, unknown>;

function parseXml(path: string): Xml {
  let result: unknown;
  let failure: unknown;
  // xml2js calls back synchronously unless `async: true` is set.
  parseString(readFileSync(path, 'utf8'), { explicitArray: false }, (error, value) => {
    failure = error;
    result = value;
  });
  if (failure !== null && failure !== undefined)
    throw new Error(`${path}: not valid XML: ${(failure as Error).message}`);
  if (result === undefined) throw new Error(`${path}: the XML parser returned nothing`);
  return result as Xml;
}

const text = (node: Xml, key: string): string | undefined => {
  const value = node[key];
  return typeof value === 'string' ? value : undefined;
};
const flag = (node: Xml, key: string): boolean => text(node, key) === 'true';
const num = (node: Xml, key: string): number | undefined => {
  const value = text(node, key);
  return value === undefined ? undefined : Number(value);
};

const TYPES: Readonly<Record<string, SourceFieldType>> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Url: 'url',
  Picklist: 'picklist',
  Email: 'email',
  Phone: 'phone',
  Currency: 'currency',
  Number: 'double',
  Percent: 'percent',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Lookup: 'reference',
};

function readField(path: string): SourceField {
  const root = parseXml(path).CustomField as Xml | undefined;
  if (root === undefined) throw new Error(`${path}: the root element is not <CustomField>`);
  const name = text(root, 'fullName');
  const rawType = text(root, 'type');
  if (name === undefined || !name.endsWith('__c')) throw new Error(`${path}: <fullName> must end in __c`);
  const type = rawType === undefined ? undefined : TYPES[rawType];
  if (type === undefined)
    throw new Error(
      `${path}: field type ${rawType ?? '(none)'} is not one the emulator models (${Object.keys(TYPES).join(', ')})`,
    );
  const valueSet = root.valueSet as Xml | undefined;
  const definition = valueSet?.valueSetDefinition as Xml | undefined;
  const rawValues = definition?.value;
  const values = rawValues === undefined ? [] : Array.isArray(rawValues) ? rawValues : [rawValues];
  const relationship = text(root, 'relationshipName');
  return {
    name,
    label: text(root, 'label') ?? name,
    type,
    required: flag(root, 'required'),
    externalId: flag(root, 'externalId'),
    unique: flag(root, 'unique'),
    length: num(root, 'length'),
    precision: num(root, 'precision'),
    scale: num(root, 'scale'),
    referenceTo: text(root, 'referenceTo'),
    relationshipName: type === 'reference' ? name.replace(/__c$/, '__r') : undefined,
    childRelationshipName: relationship === undefined ? undefined : `${relationship}__r`,
    picklist: type === 'picklist' ? values.map((v) => String((v as Xml).fullName)) : undefined,
    restricted: valueSet === undefined ? false : flag(valueSet, 'restricted'),
  };
}

/** Every object folder of the source, custom objects first in name order. */
export function readSfdxSource(dir: string = DEFAULT_SOURCE_DIR): SourceObject[] {
  if (!existsSync(dir)) return [];
  const objects: SourceObject[] = [];
  for (const name of readdirSync(dir).sort()) {
    const folder = join(dir, name);
    const fieldsDir = join(folder, 'fields');
    const fields = existsSync(fieldsDir)
      ? readdirSync(fieldsDir)
          .filter((file) => file.endsWith('.field-meta.xml'))
          .sort()
          .map((file) => readField(join(fieldsDir, file)))
      : [];
    const objectFile = join(folder, `${name}.object-meta.xml`);
    if (existsSync(objectFile)) {
      const root = parseXml(objectFile).CustomObject as Xml | undefined;
      if (root === undefined) throw new Error(`${objectFile}: the root element is not <CustomObject>`);
      const nameField = (root.nameField as Xml | undefined) ?? {};
      objects.push({
        name,
        custom: true,
        label: text(root, 'label') ?? name,
        pluralLabel: text(root, 'pluralLabel') ?? name,
        nameFieldLabel: text(nameField, 'label') ?? 'Name',
        fields,
      });
    } else {
      objects.push({ name, custom: false, label: name, pluralLabel: name, nameFieldLabel: 'Name', fields });
    }
  }
  return objects;
}
