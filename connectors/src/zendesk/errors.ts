/** The closed set of failures Boucle distinguishes when it talks to Zendesk. */
export type ZendeskErrorCode =
  'AUTH_FAILED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID_RECORD' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'UNKNOWN';

export interface ZendeskErrorInit {
  readonly code: ZendeskErrorCode;
  /** HTTP status; null when no answer came (reset, timeout, DNS). */
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  /** Zendesk's error body (parsed JSON when it was JSON, else text), or null. */
  readonly body: unknown;
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** A Zendesk call that failed for good (after the retries that made sense). */
export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';
  readonly code: ZendeskErrorCode;
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly retryAfterSeconds: number | undefined;
  /** Field-level validation messages from a 422 `details` (e.g. `email: Email: x is not properly formatted`). */
  readonly details: readonly string[];

  constructor(init: ZendeskErrorInit) {
    const details = fieldDetails(init.body);
    super(describe(init, details), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.body = init.body;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.details = details;
  }
}

export function codeForStatus(status: number): ZendeskErrorCode {
  if (status === 401) return 'AUTH_FAILED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 400 || status === 413 || status === 422) return 'INVALID_RECORD';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'UNKNOWN';
}

function fieldDetails(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const details = (body as Record<string, unknown>)['details'];
  if (typeof details !== 'object' || details === null) return [];
  const out: string[] = [];
  for (const [field, list] of Object.entries(details)) {
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      const description =
        typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['description'] : item;
      out.push(`${field}: ${typeof description === 'string' ? description : JSON.stringify(description)}`);
    }
  }
  return out;
}

function zendeskSays(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 200);
  if (typeof body !== 'object' || body === null) return '';
  const b = body as Record<string, unknown>;
  const parts = [b['error'], b['description']].filter((p): p is string => typeof p === 'string' && p !== '');
  if (parts.length > 0) return parts.join(': ');
  const errors = b['errors'];
  if (Array.isArray(errors))
    return errors
      .map((e: unknown) => {
        const title =
          typeof e === 'object' && e !== null ? (e as Record<string, unknown>)['title'] : undefined;
        return typeof title === 'string' ? title : '';
      })
      .filter((t) => t !== '')
      .join('; ');
  return '';
}

function describe(init: ZendeskErrorInit, details: readonly string[]): string {
  const where = `${init.method} ${init.path}`;
  const said = zendeskSays(init.body);
  const suffix = said === '' ? '' : ` (Zendesk said: ${said})`;
  switch (init.code) {
    case 'AUTH_FAILED':
      return `Zendesk refused the credentials for ${where}${suffix}. Check ZENDESK_EMAIL and ZENDESK_API_TOKEN (or the OAuth token), and that token access is enabled in Admin Center → Apps and integrations → Zendesk API.`;
    case 'FORBIDDEN':
      return `Zendesk forbids ${where} to this user${suffix}. Use an admin's credentials (or enable the feature, e.g. bulk user import) and try again.`;
    case 'NOT_FOUND':
      return `Zendesk has no such record for ${where}${suffix}. It may have been deleted, or the id or key is wrong.`;
    case 'INVALID_RECORD':
      return `Zendesk rejected ${where}${suffix}${details.length > 0 ? `: ${details.join('; ')}` : ''}. Fix the values listed and try again.`;
    case 'RATE_LIMITED':
      return `Zendesk's rate limit is exhausted for ${where}${init.retryAfterSeconds === undefined ? '' : `; retry after ${init.retryAfterSeconds} s`}${suffix}. Lower ZENDESK_REQUESTS_PER_MINUTE or wait.`;
    case 'UNAVAILABLE':
      return `Zendesk is unavailable for ${where}${init.status === null ? ` (${causeText(init.cause)})` : ` (HTTP ${init.status})`}${suffix}. Retried without success; try again later.`;
    case 'UNKNOWN':
      return `Zendesk answered ${init.status ?? 'nothing'} to ${where}${suffix}.${init.status === 409 ? ' The record changed meanwhile: fetch it again and retry.' : ''}`;
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message}: ${inner.message}` : cause.message;
  }
  return 'no answer';
}
