/**
 * The emulated data model: Account, Contact, Opportunity, Order, Task and User, with standard and custom fields,
 * plus every custom object and field of the repository's Salesforce DX source (`force-app/`, see sfdx-source.ts).
 */
import { KEY_PREFIX, makeId } from './ids.ts';
import { readSfdxSource, type SourceField } from './sfdx-source.ts';

export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'picklist'
  | 'email'
  | 'phone'
  | 'textarea'
  | 'url'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'date'
  | 'datetime';

/** A stored value: datetimes and dates are epoch milliseconds (dates at UTC midnight). */
export type FieldValue = string | number | boolean | null;
/** A stored record: field API name → value (every field of its object is present). */
export type SfRecord = Record<string, FieldValue>;

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly custom: boolean;
  readonly externalId: boolean;
  /** Required on create (not nillable, createable, no default). */
  readonly required: boolean;
  readonly length: number;
  readonly referenceTo: readonly string[];
  readonly relationshipName: string | null;
  readonly picklistValues: readonly string[];
  readonly restrictedPicklist: boolean;
  readonly autoNumber: boolean;
  readonly calculated: boolean;
  readonly unique: boolean;
  readonly precision: number;
  readonly scale: number;
  /** Deleting the parent deletes this record (else the lookup is cleared, as `SetNull` does). */
  readonly cascadeDelete: boolean;
}

export interface ChildRelationship {
  readonly childSObject: string;
  readonly field: string;
  readonly relationshipName: string;
  readonly cascadeDelete: boolean;
}

export interface ObjectDef {
  readonly name: string;
  readonly custom: boolean;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: readonly FieldDef[];
  /** Lower-cased field name → field. */
  readonly fieldsByLowerName: ReadonlyMap<string, FieldDef>;
  /** Lower-cased relationship name (e.g. "account") → the reference field. */
  readonly relationshipsByLowerName: ReadonlyMap<string, FieldDef>;
  readonly childRelationships: readonly ChildRelationship[];
  /** A record with every field present (null), so records of one object share one shape. */
  readonly template: Readonly<SfRecord>;
}

interface FieldSpec {
  readonly type: FieldType;
  readonly label?: string;
  readonly required?: boolean;
  readonly readonly?: boolean;
  readonly createOnly?: boolean;
  readonly externalId?: boolean;
  readonly length?: number;
  readonly referenceTo?: string;
  readonly relationshipName?: string;
  readonly picklist?: readonly string[];
  readonly restricted?: boolean;
  readonly autoNumber?: boolean;
  readonly calculated?: boolean;
  readonly unique?: boolean;
  readonly precision?: number;
  readonly scale?: number;
  /** Child relationship name on the parent (default: the child object's plural label). */
  readonly childRelationship?: string;
  readonly cascadeDelete?: boolean;
}

export const INDUSTRIES = [
  'Telecommunications',
  'Retail',
  'Banking',
  'Hospitality',
  'Utilities',
  'Insurance',
  'Healthcare',
  'Transportation',
  'Media',
  'Energy',
  'Manufacturing',
  'Technology',
] as const;
export const ACCOUNT_TYPES = [
  'Customer - Direct',
  'Customer - Channel',
  'Prospect',
  'Partner',
  'Other',
] as const;
export const CUSTOMER_TIERS = ['Platinum', 'Gold', 'Silver', 'Bronze'] as const;
export const SEGMENTS = ['Enterprise', 'Mid-Market', 'SMB'] as const;
export const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
] as const;
export const ORDER_STATUSES = ['Draft', 'Activated'] as const;
export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
] as const;
export const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;

/** The users of the emulated org: the integration user first, then the account managers who own accounts. */
export const ORG_USERS: readonly { readonly Id: string; readonly Name: string; readonly Email: string }[] = [
  { Id: makeId(KEY_PREFIX.User, 1), Name: 'Boucle Integration', Email: 'integration@boucle.example' },
  { Id: makeId(KEY_PREFIX.User, 2), Name: 'Camille Martin', Email: 'camille.martin@boucle.example' },
  { Id: makeId(KEY_PREFIX.User, 3), Name: 'Hugo Bernard', Email: 'hugo.bernard@boucle.example' },
  { Id: makeId(KEY_PREFIX.User, 4), Name: 'Léa Dubois', Email: 'lea.dubois@boucle.example' },
];

const SYSTEM_FIELDS: Readonly<Record<string, FieldSpec>> = {
  IsDeleted: { type: 'boolean', label: 'Deleted', readonly: true },
  CreatedDate: { type: 'datetime', label: 'Created Date', readonly: true },
  LastModifiedDate: { type: 'datetime', label: 'Last Modified Date', readonly: true },
  SystemModstamp: { type: 'datetime', label: 'System Modstamp', readonly: true },
};

