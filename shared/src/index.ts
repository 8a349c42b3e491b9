/**
 * Boucle's pure domain: the public API. Everything a consumer (sidebar, connectors, CLI) may use is named here;
 * nothing else under shared/src is part of the contract.
 */

// Vocabulary
export {
  ACTIONS,
  ACTION_STRENGTH,
  CHANNELS,
  EFFORT_CLASSES,
  EFFORT_SOURCES,
  INCIDENT_TYPES,
  LOCALES,
  NPS_CATEGORIES,
  PRIORITIES,
  PRIORITY_RANK,
  SEVERITIES,
  SEVERITY_RANK,
  FOLLOW_UP_KINDS,
  TICKET_STATUSES,
  VALUE_TIERS,
} from './domain/vocabulary.ts';
export type {
  Action,
  Channel,
  EffortClass,
  EffortSource,
  FollowUpKind,
  IncidentType,
  Locale,
  LocalizedText,
  NpsCategory,
  Priority,
  Severity,
  TicketStatus,
  ValueTier,
} from './domain/vocabulary.ts';
export { dateOrTimestampSchema, timestampSchema } from './domain/time.ts';
export { formatIssuePath, joinIssuePath } from './domain/issue-path.ts';

// Schemas of what flows through Boucle
export {
  CSAT_SCALES,
  EFFORT_SCALES,
  cesResponseSchema,
  companyEffortResponseSchema,
  csatResponseSchema,
  feedbackResponseSchema,
  npsResponseSchema,
} from './feedback/feedback-schema.ts';
export type {
  CesResponse,
  CompanyEffortResponse,
  CsatResponse,
  CsatScale,
  EffortScale,
  FeedbackKind,
  FeedbackResponse,
  NpsResponse,
} from './feedback/feedback-schema.ts';
export { customerValueProfileSchema } from './customer/value-profile-schema.ts';
export type { CustomerValueProfile, CustomerValueProfileInput } from './customer/value-profile-schema.ts';
export { computeValueAtRisk, computeValueTier } from './customer/compute-value-tier.ts';
export type {
  ValueAtRiskFacts,
  ValueAtRiskSettings,
  ValueTierFacts,
  ValueTierThresholds,
} from './customer/compute-value-tier.ts';
export { incidentSchema, ticketSignalsSchema } from './incident/incident-schema.ts';
export type { Incident, IncidentInput, TicketSignals } from './incident/incident-schema.ts';
export {
  customerHistorySchema,
  decisionInputSchema,
  pastIncidentSchema,
  pastInterventionSchema,
} from './decision/decision-input-schema.ts';
export type {
  CustomerHistory,
  DecisionInput,
  DecisionInputData,
  PastIncident,
  PastIntervention,
} from './decision/decision-input-schema.ts';
export { COMPACT_INPUT_VERSION, decodeDecisionInput, encodeDecisionInput } from './decision/compact-input.ts';

// Metrics
export {
  aggregateFeedback,
  categorizeNps,
  computeCes,
  computeCsat,
  computeEffortRatio,
  computeNps,
  isCsatSatisfied,
  toCustomerEffort,
} from './metrics/feedback-metrics.ts';
export type {
  CsatSummary,
  EffortRatio,
  EffortRatioSummary,
  FeedbackAggregate,
  FeedbackWindow,
  MeanSummary,
  NpsSummary,
} from './metrics/feedback-metrics.ts';

// The programme view: metrics by cut and over time, with samples and intervals
export {
  PROGRAMME_DIMENSIONS,
  UNKNOWN_CUT,
  addMonths,
  customerEffortOf,
  cutOf,
  isSatisfied,
  isoWeekOf,
  monthOf,
} from './programme/programme-facts.ts';
export type {
  ProgrammeAnswer,
  ProgrammeCuts,
  ProgrammeDimension,
  ProgrammeFacts,
  ProgrammeTicket,
} from './programme/programme-facts.ts';
export { PROGRAMME_BUCKETS, computeProgramme } from './programme/compute-programme.ts';
export { computeProgrammeFromCounts } from './programme/compute-programme.ts';
export type {
  ProgrammeCellCounts,
  ProgrammeCountedCell,
  ProgrammePairCount,
} from './programme/compute-programme.ts';
export { newSignalMonthCounts, scanSignalCounts, signalWindow } from './programme/scan-signals.ts';
export type {
  KeywordCounts,
  SignSubject,
  SignalCutCounts,
  SignalEvidence,
  SignalMonthCounts,
  SignalWindow,
} from './programme/scan-signals.ts';
export type {
  EffortRatioFigures,
  NpsFigures,
  ProgrammeBucket,
  ProgrammeFigures,
  ProgrammeQuery,
  ProgrammeReport,
  ProgrammeRow,
} from './programme/compute-programme.ts';
export { parseProgrammeQuery, programmeQueryInputSchema } from './programme/parse-programme-query.ts';
export type {
  ParseProgrammeQueryResult,
  ProgrammeQueryInput,
  ProgrammeQueryIssue,
} from './programme/parse-programme-query.ts';
export {
  Z_95,
  benjaminiHochberg,
  normalCdf,
  npsInterval,
  toMeanEstimate,
  toProportion,
  twoProportionTest,
  wilsonInterval,
} from './programme/statistics.ts';
export type { Interval, MeanEstimate, Proportion, TwoProportionTest } from './programme/statistics.ts';

