export { SalesforceClient, mintJwt } from './client.ts';
export type {
  ApiBudget,
  BulkPage,
  DeletedRecords,
  IngestResults,
  SalesforceClientOptions,
  SfRecord,
  UpsertOutcome,
} from './client.ts';
export { SalesforceAuthError, SalesforceLimitError } from './errors.ts';