interface ObjectSpec {
  label: string;
  plural: string;
  prefix: string;
  custom?: boolean;
  fields: Record<string, FieldSpec>;
}

const STANDARD_SPECS: Readonly<Record<string, ObjectSpec>> = {
  User: {
    label: 'User',
    plural: 'Users',
    prefix: KEY_PREFIX.User,
    fields: {
      Name: { type: 'string', label: 'Full Name', readonly: true, length: 121 },
      Email: { type: 'email', readonly: true },
    },
  },
  Account: {
    label: 'Account',
    plural: 'Accounts',
    prefix: KEY_PREFIX.Account,
    fields: {
      Name: { type: 'string', label: 'Account Name', required: true, length: 255 },
      OwnerId: {
        type: 'reference',
        label: 'Owner ID',
        referenceTo: 'User',
        relationshipName: 'Owner',
        childRelationship: 'Accounts',
        cascadeDelete: false,
      },
      Type: { type: 'picklist', label: 'Account Type', picklist: ACCOUNT_TYPES },
      Industry: { type: 'picklist', picklist: INDUSTRIES },
      AnnualRevenue: { type: 'currency', label: 'Annual Revenue' },
      NumberOfEmployees: { type: 'int', label: 'Employees' },
      BillingCountry: { type: 'string', label: 'Billing Country', length: 80 },
      Customer_Tier__c: { type: 'picklist', label: 'Customer Tier', picklist: CUSTOMER_TIERS },
      Segment__c: { type: 'picklist', label: 'Segment', picklist: SEGMENTS },
      External_Id__c: { type: 'string', label: 'External Id', externalId: true, length: 64 },
    },
  },
  Contact: {
    label: 'Contact',
    plural: 'Contacts',
    prefix: KEY_PREFIX.Contact,
    fields: {
      AccountId: {
        type: 'reference',
        label: 'Account ID',
        referenceTo: 'Account',
        relationshipName: 'Account',
      },
      FirstName: { type: 'string', label: 'First Name', length: 40 },
      LastName: { type: 'string', label: 'Last Name', required: true, length: 80 },
      Name: { type: 'string', label: 'Full Name', readonly: true, calculated: true, length: 121 },
      Email: { type: 'email' },
      Phone: { type: 'phone', label: 'Business Phone', length: 40 },
      MailingCountry: { type: 'string', label: 'Mailing Country', length: 80 },
      External_Id__c: { type: 'string', label: 'External Id', externalId: true, length: 64 },
    },
  },
  Opportunity: {
    label: 'Opportunity',
    plural: 'Opportunities',
    prefix: KEY_PREFIX.Opportunity,
    fields: {
      AccountId: {
        type: 'reference',
        label: 'Account ID',
        referenceTo: 'Account',
        relationshipName: 'Account',
      },
      Name: { type: 'string', required: true, length: 120 },
      StageName: { type: 'picklist', label: 'Stage', required: true, picklist: OPPORTUNITY_STAGES },
      Amount: { type: 'currency' },
      CloseDate: { type: 'date', label: 'Close Date', required: true },
      IsWon: { type: 'boolean', label: 'Won', readonly: true, calculated: true },
      IsClosed: { type: 'boolean', label: 'Closed', readonly: true, calculated: true },
    },
  },
  Order: {
    label: 'Order',
    plural: 'Orders',
    prefix: KEY_PREFIX.Order,
    fields: {
      AccountId: {
        type: 'reference',
        label: 'Account ID',
        referenceTo: 'Account',
        relationshipName: 'Account',
        required: true,
      },
      Status: { type: 'picklist', required: true, picklist: ORDER_STATUSES, restricted: true },
      StatusCode: {
        type: 'picklist',
        label: 'Status Category',
        readonly: true,
        picklist: ['Draft', 'Activated'],
      },
      TotalAmount: { type: 'currency', label: 'Order Amount', readonly: true },
      EffectiveDate: { type: 'date', label: 'Order Start Date', required: true },
      OrderNumber: { type: 'string', label: 'Order Number', readonly: true, autoNumber: true, length: 30 },
    },
  },
  Task: {
    label: 'Task',
    plural: 'Tasks',
    prefix: KEY_PREFIX.Task,
    fields: {
      // WhatId is polymorphic in Salesforce; the emulator links tasks to accounts only.
      WhatId: {
        type: 'reference',
        label: 'Related To ID',
        referenceTo: 'Account',
        relationshipName: 'What',
        childRelationship: 'Tasks',
      },
      WhoId: {
        type: 'reference',
        label: 'Name ID',
        referenceTo: 'Contact',
        relationshipName: 'Who',
        childRelationship: 'Tasks',
      },
      OwnerId: {
        type: 'reference',
        label: 'Assigned To ID',
        referenceTo: 'User',
        relationshipName: 'Owner',
        childRelationship: 'Tasks',
        cascadeDelete: false,
      },
      Subject: { type: 'string', length: 255 },
      Status: { type: 'picklist', required: true, picklist: TASK_STATUSES },
      Priority: { type: 'picklist', required: true, picklist: TASK_PRIORITIES },
      ActivityDate: { type: 'date', label: 'Due Date Only' },
      Description: { type: 'textarea', label: 'Comments', length: 32000 },
    },
  },
};

