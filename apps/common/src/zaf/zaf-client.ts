/**
 * The only module that touches the ZAF SDK (`window.ZAFClient`), shared by the app's two locations (the ticket
 * sidebar and the nav_bar console). Everything else talks to the narrow, typed `ZafClient` interface below,
 * which tests implement with a fake.
 */

/** The ticket sidebar paths the app reads with `client.get`, and the type of each value. */
export interface ZafGetPaths {
  'ticket.id': number;
  'ticket.subject': string;
  'ticket.priority': TicketPriority | null;
  'ticket.tags': string[];
  'ticket.status': string;
  'ticket.createdAt': string;
  'ticket.updatedAt': string;
  'ticket.via': { channel: string } | null;
  'ticket.requester': ZafUser | null;
  'ticket.organization': { id: number; name: string } | null;
  'ticket.comments': ZafComment[];
  'ticket.assignee': { user?: ZafUser | null; group?: { id: number } | null } | null;
  'currentUser.locale': string;
  'currentUser.name': string;
  'currentUser.id': number;
  /** `admin`, `agent`, or a custom role's name (the policy editor lets admins save). */
  'currentUser.role': string;
  ticketFields: ZafTicketField[];
  /** A custom ticket field's value in the form (`custom_field_<id>`). */
  [customField: `ticket.customField:custom_field_${string}`]: string | number | boolean | null;
}

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface ZafUser {
  id: number;
  name: string;
  email?: string | null;
  locale?: string | null;
}

export interface ZafComment {
  value?: string;
  author?: { id?: number; role?: string } | null;
  via?: { channel?: string } | null;
  createdAt?: string;
  /** False for an internal note. */
  isPublic?: boolean;
  imageAttachments?: unknown[];
}

export interface ZafTicketField {
  name: string;
  label: string;
}

export type ZafGetPath = keyof ZafGetPaths;

/** Events the app listens to (the last two: the nav_bar console). */
export type ZafEvent =
  | 'app.route.changed'
  | 'pane.activated'
  | 'ticket.requester.id.changed'
  | 'ticket.tags.changed'
  | 'ticket.priority.changed'
  | 'ticket.submit.done'
  | 'app.activated';

export interface ZafContext {
  product: string;
  location: string;
  instanceGuid: string;
  account?: { subdomain?: string };
  ticketId?: number;
}

export interface ZafMetadata {
  appId: number;
  installationId: number;
  name: string;
  version: string;
  settings: Record<string, unknown>;
}

/** Options for `client.request`; only what the sidebar uses. */
export interface ZafRequestOptions {
  url: string;
  type?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  contentType?: string;
  data?: string;
  dataType?: 'json' | 'text';
  httpCompleteResponse?: boolean;
  autoRetry?: boolean;
  secure?: boolean;
  headers?: Record<string, string>;
}

/** A completed HTTP response as ZAF returns it with `httpCompleteResponse: true`. */
export interface ZafHttpResponse {
  status: number;
  responseText?: string;
  responseJSON?: unknown;
  headers?: Record<string, string>;
}

/** A partial get: values for the paths that resolved, and an error message for each path that did not. */
export interface ZafGetResult<TPath extends ZafGetPath> {
  values: Partial<Pick<ZafGetPaths, TPath>>;
  errors: Partial<Record<TPath, string>>;
}

export type ZafInvoke =
  | { name: 'resize'; args: [{ width?: string; height: string }] }
  | { name: 'ticket.tags.add'; args: [string[]] }
  | { name: 'ticket.tags.remove'; args: [string[]] }
  | { name: 'comment.appendText'; args: [string] }
  | { name: 'notify'; args: [string, 'notice' | 'alert' | 'error'] }
  /** Opens a ticket in the agent workspace, or a nav_bar app at a sub-path (`routeTo('nav_bar', app, path)`). */
  | { name: 'routeTo'; args: ['ticket', number] | ['nav_bar', string, string] };

export interface ZafClient {
  context(): Promise<ZafContext>;
  metadata(): Promise<ZafMetadata>;
  get<TPath extends ZafGetPath>(paths: readonly TPath[]): Promise<ZafGetResult<TPath>>;
  set(values: Partial<Record<'ticket.priority' | `ticket.customField:${string}`, string>>): Promise<void>;
  invoke(call: ZafInvoke): Promise<void>;
  on(event: ZafEvent, handler: (data: unknown) => void): () => void;
  request(options: ZafRequestOptions): Promise<ZafHttpResponse>;
}

