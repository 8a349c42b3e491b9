// Not through ../i18n/i18n.ts: the page's entry imports this module, and must reach neither `shared/` (its schemas
// belong to the UI chunk, built after zod's jitless setting) nor either language's messages.
import { loadMessages } from '../i18n/catalogue.ts';
import { toSidebarLocale, type SidebarLocale } from '../../../common/src/i18n/locale.ts';
import type { ZafClient, ZafContext } from '../../../common/src/zaf/zaf-client.ts';
import type { SettingsProblem } from './sidebar-model.ts';

/** Manifest parameters that are not Boucle settings (secure ones never reach the decision). */
export const NON_SETTING_PARAMETERS = ['connector_token', 'title'] as const;

export interface BootInfo {
  readonly context: ZafContext;
  readonly locale: SidebarLocale;
  readonly settings: Record<string, unknown>;
}

/**
 * Readiness: `client.context()` resolves once the host registered the app (from cache when it already did, so
 * there is no race with a late `app.registered` listener). Then the installation settings and the agent locale,
 * and that locale's messages (loaded as soon as the locale is read, while the settings are still on their way).
 */
export async function bootSidebar(
  client: ZafClient,
  warm?: (requesterId: number) => void,
): Promise<BootInfo> {
  const context = await client.context();
  // Start the requester's reads now, while the settings are read and the first render happens.
  if (warm) {
    void client.get(['ticket.requester']).then(
      ({ values }) => {
        const id = values['ticket.requester']?.id;
        if (id) warm(id);
      },
      () => undefined,
    );
  }
  const reading = client
    .get(['currentUser.locale'])
    .then(({ values }) => toSidebarLocale(values['currentUser.locale']));
  const [metadata, locale] = await Promise.all([
    client.metadata(),
    reading,
    reading.then((read) => loadMessages(read)),
  ]);
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata.settings ?? {})) {
    if (!(NON_SETTING_PARAMETERS as readonly string[]).includes(key)) settings[key] = value;
  }
  return { context, locale, settings };
}

export function toSettingsProblems(
  issues: readonly { path: string; parameter?: string; message: { en: string; fr: string } }[],
  locale: SidebarLocale,
): SettingsProblem[] {
  return issues.map((issue) => ({
    path: issue.parameter ?? (issue.path || '(settings)'),
    message: issue.message[locale],
  }));
}
