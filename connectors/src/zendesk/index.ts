/** Boucle's Zendesk API client: the only module that speaks HTTP to Zendesk. */
export { ZendeskClient, parseRetryAfter } from './client.ts';
export type {
  ZendeskAuth,
  ZendeskClientOptions,
  ZendeskClientEvent,
  RequestOptions,
  WaitForJobOptions,
  RateBudget,
  IncrementalPage,
} from './client.ts';
export { ZendeskApiError, codeForStatus, type ZendeskErrorCode } from './errors.ts';
export type * from './types.ts';
