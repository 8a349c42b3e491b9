import { parseBusinessHours, type BusinessHours } from '../loop/business-hours.ts';
import { parsers, type ConfigSection } from './config.ts';

/** `boucle serve`: the closed-loop automation service (webhooks, survey endpoint, queue, follow-up). */
export interface AutomationSettings {
  readonly host: string;
  readonly port: number;
  readonly webhookSecret: string;
  readonly surveyToken: string;
  readonly webhookToleranceSeconds: number;
  readonly workers: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** How long a worker holds an event it claimed before another may take it over (default 5 min). */
  readonly leaseMs?: number;
  readonly businessHours: BusinessHours | null;
  readonly reminderLeadMs: number;
  readonly followUpGroupId: number | undefined;
  /** Survey fatigue: solved tickets are tagged boucle_no_survey within this many days of an answer (0: off). */
  readonly surveyFatigueDays?: number;
  readonly settingsFile: string | undefined;
  /** The Boucle installation in Zendesk whose policy the connector decides with (replaces settingsFile). */
  readonly zendeskInstallationId?: number;
  /** How often the installation is read again for a new policy (0: only on POST /api/v1/policy/sync). */
  readonly policyPollIntervalMs?: number;
  readonly csatPullIntervalMs: number;
  readonly deadlineScanIntervalMs: number;
  /** `full`: fsync at every commit (survives power loss). `normal`: survives a killed process, not an OS crash. */
  readonly queueSync: 'full' | 'normal';
  /**
   * Where the SQLite queue commits accepted events: `thread`, in a worker thread with its own connection (the
   * event loop never waits for the fsync); `inline`, on the event loop (no second thread, no copying of events).
   * Absent: `thread`. PostgreSQL's queue ignores it.
   */
  readonly sqliteAccept?: 'thread' | 'inline';
}

const keys = {
  BOUCLE_HOST: {
    description: 'address `boucle serve` listens on',
    default: '127.0.0.1',
    parse: parsers.string,
  },
  BOUCLE_PORT: {
    description: 'port `boucle serve` listens on (0: any free port)',
    default: 8787,
    parse: parsers.integer(0, 65535),
  },
  BOUCLE_WEBHOOK_SECRET: {
    description:
      'signing secret of the Zendesk webhook (Admin Center → Webhooks → the Boucle webhook → Reveal secret)',
    required: true,
    secret: true,
    parse: (raw: string): string => {
      if (raw.length < 16) throw new Error('must be the webhook signing secret (at least 16 characters)');
      return raw;
    },
  },
  BOUCLE_SURVEY_TOKEN: {
    description: 'bearer token survey tools send to POST /feedback',
    required: true,
    secret: true,
    parse: (raw: string): string => {
      if (raw.length < 24)
        throw new Error('must be at least 24 characters (generate one with `openssl rand -hex 24`)');
      return raw;
    },
  },
  BOUCLE_WEBHOOK_TOLERANCE: {
    description: 'how far a webhook signature timestamp may be from now (replay window)',
    default: 300_000,
    example: '5m',
    parse: parsers.duration,
  },
  BOUCLE_WORKERS: {
    description: 'events processed at the same time',
    default: 4,
    parse: parsers.integer(1, 64),
  },
  BOUCLE_MAX_ATTEMPTS: {
    description: 'attempts before an event goes to the dead-letter list',
    default: 8,
    parse: parsers.integer(1, 100),
  },
  BOUCLE_RETRY_BASE: {
    description: 'first retry delay (doubles each attempt)',
    default: 1000,
    example: '1s',
    parse: parsers.duration,
  },
  BOUCLE_RETRY_MAX: {
    description: 'longest retry delay',
    default: 300_000,
    example: '5m',
    parse: parsers.duration,
  },
  BOUCLE_LEASE: {
    description:
      'how long a worker holds an event it took before another may take it over (with BOUCLE_DATABASE_URL, the events of a worker that died wait this long); longer than the slowest event',
    default: 300_000,
    example: '5m',
    parse: (raw: string): number => {
      const ms = parsers.duration(raw);
      if (ms < 1000) throw new Error('must be at least 1s (a worker must have time to act on an event)');
      return ms;
    },
  },
  BOUCLE_BUSINESS_HOURS: {
    description: 'working hours for callback deadlines; absent: the clock runs around the clock',
    example: '"Mon-Fri 09:00-18:00 Europe/Paris"',
    parse: parseBusinessHours,
  },
  BOUCLE_REMINDER_LEAD: {
    description: 'how long before a callback deadline the reminder goes out',
    default: 7_200_000,
    example: '2h',
    parse: parsers.duration,
  },
  BOUCLE_FOLLOW_UP_GROUP_ID: {
    description: 'Zendesk group that gets follow-up tickets opened for a low score',
    parse: parsers.integer(1, Number.MAX_SAFE_INTEGER),
  },
  BOUCLE_SURVEY_FATIGUE_DAYS: {
    description:
      'survey fatigue: a solved ticket is tagged boucle_no_survey when its requester answered a survey within this many days or has an open loop (0: off)',
    default: 30,
    parse: parsers.integer(0, 365),
  },
  BOUCLE_SETTINGS_FILE: {
    description: 'JSON file with the decision settings (same keys as the app settings); absent: the defaults',
    example: 'boucle-settings.json',
    parse: parsers.string,
  },
  BOUCLE_ZENDESK_INSTALLATION_ID: {
    description:
      "the Boucle app's installation id in Zendesk: the connector decides with the policy saved there (the console's), read again without a restart; cannot be set with BOUCLE_SETTINGS_FILE",
    example: '360000123456',
    parse: parsers.integer(1, Number.MAX_SAFE_INTEGER),
  },
  BOUCLE_POLICY_POLL_INTERVAL: {
    description:
      'how often the installation is read again for a new policy (0: only when the console calls POST /api/v1/policy/sync)',
    default: 60_000,
    example: '1m',
    parse: parsers.duration,
  },
  BOUCLE_CSAT_PULL_INTERVAL: {
    description: 'how often Zendesk CSAT ratings are pulled (0: never)',
    default: 300_000,
    example: '5m',
    parse: parsers.duration,
  },
  BOUCLE_DEADLINE_SCAN_INTERVAL: {
    description: 'how often callback deadlines are checked',
    default: 60_000,
    example: '1m',
    parse: parsers.duration,
  },
  BOUCLE_QUEUE_SYNC: {
    description:
      'durability of an accepted event before its 2xx: full (fsync every commit, survives power loss) or normal (survives a killed process; an OS crash may lose the last commits)',
    default: 'full',
    parse: parsers.oneOf(['full', 'normal'] as const),
  },
  BOUCLE_SQLITE_ACCEPT: {
    description:
      'where the SQLite queue commits accepted webhooks: thread (a worker thread: the event loop never waits for the fsync; slow or network disks) or inline (on the event loop: less CPU per event; fast local disk, few cores); docs/scaling.md',
    default: 'thread',
    parse: (raw: string): 'thread' | 'inline' => {
      if (raw !== 'thread' && raw !== 'inline')
        throw new Error(
          'must be thread (commit in a worker thread, the default) or inline (commit on the event loop)',
        );
      return raw;
    },
  },
} as const;

