/**
 * The Zendesk-like agent frame: a ticket view (host page) on one origin that hosts a built Zendesk app in an
 * iframe on another origin and speaks the host side of the ZAF protocol, backed by the Zendesk emulator.
 * See docs/agent-frame.md.
 */
import { randomUUID } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildHttpRequest } from './page/zaf-request.ts';
import { appSlug, readAppPackage, splitSettings } from './server/app-package.ts';
import type { AppPackage, SettingValue } from './server/app-package.ts';
import { hostBundle, sdkBundle } from './server/bundles.ts';
import { substituteSecureSettings } from './server/secure-settings.ts';

/** The CDN URL production apps load the SDK from, and the path the frame serves it at on the app origin. */
export const ZAF_SDK_CDN_URL = 'https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js';
export const ZAF_SDK_PATH = '/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js';

export interface AgentFrameZendesk {
  /** Base URL of the Zendesk emulator (or any Zendesk-API server), without a trailing slash. */
  readonly url: string;
  readonly subdomain: string;
  /** The agent: email + API token (basic auth `email/token:apiToken`), used by the frame's server only. */
  readonly email: string;
  readonly apiToken: string;
}

/** A Zendesk user's API token credentials (basic auth `email/token:apiToken`). */
export interface AgentFrameSession {
  readonly email: string;
  readonly apiToken: string;
}

export interface AgentFrameOptions {
  readonly zendesk: AgentFrameZendesk;
  /** Folder of a built Zendesk app (manifest.json + assets/). */
  readonly appDir: string;
  /** Installation settings (manifest `parameters`); secure ones never reach the browser. */
  readonly settings?: Readonly<Record<string, SettingValue>>;
  /** The agent's locale (`currentUser.locale`), e.g. `en-US` or `fr`. Default `en-US`. */
  readonly locale?: string;
  /** Host page port (0 = ephemeral, the default). The page is served as http://localhost:<port>. */
  readonly port?: number;
  /** App origin port (0 = ephemeral, the default). The app is served as http://127.0.0.1:<port>. */
  readonly appPort?: number;
  /** How long Submit waits for the app's `ticket.save` reply before failing the save. Default 30 000 ms. */
  readonly hookTimeoutMs?: number;
  /** The app guid in the iframe URL. Default: a random UUID. */
  readonly appGuid?: string;
  /**
   * `metadata().installationId`: the app's installation in the Zendesk emulator (`installApp`), whose settings
   * the console writes through the Apps installation API. Default 1.
   */
  readonly installationId?: number;
  /**
   * A non-admin agent's credentials: a page loaded with `?role=agent` signs in as this agent (its session cookie
   * makes the frame's server use them for `/api/v2/users/me.json` and every proxied Zendesk call). Without it,
   * `?role=agent` is refused.
   */
  readonly agentSession?: AgentFrameSession;
}

export interface RunningAgentFrame {
  /** Host page origin, e.g. http://localhost:40123 (no trailing slash). */
  readonly url: string;
  /** App origin, e.g. http://127.0.0.1:40124 (no trailing slash). */
  readonly appUrl: string;
  /** The URL where the SDK bundle is served (route the CDN URL here in Playwright). */
  readonly sdkUrl: string;
  /** The ticket view of a ticket: `${url}/agent/tickets/${id}`. */
  ticketUrl(ticketId: number): string;
  /** The app's nav_bar page at a sub-path: `${url}/agent/apps/<app>/<subPath>`; null without a nav_bar location. */
  navBarUrl(subPath?: string): string | null;
  close(): Promise<void>;
}

/** The configuration the page reads from /agent/frame.json (nothing secret in it). */
export interface FrameConfig {
  readonly appOrigin: string;
  readonly appPath: string;
  readonly appGuid: string;
  readonly appName: string;
  readonly flexible: boolean;
  /** The app's nav_bar page and its name in the URL (/agent/apps/<slug>), when it has that location. */
  readonly navBar: { readonly path: string; readonly slug: string } | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly subdomain: string;
  readonly locale: string;
  readonly hookTimeoutMs: number;
}

