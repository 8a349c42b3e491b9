/** The emulated data model: Account, Contact, Opportunity and Order, with standard and custom fields. */
import { KEY_PREFIX } from './ids.ts';

export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'picklist'
  | 'email'
  | 'phone'
  | 'currency'
  | 'double'
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
}

export interface ChildRelationship {
  readonly childSObject: string;
  readonly field: string;
  readonly relationshipName: string;
}

export interface ObjectDef {
  readonly name: string;
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

const SYSTEM_FIELDS: Readonly<Record<string, FieldSpec>> = {
  IsDeleted: { type: 'boolean', label: 'Deleted', readonly: true },
  CreatedDate: { type: 'datetime', label: 'Created Date', readonly: true },
  LastModifiedDate: { type: 'datetime', label: 'Last Modified Date', readonly: true },
  SystemModstamp: { type: 'datetime', label: 'System Modstamp', readonly: true },
};

const OBJECT_SPECS: Readonly<
  Record<string, { label: string; plural: string; prefix: string; fields: Record<string, FieldSpec> }>
> = {
  Account: {
    label: 'Account',
    plural: 'Accounts',
    prefix: KEY_PREFIX.Account,
    fields: {
      Name: { type: 'string', label: 'Account Name', required: true, length: 255 },
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
};

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
  };
}

function buildObjects(): ReadonlyMap<string, ObjectDef> {
  const objects = new Map<string, ObjectDef>();
  const children = new Map<string, ChildRelationship[]>();
  for (const [name, spec] of Object.entries(OBJECT_SPECS)) {
    for (const [field, f] of Object.entries(spec.fields)) {
      if (f.referenceTo !== undefined) {
        const list = children.get(f.referenceTo) ?? [];
        list.push({ childSObject: name, field, relationshipName: spec.plural });
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
    custom: false,
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
      cascadeDelete: c.childSObject !== 'Order',
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
      precision: f.type === 'currency' ? 18 : 0,
      scale: f.type === 'currency' ? 2 : 0,
      digits: f.type === 'int' ? 8 : 0,
      byteLength: f.type === 'id' || f.type === 'reference' ? 18 : f.length * 3,
      nillable: f.nillable,
      createable: f.createable,
      updateable: f.updateable,
      custom: f.custom,
      externalId: f.externalId,
      idLookup: f.name === 'Id' || f.externalId,
      unique: f.name === 'Id',
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
      return 'xsd:string';
  }
}