/** The subset of the SDK's own client object that the adapter calls (untyped upstream). */
export interface RawZafClient {
  context(): Promise<unknown>;
  metadata(): Promise<unknown>;
  get(paths: string[]): Promise<Record<string, unknown>>;
  set(values: Record<string, unknown>): Promise<unknown>;
  invoke(name: string, ...args: unknown[]): Promise<unknown>;
  on(event: string, handler: (data: unknown) => void): void;
  off(event: string, handler: (data: unknown) => void): void;
  request(options: object): Promise<unknown>;
}

export interface ZafSdkGlobal {
  init(): RawZafClient | false;
}

export class ZafUnavailableError extends Error {
  override readonly name = 'ZafUnavailableError';
}

declare global {
  interface Window {
    /** The SDK's UMD global, from the script tag in index.html. */
    ZAFClient?: ZafSdkGlobal;
  }
}

/** Initialise the SDK once. Throws when the page is not inside a Zendesk frame (no `origin`/`app_guid`). */
export function initZafClient(sdk: ZafSdkGlobal | undefined = window.ZAFClient): ZafClient {
  if (!sdk) {
    throw new ZafUnavailableError(
      'The Zendesk Apps framework SDK did not load (window.ZAFClient is missing).',
    );
  }
  const raw = sdk.init();
  if (!raw) {
    throw new ZafUnavailableError(
      'This page must be opened by Zendesk (the URL has no origin and app_guid): open a ticket in the agent workspace.',
    );
  }
  return wrapZafClient(raw);
}

function messageOf(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return String(error);
}

/** Failed `client.request` calls reject with the jqXHR-like object; normalise it to a response. */
export function toHttpResponse(value: unknown): ZafHttpResponse {
  if (value && typeof value === 'object' && 'status' in value && typeof value.status === 'number') {
    const record = value as Record<string, unknown>;
    const response: ZafHttpResponse = { status: value.status };
    if (typeof record.responseText === 'string') response.responseText = record.responseText;
    if (record.responseJSON !== undefined) response.responseJSON = record.responseJSON;
    const headers = readHeaders(record);
    if (headers) response.headers = headers;
    return response;
  }
  return { status: 0, responseText: messageOf(value) };
}

function readHeaders(record: Record<string, unknown>): Record<string, string> | undefined {
  const headers = record.headers;
  if (headers && typeof headers === 'object') {
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(headers)) {
      if (typeof v === 'string' || typeof v === 'number') out[name.toLowerCase()] = String(v);
    }
    return out;
  }
  const getter = record.getResponseHeader;
  if (typeof getter === 'function') {
    const retryAfter: unknown = (getter as (name: string) => unknown).call(record, 'Retry-After');
    if (typeof retryAfter === 'string') return { 'retry-after': retryAfter };
  }
  return undefined;
}

export function wrapZafClient(raw: RawZafClient): ZafClient {
  return {
    context: () => raw.context() as Promise<ZafContext>,
    metadata: () => raw.metadata() as Promise<ZafMetadata>,
    async get<TPath extends ZafGetPath>(paths: readonly TPath[]): Promise<ZafGetResult<TPath>> {
      const result = await raw.get([...paths]);
      const values: Partial<Pick<ZafGetPaths, TPath>> = {};
      const errors: Partial<Record<TPath, string>> = {};
      const rawErrors = (result.errors ?? {}) as Record<string, unknown>;
      for (const path of paths) {
        if (path in rawErrors) errors[path] = messageOf(rawErrors[path]);
        else if (path in result) values[path] = result[path] as ZafGetPaths[TPath];
      }
      return { values, errors };
    },
    async set(values) {
      await raw.set(values);
    },
    async invoke(call) {
      await raw.invoke(call.name, ...call.args);
    },
    on(event, handler) {
      raw.on(event, handler);
      return () => raw.off(event, handler);
    },
    async request(options) {
      try {
        const response = await raw.request({ ...options, httpCompleteResponse: true });
        return toHttpResponse(response);
      } catch (failure) {
        return toHttpResponse(failure);
      }
    },
  };
}
