/**
 * Bulk API 2.0 ingest jobs (`/jobs/ingest`): create a job (state Open), upload one CSV
 * (`PUT …/batches`, 201), `PATCH {"state":"UploadComplete"}`, poll until `JobComplete`, then read
 * `successfulResults` (`sf__Id`, `sf__Created` + the uploaded columns), `failedResults` (`sf__Id`, `sf__Error`
 * + columns) and `unprocessedrecords`. Rows go through the same validation as the REST API, one by one (a bad
 * row fails alone). An empty cell leaves the field unchanged and `#N/A` clears it, as Salesforce does.
 * CSV is parsed by csv-parse (a dependency of jsforce; RFC 4180 quoting and embedded new lines).
 */
import { parse } from 'csv-parse/sync';
import { formatDateTime } from './clock.ts';
import { SalesforceError, type SfErrorItem } from './errors.ts';
import { KEY_PREFIX, makeId } from './ids.ts';
import { findObject, type ObjectDef } from './schema.ts';
import type { RecordStore } from './store.ts';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete';
export type IngestState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface RowResult {
  readonly row: Readonly<Record<string, string>>;
  readonly id: string;
  readonly created: boolean;
  readonly error: string | null;
}

export interface IngestJob {
  readonly id: string;
  readonly object: ObjectDef;
  readonly operation: IngestOperation;
  readonly externalIdFieldName: string | null;
  readonly version: string;
  readonly createdDate: number;
  readonly lineEnding: 'LF' | 'CRLF';
  readonly delimiter: string;
  readonly delimiterName: string;
  state: IngestState;
  systemModstamp: number;
  polls: number;
  csv: string | null;
  columns: string[];
  results: RowResult[] | null;
  errorMessage: string | null;
}

