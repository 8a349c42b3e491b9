/**
 * The host side of the ZAF wire protocol (ZAF_PROTOCOL.md; reference/zendesk-apps.md §3.4–3.6), for one app
 * instance. Transport-agnostic: `post` sends to the iframe, `receive` takes what the iframe posted. No DOM.
 */

export interface ZafAppMessage {
  readonly key?: string;
  readonly id?: number;
  readonly request?: string;
  readonly params?: unknown;
  readonly message?: unknown;
  readonly error?: { readonly msg?: unknown };
  readonly appGuid?: string;
  readonly instanceGuid?: string;
}

export interface ZafLogEntry {
  /** `in`: app → host; `out`: host → app. */
  readonly dir: 'in' | 'out';
  /** Milliseconds since the host started. */
  readonly at: number;
  readonly message: unknown;
}

export interface ZafRegistration {
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
}

export interface ZafErrorBody {
  readonly name: string;
  readonly message: string;
  readonly path?: string;
}

/** Values per path plus per-path errors: the `result` of a get/set/invoke reply. */
export interface ZafResult {
  readonly values: Record<string, unknown>;
  readonly errors: Record<string, ZafErrorBody>;
}

export interface ZafRequestOutcome {
  readonly ok: boolean;
  readonly responseArgs: readonly unknown[];
}

export interface ZafHostHandlers {
  get(paths: readonly string[]): ZafResult;
  set(values: Readonly<Record<string, unknown>>): ZafResult;
  invoke(calls: Readonly<Record<string, readonly unknown[]>>): ZafResult | Promise<ZafResult>;
  request(options: Readonly<Record<string, unknown>>): Promise<ZafRequestOutcome>;
}

export type HookOutcome = { readonly blocked: false } | { readonly blocked: true; readonly message: string };

export interface ZafHostOptions {
  readonly post: (message: object) => void;
  readonly registration: ZafRegistration;
  readonly handlers: ZafHostHandlers;
  readonly now?: () => number;
  /** Called once the handshake is answered (the app is registered). */
  readonly onRegistered?: () => void;
}

const REQUEST_KEY = /^request:\d+$/;

export class ZafHost {
  readonly #post: (message: object) => void;
  readonly #registration: ZafRegistration;
  readonly #handlers: ZafHostHandlers;
  readonly #now: () => number;
  readonly #onRegistered: (() => void) | undefined;
  readonly #start: number;
  readonly #log: ZafLogEntry[] = [];
  readonly #subscriptions = new Map<string, number>();
  readonly #hookWaiters = new Map<string, (outcome: HookOutcome) => void>();
  #registered = false;

  constructor(options: ZafHostOptions) {
    this.#post = options.post;
    this.#registration = options.registration;
    this.#handlers = options.handlers;
    this.#now = options.now ?? (() => Date.now());
    this.#onRegistered = options.onRegistered;
    this.#start = this.#now();
  }

  get registered(): boolean {
    return this.#registered;
  }

