import type { CompensationTier, FollowUp } from '../../../../shared/src/index.ts';
import type { TicketPriority } from '../../../common/src/zaf/zaf-client.ts';

export type Action = 'none' | 'apology' | 'callback' | 'compensation';
export type EffortClass = 'customer_harder' | 'balanced' | 'company_harder';
export type EffortSource = 'measured' | 'partial' | 'estimated';

/** The ticket as the sidebar reads it with `client.get` (no API request). */
export interface TicketFacts {
  readonly id: number;
  readonly subject: string;
  readonly priority: TicketPriority | null;
  readonly tags: readonly string[];
  readonly status: string;
  readonly createdAt: string | null;
  readonly channel: string | null;
  /** Whether an agent owns the ticket; null when the host did not say. */
  readonly assigned: boolean | null;
  /** The ticket's organisation (a fallback when the user read did not sideload it). */
  readonly organization: { readonly id: number; readonly name: string } | null;
  readonly requester: { readonly id: number; readonly name: string; readonly locale: string | null } | null;
  readonly comments: readonly {
    readonly text: string;
    readonly fromRequester: boolean;
    /** False for an internal note. */
    readonly public: boolean;
    readonly at: string | null;
  }[];
  /** `custom_field_<id>` of Boucle's ticket fields, found by title in `ticketFields`. */
  readonly fieldIds: { readonly intervention: string | null; readonly callbackDueAt: string | null };
}

/** C:CER of the current incident, as shown in the gauge. */
export interface EffortView {
  readonly customerEffort: number | null;
  readonly companyEffort: number | null;
  readonly ratio: number | null;
  readonly effortClass: EffortClass | null;
  readonly source: EffortSource;
  /** Human-readable signals behind an estimate (already localised). */
  readonly signals: readonly string[];
}

/** What the sidebar shows and applies for the current incident; built from `shared/`'s decision. */
export interface RecommendationView {
  readonly action: Action;
  readonly compensationTier: string | null;
  readonly priority: TicketPriority;
  readonly expectedValue: number;
  readonly cost: number;
  readonly callbackDueAt: string | null;
  /** What the intervention promises and until when (shared/src/policy/follow-up.ts); null for "none". */
  readonly followUp: FollowUp | null;
  /** The compensation tier's amount and customer-facing labels, for the card and the draft reply. */
  readonly compensation: Pick<CompensationTier, 'amount' | 'label'> | null;
  /** `solved`: solved or closed, no bad answer since; `reopened`: a bad answer came after it was solved. */
  readonly ticketStage: 'live' | 'solved' | 'reopened';
  readonly tags: readonly string[];
  /** The two or three reasons, readable in a glance. */
  readonly headline: string;
  readonly facts: readonly string[];
  readonly rules: readonly string[];
  readonly figures: readonly string[];
  readonly effort: EffortView;
  /** Other actions the agent may choose instead, with their expected value. */
  readonly alternatives: readonly { readonly action: Action; readonly expectedValue: number }[];
}

/** A setting that failed validation, with what to do, in the agent's language. */
export interface SettingsProblem {
  readonly path: string;
  readonly message: string;
}
