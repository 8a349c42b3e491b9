import type {
  ZafClient,
  ZafContext,
  ZafEvent,
  ZafGetPath,
  ZafGetPaths,
  ZafHttpResponse,
  ZafInvoke,
  ZafMetadata,
  ZafRequestOptions,
} from '../../../common/src/zaf/zaf-client.ts';

export type FakeRoute = (request: ZafRequestOptions) => ZafHttpResponse | undefined;

/** A typed, in-memory `ZafClient`: ticket paths, calls recorded, HTTP answered by routes. */
export class FakeZafClient implements ZafClient {
  readonly values: Partial<ZafGetPaths>;
  settings: Record<string, unknown>;
  readonly requests: ZafRequestOptions[] = [];
  readonly invokes: ZafInvoke[] = [];
  readonly sets: Record<string, string>[] = [];
  readonly routes: FakeRoute[] = [];
  readonly #handlers = new Map<ZafEvent, Set<(data: unknown) => void>>();

  constructor(values: Partial<ZafGetPaths>, settings: Record<string, unknown> = {}) {
    this.values = values;
    this.settings = settings;
  }

  context(): Promise<ZafContext> {
    return Promise.resolve({
      product: 'support',
      location: 'ticket_sidebar',
      instanceGuid: 'fake',
      ticketId: 1,
    });
  }

  metadata(): Promise<ZafMetadata> {
    return Promise.resolve({
      appId: 1,
      installationId: 1,
      name: 'Boucle',
      version: '0',
      settings: this.settings,
    });
  }

  get<TPath extends ZafGetPath>(paths: readonly TPath[]) {
    const values: Partial<Pick<ZafGetPaths, TPath>> = {};
    const errors: Partial<Record<TPath, string>> = {};
    for (const path of paths) {
      if (path in this.values) values[path] = this.values[path];
      else errors[path] = `"${path}" No such API`;
    }
    return Promise.resolve({ values, errors });
  }

  set(values: Record<string, string>): Promise<void> {
    this.sets.push(values);
    if (values['ticket.priority']) {
      this.values['ticket.priority'] = values['ticket.priority'] as ZafGetPaths['ticket.priority'];
    }
    return Promise.resolve();
  }

  invoke(call: ZafInvoke): Promise<void> {
    this.invokes.push(call);
    if (call.name === 'ticket.tags.add') {
      this.values['ticket.tags'] = [...new Set([...(this.values['ticket.tags'] ?? []), ...call.args[0]])];
    }
    return Promise.resolve();
  }

  on(event: ZafEvent, handler: (data: unknown) => void): () => void {
    const set = this.#handlers.get(event) ?? new Set();
    set.add(handler);
    this.#handlers.set(event, set);
    return () => set.delete(handler);
  }

  emit(event: ZafEvent, data?: unknown): void {
    for (const handler of this.#handlers.get(event) ?? []) handler(data);
  }

  request(options: ZafRequestOptions): Promise<ZafHttpResponse> {
    this.requests.push(options);
    for (const route of this.routes) {
      const response = route(options);
      if (response) return Promise.resolve(response);
    }
    return Promise.resolve({
      status: 404,
      responseText: `{"error":"RecordNotFound","description":"${options.url}"}`,
    });
  }
}

export const json = (body: unknown, status = 200): ZafHttpResponse => ({ status, responseJSON: body });
