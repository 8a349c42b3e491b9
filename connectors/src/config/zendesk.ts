import { parsers, type ConfigSection } from './config.ts';

/** Zendesk API access, shared by every feature that calls Zendesk (sync, automation). */
export interface ZendeskSettings {
  readonly url: string;
  readonly email: string;
  readonly apiToken: string;
  /** Requests per minute Boucle allows itself (a share of the plan's limit). */
  readonly requestsPerMinute: number;
}

const keys = {
  ZENDESK_URL: {
    description: 'base URL of the Zendesk account',
    required: true,
    example: 'https://yourcompany.zendesk.com',
    parse: parsers.url,
  },
  ZENDESK_EMAIL: {
    description: 'email of the agent or admin the API token belongs to',
    required: true,
    example: 'admin@yourcompany.com',
    parse: (raw: string): string => {
      if (!/^[^@\s]+@[^@\s]+$/.test(raw)) throw new Error('is not an email address');
      return raw;
    },
  },
  ZENDESK_API_TOKEN: {
    description: 'Zendesk API token (Admin Center → Apps and integrations → Zendesk API)',
    required: true,
    secret: true,
    parse: parsers.string,
  },
  ZENDESK_REQUESTS_PER_MINUTE: {
    description: "requests per minute Boucle may use (keep it under your plan's limit)",
    default: 200,
    parse: parsers.integer(1, 100_000),
  },
} as const;

export const zendeskSection: ConfigSection<typeof keys, ZendeskSettings> = {
  name: 'zendesk',
  keys,
  build: (v) => ({
    value: {
      url: v.ZENDESK_URL,
      email: v.ZENDESK_EMAIL,
      apiToken: v.ZENDESK_API_TOKEN,
      requestsPerMinute: v.ZENDESK_REQUESTS_PER_MINUTE,
    },
  }),
};