const FRAME_HEADER = 'x-agent-frame';
/** The host page's session cookie: which Zendesk user the page's `/api/v2` calls are made as. */
export const SESSION_COOKIE = 'af_session';
const MAX_BODY = 5 * 1024 * 1024;
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function startAgentFrame(options: AgentFrameOptions): Promise<RunningAgentFrame> {
  const app = await readAppPackage(path.resolve(options.appDir));
  const { publicSettings, secureSettings } = splitSettings(app, options.settings ?? {});
  const zendeskBase = options.zendesk.url.replace(/\/+$/, '');
  const auth = basicAuth(options.zendesk);
  const agentAuth = options.agentSession === undefined ? null : basicAuth(options.agentSession);
  /** The credentials of the page's session: the agent's when its page was loaded with ?role=agent. */
  const sessionAuth = (req: IncomingMessage): string =>
    agentAuth !== null && readCookie(req, SESSION_COOKIE) === 'agent' ? agentAuth : auth;
  // Build (or load from cache) both bundles before listening, so the first page load is fast.
  const [sdk, host] = await Promise.all([sdkBundle(), hostBundle()]);
  const css = await readFile(path.join(import.meta.dirname, 'page', 'agent.css'), 'utf8');

  const appServer = createServer((req, res) => {
    void serveApp(req, res, app, sdk).catch((error: unknown) => sendError(res, 500, String(error)));
  });
  const appPort = await listen(appServer, options.appPort ?? 0);
  const appUrl = `http://127.0.0.1:${appPort}`;

  let hostUrl = '';
  const config = (): FrameConfig => ({
    appOrigin: appUrl,
    appPath: `/${app.sidebarPath}`,
    appGuid: options.appGuid ?? appGuid,
    appName: app.name,
    flexible: app.flexible,
    navBar: app.navBarPath === null ? null : { path: `/${app.navBarPath}`, slug: appSlug(app.name) },
    metadata: {
      appId: 0,
      installationId: options.installationId ?? 1,
      name: app.name,
      version: app.version,
      plan: { name: 'enterprise' },
      settings: { ...publicSettings, title: app.name },
    },
    subdomain: options.zendesk.subdomain,
    locale: options.locale ?? 'en-US',
    hookTimeoutMs: options.hookTimeoutMs ?? 30_000,
  });
  const appGuid = randomUUID();

  const hostServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', hostUrl);
    const route = async (): Promise<void> => {
      if (url.pathname === '/' || url.pathname === '/agent' || url.pathname === '/agent/') {
        res.writeHead(302, { location: '/agent/tickets' }).end();
      } else if (
        url.pathname === '/agent/tickets' ||
        /^\/agent\/tickets\/\d+$/.test(url.pathname) ||
        (app.navBarPath !== null && isNavBarPath(url.pathname, appSlug(app.name)))
      ) {
        // The page signs in as the admin, or as the agent with ?role=agent (sandbox only: Zendesk signs in its users).
        const role = url.searchParams.get('role');
        if (role !== null && role !== 'agent' && role !== 'admin') {
          sendError(res, 400, `?role=${role} is not a session: use ?role=agent, or no role for the admin.`);
          return;
        }
        if (role === 'agent' && agentAuth === null) {
          sendError(
            res,
            400,
            '?role=agent needs an agent session: start the frame with the agentSession option (a non-admin agent’s email and API token).',
          );
          return;
        }
        const session = role === 'agent' ? 'agent' : 'admin';
        send(res, 200, 'text/html; charset=utf-8', hostPage(app), {
          'set-cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict`,
        });
      } else if (url.pathname === '/agent/assets/host.js') {
        send(res, 200, 'text/javascript; charset=utf-8', host);
      } else if (url.pathname === '/agent/assets/agent.css') {
        send(res, 200, 'text/css; charset=utf-8', css);
      } else if (url.pathname === '/agent/frame.json') {
        // Each page load registers a new app instance with the installation's current settings, as Zendesk
        // does: a policy saved by the console reaches the next ticket opened.
        const frame = config();
        if (options.installationId !== undefined) {
          const answer = await fetch(
            `${zendeskBase}/api/v2/apps/installations/${options.installationId}.json`,
            {
              headers: { authorization: auth },
            },
          );
          if (answer.ok) {
            const stored = ((await answer.json()) as { settings?: Record<string, unknown> }).settings ?? {};
            const metadata = frame.metadata as { settings: Record<string, unknown> };
            if (typeof stored['policy'] === 'string') metadata.settings['policy'] = stored['policy'];
          }
        }
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify(frame));
      } else if (url.pathname.startsWith('/api/v2/')) {
        await proxyZendesk(req, res, url, zendeskBase, sessionAuth(req));
      } else if (url.pathname === '/agent/zaf-proxy' && req.method === 'POST') {
        await proxyApp(req, res, app, publicSettings, secureSettings);
      } else {
        sendError(res, 404, `No such page: ${url.pathname}. The ticket view is at /agent/tickets/<id>.`);
      }
    };
    void route().catch((error: unknown) =>
      sendError(res, 502, error instanceof Error ? error.message : String(error)),
    );
  });
  let hostPort: number;
  try {
    hostPort = await listen(hostServer, options.port ?? 0);
  } catch (error) {
    await close(appServer);
    throw error;
  }
  hostUrl = `http://localhost:${hostPort}`;

  return {
    url: hostUrl,
    appUrl,
    sdkUrl: `${appUrl}${ZAF_SDK_PATH}`,
    ticketUrl: (ticketId: number) => `${hostUrl}/agent/tickets/${ticketId}`,
    navBarUrl: (subPath = '') =>
      app.navBarPath === null
        ? null
        : `${hostUrl}/agent/apps/${appSlug(app.name)}${subPath === '' ? '' : `/${subPath.replace(/^\/+/, '')}`}`,
    close: async () => {
      await Promise.all([close(hostServer), close(appServer)]);
    },
  };
}

