/** When the team works: the callback clock only runs inside these hours. */
export interface BusinessHours {
  /** IANA time zone, e.g. Europe/Paris. */
  readonly timeZone: string;
  /** ISO weekdays the team works, 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** Opening and closing, minutes after local midnight (09:00 = 540). */
  readonly openMinute: number;
  readonly closeMinute: number;
}

export const ALWAYS_OPEN: BusinessHours = {
  timeZone: 'UTC',
  days: [1, 2, 3, 4, 5, 6, 7],
  openMinute: 0,
  closeMinute: 1440,
};

/** `Mon-Fri 09:00-18:00 Europe/Paris`, `Mon,Tue,Thu 08:30-17:00 UTC`, or `24/7`. */
export function parseBusinessHours(text: string): BusinessHours {
  const value = text.trim();
  if (value === '24/7') return ALWAYS_OPEN;
  const match = /^([A-Za-z,-]+)\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s+(\S+)$/.exec(value);
  if (match === null) throw new Error('must look like "Mon-Fri 09:00-18:00 Europe/Paris" or "24/7"');
  const [, dayText = '', oh = '', om = '', ch = '', cm = '', timeZone = ''] = match;
  try {
    new Intl.DateTimeFormat('en', { timeZone }).format(0);
  } catch {
    throw new Error(`"${timeZone}" is not a time zone (use an IANA name such as Europe/Paris)`);
  }
  const days = new Set<number>();
  for (const part of dayText.split(',')) {
    const [from, to] = part.split('-');
    const start = dayNumber(from ?? '');
    const end = to === undefined ? start : dayNumber(to);
    for (let day = start; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === end) break;
    }
  }
  const openMinute = Number(oh) * 60 + Number(om);
  const closeMinute = Number(ch) * 60 + Number(cm);
  if (openMinute >= closeMinute || closeMinute > 1440)
    throw new Error('the opening time must come before the closing time');
  return { timeZone, days: [...days].sort(), openMinute, closeMinute };
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function dayNumber(name: string): number {
  const index = DAY_NAMES.indexOf(name.trim().slice(0, 3).toLowerCase());
  if (index < 0) throw new Error(`"${name}" is not a day (Mon … Sun)`);
  return index + 1;
}

interface LocalTime {
  readonly isoDay: number;
  readonly minute: number;
}

function localTime(date: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const read = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return { isoDay: dayNumber(read('weekday')), minute: Number(read('hour')) * 60 + Number(read('minute')) };
}

/**
 * The instant `hours` working hours after `start`: the clock stops outside business hours. Walks minute
 * blocks in UTC and asks the time zone for each, so daylight-saving changes are right.
 */
export function addBusinessHours(start: Date, hours: number, calendar: BusinessHours): Date {
  let remaining = Math.round(hours * 60);
  let cursor = Math.floor(start.getTime() / 60_000) * 60_000;
  if (calendar.days.length === 0) throw new Error('business hours need at least one working day');
  let guard = 0;
  while (remaining > 0) {
    const local = localTime(new Date(cursor), calendar.timeZone);
    const open =
      calendar.days.includes(local.isoDay) &&
      local.minute >= calendar.openMinute &&
      local.minute < calendar.closeMinute;
    if (open) {
      const step = Math.min(remaining, calendar.closeMinute - local.minute);
      cursor += step * 60_000;
      remaining -= step;
    } else {
      const step =
        local.minute < calendar.openMinute && calendar.days.includes(local.isoDay)
          ? calendar.openMinute - local.minute
          : 1440 - local.minute;
      cursor += Math.max(1, Math.min(step, 60)) * 60_000;
    }
    guard += 1;
    if (guard > 1_000_000) throw new Error('business hours never open');
  }
  return new Date(Math.max(cursor, start.getTime()));
}
