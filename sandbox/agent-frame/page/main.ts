/**
 * The agent frame's page: a Zendesk-like ticket view (left nav, ticket list, properties, conversation,
 * composer, app sidebar) that hosts the app iframe through ZafHost. Data comes from `/api/v2` on this origin,
 * which the frame's server proxies to the Zendesk emulator with the agent's credentials.
 * Everything from the API is rendered as text (textContent), never as HTML.
 */
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES, TicketForm } from './ticket-model.ts';
import type { FormChange, PathResult, SetResult, TicketSnapshot } from './ticket-model.ts';
import { ZafHost } from './zaf-host.ts';
import type { HookOutcome, ZafErrorBody, ZafLogEntry, ZafRequestOutcome, ZafResult } from './zaf-host.ts';
import { buildHttpRequest, failureArgs, toResponseArgs } from './zaf-request.ts';
import type { ZdComment, ZdOrganization, ZdTicket, ZdTicketField, ZdUser } from './zendesk-types.ts';

interface FrameConfig {
  readonly appOrigin: string;
  readonly appPath: string;
  readonly appGuid: string;
  readonly appName: string;
  readonly flexible: boolean;
  readonly navBar: { readonly path: string; readonly slug: string } | null;
  readonly metadata: Record<string, unknown>;
  readonly subdomain: string;
  readonly locale: string;
  readonly hookTimeoutMs: number;
}

interface Notice {
  readonly message: string;
  readonly kind: string;
}

interface SubmitOutcome {
  readonly ok: boolean;
  readonly message: string;
}

/** What tests read through `window.__agentFrame`. */
export interface AgentFrameTestApi {
  state(): Record<string, unknown>;
  log(): ZafLogEntry[];
  subscriptions(): Record<string, number>;
  submit(): Promise<SubmitOutcome>;
  emit(event: string, data?: unknown): void;
  fireHook(event: string): Promise<HookOutcome>;
}

declare global {
  interface Window {
    __agentFrame?: AgentFrameTestApi;
  }
}

const MAX_AUTO_RETRIES = 2;
const FRAME_HEADERS = { 'x-agent-frame': '1', accept: 'application/json' };

class ApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers:
      init.body === undefined ? FRAME_HEADERS : { ...FRAME_HEADERS, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new ApiError(
      `${init.method ?? 'GET'} ${path} → ${response.status}: ${text.slice(0, 300)}`,
      response.status,
    );
  return JSON.parse(text) as T;
}

async function optional<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

// ------------------------------------------------------------------------------------------ tiny DOM kit

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) el.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

