/**
 * The policy `boucle serve` decides with, read from the Boucle installation in Zendesk
 * (`BOUCLE_ZENDESK_INSTALLATION_ID`): the same copy the sidebar reads, so there is no second place to configure
 * it. It is read at start, again on a timer and whenever the console asks (`POST /api/v1/policy/sync`); when the
 * installation changed, the decider is rebuilt, with no restart. A stored policy that does not parse keeps the
 * last valid decider (the reason is logged and reported by `GET /api/v1/policy`). Every version read is recorded
 * in the connector's history (policy-history.ts).
 */
import { createHash } from 'node:crypto';
import { createDecider, serializePolicy } from '../../../shared/src/index.ts';
import type { Decider, Policy, SettingsIssue } from '../../../shared/src/index.ts';
import { readInstallationSettings, type InstallationSettings } from '../config/installation-policy.ts';
import type { Sql } from '../store/sql.ts';
import type { ZendeskClient } from '../zendesk/index.ts';
import { recordPolicyVersion, type RecordOutcome } from './policy-history.ts';

/** Who saved the policy in use, when and why (null: the flat settings apply, no policy was saved). */
export interface CurrentPolicy {
  readonly version: number;
  readonly savedAt: string;
  readonly savedBy: { readonly id: number; readonly name: string };
  readonly reason: string;
}

export interface PolicyState {
  readonly current: CurrentPolicy | null;
  /** `policy`: the saved document; `settings`: the installation's flat settings (no policy saved yet). */
  readonly source: 'policy' | 'settings';
  /** Why the stored policy was set aside at the last read (empty when it was used). */
  readonly policyIssues: readonly SettingsIssue[];
  /** The installation's `updated_at` at the last read that changed the decider. */
  readonly updatedAt: string | undefined;
}

export interface SyncResult {
  readonly state: PolicyState;
  /** What the history did with the version read (`none`: no policy saved, or it did not parse). */
  readonly recorded: RecordOutcome | 'none';
  /** Whether the decider was rebuilt by this read. */
  readonly changed: boolean;
}

export interface LivePolicyOptions {
  readonly client: ZendeskClient;
  readonly installationId: number;
  /** Where the history is recorded (the connector's database). */
  readonly sql: Sql;
  readonly log?: (line: string) => void;
  readonly clock?: () => number;
}

export interface LivePolicy {
  /** A decider that always decides with the policy in use (hand it to the closed loop once). */
  readonly decider: Decider;
  /** The version of the policy in use (null: flat settings), read at the same moment as a decision. */
  readonly version: () => number | null;
  readonly state: () => PolicyState;
  /** Reads the installation now, records its version, rebuilds the decider if it changed. */
  readonly sync: () => Promise<SyncResult>;
  /** Reads again every `intervalMs` (0: never); errors are logged and the last decider kept. */
  readonly poll: (intervalMs: number) => void;
  readonly close: () => void;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

const describe = (issues: readonly SettingsIssue[]): string =>
  issues.map((issue) => `${issue.path || '(policy)'}: ${issue.message.en}`).join('; ');

const currentOf = (policy: Policy | undefined): CurrentPolicy | null =>
  policy === undefined
    ? null
    : { version: policy.version, savedAt: policy.savedAt, savedBy: policy.savedBy, reason: policy.reason };

/**
 * Reads the installation once (it must answer: a connector that cannot read its policy does not start) and
 * returns the live policy.
 */
export async function openLivePolicy(options: LivePolicyOptions): Promise<LivePolicy> {
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? Date.now;
  let read: InstallationSettings;
  try {
    read = await readInstallationSettings(options.client, options.installationId);
  } catch (error) {
    throw new Error(
      `BOUCLE_ZENDESK_INSTALLATION_ID ${options.installationId}: the installation could not be read (${
        error instanceof Error ? error.message : String(error)
      }). Check the id (Admin Center → Apps and integrations → Zendesk Support apps → Boucle, or GET /api/v2/apps/installations.json) and that ZENDESK_EMAIL is an admin.`,
      { cause: error },
    );
  }
  if (read.policyIssues.length > 0)
    log(
      `the stored policy does not parse; the installation's flat settings apply: ${describe(read.policyIssues)}`,
    );
  let decider = createDecider(read.settings);
  let key = '';
  let state: PolicyState;
  const keyOf = (r: InstallationSettings): string =>
    `${r.updatedAt ?? ''}|${r.policy === undefined ? 'settings' : digest(serializePolicy(r.policy))}|${r.source}`;
  const adopt = (r: InstallationSettings): void => {
    decider = createDecider(r.settings);
    key = keyOf(r);
    state = {
      current: currentOf(r.policy),
      source: r.source,
      policyIssues: r.policyIssues,
      updatedAt: r.updatedAt,
    };
  };
  adopt(read);
  state = state!;

  const record = async (policy: Policy | undefined): Promise<RecordOutcome | 'none'> =>
    policy === undefined ? 'none' : recordPolicyVersion(options.sql, policy, clock());
  const firstRecorded = await record(read.policy);
  if (firstRecorded === 'recorded') log(`policy version ${read.policy!.version} recorded in the history`);

  let chain: Promise<unknown> = Promise.resolve();
  const syncOnce = async (): Promise<SyncResult> => {
    const r = await readInstallationSettings(options.client, options.installationId);
    if (r.policyIssues.length > 0) {
      // Something other than the console wrote the parameter: keep deciding with the last valid policy.
      const known = state.policyIssues.length > 0 && key === `issues|${r.updatedAt ?? ''}`;
      if (!known)
        log(
          `the stored policy does not parse; the last valid ${
            state.current === null ? 'settings' : `policy (version ${state.current.version})`
          } stay in use: ${describe(r.policyIssues)}`,
        );
      state = { ...state, policyIssues: r.policyIssues };
      key = `issues|${r.updatedAt ?? ''}`;
      return { state, recorded: 'none', changed: false };
    }
    const changed = keyOf(r) !== key;
    if (changed) {
      adopt(r);
      log(
        state.current === null
          ? 'decision settings reloaded from the installation (no policy saved)'
          : `policy version ${state.current.version} in use (saved by ${state.current.savedBy.name}: ${state.current.reason})`,
      );
    }
    const recorded = await record(r.policy);
    return { state, recorded, changed };
  };
  const sync = (): Promise<SyncResult> => {
    const next = chain.then(syncOnce, syncOnce);
    chain = next.catch(() => undefined);
    return next;
  };

  let timer: NodeJS.Timeout | undefined;
  const live: Decider = {
    get settings() {
      return decider.settings;
    },
    get rules() {
      return decider.rules;
    },
    decide: (input, now) => decider.decide(input, now),
  };
  return {
    decider: live,
    version: () => (state.source === 'policy' ? (state.current?.version ?? null) : null),
    state: () => state,
    sync,
    poll(intervalMs) {
      if (timer !== undefined) clearInterval(timer);
      if (intervalMs <= 0) return;
      timer = setInterval(() => {
        sync().catch((error: unknown) =>
          log(
            `policy read failed, the last policy stays in use: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      }, intervalMs);
      timer.unref();
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
