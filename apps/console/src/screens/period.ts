/** Month arithmetic on ISO instants (UTC), for the "last 3 months against the 3 before" periods. */
export function addMonthsIso(iso: string, months: number): string {
  const d = new Date(iso);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)).toISOString();
}

export interface Periods {
  readonly current: { readonly from: string; readonly to: string };
  readonly previous: { readonly from: string; readonly to: string };
}

/** The 3 months that end where the programme's data ends, and the 3 months before them. */
export function periodsEndingAt(to: string): Periods {
  const from = addMonthsIso(to, -3);
  return { current: { from, to }, previous: { from: addMonthsIso(to, -6), to: from } };
}
