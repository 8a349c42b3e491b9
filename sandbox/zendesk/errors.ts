import type { JsonObject } from './types.ts';

/** Field-level validation errors, as Zendesk puts them in `details`. */
export type FieldErrors = Record<string, { description: string; error: string }[]>;

/** An HTTP error answered with Zendesk's own body. */
export class HttpError extends Error {
  readonly status: number;
  readonly body: JsonObject;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, body: JsonObject, headers: Readonly<Record<string, string>> = {}) {
    super(`${status} ${JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export const notFound = (): HttpError =>
  new HttpError(404, { error: 'RecordNotFound', description: 'Not found' });

export const recordInvalid = (details: FieldErrors): HttpError =>
  new HttpError(422, { error: 'RecordInvalid', description: 'Record validation errors', details });

export const invalidValue = (field: string, description: string, error = 'InvalidValue'): HttpError =>
  recordInvalid({ [field]: [{ description, error }] });

export const forbidden = (
  description = 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
): HttpError => new HttpError(403, { error: 'Forbidden', description });

export const unauthenticated = (): HttpError => new HttpError(401, { error: "Couldn't authenticate you" });

export const badRequest = (description: string, error = 'InvalidValue'): HttpError =>
  new HttpError(400, { error, description });

export const tooManyValues = (what: string, max: number): HttpError =>
  badRequest(`Too many ${what}: at most ${max} per request`, 'TooManyValues');
