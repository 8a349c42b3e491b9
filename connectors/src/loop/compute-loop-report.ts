import type { LedgerEntry } from './intervention-ledger.ts';

export interface WeekFigures {
  /** ISO week, e.g. 2026-W47 (of the decision). */
  readonly week: string;
  /** Decisions that asked for an action (apology, callback, compensation). */
  readonly interventions: number;
  /** …of which the loop was closed (contacted, resolved, compensated, or a survey outcome). */
  readonly closed: number;
  /** closed / interventions, 0…1; null without interventions. */
  readonly closureRate: number | null;
  /** Median hours from decision to first contact, over the contacted ones. */
  readonly medianHoursToFirstContact: number | null;
  /** First contacts made before the callback deadline / callbacks with a deadline and a contact. */
  readonly withinDeadlineRate: number | null;
  /** recovered / (recovered + lost), from follow-up surveys. */
  readonly recoveryRate: number | null;
  readonly recoveryAnswers: number;
}

export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Loop closure, time to first contact and recovery per week of decision, oldest week first. */
export function computeLoopReport(entries: readonly LedgerEntry[]): WeekFigures[] {
  const byWeek = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    if (entry.action === 'none') continue;
    const week = isoWeek(entry.decidedAt);
    byWeek.set(week, [...(byWeek.get(week) ?? []), entry]);
  }
  return [...byWeek.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, list]) => {
      const closed = list.filter((entry) => entry.outcome !== null).length;
      const contacted = list.filter((entry) => entry.firstContactAt !== null);
      const withDeadline = contacted.filter((entry) => entry.dueAt !== null);
      const recoveryAnswers = list.filter((entry) => entry.recovered !== null);
      return {
        week,
        interventions: list.length,
        closed,
        closureRate: ratio(closed, list.length),
        medianHoursToFirstContact: median(
          contacted.map((entry) => (entry.firstContactAt!.getTime() - entry.decidedAt.getTime()) / 3_600_000),
        ),
        withinDeadlineRate: ratio(
          withDeadline.filter((entry) => entry.firstContactAt! <= entry.dueAt!).length,
          withDeadline.length,
        ),
        recoveryRate: ratio(
          recoveryAnswers.filter((entry) => entry.recovered === true).length,
          recoveryAnswers.length,
        ),
        recoveryAnswers: recoveryAnswers.length,
      };
    });
}

const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(0)} %`);

/** A plain-text table for `boucle report loop`. */
export function formatLoopReport(weeks: readonly WeekFigures[]): string {
  if (weeks.length === 0) return 'No intervention recorded yet.\n';
  const header = [
    'week',
    'interventions',
    'closed',
    'closure',
    'median h to contact',
    'within deadline',
    'recovery',
  ];
  const rows = weeks.map((week) => [
    week.week,
    String(week.interventions),
    String(week.closed),
    percent(week.closureRate),
    week.medianHoursToFirstContact === null ? '—' : week.medianHoursToFirstContact.toFixed(1),
    percent(week.withinDeadlineRate),
    week.recoveryAnswers === 0 ? '—' : `${percent(week.recoveryRate)} (${week.recoveryAnswers})`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
