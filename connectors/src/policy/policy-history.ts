/**
 * The history of the policy (feature "policy"): every version the connector has read from the Boucle
 * installation, with who saved it, when and why. The installation holds only the current version (the hidden
 * `policy` parameter); see docs/admin.md for why the history lives here. Versions are recorded from what Zendesk
 * returns, never from what a browser posts, and are only ever appended.
 */
import { createHash } from 'node:crypto';
import { parsePolicy, serializePolicy } from '../../../shared/src/index.ts';
import type { Policy } from '../../../shared/src/index.ts';
import { readInstallationSettings } from '../config/installation-policy.ts';
import type { FeatureSchema } from '../store/index.ts';
import type { Sql } from '../store/sql.ts';
import type { ZendeskClient } from '../zendesk/index.ts';

export const POLICY_SCHEMA: FeatureSchema = {
  feature: 'policy',
  migrations: [
    {
      version: 1,
      description: 'every saved version of the policy, with who saved it, when and why',
      up: {
        sqlite: `
        CREATE TABLE policy_versions (
          version INTEGER PRIMARY KEY,
          saved_at TEXT NOT NULL,
          saved_by_id INTEGER NOT NULL,
          saved_by_name TEXT NOT NULL,
          reason TEXT NOT NULL,
          document TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          recorded_at BIGINT NOT NULL
        );
      `,
        postgres: `
        CREATE TABLE policy_versions (
          version BIGINT PRIMARY KEY,
          saved_at TEXT NOT NULL,
          saved_by_id BIGINT NOT NULL,
          saved_by_name TEXT NOT NULL,
          reason TEXT NOT NULL,
          document TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          recorded_at BIGINT NOT NULL
        );
      `,
      },
    },
  ],
};

export interface PolicyVersionSummary {
  readonly version: number;
  readonly savedAt: string;
  readonly savedBy: { readonly id: number; readonly name: string };
  readonly reason: string;
  readonly sha256: string;
}

export type RecordOutcome = 'recorded' | 'known';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Appends a version. The same version again is `known`; a different document under a version number already
 * recorded is refused (two saves raced, or something bypassed the console): the history is never rewritten.
 * Works on both databases (the `Sql` port); two connectors recording the same version at once both end `known`
 * or `recorded` (the primary key decides, `ON CONFLICT DO NOTHING`).
 */
export async function recordPolicyVersion(
  sql: Sql,
  policy: Policy,
  recordedAt: number,
): Promise<RecordOutcome> {
  const document = serializePolicy(policy);
  const sha256 = digest(document);
  const inserted = await sql.run(
    `INSERT INTO policy_versions (version, saved_at, saved_by_id, saved_by_name, reason, document, sha256, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING`,
    [
      policy.version,
      policy.savedAt,
      policy.savedBy.id,
      policy.savedBy.name,
      policy.reason,
      document,
      sha256,
      recordedAt,
    ],
  );
  if (inserted.changes > 0) return 'recorded';
  const existing = await sql.get<{ sha256: string }>('SELECT sha256 FROM policy_versions WHERE version = ?', [
    policy.version,
  ]);
  if (existing?.sha256 === sha256) return 'known';
  throw new Error(
    `Policy version ${policy.version} is already recorded with a different document: save again from the ` +
      'Boucle console (it saves a new version number).',
  );
}

interface VersionRow {
  version: number;
  saved_at: string;
  saved_by_id: number;
  saved_by_name: string;
  reason: string;
  sha256: string;
}

/** Every recorded version, newest first, without the documents (the history list). */
export async function listPolicyVersions(sql: Sql): Promise<PolicyVersionSummary[]> {
  const rows = await sql.all<VersionRow>(
    'SELECT version, saved_at, saved_by_id, saved_by_name, reason, sha256 FROM policy_versions ORDER BY version DESC',
  );
  return rows.map((row) => ({
    version: row.version,
    savedAt: row.saved_at,
    savedBy: { id: row.saved_by_id, name: row.saved_by_name },
    reason: row.reason,
    sha256: row.sha256,
  }));
}

/** One recorded version's document (for a diff or a rollback), or undefined. */
export async function getPolicyVersion(sql: Sql, version: number): Promise<Policy | undefined> {
  const row = await sql.get<{ document: string }>('SELECT document FROM policy_versions WHERE version = ?', [
    version,
  ]);
  if (row === undefined) return undefined;
  const parsed = parsePolicy(row.document);
  if (!parsed.success) throw new Error(`Policy version ${version} in the database does not parse any more.`);
  return parsed.data;
}

/**
 * Reads the installation and records its policy if it is new: called after the console saves, and at every
 * read of the installation, so a missed call loses no version. Returns the outcome, or `none` without a policy.
 */
export async function syncPolicyHistory(
  sql: Sql,
  client: ZendeskClient,
  installationId: number,
  now: number,
): Promise<RecordOutcome | 'none'> {
  const read = await readInstallationSettings(client, installationId);
  return read.policy === undefined ? 'none' : recordPolicyVersion(sql, read.policy, now);
}
