/** The emulator's clock: starts where told, ticks with real time unless frozen, and can be moved forward. */
export interface EmulatorClock {
  /** Milliseconds since the epoch, emulator time. */
  now(): number;
  /** Moves the clock forward (never backward). */
  advance(ms: number): void;
  /** Jumps to a later instant; an earlier one is refused. */
  set(epochMs: number): void;
  readonly frozen: boolean;
}

export interface ClockOptions {
  /** Start instant (ms since epoch or a Date); defaults to the real time. */
  readonly start?: number | Date;
  /** When true, the clock moves only through advance()/set(). */
  readonly frozen?: boolean;
}

export function createClock(options: ClockOptions = {}, realNow: () => number = Date.now): EmulatorClock {
  const startAt = options.start === undefined ? realNow() : Number(options.start);
  if (!Number.isFinite(startAt)) throw new Error('clock start must be a valid date or epoch milliseconds');
  const frozen = options.frozen ?? false;
  const realStart = realNow();
  let offset = 0;
  const now = (): number => startAt + offset + (frozen ? 0 : realNow() - realStart);
  return {
    now,
    frozen,
    advance(ms: number): void {
      if (!Number.isFinite(ms) || ms < 0)
        throw new Error(`clock.advance takes a non-negative number of ms, got ${ms}`);
      offset += ms;
    },
    set(epochMs: number): void {
      const delta = epochMs - now();
      if (!Number.isFinite(delta) || delta < 0) throw new Error('clock.set cannot move the clock backward');
      offset += delta;
    },
  };
}

/** Salesforce's REST datetime format: 2024-05-20T20:49:32.000+0000 */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** A date field value (ms at UTC midnight) as YYYY-MM-DD. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;
