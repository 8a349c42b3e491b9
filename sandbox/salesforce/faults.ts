/** Scripted faults: matched against incoming requests, consumed as they fire. */

export type FaultKind =
  /** Answer with `status` (default 503) and `body`/`headers` instead of serving the request. */
  | 'status'
  /** 401 INVALID_SESSION_ID. */
  | 'invalidSession'
  /** 403 REQUEST_LIMIT_EXCEEDED. */
  | 'limitExceeded'
  /** Reset the connection (TCP RST: the client sees ECONNRESET). */
  | 'reset'
  /** Close the connection without answering (the client sees "other side closed"). */
  | 'close'
  /** Serve the request normally after `delayMs`. */
  | 'delay'
  /** 400 INVALID_QUERY_LOCATOR on a query/<locator> or Bulk results request. */
  | 'expireLocator'
  /** The next Bulk 2.0 query job created (matching) ends in state Failed. */
  | 'failBulkJob';

export interface FaultRule {
  readonly kind: FaultKind;
  /** HTTP method to match (any when absent). */
  readonly method?: string;
  /** Substring of the path (without query string) to match (any when absent). */
  readonly path?: string;
  /** How many matching requests it affects (default 1). */
  readonly times?: number;
  /** Matching requests to let through before it starts (default 0). */
  readonly after?: number;
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
}

interface ActiveFault {
  readonly id: number;
  readonly rule: FaultRule;
  remaining: number;
  skip: number;
}

const KINDS: ReadonlySet<string> = new Set([
  'status',
  'invalidSession',
  'limitExceeded',
  'reset',
  'close',
  'delay',
  'expireLocator',
  'failBulkJob',
]);

/** Checks a rule from the HTTP control API; returns an error message or null. */
export function validateFault(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return 'a fault is a JSON object';
  const r = input as Record<string, unknown>;
  if (typeof r.kind !== 'string' || !KINDS.has(r.kind)) return `kind must be one of ${[...KINDS].join(', ')}`;
  for (const key of ['times', 'after', 'status', 'delayMs'] as const) {
    if (r[key] !== undefined && (typeof r[key] !== 'number' || !Number.isInteger(r[key]) || r[key] < 0)) {
      return `${key} must be a non-negative whole number`;
    }
  }
  for (const key of ['method', 'path'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') return `${key} must be a string`;
  }
  if (r.status !== undefined && ((r.status as number) < 100 || (r.status as number) > 599)) {
    return 'status must be an HTTP status (100-599)';
  }
  return null;
}

export class FaultQueue {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    const id = this.nextId;
    this.nextId += 1;
    this.active.push({ id, rule, remaining: rule.times ?? 1, skip: rule.after ?? 0 });
    return id;
  }

  clear(): void {
    this.active.length = 0;
  }

  list(): { id: number; rule: FaultRule; remaining: number }[] {
    return this.active.map((f) => ({ id: f.id, rule: f.rule, remaining: f.remaining }));
  }

  /** The first fault that applies to this request (consumed), or null. failBulkJob is taken by take(). */
  match(method: string, path: string, kinds?: ReadonlySet<FaultKind>): FaultRule | null {
    for (const fault of this.active) {
      const r = fault.rule;
      if (kinds !== undefined ? !kinds.has(r.kind) : r.kind === 'failBulkJob' || r.kind === 'expireLocator')
        continue;
      if (r.method !== undefined && r.method.toUpperCase() !== method) continue;
      if (r.path !== undefined && !path.includes(r.path)) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        continue;
      }
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.active.splice(this.active.indexOf(fault), 1);
      return r;
    }
    return null;
  }
}
