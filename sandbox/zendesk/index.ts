/** The Zendesk emulator: a local stand-in for the Zendesk Support API that Boucle uses. */
import type { StartEmulator } from '../emulator.ts';
import { startZendeskEmulator as start } from './server.ts';

export {
  ZENDESK_SANDBOX_CREDENTIALS,
  ZENDESK_SANDBOX_AGENT,
  type ZendeskSandboxCredentials,
} from './seed.ts';
export type { ZendeskEmulator, ZendeskEmulatorOptions, FaultSpec, RequestLogEntry } from './server.ts';
export type { WebhookDelivery } from './triggers.ts';
export type { InstalledRequirements } from './requirements.ts';
export type { InstallAppOptions, SettingValue } from './app-installations.ts';
export { signWebhook } from './triggers.ts';
export type { ZendeskStore } from './store.ts';

/** Starts the emulator: the `StartEmulator` contract of `boucle emulate`, plus the Zendesk-only options and API. */
export const startZendeskEmulator = start satisfies StartEmulator;
