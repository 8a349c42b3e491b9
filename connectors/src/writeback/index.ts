export { WRITEBACK_SCHEMA } from './schema.ts';
export { Writeback, WritebackConfigError } from './engine.ts';
export type { FlushOptions, FlushResult, PlannedWrite, WritebackSalesforce } from './engine.ts';
export { WritebackOutbox } from './outbox.ts';
export type { OutboxRow } from './outbox.ts';
export type { DecisionFacts, FeedbackFacts } from './records.ts';