function when(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

// -------------------------------------------------------------------------------------------- loading

async function loadSnapshot(ticketId: number, config: FrameConfig, me: ZdUser): Promise<TicketSnapshot> {
  const [{ ticket }, commentsPage, fieldsPage] = await Promise.all([
    api<{ ticket: ZdTicket }>(`/api/v2/tickets/${ticketId}.json`),
    api<{ comments: ZdComment[] }>(`/api/v2/tickets/${ticketId}/comments.json`),
    optional(api<{ ticket_fields: ZdTicketField[] }>('/api/v2/ticket_fields.json')),
  ]);
  const userIds = new Set<number>([ticket.requester_id, ...commentsPage.comments.map((c) => c.author_id)]);
  if (typeof ticket.assignee_id === 'number') userIds.add(ticket.assignee_id);
  userIds.delete(me.id);
  const users = new Map<number, ZdUser>([[me.id, me]]);
  const fetched = await Promise.all(
    [...userIds].map((id) => optional(api<{ user: ZdUser }>(`/api/v2/users/${id}.json`))),
  );
  for (const found of fetched) if (found !== null) users.set(found.user.id, found.user);
  const orgId = ticket.organization_id ?? users.get(ticket.requester_id)?.organization_id ?? null;
  const organization =
    orgId === null
      ? null
      : ((await optional(api<{ organization: ZdOrganization }>(`/api/v2/organizations/${orgId}.json`)))
          ?.organization ?? null);
  return {
    ticket,
    comments: commentsPage.comments,
    users,
    organization,
    ticketFields: fieldsPage?.ticket_fields ?? [],
    currentUser: me,
    account: { subdomain: config.subdomain },
  };
}

/** `client.request`: relative URLs with the agent's session (429 retried), others through the frame's proxy. */
async function zafRequest(options: Readonly<Record<string, unknown>>): Promise<ZafRequestOutcome> {
  const url = typeof options['url'] === 'string' ? options['url'] : '';
  const relative = url.startsWith('/') && !url.startsWith('//');
  try {
    if (relative || options['cors'] === true) {
      const built = buildHttpRequest(options, location.origin);
      if (!built.ok) return failureArgs(400, built.message);
      const send = (): Promise<Response> =>
        fetch(built.spec.url, {
          method: built.spec.method,
          headers: relative ? { ...built.spec.headers, 'x-agent-frame': '1' } : built.spec.headers,
          ...(built.spec.body === null ? {} : { body: built.spec.body }),
        });
      let response = await send();
      // Like ZAF: a 429 from the Zendesk API is retried after Retry-After unless autoRetry is false.
      for (
        let retry = 0;
        relative && response.status === 429 && options['autoRetry'] !== false && retry < MAX_AUTO_RETRIES;
        retry += 1
      ) {
        const seconds = Number(response.headers.get('retry-after'));
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(60, Number.isFinite(seconds) ? Math.max(seconds, 0) : 1) * 1000),
        );
        response = await send();
      }
      return toResponseArgs(options, await toSpec(response));
    }
    const response = await fetch('/agent/zaf-proxy', {
      method: 'POST',
      headers: { 'x-agent-frame': '1', 'content-type': 'application/json' },
      body: JSON.stringify(options),
    });
    return toResponseArgs(options, await toSpec(response));
  } catch (error) {
    return failureArgs(0, error instanceof Error ? error.message : String(error));
  }
}

async function toSpec(
  response: Response,
): Promise<{ status: number; statusText: string; headers: Record<string, string>; text: string }> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, statusText: response.statusText, headers, text: await response.text() };
}

// ------------------------------------------------------------------------------------------ nav_bar page

/** The app's icon in the left rail (assets/icon_nav_bar.svg), a link to its full-page view. */
function navBarRailItem(config: FrameConfig, active: boolean): HTMLElement | null {
  if (config.navBar === null) return null;
  return h(
    'a',
    {
      class: active ? 'af-rail-item af-rail-active af-rail-app' : 'af-rail-item af-rail-app',
      href: `/agent/apps/${config.navBar.slug}`,
      title: config.appName,
      'aria-label': config.appName,
      'data-nav-bar-app': config.navBar.slug,
    },
    h('img', { src: `${config.appOrigin}/assets/icon_nav_bar.svg`, alt: '', width: '18', height: '18' }),
  );
}

/** The sub-path after /agent/apps/<slug>/, as Zendesk gives it to the app (`app.route.changed`'s appRoute). */
function appRouteOf(slug: string): string {
  return decodeURIComponent(location.pathname.slice(`/agent/apps/${slug}`.length).replace(/^\/+/, ''));
}

/**
 * A nav_bar app (Zendesk's left bar): the app's page in a full-page iframe, its own URL and sub-paths. The host
 * registers it with `location: 'nav_bar'`, then sends `app.activated`, `pane.activated` and `app.route.changed`
 * with the sub-path; `routeTo('nav_bar', app, path)` changes the address bar (and sends `app.route.changed`),
 * `routeTo('ticket', id)` opens the ticket view. Requests go through the same proxy and secure-setting rules.
 */
