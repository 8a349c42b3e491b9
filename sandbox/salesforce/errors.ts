/** Salesforce's REST error shape: an HTTP status and a JSON array of {message, errorCode, fields?}. */
export interface SfErrorItem {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: readonly string[];
}

export class SalesforceError extends Error {
  readonly status: number;
  readonly errors: readonly SfErrorItem[];

  constructor(status: number, errorCode: string, message: string, fields?: readonly string[]) {
    super(`${errorCode}: ${message}`);
    this.name = 'SalesforceError';
    this.status = status;
    this.errors = [fields === undefined ? { message, errorCode } : { message, errorCode, fields }];
  }
}

export const malformedQuery = (message: string): SalesforceError =>
  new SalesforceError(400, 'MALFORMED_QUERY', message);

export const notFound = (): SalesforceError =>
  new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
