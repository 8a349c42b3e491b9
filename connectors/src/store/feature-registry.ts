import { ALERTS_SCHEMA } from '../alerts/alerts-schema.ts';
import { EXPERIMENT_SCHEMA } from '../experiment/experiment-schema.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { POLICY_SCHEMA } from '../policy/policy-history.ts';
import { CONSOLE_SCHEMA } from '../programme/console-schema.ts';
import { PROGRAMME_SCHEMA } from '../programme/programme-schema.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { SYNC_SCHEMA } from '../sync/schema.ts';
import { WRITEBACK_SCHEMA } from '../writeback/schema.ts';
import type { FeatureSchema } from './database.ts';

/**
 * Every feature's schema, in an order that migrates on an empty database (the programme's change-log triggers
 * watch the sync's tables, so the sync comes first). `boucle db copy` and `boucle db migrate` work on all of them;
 * `feature-registry.test.ts` fails when a `FeatureSchema` exists that is not listed here.
 *
 * Not re-exported from `store/index.ts`: the features import the store, the registry imports the features.
 */
export const FEATURE_SCHEMAS: readonly FeatureSchema[] = [
  QUEUE_SCHEMA,
  AUTOMATION_SCHEMA,
  WRITEBACK_SCHEMA,
  EXPERIMENT_SCHEMA,
  SYNC_SCHEMA,
  PROGRAMME_SCHEMA,
  CONSOLE_SCHEMA,
  ALERTS_SCHEMA,
  POLICY_SCHEMA,
];
