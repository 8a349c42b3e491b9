/** What every local stand-in (Salesforce, Zendesk, the agent frame) takes and returns when started. */
export interface EmulatorOptions {
  /** 0 or absent: an ephemeral port. */
  readonly port?: number;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Seed of the generated data; the same seed gives the same data. */
  readonly seed?: number;
  /** A folder of JSON files to load instead of generated data. */
  readonly dataDir?: string;
}

export interface RunningEmulator {
  /** Base URL, without a trailing slash, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  close(): Promise<void>;
}

export type StartEmulator = (options: EmulatorOptions) => Promise<RunningEmulator>;