const DELIMITERS: Readonly<Record<string, string>> = {
  COMMA: ',',
  SEMICOLON: ';',
  TAB: '\t',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`',
};
const OPERATIONS: readonly IngestOperation[] = ['insert', 'update', 'upsert', 'delete'];
const invalidJob = (message: string, status = 400): SalesforceError =>
  new SalesforceError(status, 'INVALIDJOB', `InvalidJob : ${message}`);

export class IngestJobs {
  readonly jobs = new Map<string, IngestJob>();
  #seq = 0;
  readonly #store: RecordStore;
  readonly #createdById: string;
  readonly #pollsUntilComplete: () => number;

  constructor(store: RecordStore, createdById: string, pollsUntilComplete: () => number) {
    this.#store = store;
    this.#createdById = createdById;
    this.#pollsUntilComplete = pollsUntilComplete;
  }

  create(body: Record<string, unknown>, version: string): IngestJob {
    const operation = body.operation as IngestOperation;
    if (!OPERATIONS.includes(operation))
      throw invalidJob(`Invalid operation: ${String(body.operation)} (use ${OPERATIONS.join(', ')})`);
    const object = typeof body.object === 'string' ? findObject(body.object) : undefined;
    if (object === undefined)
      throw new SalesforceError(
        400,
        'INVALIDENTITY',
        `InvalidEntity : Entity '${String(body.object)}' is not supported by the Bulk API`,
      );
    let externalIdFieldName: string | null = null;
    if (operation === 'upsert') {
      const name = body.externalIdFieldName;
      const field = typeof name === 'string' ? object.fieldsByLowerName.get(name.toLowerCase()) : undefined;
      if (field === undefined || !(field.externalId || field.name === 'Id'))
        throw invalidJob(`External ID field ${String(name)} is not an external id field of ${object.name}`);
      externalIdFieldName = field.name;
    }
    const delimiterName = typeof body.columnDelimiter === 'string' ? body.columnDelimiter : 'COMMA';
    const delimiter = DELIMITERS[delimiterName];
    if (delimiter === undefined) throw invalidJob(`Invalid columnDelimiter: ${delimiterName}`);
    const lineEnding = body.lineEnding === undefined ? 'LF' : body.lineEnding;
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
      throw invalidJob(`Invalid lineEnding: ${JSON.stringify(lineEnding)}`);
    if (body.contentType !== undefined && body.contentType !== 'CSV')
      throw invalidJob(`Invalid contentType: ${JSON.stringify(body.contentType)}`);
    this.#seq += 1;
    const now = this.#store.clock.now();
    const job: IngestJob = {
      id: makeId(KEY_PREFIX.BulkJob, this.#seq, 'IG'),
      object,
      operation,
      externalIdFieldName,
      version,
      createdDate: now,
      lineEnding,
      delimiter,
      delimiterName,
      state: 'Open',
      systemModstamp: now,
      polls: 0,
      csv: null,
      columns: [],
      results: null,
      errorMessage: null,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  info(job: IngestJob, full: boolean): Record<string, unknown> {
    const processed = job.results?.length ?? 0;
    const failed = job.results?.filter((r) => r.error !== null).length ?? 0;
    return {
      id: job.id,
      operation: job.operation,
      object: job.object.name,
      createdById: this.#createdById,
      createdDate: formatDateTime(job.createdDate),
      systemModstamp: formatDateTime(job.systemModstamp),
      state: job.state,
      ...(job.externalIdFieldName === null ? {} : { externalIdFieldName: job.externalIdFieldName }),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.version),
      contentUrl: `services/data/v${job.version}/jobs/ingest/${job.id}/batches`,
      lineEnding: job.lineEnding,
      columnDelimiter: job.delimiterName,
      ...(full
        ? {
            jobType: 'V2Ingest',
            numberRecordsProcessed: processed,
            numberRecordsFailed: failed,
            retries: 0,
            totalProcessingTime: job.state === 'JobComplete' ? 100 + processed : 0,
            apiActiveProcessingTime: 0,
            apexProcessingTime: 0,
            ...(job.errorMessage === null ? {} : { errorMessage: job.errorMessage }),
          }
        : {}),
    };
  }

  get(id: string): IngestJob {
    const job = this.jobs.get(id);
    if (job === undefined)
      throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return job;
  }

  upload(job: IngestJob, csv: string): void {
    if (job.state !== 'Open')
      throw invalidJob(
        `Job ${job.id} is in state ${job.state}: data can be uploaded only while it is Open`,
        409,
      );
    if (job.csv !== null)
      throw invalidJob(`Data was already uploaded to job ${job.id}; create a new job for more`, 409);
    job.csv = csv;
    job.systemModstamp = this.#store.clock.now();
  }

  setState(job: IngestJob, state: unknown): void {
    if (state === 'UploadComplete') {
      if (job.state !== 'Open') throw invalidJob(`Job ${job.id} is in state ${job.state}, not Open`);
      job.state = 'UploadComplete';
    } else if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted')
        throw invalidJob(`Job is in state ${job.state} and cannot be aborted`);
      job.state = 'Aborted';
    } else {
      throw invalidJob('only the states UploadComplete and Aborted can be set');
    }
    job.systemModstamp = this.#store.clock.now();
  }

  /** A status poll: UploadComplete → InProgress for a few polls → JobComplete (rows applied then). */
  advance(job: IngestJob): void {
    if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return;
    job.polls += 1;
    job.systemModstamp = this.#store.clock.now();
    if (job.polls <= this.#pollsUntilComplete()) {
      job.state = 'InProgress';
      return;
    }
    if (job.csv === null || job.csv.trim() === '') {
      job.state = 'Failed';
      job.errorMessage = 'InvalidBatch : No data was uploaded to the job';
      return;
    }
    let rows: Record<string, string>[];
    try {
      rows = parse(job.csv, {
        columns: (header: string[]) => {
          job.columns = header;
          return header;
        },
        delimiter: job.delimiter,
        skip_empty_lines: true,
        relax_column_count: false,
      });
    } catch (error) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : Failed to parse CSV: ${(error as Error).message}`;
      return;
    }
    const unknown = job.columns.filter(
      (c) => job.object.fieldsByLowerName.get(c.toLowerCase()) === undefined,
    );
    if (unknown.length > 0) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : Field name not found : ${unknown[0]!}`;
      return;
    }
    job.results = rows.map((row) => this.#apply(job, row));
    job.state = 'JobComplete';
  }

  #apply(job: IngestJob, row: Record<string, string>): RowResult {
    const values: Record<string, unknown> = {};
    for (const [column, raw] of Object.entries(row)) {
      if (raw === '') continue; // empty: leave the field as it is
      values[column] = raw === '#N/A' ? null : raw;
    }
    const store = this.#store;
    try {
      switch (job.operation) {
        case 'insert': {
          const rec = store.create(job.object.name, values);
          return { row, id: rec.Id as string, created: true, error: null };
        }
        case 'update': {
          const { Id, ...rest } = values;
          if (typeof Id !== 'string')
            throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
          const rec = store.update(job.object.name, Id, rest);
          return { row, id: rec.Id as string, created: false, error: null };
        }
        case 'upsert': {
          const field = job.externalIdFieldName!;
          const key = Object.keys(values).find((k) => k.toLowerCase() === field.toLowerCase());
          const value = key === undefined ? undefined : values[key];
          if (typeof value !== 'string')
            throw new SalesforceError(400, 'MISSING_ARGUMENT', `${field} not specified`, [field]);
          const result = store.upsert(job.object.name, field, value, values);
          return { row, id: result.record.Id as string, created: result.created, error: null };
        }
        case 'delete': {
          const id = values.Id;
          if (typeof id !== 'string')
            throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified', ['Id']);
          store.delete(job.object.name, id);
          return { row, id, created: false, error: null };
        }
      }
    } catch (error) {
      if (!(error instanceof SalesforceError)) throw error;
      const e = error.errors[0] as SfErrorItem;
      return {
        row,
        id: '',
        created: false,
        error: `${e.errorCode}:${e.message}:${(e.fields ?? []).join(',')} --`,
      };
    }
  }

  /** The CSV of one result set (successful and failed ones only once the job is complete). */
  resultsCsv(
    job: IngestJob,
    which: 'successfulResults' | 'failedResults' | 'unprocessedrecords',
    version: string,
  ): string {
    if (job.version !== version)
      throw invalidJob(
        `the job was created with API version ${job.version}; fetch its results with the same version`,
        409,
      );
    if (which === 'unprocessedrecords') {
      // Before processing every uploaded row is unprocessed; after it, none is.
      if (job.results === null) return job.csv ?? '';
      return job.columns.map(quote).join(job.delimiter) + newline(job);
    }
    if (job.state !== 'JobComplete' || job.results === null)
      throw invalidJob(`job ${job.id} is in state ${job.state}, not JobComplete`);
    const nl = newline(job);
    const d = job.delimiter;
    const columns = job.columns;
    const success = which === 'successfulResults';
    const head = ['sf__Id', success ? 'sf__Created' : 'sf__Error', ...columns];
    const lines = job.results
      .filter((r) => (r.error === null) === success)
      .map((r) =>
        [r.id, success ? String(r.created) : r.error!, ...columns.map((c) => r.row[c] ?? '')]
          .map(quote)
          .join(d),
      );
    return [head.map(quote).join(d), ...lines].join(nl) + nl;
  }
}

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const newline = (job: IngestJob): string => (job.lineEnding === 'CRLF' ? '\r\n' : '\n');
