import { parsers, type ConfigSection } from './config.ts';

/** Where the embedded SQLite database lives (one file, shared by every feature of the connector). */
export interface StoreSettings {
  readonly path: string;
}

const keys = {
  BOUCLE_DB_PATH: {
    description: "path of Boucle's SQLite database file (created if missing)",
    default: 'data/boucle.sqlite',
    parse: parsers.string,
  },
} as const;

export const storeSection: ConfigSection<typeof keys, StoreSettings> = {
  name: 'store',
  keys,
  build: (v) => ({ value: { path: v.BOUCLE_DB_PATH } }),
};