// ------------------------------------------------------------------------------------------ host origin

/** `/agent/apps/<slug>` and any sub-path under it (a nav_bar app's own URL). */
export function isNavBarPath(pathname: string, slug: string): boolean {
  return pathname === `/agent/apps/${slug}` || pathname.startsWith(`/agent/apps/${slug}/`);
}

function hostPage(app: AppPackage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boucle · Agent workspace (${escapeHtml(app.name)})</title>
<link rel="stylesheet" href="/agent/assets/agent.css">
</head>
<body>
<div id="agent-frame-root" class="af-loading">Loading the agent workspace…</div>
<script src="/agent/assets/host.js"></script>
</body>
</html>
`;
}

/** `/api/v2/*` from the page → the Zendesk emulator, with its session's credentials (the page holds none). */
async function proxyZendesk(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  base: string,
  auth: string,
): Promise<void> {
  if (req.headers[FRAME_HEADER] !== '1') {
    sendError(
      res,
      403,
      `The agent's session is only available to the agent page (it sends the ${FRAME_HEADER} header).`,
    );
    return;
  }
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  const headers: Record<string, string> = {
    authorization: auth,
    accept: req.headers.accept ?? 'application/json',
  };
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) headers['content-type'] = contentType;
  const upstream = await fetch(`${base}${url.pathname}${url.search}`, {
    method: req.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body: new Uint8Array(body) }),
    redirect: 'manual',
  });
  relay(res, upstream, await upstream.arrayBuffer());
}

