/** Errors the sync needs to tell apart, whatever jsforce threw. */

/** The org's daily API allocation is exhausted (or our floor is reached): pause the org, never retry. */
export class SalesforceLimitError extends Error {
  override readonly name = 'SalesforceLimitError';
}

/** The credentials were refused: fix the configuration. */
export class SalesforceAuthError extends Error {
  override readonly name = 'SalesforceAuthError';
}

/** A request that may succeed if repeated (5xx, 429, timeout, reset). */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; errorCode?: string; code?: string; message?: string; cause?: unknown };
  if (error instanceof SalesforceLimitError || error instanceof SalesforceAuthError) return false;
  const name = e.errorCode ?? e.name ?? '';
  if (/^ERROR_HTTP_(5\d\d|420|429)$/.test(name)) return true;
  if (
    ['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'AbortError', 'TimeoutError', 'QUERY_TIMEOUT'].includes(name)
  )
    return true;
  const code = e.code ?? (e.cause as { code?: string } | undefined)?.code ?? '';
  if (/^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_\w+)$/.test(code)) return true;
  const message = e.message ?? '';
  return /fetch failed|socket hang up|terminated|other side closed|aborted due to timeout|ECONNRESET/i.test(
    message,
  );
}

export function isLimitExceeded(error: unknown): boolean {
  const e = error as { name?: string; errorCode?: string; message?: string };
  return e.errorCode === 'REQUEST_LIMIT_EXCEEDED' || e.name === 'REQUEST_LIMIT_EXCEEDED';
}

export function isAuthFailure(error: unknown): boolean {
  const e = error as { name?: string; errorCode?: string };
  const name = e.errorCode ?? e.name ?? '';
  return [
    'invalid_grant',
    'invalid_client',
    'invalid_client_id',
    'unsupported_grant_type',
    'INVALID_SESSION_ID',
    'INVALID_AUTH_HEADER',
    'INVALID_LOGIN',
  ].includes(name);
}
