import { CRM_FIELD_KEYS, type CrmFieldName } from './data-model.ts';

/** Whose CRM figures a ticket's requester is judged on: the Salesforce Account's or the Contact's. */
export type CrmSource = 'organization' | 'user';

/**
 * Where the sync wrote the CRM value profile: the organisation (the Salesforce Account) when it wrote there,
 * else the user (the Contact). The decision reads that one source, never a mix of the two, and the sidebar's
 * customer card shows that same source and says whose figures they are. Zendesk lists every custom field of a
 * record, unset ones as null: a value is there when the sync wrote it.
 */
export function crmSourceOf(
  organizationFields: Readonly<Record<string, unknown>> | null | undefined,
  hasOrganization: boolean,
  keys: Readonly<Record<CrmFieldName, string>> = CRM_FIELD_KEYS,
): CrmSource {
  const fields = organizationFields ?? {};
  const written = (value: unknown) => value !== undefined && value !== null && value !== '';
  return hasOrganization && (written(fields[keys.crmSyncedAt]) || written(fields[keys.revenue12m]))
    ? 'organization'
    : 'user';
}
