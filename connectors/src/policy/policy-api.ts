/**
 * The policy's routes of the connector API (issue #15), mounted by programme-api.ts beside the console's: the
 * same bearer token, CORS and problem bodies (`{ error, message, issues? }`).
 *
 * - `GET /api/v1/policy`: the policy in use (who saved it, when, why), where it comes from, why a stored one
 *   was set aside.
 * - `GET /api/v1/policy/versions`, `GET /api/v1/policy/versions/{n}`: the history the connector recorded.
 * - `POST /api/v1/policy/sync`: read the installation now (the console calls it after a save).
 * - `POST /api/v1/policy/preview`: a draft over the ledger's incidents of the last N days.
 */
import { ACTIONS, createDecider, parsePolicy, settingsFromPolicy } from '../../../shared/src/index.ts';
import type { Decider } from '../../../shared/src/index.ts';
import type { ConsoleAnswer } from '../programme/console-api.ts';
import type { Sql } from '../store/sql.ts';
import type { LivePolicy } from './live-policy.ts';
import { getPolicyVersion, listPolicyVersions } from './policy-history.ts';
import { previewOverLedger } from './policy-preview.ts';

export interface PolicyApiOptions {
  /** The connector's database: the history (`policy_versions`) and the ledger (`automation_interventions`). */
  readonly sql: Sql;
  /** The policy read from the installation; absent when BOUCLE_ZENDESK_INSTALLATION_ID is not set. */
  readonly live?: LivePolicy;
  /** The decider in use (its install-time settings complete a draft for the preview). */
  readonly decider: Decider;
}

export interface PolicyRoute {
  readonly method: 'GET' | 'POST';
  /** Largest body accepted (a policy with many rules and phrases is tens of KB). */
  readonly maxBodyBytes?: number;
  readonly run: (body: unknown) => Promise<ConsoleAnswer>;
}

const DAY_MS = 86_400_000;
const MAX_CHANGES = 200;

const problem = (status: number, code: string, message: string): ConsoleAnswer => ({ status, code, message });

/** The route for `path`, or null when it is not one of the policy's. */
export function policyRoute(
  path: string,
  options: PolicyApiOptions,
  clock: () => number,
): PolicyRoute | null {
  if (path === '/api/v1/policy')
    return { method: 'GET', run: () => Promise.resolve({ status: 200, body: currentBody(options) }) };
  if (path === '/api/v1/policy/versions')
    return {
      method: 'GET',
      run: async () => ({ status: 200, body: { versions: await listPolicyVersions(options.sql) } }),
    };
  const one = /^\/api\/v1\/policy\/versions\/([^/]+)$/.exec(path);
  if (one !== null)
    return {
      method: 'GET',
      run: async () => {
        const raw = decodeURIComponent(one[1]!);
        if (!/^[1-9]\d{0,8}$/.test(raw))
          return problem(400, 'invalid_query', `A version is a whole number from 1 (got "${raw}").`);
        const policy = await getPolicyVersion(options.sql, Number(raw));
        if (policy === undefined)
          return problem(
            404,
            'not_found',
            `Policy version ${raw} is not in the connector's history; GET /api/v1/policy/versions lists them.`,
          );
        return { status: 200, body: { version: policy.version, policy } };
      },
    };
  if (path === '/api/v1/policy/sync')
    return {
      method: 'POST',
      run: async () => {
        const live = options.live;
        if (live === undefined)
          return problem(
            409,
            'no_installation',
            'This connector does not read its policy from Zendesk: set BOUCLE_ZENDESK_INSTALLATION_ID (docs/automation.md) and restart it.',
          );
        let result;
        try {
          result = await live.sync();
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (/already recorded with a different document/.test(reason))
            return problem(409, 'history_conflict', reason);
          return problem(
            502,
            'zendesk_unavailable',
            `The installation could not be read (${reason.slice(0, 300)}); the policy in use is unchanged.`,
          );
        }
        return {
          status: 200,
          body: { ...currentBody(options), recorded: result.recorded === 'none' ? 'known' : result.recorded },
        };
      },
    };
  if (path === '/api/v1/policy/preview')
    return {
      method: 'POST',
      maxBodyBytes: 1024 * 1024,
      run: (body) => preview(options, body, clock()),
    };
  return null;
}

function currentBody(options: PolicyApiOptions): Record<string, unknown> {
  if (options.live === undefined) return { current: null, source: 'settings', policyIssues: [] };
  const state = options.live.state();
  return { current: state.current, source: state.source, policyIssues: state.policyIssues };
}

async function preview(options: PolicyApiOptions, body: unknown, now: number): Promise<ConsoleAnswer> {
  if (typeof body !== 'object' || body === null || !('policy' in body))
    return problem(400, 'invalid_body', 'Send {"policy": <the draft policy document>, "days": 30}.');
  const { policy: draft, days: rawDays } = body as { policy: unknown; days?: unknown };
  const days = rawDays ?? 30;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365)
    return problem(
      400,
      'invalid_body',
      `days takes a whole number of days from 1 to 365 (got ${JSON.stringify(rawDays)}).`,
    );
  const parsed = parsePolicy(draft);
  if (!parsed.success)
    return {
      status: 422,
      code: 'invalid_policy',
      message: `The draft policy is not valid (${parsed.issues.length} problem(s)); nothing was previewed.`,
      issues: parsed.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    };
  const settings = settingsFromPolicy(parsed.data, options.decider.settings);
  const { preview: figures, changes } = await previewOverLedger(
    options.sql,
    createDecider(settings),
    { from: now - days * DAY_MS, to: now + 1 },
    { limit: MAX_CHANGES },
  );
  const byAction: Record<string, Record<string, number>> = {};
  for (const from of ACTIONS) {
    const to = Object.fromEntries(ACTIONS.map((action) => [action, figures.transitions[from][action]]));
    byAction[from] = to;
  }
  const perCallback = settings.costs.callbackMinutes;
  return {
    status: 200,
    body: {
      days,
      incidents: figures.incidents,
      previewable: figures.previewable,
      notPreviewable: figures.notPreviewable,
      changed: figures.changed,
      dueChanged: figures.dueChanged,
      dueChanges: figures.dueChanges,
      byAction,
      changes,
      changesShown: changes.length,
      expectedValueDelta: figures.expectedValue.change,
      costDelta: figures.cost.change,
      expectedValue: figures.expectedValue,
      cost: figures.cost,
      agentMinutes: figures.agentMinutes,
      callbacks: {
        before: figures.callbacks.recorded,
        after: figures.callbacks.draft,
        beforePerDay: Math.round((figures.callbacks.recorded / days) * 10) / 10,
        afterPerDay: Math.round((figures.callbacks.draft / days) * 10) / 10,
        capacityPerDay:
          perCallback > 0 ? Math.floor(settings.capacity.agentMinutesPerDay / perCallback) : null,
      },
      estimate: {
        en: "€ figures are the simulator's model applied to past incidents: an estimate, not a measurement.",
        fr: 'Les montants en € sont ceux du modèle du simulateur appliqué aux incidents passés : une estimation, pas une mesure.',
      },
    },
  };
}
