export { SalesforceClient, mintJwt } from './client.ts';
export type { ApiBudget, BulkPage, DeletedRecords, SalesforceClientOptions, SfRecord } from './client.ts';
export { SalesforceAuthError, SalesforceLimitError } from './errors.ts';