  /** Deep copy of every message exchanged, in order. */
  log(): ZafLogEntry[] {
    return structuredClone(this.#log);
  }

  /** Events the app subscribes to, with its subscriber count (from `iframe.on:`/`iframe.off:`). */
  subscriptions(): Record<string, number> {
    return Object.fromEntries(this.#subscriptions);
  }

  isSubscribed(event: string): boolean {
    return (this.#subscriptions.get(event) ?? 0) > 0;
  }

  /** Handles one message the iframe posted (a JSON string, or an object for hook replies). */
  receive(raw: unknown): void {
    let message: ZafAppMessage;
    try {
      const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
      if (typeof parsed !== 'object' || parsed === null) return;
      message = parsed;
    } catch {
      return;
    }
    this.#record('in', message);
    const key = message.key;
    if (key === 'iframe.handshake') {
      this.#registered = true;
      this.#send({ key: 'zaf.app.registered', message: this.#registration });
      this.#onRegistered?.();
      return;
    }
    if (key !== undefined && (key.startsWith('iframe.on:') || key.startsWith('iframe.off:'))) {
      const event = key.slice(key.indexOf(':') + 1);
      const count = (message.message as { subscriberCount?: unknown } | undefined)?.subscriberCount;
      this.#subscriptions.set(
        event,
        typeof count === 'number' ? count : key.startsWith('iframe.on:') ? 1 : 0,
      );
      return;
    }
    if (key !== undefined && key.startsWith('iframe.reply:')) {
      const event = key.slice('iframe.reply:'.length);
      const waiter = this.#hookWaiters.get(event);
      if (waiter === undefined) return;
      this.#hookWaiters.delete(event);
      if (message.error === undefined) waiter({ blocked: false });
      else {
        const msg = message.error.msg;
        waiter({
          blocked: true,
          message: typeof msg === 'string' && msg !== '' ? msg : 'The app blocked this action.',
        });
      }
      return;
    }
    if (key !== undefined && REQUEST_KEY.test(key)) {
      const options = (
        typeof message.message === 'string' ? { url: message.message } : message.message
      ) as Record<string, unknown>;
      void this.#handlers.request(options ?? {}).then(
        (outcome) =>
          this.#send({
            key: `zaf.${key}.${outcome.ok ? 'done' : 'fail'}`,
            message: { responseArgs: outcome.responseArgs },
          }),
        (error: unknown) =>
          this.#send({
            key: `zaf.${key}.fail`,
            message: {
              responseArgs: [
                { status: 0, statusText: 'error', responseText: String(error) },
                'error',
                String(error),
              ],
            },
          }),
      );
      return;
    }
    if (message.request !== undefined && typeof message.id === 'number') {
      void this.#answer(message.id, message.request, message.params);
    }
    // Anything else (`iframe.trigger:*`, `session.live`, `__track__`, app-defined postMessage) is only logged.
  }

  async #answer(id: number, request: string, params: unknown): Promise<void> {
    try {
      let result: ZafResult;
      if (request === 'get') {
        const paths = Array.isArray(params) ? params.map(String) : [String(params)];
        result = this.#handlers.get(paths);
      } else if (request === 'set') {
        result = this.#handlers.set(isRecord(params) ? params : {});
      } else if (request === 'invoke') {
        const calls: Record<string, readonly unknown[]> = {};
        for (const [name, args] of Object.entries(isRecord(params) ? params : {})) {
          calls[name] = Array.isArray(args) ? (args as unknown[]) : [args];
        }
        result = await this.#handlers.invoke(calls);
      } else {
        this.#send({
          id,
          error: { name: 'UnknownRequest', message: `Unknown request "${request}": use get, set or invoke` },
        });
        return;
      }
      this.#send({ id, result: { ...result.values, errors: result.errors } });
    } catch (error) {
      this.#send({
        id,
        error: { name: 'HostError', message: error instanceof Error ? error.message : String(error) },
      });
    }
  }

  /** Sends `zaf.<event>` to the app (every event, subscribed or not; the SDK drops unheard ones). */
  emit(event: string, data?: unknown): void {
    this.#send(data === undefined ? { key: `zaf.${event}` } : { key: `zaf.${event}`, message: data });
  }

  /**
   * Fires a hook (e.g. `ticket.save`) that needs a reply, if the app listens to it; resolves with the app's
   * verdict, or blocked after `timeoutMs` without a reply.
   */
  fireHook(event: string, timeoutMs: number): Promise<HookOutcome> {
    if (!this.isSubscribed(event)) return Promise.resolve({ blocked: false });
    return new Promise<HookOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.#hookWaiters.delete(event);
        resolve({
          blocked: true,
          message: `The app did not answer ${event} within ${Math.round(timeoutMs / 1000)} s.`,
        });
      }, timeoutMs);
      this.#hookWaiters.set(event, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.#send({ key: `zaf.${event}`, needsReply: true });
    });
  }

  #send(message: object): void {
    this.#record('out', message);
    this.#post(message);
  }

  #record(dir: 'in' | 'out', message: unknown): void {
    this.#log.push({ dir, at: this.#now() - this.#start, message: structuredClone(message) });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
