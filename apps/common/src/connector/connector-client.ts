/**
 * The app's client of the Boucle connector's HTTP API (`/api/v1/…`, docs/api/boucle-api.openapi.yaml), through
 * ZAF's request proxy: the connector token is the secure setting `connector_token`, written as a placeholder that
 * Zendesk substitutes server-side (the iframe never sees it). Every answer is sorted into what the page must say:
 * the data, or unreachable / wrong token / not available from this connector / bad request / server error.
 */
import type { ZafClient, ZafHttpResponse } from '../zaf/zaf-client.ts';

export type ConnectorFailureKind =
  'unreachable' | 'unauthorised' | 'not_found' | 'invalid' | 'server' | 'setup';

export interface ConnectorFailure {
  readonly ok: false;
  readonly kind: ConnectorFailureKind;
  readonly status: number;
  /** The connector's own message when it sent one (`{ error, message }`), else what happened. */
  readonly message: string;
}

export type ConnectorResult<T> = { readonly ok: true; readonly value: T } | ConnectorFailure;

export interface ConnectorClient {
  get<T>(path: string, query?: Readonly<Record<string, string | undefined>>): Promise<ConnectorResult<T>>;
  post<T>(path: string, body?: unknown): Promise<ConnectorResult<T>>;
}

/** The placeholder Zendesk's proxy replaces with the installation's secure token. */
export const CONNECTOR_TOKEN_PLACEHOLDER = '{{setting.connector_token}}';

function failureOf(response: ZafHttpResponse): ConnectorFailure {
  const body = response.responseJSON ?? parseJson(response.responseText);
  const message =
    body && typeof body === 'object' && 'message' in body && typeof body.message === 'string'
      ? body.message
      : body && typeof body === 'object' && 'error' in body && typeof body.error === 'string'
        ? body.error
        : (response.responseText ?? '').slice(0, 200);
  const status = response.status;
  const kind: ConnectorFailureKind =
    status === 0 || status === 502 || status === 503 || status === 504
      ? 'unreachable'
      : status === 401 || status === 403
        ? 'unauthorised'
        : status === 404
          ? 'not_found'
          : status === 400 || status === 405
            ? 'invalid'
            : 'server';
  return { ok: false, kind, status, message };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `connectorUrl` is the installation's `connector_url` setting (no secret in it). */
export function createConnectorClient(client: ZafClient, connectorUrl: string | undefined): ConnectorClient {
  const base = (connectorUrl ?? '').replace(/\/+$/, '');
  const send = async <T>(
    type: 'GET' | 'POST',
    path: string,
    query: Readonly<Record<string, string | undefined>> = {},
    body?: unknown,
  ): Promise<ConnectorResult<T>> => {
    if (!/^https?:\/\//.test(base))
      return {
        ok: false,
        kind: 'setup',
        status: 0,
        message: 'The app setting connector_url is empty or not a URL.',
      };
    const search = new URLSearchParams(
      Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ).toString();
    const response = await client.request({
      url: `${base}${path}${search === '' ? '' : `?${search}`}`,
      type,
      secure: true,
      headers: { Authorization: `Bearer ${CONNECTOR_TOKEN_PLACEHOLDER}` },
      ...(body === undefined ? {} : { contentType: 'application/json', data: JSON.stringify(body) }),
      dataType: 'json',
    });
    if (response.status >= 200 && response.status < 300) {
      const value = response.responseJSON ?? parseJson(response.responseText);
      return { ok: true, value: value as T };
    }
    return failureOf(response);
  };
  return {
    get: (path, query) => send('GET', path, query),
    post: (path, body) => send('POST', path, {}, body ?? {}),
  };
}