export { SIGN_KINDS, SIGN_METRICS, scanSignals } from './programme/scan-signals.ts';
export { signalId } from './programme/signal-id.ts';
export type {
  SignKind,
  SignMetric,
  SignPart,
  SignalOptions,
  SignalScan,
  WarningSign,
} from './programme/scan-signals.ts';
export { SIGN_LABELS, describeSign } from './programme/describe-sign.ts';
export { extractPhrases } from './programme/extract-phrases.ts';
export { FUNNEL_STEPS, computeLoopFunnel } from './programme/compute-loop-funnel.ts';
export type {
  FunnelEntry,
  FunnelOptions,
  FunnelRow,
  FunnelStep,
  FunnelStepFigures,
} from './programme/compute-loop-funnel.ts';
export {
  EXPERIMENT_ARMS,
  EXPERIMENT_OUTCOMES,
  EXPERIMENT_VERDICTS,
  armEstimateSchema,
  armSummarySchema,
  experimentReportSchema,
  experimentRowSchema,
  outcomeComparisonSchema,
} from './programme/experiment-report.ts';
export type {
  ArmEstimate,
  ArmSummary,
  ExperimentArm,
  ExperimentOutcome,
  ExperimentReport,
  ExperimentRow,
  ExperimentVerdict,
  OutcomeComparison,
} from './programme/experiment-report.ts';
export { computeExperiment, verdictOf } from './programme/compute-experiment.ts';
export type { ExperimentEntry, ExperimentOptions } from './programme/compute-experiment.ts';
export {
  ALPHA,
  POWER,
  Z_POWER_80,
  differenceOfMeans,
  differenceOfProportions,
  sampleSizeForMeans,
  sampleSizeForProportions,
  sampleVariance,
} from './programme/experiment-statistics.ts';
export type { Difference, MeanSums } from './programme/experiment-statistics.ts';

// Admin rules
export { FACT_CATALOGUE, FACT_NAMES } from './rules/fact-catalogue.ts';
export type { FactName, FactType, FactValue, Facts } from './rules/fact-catalogue.ts';
export { OPERATOR_NAMES } from './rules/operators.ts';
export { compileRules } from './rules/compile-rules.ts';
export type { CompiledRules, ConditionTrace, RuleTrace, RulesOutcome } from './rules/compile-rules.ts';
export type { OperatorName } from './rules/operators.ts';
export { BOUCLE_TAG_PATTERN, ruleSchema, rulesSchema } from './rules/rule-schema.ts';
export type { Condition, Rule, RuleEventParams, RuleInput, TopLevelCondition } from './rules/rule-schema.ts';

// Effort: measured beats estimated
export { BUILT_IN_EFFORT_LEXICON, compileLexicon, normalizeText } from './effort/effort-lexicon.ts';
export type { CompiledLexicon, LexiconMatch } from './effort/effort-lexicon.ts';
export { assessEffort, estimateCompanyEffort, estimateCustomerEffort } from './effort/assess-effort.ts';
export type { EffortAssessment } from './effort/assess-effort.ts';

// Churn risk
export { RISK_FACTORS, computeChurnRisk } from './risk/churn-model.ts';
export type { ChurnFactors, ChurnRisk, RiskFactor } from './risk/churn-model.ts';

