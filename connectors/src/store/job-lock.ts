import pg from 'pg';

/** Advisory-lock namespace of Boucle's periodic jobs (first key of the two-key form): "bcl" in ASCII. */
const JOB_LOCK_CLASS = 0x62636c;

/**
 * "Only one worker runs this job": a PostgreSQL session-level advisory lock, held by one connection for as long
 * as that process lives. Each tick, `acquire()` answers whether this process holds it (taking it when free).
 * When the holder dies or loses its connection, PostgreSQL frees the lock and another worker takes it on its
 * next tick. No lease to renew, no clock to trust.
 */
export class PeriodicJobLock {
  readonly #url: string;
  readonly #name: string;
  #client: pg.Client | undefined;
  #held = false;

  constructor(url: string, name: string) {
    this.#url = url;
    this.#name = name;
  }

  get held(): boolean {
    return this.#held;
  }

  async acquire(): Promise<boolean> {
    if (this.#held && this.#client !== undefined) return true;
    try {
      if (this.#client === undefined) {
        const client = new pg.Client({
          connectionString: this.#url,
          application_name: `boucle:${this.#name}`,
        });
        client.on('error', () => this.#drop(client));
        client.on('end', () => this.#drop(client));
        this.#client = client;
        await client.connect();
      }
      const { rows } = await this.#client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
        [JOB_LOCK_CLASS, this.#name],
      );
      this.#held = rows[0]?.ok === true;
      return this.#held;
    } catch {
      if (this.#client !== undefined) this.#drop(this.#client);
      return false;
    }
  }

  #drop(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#held = false;
    client.end().catch(() => undefined);
  }

  /** Ends the session (and so frees the lock). */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#held = false;
    if (client !== undefined) await client.end().catch(() => undefined);
  }
}
