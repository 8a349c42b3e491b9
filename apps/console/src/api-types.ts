/** The connector API's answers the console reads (docs/api/boucle-api.openapi.yaml), as TypeScript types. */
import type { Interval, MeanEstimate, Proportion } from '../../../shared/src/programme/statistics.ts';

export type { Interval, MeanEstimate, Proportion };
export interface ProgrammeFigures {
  readonly answers: number;
  readonly nps: { readonly n: number; readonly score: number | null; readonly interval: Interval | null };
  readonly csat: Proportion;
  readonly ces: MeanEstimate;
  readonly effortRatio: { readonly pairs: number; readonly customerHarder: Proportion };
  readonly tickets: number;
  readonly incidents: number;
  readonly complaintRate: Proportion;
}
export interface ProgrammeReport {
  readonly from: string;
  readonly to: string;
  readonly total: ProgrammeFigures;
  readonly rows: readonly {
    readonly cut: Readonly<Record<string, string>>;
    readonly bucket: string | null;
    readonly figures: ProgrammeFigures;
  }[];
}
export interface WarningSign {
  readonly kind: string;
  readonly dimension: string;
  readonly value: string;
  readonly phrase: string | null;
  readonly metric: string;
  readonly baseline: Proportion;
  readonly recent: Proportion;
  readonly change: number;
  readonly qValue: number;
  readonly since: string;
  readonly answers: number;
  readonly tickets: readonly string[];
  readonly ticketCount: number;
}
export interface SignalScan {
  readonly recent: { readonly from: string; readonly to: string };
  readonly signs: readonly WarningSign[];
}
export interface SignalState {
  readonly id: string;
  readonly state: 'acknowledged' | 'snoozed';
  readonly until: string | null;
  readonly by: string | null;
  readonly at: string;
}
/** Who was alerted of a sign: the alert ticket opened for it (GET /api/v1/signal-states `alerts`). */
export interface SignAlert {
  readonly signalId: string;
  readonly ticketId: number;
  readonly owner: { readonly kind: 'agent' | 'group'; readonly id: number };
  readonly openedAt: string;
  readonly updatedAt: string;
}
export interface FunnelStep {
  readonly step: string;
  readonly count: number;
  readonly ofPrevious: Proportion | null;
  readonly value: number;
}
export interface FunnelReport {
  readonly rows: readonly {
    readonly steps: readonly FunnelStep[];
    readonly valueAtRisk: number;
    readonly valueRecovered: number;
  }[];
}
export interface CallbackItem {
  readonly ticketId: number;
  readonly action: 'callback' | 'compensation';
  readonly tier: string | null;
  readonly customer: string | null;
  readonly groupId: number | null;
  readonly summary: string;
  readonly expectedValue: number;
  readonly agentMinutes: number;
  readonly valuePerMinute: number | null;
  readonly rank: number;
  readonly scheduled: boolean;
  readonly dueAt: string | null;
  readonly overdue: boolean;
  readonly minutesToDue: number | null;
  readonly outsideCapacity: { readonly minutesNeeded: number; readonly minutesLeft: number } | null;
}
export interface CallbackQueue {
  readonly asOf: string;
  /** The end of today as asked (exclusive): callbacks due from then on are `later`. */
  readonly until: string;
  readonly later: {
    readonly count: number;
    readonly nextDueAt: string | null;
    readonly expectedValue: number;
  };
  readonly capacityMinutes: number;
  readonly usedMinutes: number;
  readonly scheduledValue: number;
  readonly deferredValue: number;
  readonly queue: readonly CallbackItem[];
  readonly outsideCapacity: readonly CallbackItem[];
}
export interface TicketList {
  readonly tickets: readonly string[];
  readonly count: number;
}
