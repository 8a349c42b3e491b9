export * from './config.ts';
export { salesforceSection, MIN_API_VERSION } from './salesforce.ts';
export type { SalesforceAuth, SalesforceSettings } from './salesforce.ts';
export { zendeskSection } from './zendesk.ts';
export type { ZendeskSettings } from './zendesk.ts';
export { storeSection } from './store.ts';
export type { StoreSettings } from './store.ts';
export { syncSection, SYNC_OBJECTS } from './sync.ts';
export type { SyncSettings, SyncObject, FieldMapping, TierThresholds } from './sync.ts';
