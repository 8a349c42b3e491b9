import type { Writable } from 'node:stream';
import type { SyncProgress, SyncReport } from './engine.ts';

/** Renders sync progress: a live block on a terminal, JSON lines otherwise. */
export interface ProgressSink {
  update(progress: SyncProgress): void;
  done(report: SyncReport): void;
  error(kind: string, message: string): void;
  info(event: string, data?: Record<string, unknown>): void;
}

export function jsonProgress(out: Writable, now: () => number = Date.now, everyMs = 2000): ProgressSink {
  let last = 0;
  let lastPhase = '';
  const line = (event: string, data: Record<string, unknown>): void => {
    out.write(`${JSON.stringify({ time: new Date(now()).toISOString(), event, ...data })}\n`);
  };
  return {
    update(progress) {
      const key = `${progress.phase}:${progress.object ?? ''}`;
      if (key === lastPhase && now() - last < everyMs) return;
      lastPhase = key;
      last = now();
      line('sync.progress', { ...progress });
    },
    done(report) {
      line('sync.done', { ...report });
    },
    error(kind, message) {
      line('sync.error', { kind, message });
    },
    info(event, data = {}) {
      line(event, data);
    },
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export function terminalProgress(out: Writable, now: () => number = Date.now): ProgressSink {
  const started = now();
  let lines = 0;
  let lastDraw = 0;
  const draw = (p: SyncProgress, final: boolean): void => {
    if (!final && now() - lastDraw < 200) return;
    lastDraw = now();
    const elapsed = (now() - started) / 1000;
    const eta =
      p.accountsTotal > 0 && p.accountsDone > 0 && (p.phase === 'organizations' || p.phase === 'users')
        ? `${Math.max(0, Math.round(((p.accountsTotal - p.accountsDone) * elapsed) / p.accountsDone))} s`
        : '—';
    const sf =
      p.salesforceBudget === undefined
        ? '?'
        : `${fmt(p.salesforceBudget.remaining)}/${fmt(p.salesforceBudget.max)}`;
    const zd =
      p.zendeskBudget === undefined ? '?' : `${fmt(p.zendeskBudget.remaining)}/${fmt(p.zendeskBudget.limit)}`;
    const text = [
      `boucle sync — ${p.phase}${p.object === undefined ? '' : ` ${p.object}`}   ${elapsed.toFixed(0)} s   ETA ${eta}`,
      `  read     Account ${fmt(p.read.Account)}  Contact ${fmt(p.read.Contact)}  Opportunity ${fmt(p.read.Opportunity)}  Order ${fmt(p.read.Order)}  (deleted ${fmt(p.deleted)})`,
      `  accounts ${fmt(p.accountsDone)}/${fmt(p.accountsTotal)}   written organisations ${fmt(p.written.organization)}  users ${fmt(p.written.user)}  failed ${fmt(p.failed)}  pending ${fmt(p.pending)}`,
      `  budget   Salesforce ${sf} daily requests left (${fmt(p.salesforceCalls)} calls)   Zendesk ${zd} this minute (${fmt(p.zendeskCalls)} calls)`,
    ];
    out.write(`${lines > 0 ? `\x1b[${lines}A` : ''}${text.map((t) => `\x1b[2K${t}`).join('\n')}\n`);
    lines = text.length;
  };
  return {
    update: (p) => draw(p, false),
    done(report) {
      draw(report, true);
      out.write(
        `Done in ${(report.durationMs / 1000).toFixed(1)} s${report.dryRun ? ' (dry run: nothing written)' : ''}.\n`,
      );
      lines = 0;
    },
    error(kind, message) {
      lines = 0;
      out.write(`\n${kind}: ${message}\n`);
    },
    info(event, data = {}) {
      lines = 0;
      out.write(`${event} ${JSON.stringify(data)}\n`);
    },
  };
}