const CUSTOM_PREFIXES = ['a00', 'a01', 'a02', 'a03', 'a04', 'a05', 'a06', 'a07', 'a08', 'a09'];

function sourceFieldSpec(field: SourceField): FieldSpec {
  return {
    type: field.type,
    label: field.label,
    required: field.required,
    externalId: field.externalId,
    unique: field.unique,
    ...(field.length === undefined ? {} : { length: field.length }),
    ...(field.precision === undefined ? {} : { precision: field.precision }),
    ...(field.scale === undefined ? {} : { scale: field.scale }),
    ...(field.referenceTo === undefined ? {} : { referenceTo: field.referenceTo }),
    ...(field.relationshipName === undefined ? {} : { relationshipName: field.relationshipName }),
    ...(field.childRelationshipName === undefined ? {} : { childRelationship: field.childRelationshipName }),
    ...(field.picklist === undefined ? {} : { picklist: field.picklist }),
    restricted: field.restricted,
    cascadeDelete: false,
  };
}

/** The standard objects, extended and joined by the SFDX source (custom fields of `Activity` go to Task). */
function withSource(): Record<string, ObjectSpec> {
  const specs: Record<string, ObjectSpec> = {};
  for (const [name, spec] of Object.entries(STANDARD_SPECS))
    specs[name] = { ...spec, fields: { ...spec.fields } };
  let custom = 0;
  for (const object of readSfdxSource()) {
    const fields = Object.fromEntries(object.fields.map((f) => [f.name, sourceFieldSpec(f)]));
    if (object.custom) {
      const prefix = CUSTOM_PREFIXES[custom++];
      if (prefix === undefined) throw new Error('The emulator models at most 10 custom objects');
      specs[object.name] = {
        label: object.label,
        plural: object.pluralLabel,
        prefix,
        custom: true,
        fields: {
          Name: { type: 'string', label: object.nameFieldLabel, required: true, length: 80 },
          ...fields,
        },
      };
      continue;
    }
    const target = object.name === 'Activity' ? 'Task' : object.name;
    const spec = specs[target];
    if (spec === undefined)
      throw new Error(`force-app adds fields to ${object.name}, an object the emulator does not model`);
    Object.assign(spec.fields, fields);
  }
  return specs;
}

const OBJECT_SPECS: Readonly<Record<string, ObjectSpec>> = withSource();

function buildField(name: string, spec: FieldSpec): FieldDef {
  const readonly = spec.readonly ?? false;
  return {
    name,
    label: spec.label ?? name,
    type: spec.type,
    nillable: !(spec.required ?? false) && spec.type !== 'boolean' && !readonly,
    createable: !readonly,
    updateable: !readonly && !(spec.createOnly ?? false),
    custom: name.endsWith('__c'),
    externalId: spec.externalId ?? false,
    required: spec.required ?? false,
    length: spec.length ?? (spec.type === 'email' ? 80 : spec.type === 'picklist' ? 255 : 0),
    referenceTo: spec.referenceTo === undefined ? [] : [spec.referenceTo],
    relationshipName: spec.relationshipName ?? null,
    picklistValues: spec.picklist ?? [],
    restrictedPicklist: spec.restricted ?? false,
    autoNumber: spec.autoNumber ?? false,
    calculated: spec.calculated ?? false,
    unique: spec.unique ?? false,
    precision: spec.precision ?? (spec.type === 'currency' ? 18 : 0),
    scale: spec.scale ?? (spec.type === 'currency' ? 2 : 0),
    cascadeDelete: spec.cascadeDelete ?? true,
  };
}

