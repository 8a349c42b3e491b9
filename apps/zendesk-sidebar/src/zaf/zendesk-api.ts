import type { ZafClient, ZafHttpResponse, ZafRequestOptions } from '../../../common/src/zaf/zaf-client.ts';

export const ZENDESK_API_ERROR_CODES = [
  'RATE_LIMITED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID',
  'UNAVAILABLE',
] as const;
export type ZendeskApiErrorCode = (typeof ZENDESK_API_ERROR_CODES)[number];

/** A Zendesk API call that failed for good (after the 429 retries). */
export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';
  readonly code: ZendeskApiErrorCode;
  readonly status: number;
  readonly url: string;
  constructor(code: ZendeskApiErrorCode, status: number, url: string, detail: string) {
    super(`${url} answered ${status}: ${detail}`);
    this.code = code;
    this.status = status;
    this.url = url;
  }
}

function codeFor(status: number): ZendeskApiErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 401 || status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 400 || status === 422) return 'INVALID';
  return 'UNAVAILABLE';
}

function detailOf(response: ZafHttpResponse): string {
  const body = response.responseJSON ?? safeJson(response.responseText);
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const parts = [record.error, record.description, record.message].filter(
      (part): part is string => typeof part === 'string',
    );
    const errors = record.errors;
    if (Array.isArray(errors)) {
      for (const e of errors as unknown[]) {
        if (!e || typeof e !== 'object') continue;
        const item = e as Record<string, unknown>;
        const text = typeof item.detail === 'string' ? item.detail : item.title;
        if (typeof text === 'string') parts.push(text);
      }
    }
    if (parts.length > 0) return parts.join(' — ');
  }
  return response.responseText?.slice(0, 200) || 'no response';
}

function safeJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Seconds to wait from `Retry-After` (delta-seconds only, as Zendesk sends it), clamped to [1, 60]. */
export function retryAfterSeconds(response: ZafHttpResponse): number {
  const header = response.headers?.['retry-after'];
  const seconds = header === undefined ? NaN : Number(header);
  if (!Number.isFinite(seconds)) return 1;
  return Math.min(60, Math.max(1, Math.ceil(seconds)));
}

export interface ZendeskApiOptions {
  /** How many times a 429 is retried before giving up (default 2). */
  maxRetries?: number;
  /** Waits; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Called for every HTTP request actually sent (for the request budget). */
  onRequest?: (options: ZafRequestOptions) => void;
}

export interface ZendeskApi {
  getJson<T>(url: string): Promise<T>;
  sendJson<T>(method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown): Promise<T>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Relative `/api/v2/…` calls through `client.request` (the agent's session), JSON in and out, 429 retried. */
export function createZendeskApi(client: ZafClient, options: ZendeskApiOptions = {}): ZendeskApi {
  const maxRetries = options.maxRetries ?? 2;
  const sleep = options.sleep ?? defaultSleep;

  async function send<T>(request: ZafRequestOptions): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      options.onRequest?.(request);
      const response = await client.request(request);
      if (response.status >= 200 && response.status < 300) {
        return (response.responseJSON ?? safeJson(response.responseText) ?? {}) as T;
      }
      if (response.status === 429 && attempt < maxRetries) {
        await sleep(retryAfterSeconds(response) * 1000);
        continue;
      }
      throw new ZendeskApiError(codeFor(response.status), response.status, request.url, detailOf(response));
    }
  }

  return {
    getJson: <T>(url: string) => send<T>({ url, type: 'GET', dataType: 'json', autoRetry: false }),
    sendJson: <T>(method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown) =>
      send<T>({
        url,
        type: method,
        contentType: 'application/json',
        data: JSON.stringify(body),
        dataType: 'json',
        autoRetry: false,
      }),
  };
}
