import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDotEnv } from './config.ts';
import { automationSection } from './automation.ts';
import { salesforceSection } from './salesforce.ts';
import { storeSection } from './store.ts';
import { syncSection } from './sync.ts';
import { zendeskSection } from './zendesk.ts';

const sections = {
  salesforce: salesforceSection,
  zendesk: zendeskSection,
  sync: syncSection,
  store: storeSection,
};

const good = {
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:1234/',
  SALESFORCE_AUTH: 'client_credentials',
  SALESFORCE_CLIENT_ID: 'id',
  SALESFORCE_CLIENT_SECRET: 'secret',
  ZENDESK_URL: 'http://127.0.0.1:5678',
  ZENDESK_EMAIL: 'admin@example.com',
  ZENDESK_API_TOKEN: 'token',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(sections, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.key);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('parses a good environment with defaults', () => {
    const config = loadConfig(sections, good);
    expect(config.salesforce.loginUrl).toBe('http://127.0.0.1:1234');
    expect(config.salesforce.apiVersion).toBe('62.0');
    expect(config.salesforce.auth).toEqual({
      kind: 'client_credentials',
      clientId: 'id',
      clientSecret: 'secret',
    });
    expect(config.sync.objects).toEqual(['Account', 'Contact', 'Opportunity', 'Order']);
    expect(config.sync.tiers).toEqual({ platinum: 100_000, gold: 25_000, silver: 5000 });
    expect(config.sync.intervalMs).toBe(600_000);
    expect(config.store.path).toBe('data/boucle.sqlite');
  });

  it('lists every bad key at once, across sections, without echoing secrets', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(sections, {
        ...good,
        SALESFORCE_API_VERSION: '50.0',
        ZENDESK_URL: 'not a url',
        ZENDESK_EMAIL: '',
        SYNC_OBJECTS: 'Account,Lead',
        SYNC_INTERVAL: 'soon',
        SALESFORCE_PRIVATE_KEY: 'hunter2',
      });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.key).sort()).toEqual([
      'SALESFORCE_API_VERSION',
      'SALESFORCE_PRIVATE_KEY',
      'SYNC_INTERVAL',
      'SYNC_OBJECTS',
      'ZENDESK_EMAIL',
      'ZENDESK_URL',
    ]);
    expect(error!.message).toContain('must be 62.0 or newer');
    expect(error!.message).toContain('unknown object Lead');
    expect(error!.message).not.toContain('hunter2');
  });

  it('asks for the keys each authentication flow needs', () => {
    expect(problemsOf({ ...good, SALESFORCE_AUTH: 'jwt' }).sort()).toEqual([
      'SALESFORCE_PRIVATE_KEY_FILE',
      'SALESFORCE_USERNAME',
    ]);
    expect(problemsOf({ ...good, SALESFORCE_AUTH: 'password' }).sort()).toEqual([
      'SALESFORCE_PASSWORD',
      'SALESFORCE_USERNAME',
    ]);
    expect(problemsOf({ ...good, SYNC_TIER_GOLD: '200000' })).toEqual(['SYNC_TIER_GOLD']);
    expect(problemsOf({ ...good, SALESFORCE_MIN_REMAINING_REQUESTS: '120%' })).toEqual([
      'SALESFORCE_MIN_REMAINING_REQUESTS',
    ]);
  });
});

describe('parseDotEnv', () => {
  it('reads comments, quotes and export', () => {
    expect(parseDotEnv('# c\nexport A=1\nB="two words"\nC=three # note\nD=\'x#y\'\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'three',
      D: 'x#y',
    });
    expect(() => parseDotEnv('oops')).toThrow(/line 1/);
  });
});