function buildObjects(): ReadonlyMap<string, ObjectDef> {
  const objects = new Map<string, ObjectDef>();
  const children = new Map<string, ChildRelationship[]>();
  for (const [name, spec] of Object.entries(OBJECT_SPECS)) {
    for (const [field, f] of Object.entries(spec.fields)) {
      if (f.referenceTo !== undefined) {
        const list = children.get(f.referenceTo) ?? [];
        list.push({
          childSObject: name,
          field,
          relationshipName: f.childRelationship ?? spec.plural,
          cascadeDelete: f.cascadeDelete ?? true,
        });
        children.set(f.referenceTo, list);
      }
    }
  }
  for (const [name, spec] of Object.entries(OBJECT_SPECS)) {
    const fields = [
      buildField('Id', { type: 'id', label: `${spec.label} ID`, readonly: true }),
      ...Object.entries(spec.fields).map(([field, f]) => buildField(field, f)),
      ...Object.entries(SYSTEM_FIELDS).map(([field, f]) => buildField(field, f)),
    ];
    const template: SfRecord = {};
    for (const f of fields) template[f.name] = null;
    objects.set(name, {
      name,
      custom: spec.custom ?? false,
      label: spec.label,
      labelPlural: spec.plural,
      keyPrefix: spec.prefix,
      fields,
      fieldsByLowerName: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
      relationshipsByLowerName: new Map(
        fields.filter((f) => f.relationshipName !== null).map((f) => [f.relationshipName!.toLowerCase(), f]),
      ),
      childRelationships: children.get(name) ?? [],
      template,
    });
  }
  return objects;
}

/** Every emulated object by API name. */
export const OBJECTS: ReadonlyMap<string, ObjectDef> = buildObjects();
const OBJECTS_BY_LOWER = new Map([...OBJECTS.values()].map((o) => [o.name.toLowerCase(), o]));
const OBJECTS_BY_PREFIX = new Map([...OBJECTS.values()].map((o) => [o.keyPrefix, o]));

/** The object of an API name (case-insensitive), or undefined. */
export function findObject(name: string): ObjectDef | undefined {
  return OBJECTS_BY_LOWER.get(name.toLowerCase());
}

/** The object an id belongs to (by key prefix), or undefined. */
export function objectOfId(id: string): ObjectDef | undefined {
  return OBJECTS_BY_PREFIX.get(id.slice(0, 3));
}

/** The describe result of an object, as GET /sobjects/{type}/describe returns it. */
export function describeObject(def: ObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    custom: def.custom,
    customSetting: false,
    createable: true,
    updateable: true,
    deletable: true,
    undeletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    replicateable: true,
    layoutable: true,
    triggerable: true,
    feedEnabled: false,
    childRelationships: def.childRelationships.map((c) => ({
      cascadeDelete: c.childSObject !== 'Order' && c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      relationshipName: c.relationshipName,
      restrictedDelete: c.childSObject === 'Order',
    })),
    fields: def.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      soapType: soapType(f.type),
      length: f.length,
      precision: f.precision,
      scale: f.scale,
      digits: f.type === 'int' ? 8 : 0,
      byteLength: f.type === 'id' || f.type === 'reference' ? 18 : f.length * 3,
      nillable: f.nillable,
      createable: f.createable,
      updateable: f.updateable,
      custom: f.custom,
      externalId: f.externalId,
      idLookup: f.name === 'Id' || f.externalId,
      unique: f.name === 'Id' || f.unique,
      autoNumber: f.autoNumber,
      calculated: f.calculated,
      defaultedOnCreate: !f.createable || f.type === 'boolean',
      filterable: true,
      sortable: true,
      groupable: f.type !== 'double' && f.type !== 'currency' && f.type !== 'datetime',
      aggregatable: true,
      nameField: f.name === 'Name',
      referenceTo: f.referenceTo,
      relationshipName: f.relationshipName,
      restrictedPicklist: f.restrictedPicklist,
      picklistValues: f.picklistValues.map((value, i) => ({
        active: true,
        defaultValue: i === 0 && f.name === 'Status',
        label: value,
        validFor: null,
        value,
      })),
    })),
    urls: {
      sobject: base,
      describe: `${base}/describe`,
      rowTemplate: `${base}/{ID}`,
    },
  };
}

function soapType(type: FieldType): string {
  switch (type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'currency':
    case 'double':
    case 'percent':
      return 'xsd:double';
    case 'int':
      return 'xsd:int';
    case 'boolean':
      return 'xsd:boolean';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    case 'string':
    case 'picklist':
    case 'email':
    case 'phone':
    case 'textarea':
    case 'url':
      return 'xsd:string';
  }
}
