/**
 * The connector reads the same policy as the sidebar: the Boucle installation's settings, through the Apps
 * installation API, resolved by `resolveSettings` (the saved `policy` parameter, else the flat settings). No
 * second copy to keep in step; see docs/admin.md.
 */
import { resolveSettings } from '../../../shared/src/index.ts';
import type { Policy, Settings, SettingsIssue } from '../../../shared/src/index.ts';
import type { ZendeskClient } from '../zendesk/index.ts';

export interface InstallationSettings {
  readonly installationId: number;
  /** When Zendesk last changed the installation (a save of the policy changes it). */
  readonly updatedAt: string | undefined;
  readonly settings: Settings;
  readonly source: 'policy' | 'settings';
  readonly policy: Policy | undefined;
  /** Why a stored policy was set aside (the flat settings then apply). */
  readonly policyIssues: readonly SettingsIssue[];
}

function describeIssues(issues: readonly SettingsIssue[]): string {
  return issues.map((issue) => `  ${issue.path || '(settings)'}: ${issue.message.en}`).join('\n');
}

/**
 * Reads an installation's settings as the decider takes them. The client must hold an admin's credentials
 * (Zendesk answers 403 otherwise). Throws, with every bad path, when the installation's settings do not parse.
 */
export async function readInstallationSettings(
  client: ZendeskClient,
  installationId: number,
): Promise<InstallationSettings> {
  const installation = await client.getAppInstallation(installationId);
  const resolved = resolveSettings(installation.settings);
  if (!resolved.success) {
    throw new Error(
      `The settings of Zendesk app installation ${installationId} are not valid:\n${describeIssues(resolved.issues)}`,
    );
  }
  return {
    installationId,
    updatedAt: installation.updated_at,
    settings: resolved.data,
    source: resolved.source,
    policy: resolved.policy,
    policyIssues: resolved.policyIssues,
  };
}