describe('store configuration', () => {
  it('.env.example lists every store key, and reads BOUCLE_DATABASE_URL as optional', () => {
    const example = readFileSync(join(import.meta.dirname, '..', '..', '..', '.env.example'), 'utf8');
    for (const key of Object.keys(storeSection.keys)) expect(example, key).toContain(key);
    const { store } = loadConfig({ store: storeSection }, parseDotEnv(example));
    expect(store).toEqual({ path: 'data/boucle.sqlite', databaseUrl: undefined });
    const url = 'postgres://boucle:s3cret@db.internal:5432/boucle';
    expect(loadConfig({ store: storeSection }, { BOUCLE_DATABASE_URL: url }).store.databaseUrl).toBe(url);
  });

  it('says what a good BOUCLE_DATABASE_URL looks like, without echoing it', () => {
    const messageOf = (value: string): string => {
      try {
        loadConfig({ store: storeSection }, { BOUCLE_DATABASE_URL: value });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(messageOf('mysql://u:s3cret@h/db')).toMatch(/must start with postgres:\/\/ \(found mysql:\/\/\)/);
    expect(messageOf('postgres://u:s3cret@db.internal:5432')).toMatch(/names no database/);
    expect(messageOf('db.internal:5432/boucle')).toMatch(/must start with postgres:\/\//);
    expect(messageOf('not a url at all')).toMatch(/is not a URL; write it as postgres:\/\//);
    expect(messageOf('postgres://u:s3cret@db.internal:5432/boucle')).toBe('accepted');
    expect(messageOf('mysql://u:s3cret@h/db')).not.toContain('s3cret');
  });
});

describe('where boucle serve reads its policy', () => {
  const serve = { automation: automationSection };
  const base = {
    BOUCLE_WEBHOOK_SECRET: 'a-webhook-signing-secret',
    BOUCLE_SURVEY_TOKEN: 'a-survey-token-of-24-characters',
  };
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(serve, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => `${p.key}: ${p.message}`);
      throw error;
    }
    return [];
  };

  it('takes the installation id and a poll interval (default one minute), and .env.example names them', () => {
    const example = readFileSync(join(import.meta.dirname, '..', '..', '..', '.env.example'), 'utf8');
    expect(example).toContain('BOUCLE_ZENDESK_INSTALLATION_ID');
    expect(example).toContain('BOUCLE_POLICY_POLL_INTERVAL');
    const { automation } = loadConfig(serve, { ...base, BOUCLE_ZENDESK_INSTALLATION_ID: '360000123456' });
    expect(automation.zendeskInstallationId).toBe(360_000_123_456);
    expect(automation.policyPollIntervalMs).toBe(60_000);
    expect(loadConfig(serve, base).automation.zendeskInstallationId).toBeUndefined();
    expect(
      loadConfig(serve, { ...base, BOUCLE_POLICY_POLL_INTERVAL: '0' }).automation.policyPollIntervalMs,
    ).toBe(0);
  });

  it('takes the lease of a claimed event (default five minutes), at least a second', () => {
    expect(loadConfig(serve, base).automation.leaseMs).toBe(300_000);
    expect(loadConfig(serve, { ...base, BOUCLE_LEASE: '20s' }).automation.leaseMs).toBe(20_000);
    expect(problems({ ...base, BOUCLE_LEASE: '10ms' })).toEqual([
      'BOUCLE_LEASE: must be at least 1s (a worker must have time to act on an event) (got "10ms"); for example 5m',
    ]);
  });

  it('reads BOUCLE_SQLITE_ACCEPT (thread by default, or inline), refuses another value saying what to write', () => {
    const example = readFileSync(join(import.meta.dirname, '..', '..', '..', '.env.example'), 'utf8');
    expect(example).toContain('BOUCLE_SQLITE_ACCEPT=thread');
    expect(loadConfig(serve, base).automation.sqliteAccept).toBe('thread');
    expect(loadConfig(serve, { ...base, BOUCLE_SQLITE_ACCEPT: 'inline' }).automation.sqliteAccept).toBe(
      'inline',
    );
    expect(problems({ ...base, BOUCLE_SQLITE_ACCEPT: 'threads' })).toEqual([
      'BOUCLE_SQLITE_ACCEPT: must be thread (commit in a worker thread, the default) or inline (commit on the event loop) (got "threads")',
    ]);
  });

  it('refuses the installation and a settings file together, and a bad id, saying what to fix', () => {
    const both = problems({
      ...base,
      BOUCLE_ZENDESK_INSTALLATION_ID: '360000123456',
      BOUCLE_SETTINGS_FILE: 'boucle-settings.json',
    });
    expect(both).toHaveLength(1);
    expect(both[0]).toMatch(/^BOUCLE_SETTINGS_FILE: cannot be set with BOUCLE_ZENDESK_INSTALLATION_ID/);
    expect(problems({ ...base, BOUCLE_ZENDESK_INSTALLATION_ID: 'boucle' })[0]).toMatch(
      /^BOUCLE_ZENDESK_INSTALLATION_ID: /,
    );
  });
});
