/**
 * `client.request(options)` semantics (jQuery.ajax-like options, see reference/zendesk-apps.md §3.3), shared by
 * the page (relative `/api/v2` URLs, `cors: true`) and the frame's server proxy (other hosts, secure settings).
 * No DOM, no Node APIs.
 */

export interface HttpRequestSpec {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
}

export interface HttpResponseSpec {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export type BuildResult =
  { readonly ok: true; readonly spec: HttpRequestSpec } | { readonly ok: false; readonly message: string };

/**
 * Turns ZAF request options into an HTTP request. `base` resolves relative URLs. Object `data` goes into the
 * query string for GET/HEAD/DELETE, otherwise into the body: JSON when the content type says so, else form-encoded.
 */
export function buildHttpRequest(options: Readonly<Record<string, unknown>>, base: string): BuildResult {
  const rawUrl = options['url'];
  if (typeof rawUrl !== 'string' || rawUrl.trim() === '') {
    return { ok: false, message: 'client.request needs a url (a string), e.g. "/api/v2/tickets/1.json".' };
  }
  const methodRaw = options['type'] ?? options['method'] ?? 'GET';
  if (typeof methodRaw !== 'string' || !/^[A-Za-z]+$/.test(methodRaw)) {
    return {
      ok: false,
      message: `Invalid request type ${JSON.stringify(methodRaw)}: use GET, POST, PUT, PATCH or DELETE.`,
    };
  }
  const method = methodRaw.toUpperCase();
  let url: URL;
  try {
    url = new URL(rawUrl, base);
  } catch {
    return { ok: false, message: `Invalid request url ${JSON.stringify(rawUrl)}.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      message: `Only http and https URLs can be requested, got ${JSON.stringify(rawUrl)}.`,
    };
  }
  const headers: Record<string, string> = {};
  const rawHeaders = options['headers'];
  if (typeof rawHeaders === 'object' && rawHeaders !== null) {
    for (const [name, value] of Object.entries(rawHeaders)) {
      if (value !== undefined && value !== null) headers[name] = String(value);
    }
  }
  const contentTypeOption = options['contentType'];
  let contentType = typeof contentTypeOption === 'string' ? contentTypeOption : undefined;
  const data = options['data'];
  let body: string | null = null;
  const bodyless = method === 'GET' || method === 'HEAD' || method === 'DELETE';
  if (data !== undefined && data !== null) {
    if (typeof data === 'string') {
      if (bodyless) appendQuery(url, new URLSearchParams(data));
      else body = data;
    } else if (typeof data === 'object') {
      if (bodyless) appendQuery(url, toSearchParams(data as Record<string, unknown>));
      else if (contentType !== undefined && contentType.includes('json')) body = JSON.stringify(data);
      else body = toSearchParams(data as Record<string, unknown>).toString();
    } else {
      body = JSON.stringify(data);
    }
  }
  if (body !== null && contentType === undefined)
    contentType = 'application/x-www-form-urlencoded; charset=UTF-8';
  if (body !== null && contentType !== undefined && !hasHeader(headers, 'content-type'))
    headers['Content-Type'] = contentType;
  const dataType = options['dataType'];
  if (!hasHeader(headers, 'accept')) {
    headers['Accept'] =
      dataType === 'text' ? 'text/plain, */*; q=0.01' : 'application/json, text/javascript, */*; q=0.01';
  }
  return { ok: true, spec: { method, url: url.toString(), headers, body } };
}

/** The `responseArgs` of `zaf.request:K.done|fail`, as jQuery would pass them to done/fail callbacks. */
export function toResponseArgs(
  options: Readonly<Record<string, unknown>>,
  response: HttpResponseSpec,
): { ok: boolean; responseArgs: unknown[] } {
  const contentType =
    Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const wantsJson =
    options['dataType'] === 'json' || (options['dataType'] === undefined && contentType.includes('json'));
  let json: unknown = undefined;
  let parseFailed = false;
  if (wantsJson && response.text !== '') {
    try {
      json = JSON.parse(response.text);
    } catch {
      parseFailed = true;
    }
  }
  const xhr = {
    status: response.status,
    statusText: response.statusText,
    readyState: 4,
    responseText: response.text,
    ...(json === undefined ? {} : { responseJSON: json }),
    headers: { ...response.headers },
  };
  const success = (response.status >= 200 && response.status < 300) || response.status === 304;
  if (!success || parseFailed) {
    const textStatus = parseFailed && success ? 'parsererror' : 'error';
    return { ok: false, responseArgs: [xhr, textStatus, response.statusText] };
  }
  if (options['httpCompleteResponse'] === true) {
    return {
      ok: true,
      responseArgs: [
        {
          status: response.status,
          headers: { ...response.headers },
          responseText: response.text,
          ...(json === undefined ? {} : { responseJSON: json }),
        },
        'success',
        xhr,
      ],
    };
  }
  const data = wantsJson ? (json ?? null) : response.text;
  return { ok: true, responseArgs: [data, 'success', xhr] };
}

/** A failure that never reached a server (bad options, refused by the proxy). */
export function failureArgs(status: number, message: string): { ok: false; responseArgs: unknown[] } {
  const statusText = status === 0 ? 'error' : 'Bad Request';
  return {
    ok: false,
    responseArgs: [
      {
        status,
        statusText,
        readyState: 4,
        responseText: JSON.stringify({ error: message }),
        responseJSON: { error: message },
      },
      'error',
      message,
    ],
  };
}

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function appendQuery(url: URL, params: URLSearchParams): void {
  for (const [k, v] of params) url.searchParams.append(k, v);
}

function toSearchParams(data: Readonly<Record<string, unknown>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) for (const item of value as unknown[]) params.append(`${key}[]`, scalar(item));
    else if (value !== undefined && value !== null) params.append(key, scalar(value));
  }
  return params;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