// Intervention policy
export {
  GUARDRAILS,
  assessCompensationEligibility,
  chooseBestCandidate,
  computePriority,
  isAllowed,
  listCandidates,
} from './policy/recommend-intervention.ts';
export type {
  Candidate,
  CompensationEligibility,
  Guardrail,
  PolicyFacts,
} from './policy/recommend-intervention.ts';
export { planCallbacks } from './policy/plan-callbacks.ts';
export { HOLDOUT_TAG, applyHoldout, holdoutDraw, isHoldoutEligible } from './policy/holdout.ts';
export { NO_SURVEY_TAG, OPEN_LOOP_MAX_AGE_DAYS, surveyFatigue } from './policy/survey-fatigue.ts';
export type { FatigueFacts, FatigueReason, FatigueVerdict } from './policy/survey-fatigue.ts';
export type { ExperimentSettings, HoldoutArm, HoldoutAssignment, HoldoutResult } from './policy/holdout.ts';
export { FOLLOW_UP_OF, FOLLOW_UP_TEXTS, followUpKindOf } from './policy/follow-up.ts';
export type { FollowUp, FollowUpTexts } from './policy/follow-up.ts';
export type { CallbackCandidate, CallbackPlan, PlannedCallback } from './policy/plan-callbacks.ts';
export { createPolicyPreview, mergePolicyPreviews, previewPolicy } from './policy/preview-policy.ts';
export type {
  DueChange,
  PolicyPreview,
  PolicyPreviewer,
  PreviewFigure,
  RecordedDecision,
  StoredIncident,
} from './policy/preview-policy.ts';

// The decision
export { createDecider } from './decision/create-decider.ts';
export { REASON_CODES, decisionSchema } from './decision/decision-schema.ts';
export type { DecisionData } from './decision/decision-schema.ts';
export type { Decider } from './decision/create-decider.ts';
export type {
  Decision,
  DecisionEffort,
  DecisionFigures,
  Explanation,
  Reason,
  ReasonCode,
} from './decision/decision.ts';
export {
  CURRENCY,
  LABELS,
  compensationWording,
  describeReason,
  describeRuleTrace,
  formatMoney,
  glanceReasons,
  formatPercent,
  renderExplanation,
} from './explain/render-explanation.ts';
export type { ExplainOptions, RenderedExplanation } from './explain/render-explanation.ts';

// Settings
export {
  CALIBRATION,
  DEFAULT_CUSTOMER_HARDER_POINTS,
  DEFAULT_INTERCEPT,
  settingsSchema,
} from './settings/settings-schema.ts';
export type { CompensationTier, LexiconEntry, Settings, SettingsInput } from './settings/settings-schema.ts';
export {
  DEFAULT_SETTINGS,
  POLICY_PARAMETER,
  SETTINGS_PARAMETERS,
  parseSettings,
} from './settings/parse-settings.ts';
export {
  INSTALL_SECTIONS,
  POLICY_FORMAT,
  POLICY_GROUPS,
  POLICY_SECTIONS,
  parsePolicy,
  policyFromSettings,
  policySchema,
  resolveSettings,
  serializePolicy,
  settingsFromPolicy,
} from './settings/policy-document.ts';
export type {
  ParsePolicyResult,
  Policy,
  PolicyInput,
  PolicyMeta,
  ResolveSettingsResult,
} from './settings/policy-document.ts';
export type {
  ParseSettingsResult,
  SettingsIssue,
  SettingsParameter,
  SettingsParameterKind,
} from './settings/parse-settings.ts';

// Zendesk data model
export {
  BOUCLE_PREFIX,
  BOUCLE_TAGS,
  CRM_FIELD_KEYS,
  CRM_FIELD_TYPES,
  CUSTOM_OBJECT_KEYS,
  FEEDBACK_FIELD_KEYS,
  INTERVENTION_FIELD_KEYS,
  TICKET_FIELD_TITLES,
  isBoucleTag,
} from './zendesk/data-model.ts';
export type { CrmFieldName } from './zendesk/data-model.ts';
export { crmSourceOf, type CrmSource } from './zendesk/crm-source.ts';
export {
  channelOf,
  decisionInputFromZendesk,
  incidentTypeOf,
  numberOf,
  textOf,
  waitingHours,
} from './zendesk/decision-input-from-zendesk.ts';
export type {
  FeedbackAnswer,
  PastInterventionRecord,
  ZendeskComment,
  ZendeskParty,
  ZendeskTicketFacts,
} from './zendesk/decision-input-from-zendesk.ts';

/** Every tag Boucle writes starts with this. */
export const BOUCLE_TAG_PREFIX = 'boucle_';