/** Non-Zendesk `client.request` from the app → its host, through the frame like Zendesk's proxy. */
async function proxyApp(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppPackage,
  publicSettings: Readonly<Record<string, SettingValue>>,
  secureSettings: Readonly<Record<string, string>>,
): Promise<void> {
  if (req.headers[FRAME_HEADER] !== '1') {
    sendError(
      res,
      403,
      `The request proxy is only available to the agent page (it sends the ${FRAME_HEADER} header).`,
    );
    return;
  }
  let options: unknown;
  try {
    options = JSON.parse((await readBody(req)).toString('utf8'));
  } catch {
    sendError(res, 400, 'The proxy takes the JSON options of client.request.');
    return;
  }
  if (typeof options !== 'object' || options === null) {
    sendError(res, 400, 'The proxy takes the JSON options of client.request.');
    return;
  }
  const substituted = substituteSecureSettings(options as Record<string, unknown>, {
    parameters: app.parameters,
    publicSettings,
    secureSettings,
    domainWhitelist: app.domainWhitelist,
  });
  if (!substituted.ok) {
    sendError(res, substituted.status, substituted.message);
    return;
  }
  const built = buildHttpRequest(substituted.options, 'http://invalid.invalid/');
  if (!built.ok) {
    sendError(res, 400, built.message);
    return;
  }
  const underscored = Object.keys(built.spec.headers).filter((h) => h.includes('_'));
  if (underscored.length > 0) {
    sendError(
      res,
      400,
      `The proxy rejects header names with underscores (${underscored.join(', ')}): use dashes.`,
    );
    return;
  }
  const upstream = await fetch(built.spec.url, {
    method: built.spec.method,
    headers: built.spec.headers,
    ...(built.spec.body === null ? {} : { body: built.spec.body }),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  relay(res, upstream, await upstream.arrayBuffer());
}

const RELAYED_HEADERS = [
  'content-type',
  'retry-after',
  'location',
  'link',
  'etag',
  'x-rate-limit',
  'x-rate-limit-remaining',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'zendesk-ratelimit-tickets-index',
];

function relay(res: ServerResponse, upstream: Response, body: ArrayBuffer): void {
  const headers: Record<string, string> = {};
  for (const name of RELAYED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  res.writeHead(upstream.status, upstream.statusText, headers).end(Buffer.from(body));
}

// ------------------------------------------------------------------------------------------- app origin

async function serveApp(
  req: IncomingMessage,
  res: ServerResponse,
  app: AppPackage,
  sdk: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://app.invalid');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'The app origin serves static files only.');
    return;
  }
  if (url.pathname === ZAF_SDK_PATH) {
    send(res, 200, 'text/javascript; charset=utf-8', sdk, { 'access-control-allow-origin': '*' });
    return;
  }
  // Like Zendesk, only the package's assets/ folder is served.
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  const assets = path.join(app.dir, 'assets');
  const file = path.resolve(app.dir, relative);
  if (!relative.startsWith('assets/') || !file.startsWith(assets + path.sep)) {
    sendError(res, 404, `Only files under assets/ are served, not ${url.pathname}.`);
    return;
  }
  let content: Buffer;
  try {
    const real = await realpath(file);
    if (!real.startsWith((await realpath(assets)) + path.sep)) throw new Error('outside');
    content = await readFile(real);
  } catch {
    sendError(res, 404, `No such file in the app: ${url.pathname}.`);
    return;
  }
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (type.startsWith('text/html')) {
    send(res, 200, type, rewriteSdkScript(content.toString('utf8')));
    return;
  }
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(content);
}

/** Points `<script src>` at the CDN SDK to the frame's own bundle, so the app also works offline in a plain browser. */
export function rewriteSdkScript(html: string): string {
  return html
    .replaceAll(ZAF_SDK_CDN_URL, ZAF_SDK_PATH)
    .replaceAll(ZAF_SDK_CDN_URL.replace('https:', ''), ZAF_SDK_PATH);
}

// ---------------------------------------------------------------------------------------------- helpers

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extra }).end(body);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error: message }));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('Request body too large (over 5 MB).'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function basicAuth(user: AgentFrameSession): string {
  return `Basic ${Buffer.from(`${user.email}/token:${user.apiToken}`).toString('base64')}`;
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
