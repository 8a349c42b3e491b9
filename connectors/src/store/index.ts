export { openStore } from './database.ts';
export type { FeatureSchema, Migration, Store } from './database.ts';