function startNavBar(root: HTMLElement, config: FrameConfig, me: ZdUser): void {
  const navBar = config.navBar!;
  const notices: Notice[] = [];
  const routes: string[] = [];
  const toastArea = h('div', { class: 'af-toasts', 'aria-live': 'polite' });
  const iframe = h('iframe', {
    class: 'af-navbar-frame',
    title: config.appName,
    src: `${config.appOrigin}${navBar.path}?origin=${encodeURIComponent(location.origin)}&app_guid=${encodeURIComponent(config.appGuid)}`,
  });
  root.className = 'af-workspace';
  root.replaceChildren(
    h(
      'div',
      { class: 'af-rail', 'aria-label': 'Main navigation' },
      h('div', { class: 'af-logo', title: 'Boucle sandbox' }, 'B'),
      h('a', { class: 'af-rail-item', href: '/agent/tickets', title: 'Views' }, '☰'),
      h('span', { class: 'af-rail-item', title: 'Customers' }, '◎'),
      h('span', { class: 'af-rail-item', title: 'Reporting' }, '▤'),
      navBarRailItem(config, true),
    ),
    h(
      'div',
      { class: 'af-main' },
      h(
        'div',
        { class: 'af-topbar' },
        h('span', { class: 'af-tabtitle' }, config.appName),
        h('span', { class: 'af-topbar-spacer' }),
        h('span', { class: 'af-sandbox-badge' }, `${config.subdomain} · sandbox`),
        h('span', { class: 'af-avatar', title: `${me.name} (${config.locale})` }, initials(me.name)),
      ),
      h('div', { class: 'af-navbar-body' }, iframe),
    ),
    toastArea,
  );
  const notify = (message: string, kind: string): void => {
    notices.push({ message, kind });
    const toast = h(
      'div',
      { class: `af-toast af-toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      message,
    );
    toastArea.append(toast);
    setTimeout(() => toast.remove(), 5000);
  };
  const currentUser = {
    id: me.id,
    name: me.name,
    email: me.email ?? null,
    locale: config.locale,
    role: me.role,
  };
  const values: Record<string, unknown> = {
    currentUser,
    'currentUser.id': me.id,
    'currentUser.name': me.name,
    'currentUser.email': me.email ?? null,
    'currentUser.locale': config.locale,
    'currentUser.role': me.role,
    currentAccount: { subdomain: config.subdomain },
  };
  const emitRoute = (): void => {
    const appRoute = appRouteOf(navBar.slug);
    routes.push(appRoute);
    host.emit('app.route.changed', { appRoute });
  };
  const host: ZafHost = new ZafHost({
    post: (message) => iframe.contentWindow?.postMessage(JSON.stringify(message), config.appOrigin),
    registration: {
      metadata: config.metadata,
      context: {
        host: 'zendesk',
        product: 'support',
        location: 'nav_bar',
        instanceGuid: config.appGuid,
        account: { subdomain: config.subdomain },
      },
    },
    onRegistered: () =>
      setTimeout(() => {
        host.emit('app.activated', { firstLoad: true });
        host.emit('pane.activated', { firstLoad: true });
        emitRoute();
      }, 0),
    handlers: {
      get: (paths) => {
        const out: ZafResult = { values: {}, errors: {} };
        for (const path of paths) {
          if (path in values) out.values[path] = values[path];
          else out.errors[path] = { name: 'APIUnavailable', message: 'No such API', path };
        }
        return out;
      },
      set: (changes) => ({
        values: {},
        errors: Object.fromEntries(
          Object.keys(changes).map((path) => [
            path,
            { name: 'APIUnavailable', message: 'No such API in the nav_bar location', path },
          ]),
        ),
      }),
      invoke: (calls) => {
        const out: ZafResult = { values: {}, errors: {} };
        for (const [name, args] of Object.entries(calls)) {
          if (name === 'routeTo') {
            const [where, a, b] = args;
            if (where === 'ticket' && (typeof a === 'number' || (typeof a === 'string' && /^\d+$/.test(a)))) {
              out.values[name] = null;
              setTimeout(() => location.assign(`/agent/tickets/${a}`), 0);
              continue;
            }
            if (where === 'nav_bar' && typeof a === 'string') {
              const path = typeof b === 'string' ? b.replace(/^\/+/, '') : '';
              const next = `/agent/apps/${a === navBar.slug ? a : navBar.slug}${path === '' ? '' : `/${path}`}`;
              if (next !== location.pathname) {
                history.pushState(null, '', `${next}${location.search}`);
                emitRoute();
              }
              out.values[name] = null;
              continue;
            }
            out.errors[name] = {
              name: 'InvalidValue',
              message: "routeTo takes ('ticket', id) or ('nav_bar', appName, path)",
              path: name,
            };
          } else if (name === 'notify') {
            const [message, kind] = args;
            if (typeof message === 'string' && message !== '') {
              notify(
                message,
                typeof kind === 'string' && ['notice', 'alert', 'error'].includes(kind) ? kind : 'notice',
              );
              out.values[name] = null;
            } else
              out.errors[name] = {
                name: 'InvalidValue',
                message: 'notify takes a message string',
                path: name,
              };
          } else if (['track', 'app.show', 'app.hide', 'resize'].includes(name)) out.values[name] = null;
          else out.errors[name] = { name: 'APIUnavailable', message: 'No such API', path: name };
        }
        return out;
      },
      request: (options) => zafRequest(options),
    },
  });
  window.addEventListener('message', (event) => {
    if (event.source !== iframe.contentWindow || event.origin !== config.appOrigin) return;
    host.receive(event.data);
  });
  window.addEventListener('popstate', () => emitRoute());
  window.__agentFrame = {
    state: () =>
      structuredClone({
        location: 'nav_bar',
        registered: host.registered,
        path: location.pathname,
        routes,
        notices,
        iframe: { src: iframe.src },
      }),
    log: () => host.log(),
    subscriptions: () => host.subscriptions(),
    submit: () => Promise.resolve({ ok: false, message: 'A nav_bar app has no ticket to submit.' }),
    emit: (event, data) => host.emit(event, data),
    fireHook: (event) => host.fireHook(event, config.hookTimeoutMs),
  };
}

// ------------------------------------------------------------------------------------------------ page

async function start(): Promise<void> {
  const root = document.getElementById('agent-frame-root');
  if (root === null) throw new Error('The agent page has no #agent-frame-root.');
  const [config, meRaw, list] = await Promise.all([
    api<FrameConfig>('/agent/frame.json'),
    optional(api<{ user: ZdUser }>('/api/v2/users/me.json')),
    api<{ tickets: ZdTicket[] }>('/api/v2/tickets.json?per_page=50'),
  ]);
  const me: ZdUser = { ...(meRaw?.user ?? { id: 0, name: 'Agent', role: 'agent' }), locale: config.locale };
  if (config.navBar !== null && location.pathname.startsWith(`/agent/apps/${config.navBar.slug}`)) {
    // Sandbox convenience: ?locale=fr shows the nav_bar app as a French agent sees it.
    const asked = new URLSearchParams(location.search).get('locale');
    const navConfig = asked === null || asked === '' ? config : { ...config, locale: asked };
    // ?role=agent signed the page in as the frame's agent (its server set the session): `me` is that agent.
    startNavBar(root, navConfig, { ...me, locale: navConfig.locale });
    return;
  }
  const match = /^\/agent\/tickets\/(\d+)$/.exec(location.pathname);
  if (match === null) {
    const first = list.tickets[0];
    if (first !== undefined) {
      location.replace(`/agent/tickets/${first.id}${location.search}`);
      return;
    }
    root.className = 'af-empty';
    root.textContent = 'The Zendesk emulator has no tickets yet.';
    return;
  }
  const ticketId = Number(match[1]);
  const form = new TicketForm(await loadSnapshot(ticketId, config, me));
  const notices: Notice[] = [];
  let lastResize: unknown = null;
  let submitting = false;

  // ---------------------------------------------------------------- layout
  const toastArea = h('div', { class: 'af-toasts', 'aria-live': 'polite' });
  const listPane = h('nav', { class: 'af-views', 'aria-label': 'Ticket views' });
  const fieldsPane = h('aside', { class: 'af-properties', 'aria-label': 'Ticket properties' });
  const conversation = h('section', { class: 'af-conversation', 'aria-label': 'Conversation' });
  const header = h('header', { class: 'af-ticket-header' });
  const composerText = h('textarea', {
    class: 'af-composer-text',
    'aria-label': 'Comment',
    placeholder: 'Write a public reply…',
  });
  const replyTab = h(
    'button',
    { type: 'button', class: 'af-tab af-tab-active', 'data-type': 'publicReply' },
    'Public reply',
  );
  const noteTab = h(
    'button',
    { type: 'button', class: 'af-tab', 'data-type': 'internalNote' },
    'Internal note',
  );
  const statusSelect = h('select', { class: 'af-submit-status', 'aria-label': 'Submit as' });
  const submitButton = h('button', { type: 'button', class: 'af-submit' }, 'Submit');
  const iframe = h('iframe', {
    class: 'af-app-frame',
    title: config.appName,
    src: `${config.appOrigin}${config.appPath}?origin=${encodeURIComponent(location.origin)}&app_guid=${encodeURIComponent(config.appGuid)}`,
  });
  if (!config.flexible) iframe.style.width = '320px';

  root.className = 'af-workspace';
  root.replaceChildren(
    h(
      'div',
      { class: 'af-rail', 'aria-label': 'Main navigation' },
      h('div', { class: 'af-logo', title: 'Boucle sandbox' }, 'B'),
      h('a', { class: 'af-rail-item af-rail-active', href: '/agent/tickets', title: 'Views' }, '☰'),
      h('span', { class: 'af-rail-item', title: 'Customers' }, '◎'),
      h('span', { class: 'af-rail-item', title: 'Reporting' }, '▤'),
      navBarRailItem(config, false),
    ),
    h(
      'div',
      { class: 'af-main' },
      h(
        'div',
        { class: 'af-topbar' },
        h('span', { class: 'af-tabtitle' }, `#${ticketId} `, form.subject),
        h('span', { class: 'af-topbar-spacer' }),
        h('span', { class: 'af-sandbox-badge' }, `${config.subdomain} · sandbox`),
        h('span', { class: 'af-avatar', title: `${me.name} (${config.locale})` }, initials(me.name)),
      ),
      h(
        'div',
        { class: 'af-body' },
        listPane,
        fieldsPane,
        h(
          'main',
          { class: 'af-ticket' },
          header,
          conversation,
          h(
            'div',
            { class: 'af-composer' },
            h('div', { class: 'af-tabs' }, replyTab, noteTab),
            composerText,
            h(
              'div',
              { class: 'af-composer-bar' },
              h('span', { class: 'af-topbar-spacer' }),
              statusSelect,
              submitButton,
            ),
          ),
        ),
        h(
          'aside',
          { class: 'af-apps', 'aria-label': 'Apps' },
          h('div', { class: 'af-apps-title' }, 'Apps'),
          h('div', { class: 'af-app-card' }, h('div', { class: 'af-app-name' }, config.appName), iframe),
        ),
      ),
    ),
    toastArea,
  );

  // ---------------------------------------------------------------- rendering
  const renderList = (): void => {
    listPane.replaceChildren(
      h('div', { class: 'af-views-title' }, 'Tickets'),
      ...list.tickets.map((t) =>
        h(
          'a',
          {
            class: t.id === ticketId ? 'af-view-row af-view-active' : 'af-view-row',
            href: `/agent/tickets/${t.id}`,
          },
          h('span', { class: `af-status af-status-${t.status}` }, t.status.slice(0, 1).toUpperCase()),
          h('span', { class: 'af-view-subject' }, t.subject ?? `Ticket #${t.id}`),
          h('span', { class: 'af-view-id' }, `#${t.id}`),
        ),
      ),
    );
  };

  const renderHeader = (): void => {
    const requester = form.user(form.snapshot.ticket.requester_id);
    header.replaceChildren(
      h('h1', { class: 'af-subject' }, form.subject),
      h(
        'div',
        { class: 'af-meta' },
        h('span', { class: `af-status-pill af-status-${form.status}` }, form.status),
        ` #${ticketId} · `,
        requester?.name ?? `user ${form.snapshot.ticket.requester_id}`,
        requester?.email ? ` <${requester.email}>` : '',
        form.snapshot.organization ? ` · ${form.snapshot.organization.name}` : '',
      ),
    );
  };

  const renderConversation = (): void => {
    conversation.replaceChildren(
      ...form.snapshot.comments.map((c) => {
        const author = form.user(c.author_id);
        const isPublic = c.public ?? true;
        return h(
          'article',
          {
            class: isPublic ? 'af-comment' : 'af-comment af-comment-internal',
            'data-comment-id': String(c.id),
          },
          h('span', { class: 'af-avatar af-avatar-small' }, initials(author?.name ?? '?')),
          h(
            'div',
            { class: 'af-comment-main' },
            h(
              'div',
              { class: 'af-comment-head' },
              h('strong', {}, author?.name ?? `user ${c.author_id}`),
              h('span', { class: 'af-comment-time' }, when(c.created_at)),
              isPublic ? null : h('span', { class: 'af-internal-badge' }, 'Internal note'),
            ),
            h('div', { class: 'af-comment-body' }, c.plain_body ?? c.body ?? ''),
          ),
        );
      }),
    );
    conversation.scrollTop = conversation.scrollHeight;
  };

  const select = (
    path: string,
    label: string,
    values: readonly string[],
    current: string | null,
    allowEmpty: boolean,
  ): HTMLElement => {
    const el = h('select', { 'data-path': path, 'aria-label': label });
    if (allowEmpty) el.append(h('option', { value: '' }, '-'));
    for (const value of values)
      el.append(h('option', value === current ? { value, selected: '' } : { value }, value));
    el.addEventListener('change', () => agentSet(path, el.value === '' ? null : el.value));
    return h('label', { class: 'af-field' }, h('span', { class: 'af-field-label' }, label), el);
  };

  const renderFields = (): void => {
    const t = form.snapshot.ticket;
    const requester = form.user(t.requester_id);
    const assignee = form.user(t.assignee_id);
    const tagsInput = h('input', {
      'data-path': 'ticket.tags',
      'aria-label': 'Tags',
      value: form.tags.join(' '),
    });
    tagsInput.addEventListener('change', () =>
      agentSet('ticket.tags', tagsInput.value.split(/\s+/).filter(Boolean)),
    );
    const customs = form.customFieldDefinitions().map((field) => {
      const path = `ticket.customField:custom_field_${field.id}`;
      const value = form.customFields.get(field.id) ?? null;
      if (field.type === 'tagger') {
        return select(
          path,
          field.title,
          (field.custom_field_options ?? []).map((o) => o.value),
          typeof value === 'string' ? value : null,
          true,
        );
      }
      if (field.type === 'checkbox') {
        const box = h(
          'input',
          value === true
            ? { type: 'checkbox', 'data-path': path, checked: '' }
            : { type: 'checkbox', 'data-path': path },
        );
        box.addEventListener('change', () => agentSet(path, box.checked));
        return h(
          'label',
          { class: 'af-field af-field-inline' },
          box,
          h('span', { class: 'af-field-label' }, field.title),
        );
      }
      const input = h(field.type === 'textarea' ? 'textarea' : 'input', {
        'data-path': path,
        'aria-label': field.title,
      });
      input.value = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      input.addEventListener('change', () => {
        const raw = input.value;
        agentSet(
          path,
          raw === '' ? null : field.type === 'integer' || field.type === 'decimal' ? Number(raw) : raw,
        );
      });
      return h('label', { class: 'af-field' }, h('span', { class: 'af-field-label' }, field.title), input);
    });
    fieldsPane.replaceChildren(
      h(
        'div',
        { class: 'af-field' },
        h('span', { class: 'af-field-label' }, 'Requester'),
        h('span', { class: 'af-field-value' }, requester?.name ?? '—'),
      ),
      h(
        'div',
        { class: 'af-field' },
        h('span', { class: 'af-field-label' }, 'Assignee'),
        h('span', { class: 'af-field-value' }, assignee?.name ?? '—'),
      ),
      h('label', { class: 'af-field' }, h('span', { class: 'af-field-label' }, 'Tags'), tagsInput),
      h(
        'div',
        { class: 'af-row' },
        select('ticket.type', 'Type', TICKET_TYPES, form.type, true),
        select('ticket.priority', 'Priority', TICKET_PRIORITIES, form.priority, true),
      ),
      ...customs,
    );
    statusSelect.replaceChildren(
      ...[form.snapshot.ticket.status === 'new' ? 'new' : null, ...TICKET_STATUSES]
        .filter((s): s is string => s !== null)
        .map((s) =>
          h('option', s === form.status ? { value: s, selected: '' } : { value: s }, `Submit as ${s}`),
        ),
    );
  };

  const renderComposer = (): void => {
    if (composerText.value !== form.commentText) composerText.value = form.commentText;
    replyTab.classList.toggle('af-tab-active', form.commentType === 'publicReply');
    noteTab.classList.toggle('af-tab-active', form.commentType === 'internalNote');
    composerText.classList.toggle('af-composer-internal', form.commentType === 'internalNote');
    composerText.placeholder =
      form.commentType === 'internalNote' ? 'Write an internal note…' : 'Write a public reply…';
  };

  const renderAll = (): void => {
    renderList();
    renderHeader();
    renderConversation();
    renderFields();
    renderComposer();
  };

  const notify = (message: string, kind: string, sticky: boolean, timeoutMs: number): void => {
    notices.push({ message, kind });
    const toast = h(
      'div',
      { class: `af-toast af-toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      message,
    );
    toastArea.append(toast);
    if (!sticky) setTimeout(() => toast.remove(), timeoutMs);
    toast.addEventListener('click', () => toast.remove());
  };

  // ---------------------------------------------------------------- ZAF host
  const host = new ZafHost({
    post: (message) => iframe.contentWindow?.postMessage(JSON.stringify(message), config.appOrigin),
    registration: {
      metadata: config.metadata,
      context: {
        host: 'zendesk',
        product: 'support',
        location: 'ticket_sidebar',
        instanceGuid: config.appGuid,
        account: { subdomain: config.subdomain },
        ticketId,
      },
    },
    onRegistered: () => setTimeout(() => host.emit('app.activated', { firstLoad: true }), 0),
    handlers: {
      get: (paths) => collect(paths.map((p) => [p, form.get(p)] as const)),
      set: (values) => {
        const result = collect(Object.entries(values).map(([p, v]) => [p, form.set(p, v)] as const));
        afterChanges(Object.keys(values).flatMap((p) => pendingChanges.get(p) ?? []));
        pendingChanges.clear();
        return result;
      },
      invoke: (calls) => {
        const values: Record<string, unknown> = {};
        const errors: Record<string, ZafErrorBody> = {};
        const changes: FormChange[] = [];
        for (const [name, args] of Object.entries(calls)) {
          const outcome = invoke(name, args);
          if (outcome.ok) {
            values[name] = outcome.value;
            changes.push(...outcome.changes);
          } else errors[name] = outcome.error;
        }
        afterChanges(changes);
        return { values, errors };
      },
      request: (options) => zafRequest(options),
    },
  });
  const pendingChanges = new Map<string, readonly FormChange[]>();

  function collect(entries: readonly (readonly [string, PathResult | SetResult])[]): ZafResult {
    const values: Record<string, unknown> = {};
    const errors: Record<string, ZafErrorBody> = {};
    for (const [path, outcome] of entries) {
      if (outcome.ok) {
        values[path] = outcome.value;
        if ('changes' in outcome) pendingChanges.set(path, outcome.changes);
      } else errors[path] = outcome.error;
    }
    return { values, errors };
  }

  function invoke(name: string, args: readonly unknown[]): SetResult {
    switch (name) {
      case 'ticket.tags.add':
        return form.addTags(args);
      case 'ticket.tags.remove':
        return form.removeTags(args);
      case 'comment.appendText':
      case 'ticket.comment.appendText':
        return form.appendComment(name, args);
      case 'resize': {
        const size = args[0] as { width?: unknown; height?: unknown } | undefined;
        const css = (v: unknown): string | null =>
          typeof v === 'number' ? `${v}px` : typeof v === 'string' && v !== '' ? v : null;
        const height = css(size?.height);
        const width = css(size?.width);
        if (height === null && width === null) {
          return {
            ok: false,
            error: {
              name: 'InvalidValue',
              message: 'resize takes {width?, height?} (e.g. {height: "320px"})',
              path: name,
            },
          };
        }
        if (height !== null) iframe.style.height = height;
        if (width !== null && !config.flexible) iframe.style.width = width;
        lastResize = { width, height };
        return { ok: true, value: null, changes: [] };
      }
      case 'notify': {
        const [message, kind, options] = args;
        if (typeof message !== 'string' || message === '') {
          return {
            ok: false,
            error: { name: 'InvalidValue', message: 'notify takes a message string', path: name },
          };
        }
        const k = typeof kind === 'string' && ['notice', 'alert', 'error'].includes(kind) ? kind : 'notice';
        const opts = typeof options === 'object' && options !== null ? (options as { sticky?: unknown }) : {};
        const timeout = typeof options === 'number' ? options : 5000;
        notify(message, k, opts.sticky === true, timeout);
        return { ok: true, value: null, changes: [] };
      }
      case 'track':
      case 'app.show':
      case 'app.hide':
        return { ok: true, value: null, changes: [] };
      default:
        return { ok: false, error: { name: 'APIUnavailable', message: 'No such API', path: name } };
    }
  }

  function afterChanges(changes: readonly FormChange[]): void {
    if (changes.length === 0) return;
    renderHeader();
    renderFields();
    renderComposer();
    for (const change of changes) {
      host.emit(change.event, change.value);
      host.emit('*.changed', { propertyName: change.path, newValue: change.value });
    }
  }

  /** The agent edits the form: same path rules and events as a ZAF `set`. */
  function agentSet(path: string, value: unknown): void {
    const outcome = form.set(path, value);
    if (outcome.ok) afterChanges(outcome.changes);
    else {
      notify(outcome.error.message, 'error', false, 5000);
      renderFields();
    }
  }

  // ---------------------------------------------------------------- submit
  async function submit(): Promise<SubmitOutcome> {
    if (submitting) return { ok: false, message: 'A save is already in progress.' };
    submitting = true;
    submitButton.disabled = true;
    host.emit('ticket.submit.start');
    const finish = (outcome: SubmitOutcome): SubmitOutcome => {
      host.emit(outcome.ok ? 'ticket.submit.done' : 'ticket.submit.fail');
      host.emit('ticket.submit.always');
      submitting = false;
      submitButton.disabled = false;
      notify(outcome.message, outcome.ok ? 'notice' : 'error', false, 4000);
      return outcome;
    };
    const hook = await host.fireHook('ticket.save', config.hookTimeoutMs);
    if (hook.blocked) return finish({ ok: false, message: hook.message });
    const payload = form.updatePayload();
    if (payload === null)
      return finish({ ok: false, message: 'Nothing to submit: change a field or write a comment first.' });
    try {
      await api(`/api/v2/tickets/${ticketId}.json`, { method: 'PUT', body: payload });
      const next = await loadSnapshot(ticketId, config, me);
      const changes = form.changesTo(next);
      form.reset(next);
      const refreshed = await api<{ tickets: ZdTicket[] }>('/api/v2/tickets.json?per_page=50');
      list.tickets.splice(0, list.tickets.length, ...refreshed.tickets);
      renderAll();
      for (const change of changes) host.emit(change.event, change.value);
      return finish({ ok: true, message: `Ticket #${ticketId} updated.` });
    } catch (error) {
      return finish({ ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  }

  // ---------------------------------------------------------------- wiring
  window.addEventListener('message', (event) => {
    if (event.source !== iframe.contentWindow || event.origin !== config.appOrigin) return;
    host.receive(event.data);
  });
  composerText.addEventListener('input', () => {
    form.commentText = composerText.value;
  });
  composerText.addEventListener('change', () => host.emit('comment.text.changed', form.commentText));
  for (const tab of [replyTab, noteTab]) {
    tab.addEventListener('click', () => agentSet('comment.type', tab.dataset['type']));
  }
  statusSelect.addEventListener('change', () => agentSet('ticket.status', statusSelect.value));
  submitButton.addEventListener('click', () => void submit());

  renderAll();
  window.__agentFrame = {
    state: () =>
      structuredClone({
        ticketId,
        registered: host.registered,
        form: {
          status: form.status,
          priority: form.priority,
          type: form.type,
          subject: form.subject,
          tags: form.tags,
          customFields: Object.fromEntries(form.customFields),
          commentText: form.commentText,
          commentType: form.commentType,
        },
        saved: form.snapshot.ticket,
        commentCount: form.snapshot.comments.length,
        iframe: { height: iframe.style.height, width: iframe.style.width, src: iframe.src },
        lastResize,
        notices,
        pendingUpdate: form.updatePayload(),
      }),
    log: () => host.log(),
    subscriptions: () => host.subscriptions(),
    submit,
    emit: (event, data) => host.emit(event, data),
    fireHook: (event) => host.fireHook(event, config.hookTimeoutMs),
  };
}

start().catch((error: unknown) => {
  const root = document.getElementById('agent-frame-root');
  if (root !== null) {
    root.className = 'af-error';
    root.textContent = `The agent frame could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
});
