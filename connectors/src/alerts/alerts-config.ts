import { parsers, type ConfigSection } from '../config/config.ts';

/** Where alerts go and how many: `boucle report signals --alert` (docs/programme.md, "Alerts to the right person"). */
export interface AlertSettings {
  /**
   * Zendesk group for a cut, by `dimension:value` (`region:Belgium`, `segment:SMB`, `tier:platinum`), tried in
   * that order of the key's list; `default` when none matches. An alert with no owner and no group is not sent.
   */
  readonly groups: ReadonlyMap<string, number>;
  /** At most this many alerts (new tickets and updates) per owner (agent or group) per UTC day. */
  readonly maxPerOwnerPerDay: number;
  /** A detractor (NPS 0–6) is "high value" from this 12-month revenue (€). */
  readonly detractorMinRevenue: number;
  /** Detractor answers of the last so many days are alerted on. */
  readonly detractorDays: number;
  /** Base URL of the Zendesk account, for the links to the tickets behind an alert. */
  readonly ticketLinkBase: string | undefined;
}

const groupMap = (raw: string): Map<string, number> => {
  const map = new Map<string, number>();
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const match =
      /^(default|(?:region|segment|tier|product|language|channel|group|touchpoint):[^=]+)=(\d+)$/.exec(item);
    if (match === null)
      throw new Error(
        `"${item}" is not "dimension:value=groupId" or "default=groupId" (e.g. region:Belgium=360001,default=360002)`,
      );
    map.set(match[1]!.trim(), Number(match[2]));
  }
  return map;
};

const keys = {
  BOUCLE_ALERT_GROUPS: {
    description:
      'Zendesk group per cut for alerts without an account owner in Zendesk: "region:Belgium=360001,segment:SMB=360002,default=360003"',
    default: new Map<string, number>(),
    example: 'region:Belgium=360001,default=360003',
    parse: groupMap,
  },
  BOUCLE_ALERT_MAX_PER_OWNER_PER_DAY: {
    description: 'at most this many alert tickets opened or updated per owner (agent or group) per UTC day',
    default: 3,
    parse: parsers.integer(1, 1000),
  },
  BOUCLE_ALERT_DETRACTOR_MIN_REVENUE: {
    description: 'a detractor (NPS 0–6) is alerted on from this 12-month revenue of the account (€)',
    default: 25_000,
    parse: parsers.number(0, 1e12),
  },
  BOUCLE_ALERT_DETRACTOR_DAYS: {
    description: 'detractor answers of the last so many days are alerted on',
    default: 7,
    parse: parsers.integer(1, 365),
  },
} as const;

export const alertsSection: ConfigSection<typeof keys, Omit<AlertSettings, 'ticketLinkBase'>> = {
  name: 'alerts',
  keys,
  build: (v) => ({
    value: {
      groups: v.BOUCLE_ALERT_GROUPS,
      maxPerOwnerPerDay: v.BOUCLE_ALERT_MAX_PER_OWNER_PER_DAY,
      detractorMinRevenue: v.BOUCLE_ALERT_DETRACTOR_MIN_REVENUE,
      detractorDays: v.BOUCLE_ALERT_DETRACTOR_DAYS,
    },
  }),
};
