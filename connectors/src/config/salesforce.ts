import { readFileSync } from 'node:fs';
import { parsers, type ConfigSection } from './config.ts';

export type SalesforceAuth =
  | {
      readonly kind: 'jwt';
      readonly clientId: string;
      readonly username: string;
      readonly privateKey: string;
    }
  | { readonly kind: 'client_credentials'; readonly clientId: string; readonly clientSecret: string }
  | {
      readonly kind: 'password';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly username: string;
      readonly password: string;
    };

export interface SalesforceSettings {
  readonly loginUrl: string;
  /** Instance URL; the token response's `instance_url` wins when present. */
  readonly instanceUrl: string | undefined;
  readonly apiVersion: string;
  readonly auth: SalesforceAuth;
  /** Stop when the org's remaining daily API requests fall to this number. */
  readonly minRemainingRequests: { readonly kind: 'count' | 'percent'; readonly value: number };
  /** Per-request timeout (ms); a slower answer is aborted and retried. */
  readonly requestTimeoutMs: number;
  /** Interval between Bulk API 2.0 job status polls (ms). */
  readonly bulkPollIntervalMs: number;
}

export const MIN_API_VERSION = 62;

const keys = {
  SALESFORCE_LOGIN_URL: {
    description: 'Salesforce login URL (My Domain or login host)',
    required: true,
    example: 'https://yourcompany.my.salesforce.com',
    parse: parsers.url,
  },
  SALESFORCE_INSTANCE_URL: {
    description: 'instance URL, when it differs from the login URL',
    parse: parsers.url,
  },
  SALESFORCE_API_VERSION: {
    description: `Salesforce REST API version, ${MIN_API_VERSION}.0 or newer`,
    default: `${MIN_API_VERSION}.0`,
    example: '62.0',
    parse: (raw: string): string => {
      if (!/^\d{2,3}\.0$/.test(raw)) throw new Error('must look like 62.0');
      if (Number(raw) < MIN_API_VERSION) throw new Error(`must be ${MIN_API_VERSION}.0 or newer`);
      return raw;
    },
  },
  SALESFORCE_AUTH: {
    description: 'authentication flow: jwt, client_credentials or password',
    required: true,
    example: 'jwt',
    parse: parsers.oneOf(['jwt', 'client_credentials', 'password'] as const),
  },
  SALESFORCE_CLIENT_ID: {
    description: "connected app's consumer key",
    required: true,
    parse: parsers.string,
  },
  SALESFORCE_CLIENT_SECRET: {
    description: "connected app's consumer secret (client_credentials and password flows)",
    secret: true,
    parse: parsers.string,
  },
  SALESFORCE_USERNAME: {
    description: 'integration user (jwt and password flows)',
    parse: parsers.string,
  },
  SALESFORCE_PASSWORD: {
    description: 'password followed by the security token (password flow)',
    secret: true,
    parse: parsers.string,
  },
  SALESFORCE_PRIVATE_KEY_FILE: {
    description: 'path of the PEM private key whose certificate is on the connected app (jwt flow)',
    parse: (raw: string): string => {
      try {
        const pem = readFileSync(raw, 'utf8');
        if (!pem.includes('PRIVATE KEY')) throw new Error('no PEM private key in the file');
        return pem;
      } catch (error) {
        throw new Error(`cannot read a private key from this file: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
  },
  SALESFORCE_PRIVATE_KEY: {
    description: 'the PEM private key itself, instead of SALESFORCE_PRIVATE_KEY_FILE (\\n for newlines)',
    secret: true,
    parse: (raw: string): string => {
      const pem = raw.replace(/\\n/g, '\n');
      if (!pem.includes('PRIVATE KEY')) throw new Error('is not a PEM private key');
      return pem;
    },
  },
  SALESFORCE_MIN_REMAINING_REQUESTS: {
    description: "stop syncing when the org's remaining daily API requests reach this floor (count or %)",
    default: { kind: 'percent', value: 20 } as { kind: 'count' | 'percent'; value: number },
    example: '20% or 5000',
    parse: (raw: string): { kind: 'count' | 'percent'; value: number } => {
      const percent = /^(\d+(?:\.\d+)?)%$/.exec(raw);
      if (percent !== null) {
        const value = Number(percent[1]);
        if (value > 100) throw new Error('a percentage must be at most 100%');
        return { kind: 'percent', value };
      }
      return { kind: 'count', value: parsers.integer(0, 1_000_000_000)(raw) };
    },
  },
  SALESFORCE_REQUEST_TIMEOUT: {
    description: 'abort and retry a Salesforce request that takes longer than this',
    default: 120_000,
    example: '2m',
    parse: parsers.duration,
  },
  SALESFORCE_BULK_POLL_INTERVAL: {
    description: 'interval between Bulk API 2.0 job status polls',
    default: 1000,
    example: '1s',
    parse: parsers.duration,
  },
} as const;

export const salesforceSection: ConfigSection<typeof keys, SalesforceSettings> = {
  name: 'salesforce',
  keys,
  build: (v) => {
    const problems: [string, string][] = [];
    const need = (key: keyof typeof keys, value: string | undefined, why: string): string => {
      if (value === undefined) problems.push([key, `is required ${why}`]);
      return value ?? '';
    };
    const flow = `when SALESFORCE_AUTH=${v.SALESFORCE_AUTH}`;
    let auth: SalesforceAuth;
    switch (v.SALESFORCE_AUTH) {
      case 'jwt': {
        const username = need('SALESFORCE_USERNAME', v.SALESFORCE_USERNAME, flow);
        const privateKey = v.SALESFORCE_PRIVATE_KEY ?? v.SALESFORCE_PRIVATE_KEY_FILE;
        if (privateKey === undefined)
          problems.push(['SALESFORCE_PRIVATE_KEY_FILE', `or SALESFORCE_PRIVATE_KEY is required ${flow}`]);
        auth = { kind: 'jwt', clientId: v.SALESFORCE_CLIENT_ID, username, privateKey: privateKey ?? '' };
        break;
      }
      case 'client_credentials':
        auth = {
          kind: 'client_credentials',
          clientId: v.SALESFORCE_CLIENT_ID,
          clientSecret: need('SALESFORCE_CLIENT_SECRET', v.SALESFORCE_CLIENT_SECRET, flow),
        };
        break;
      case 'password':
        auth = {
          kind: 'password',
          clientId: v.SALESFORCE_CLIENT_ID,
          clientSecret: need('SALESFORCE_CLIENT_SECRET', v.SALESFORCE_CLIENT_SECRET, flow),
          username: need('SALESFORCE_USERNAME', v.SALESFORCE_USERNAME, flow),
          password: need('SALESFORCE_PASSWORD', v.SALESFORCE_PASSWORD, flow),
        };
        break;
    }
    if (problems.length > 0) return { problems };
    return {
      value: {
        loginUrl: v.SALESFORCE_LOGIN_URL,
        instanceUrl: v.SALESFORCE_INSTANCE_URL,
        apiVersion: v.SALESFORCE_API_VERSION,
        auth,
        minRemainingRequests: v.SALESFORCE_MIN_REMAINING_REQUESTS,
        requestTimeoutMs: v.SALESFORCE_REQUEST_TIMEOUT,
        bulkPollIntervalMs: v.SALESFORCE_BULK_POLL_INTERVAL,
      },
    };
  },
};