export const automationSection: ConfigSection<typeof keys, AutomationSettings> = {
  name: 'automation',
  keys,
  build: (v) => {
    if (v.BOUCLE_RETRY_BASE > v.BOUCLE_RETRY_MAX) {
      return { problems: [['BOUCLE_RETRY_BASE', 'must not be longer than BOUCLE_RETRY_MAX']] };
    }
    if (v.BOUCLE_ZENDESK_INSTALLATION_ID !== undefined && v.BOUCLE_SETTINGS_FILE !== undefined) {
      return {
        problems: [
          [
            'BOUCLE_SETTINGS_FILE',
            'cannot be set with BOUCLE_ZENDESK_INSTALLATION_ID: the policy is then the one saved on the installation (Boucle console); remove BOUCLE_SETTINGS_FILE, or import the file in the console first',
          ],
        ],
      };
    }
    return {
      value: {
        host: v.BOUCLE_HOST,
        port: v.BOUCLE_PORT,
        webhookSecret: v.BOUCLE_WEBHOOK_SECRET,
        surveyToken: v.BOUCLE_SURVEY_TOKEN,
        webhookToleranceSeconds: v.BOUCLE_WEBHOOK_TOLERANCE / 1000,
        workers: v.BOUCLE_WORKERS,
        maxAttempts: v.BOUCLE_MAX_ATTEMPTS,
        retryBaseMs: v.BOUCLE_RETRY_BASE,
        retryMaxMs: v.BOUCLE_RETRY_MAX,
        leaseMs: v.BOUCLE_LEASE,
        businessHours: v.BOUCLE_BUSINESS_HOURS ?? null,
        reminderLeadMs: v.BOUCLE_REMINDER_LEAD,
        followUpGroupId: v.BOUCLE_FOLLOW_UP_GROUP_ID,
        surveyFatigueDays: v.BOUCLE_SURVEY_FATIGUE_DAYS,
        settingsFile: v.BOUCLE_SETTINGS_FILE,
        ...(v.BOUCLE_ZENDESK_INSTALLATION_ID === undefined
          ? {}
          : { zendeskInstallationId: v.BOUCLE_ZENDESK_INSTALLATION_ID }),
        policyPollIntervalMs: v.BOUCLE_POLICY_POLL_INTERVAL,
        csatPullIntervalMs: v.BOUCLE_CSAT_PULL_INTERVAL,
        deadlineScanIntervalMs: v.BOUCLE_DEADLINE_SCAN_INTERVAL,
        queueSync: v.BOUCLE_QUEUE_SYNC,
        sqliteAccept: v.BOUCLE_SQLITE_ACCEPT,
      },
    };
  },
};
