import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CRM_FIELD_KEYS,
  DEFAULT_SETTINGS,
  createDecider,
  policyFromSettings,
  serializePolicy,
  settingsFromPolicy,
} from '../../../shared/src/index.ts';
import type { Policy } from '../../../shared/src/index.ts';
import type { ZendeskEmulator } from '../../../sandbox/zendesk/index.ts';
import {
  SURVEY_TOKEN,
  collectAll,
  sandboxZendeskClient,
  settle,
  useLoopHarness,
  waitFor,
} from '../loop/test-harness.ts';
import type { LedgerEntry } from '../loop/intervention-ledger.ts';
import { OPENAPI_FILE } from '../programme/programme-api.ts';
import type { ZendeskClient } from '../zendesk/index.ts';

// Every answer of these tests is checked against docs/api/boucle-api.openapi.yaml.
const openapi = parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: unknown }> }>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content: unknown }> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const defs = JSON.parse(
  JSON.stringify(openapi.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'),
) as Record<string, unknown>;
function expectDocumented(path: string, method: string, status: number, body: unknown): void {
  const template = path.replace(/\/versions\/[^/]+$/, '/versions/{n}');
  let response = openapi.paths[template]?.[method.toLowerCase()]?.responses[String(status)];
  expect(response, `${method} ${template} ${status} is documented`).toBeDefined();
  if (response!.$ref !== undefined)
    response = openapi.components.responses[response!.$ref.split('/').at(-1)!];
  const content = response!.content as Record<string, { schema: unknown }>;
  const schema = JSON.parse(
    JSON.stringify(content['application/json']!.schema).replaceAll('#/components/schemas/', '#/$defs/'),
  ) as object;
  const validate = ajv.compile({ ...schema, $defs: defs });
  expect(validate(body), `${method} ${path} ${status}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(
    true,
  );
}

const startLoop = useLoopHarness();

/** A policy from the defaults with every callback window set to `hours`. */
function policyWith(version: number, hours: number, reason: string): Policy {
  const policy = policyFromSettings(DEFAULT_SETTINGS, {
    version,
    savedAt: `2026-12-02T0${version}:00:00Z`,
    savedBy: { id: 900 + version, name: `Admin ${version}` },
    reason,
  }).data!;
  return {
    ...policy,
    callbackWindowHours: { platinum: hours, gold: hours, silver: hours, bronze: hours },
  };
}

async function setUp(pollIntervalMs = 0, storedPolicy?: string, idOffset = 0) {
  let installationId = 0;
  const harness = await startLoop({
    service: (emulator: ZendeskEmulator) => {
      installationId =
        (emulator.installApp({
          settings: {
            connector_url: 'https://boucle.test',
            ...(storedPolicy === undefined ? {} : { policy: storedPolicy }),
          },
        })['id'] as number) + idOffset;
      return {
        installationPolicy: {
          client: sandboxZendeskClient(emulator.url),
          installationId,
          pollIntervalMs,
        },
      };
    },
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${harness.service.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${SURVEY_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    expectDocumented(path, method, answer.status, answer.body);
    return answer;
  };
  const save = (policy: Policy | string) =>
    harness.client.updateAppInstallationSettings(installationId, {
      policy: typeof policy === 'string' ? policy : serializePolicy(policy),
    });
  return { ...harness, installationId, api, save };
}

let customers = 0;
/** A platinum detractor's survey answer: the loop decides on it (a callback or a compensation). */
async function badAnswer(client: ZendeskClient, serviceUrl: string): Promise<void> {
  customers += 1;
  const organization = await client.createOrUpdateOrganization({
    name: `Maison ${customers}`,
    external_id: `SF-POLICY-${customers}`,
    organization_fields: {
      [CRM_FIELD_KEYS.valueTier]: 'platinum',
      [CRM_FIELD_KEYS.revenue12m]: 240_000,
      [CRM_FIELD_KEYS.lifetimeRevenue]: 900_000,
      [CRM_FIELD_KEYS.marginRate]: 0.4,
      [CRM_FIELD_KEYS.orders12m]: 30,
      [CRM_FIELD_KEYS.crmSyncedAt]: '2026-11-20T08:00:00Z',
    },
  });
  await client.createOrUpdateUser({
    name: `Client ${customers}`,
    email: `client${customers}@policy.example`,
    role: 'end-user',
    organization_id: organization.id,
  });
  const response = await fetch(`${serviceUrl}/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id: `survey-policy-${customers}`,
      kind: 'nps',
      score: 0,
      respondedAt: new Date(Date.now() - 60_000).toISOString(),
      email: `client${customers}@policy.example`,
      comment: "Troisième fois que j'appelle, toujours pas de solution, encore une attente interminable.",
    }),
  });
  expect(response.status).toBe(202);
}

describe('the connector reads its policy from the Zendesk installation', { timeout: 60_000 }, () => {
  it('a policy saved on the installation and synced makes the next decision, which carries its version', async () => {
    const { emulator, client, service, api, save } = await setUp();
    expect((await api('GET', '/api/v1/policy')).body).toEqual({
      current: null,
      source: 'settings',
      policyIssues: [],
    });

    await badAnswer(client, service.url);
    await settle(emulator, service);
    const [before] = await service.ledger.all();
    expect(before?.policyVersion).toBeNull();

    const v1 = policyWith(1, 2, 'Callbacks within 2 h');
    await save(v1);
    // Not yet read: the decider is the one from the start (no poll in this test).
    expect((await api('GET', '/api/v1/policy')).body['current']).toBeNull();
    const synced = await api('POST', '/api/v1/policy/sync');
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({
      current: { version: 1, savedBy: { id: 901, name: 'Admin 1' }, reason: 'Callbacks within 2 h' },
      source: 'policy',
      recorded: 'recorded',
    });
    expect((await api('POST', '/api/v1/policy/sync')).body['recorded']).toBe('known');

    await badAnswer(client, service.url);
    await settle(emulator, service);
    const after = (await service.ledger.all()).find((entry) => entry.id !== before!.id)!;
    expect(after.policyVersion).toBe(1);
    expect(['callback', 'compensation']).toContain(after.action);
    // The due time is the new policy's: decide the stored input again with each policy and compare.
    const stored = (await collectAll(service.ledger.storedIncidents())).find(
      (s) => s.decidedAt === after.decidedAt.getTime(),
    )!;
    const withNew = createDecider(settingsFromPolicy(v1, DEFAULT_SETTINGS)).decide(
      stored.input!,
      stored.decidedAt,
    );
    const withOld = createDecider(DEFAULT_SETTINGS).decide(stored.input!, stored.decidedAt);
    expect(withNew.followUp?.windowHours).toBe(2);
    expect(withOld.followUp?.windowHours).not.toBe(2);
    expect(after.dueAt?.toISOString()).toBe(new Date(withNew.callbackDueAt!).toISOString());
    expect(after.dueAt?.getTime()).not.toBe(Date.parse(withOld.callbackDueAt!));

    // A webhook-driven decision (an agent's change on a live ticket, delivered by the trigger's signed webhook)
    // is made by the same policy and names it.
    const seeded = [...emulator.store.tickets.values()].find((ticket) =>
      ['new', 'open'].includes(ticket.status),
    )!;
    await emulator.applyTicketChange(seeded.id, {
      priority: seeded.priority === 'urgent' ? 'high' : 'urgent',
      comment: { body: 'Toujours rien reçu, troisième appel.', public: true },
    });
    await waitFor(emulator, service, async () => (await service.ledger.forTicket(seeded.id)).length > 0);
    const hooked = (await service.ledger.forTicket(seeded.id)).at(-1)!;
    expect(hooked.policyVersion).toBe(1);
    const hookedInput = (await collectAll(service.ledger.storedIncidents())).find(
      (s) => s.decidedAt === hooked.decidedAt.getTime() && s.input?.incident.ticketId === String(seeded.id),
    )!;
    const again = createDecider(settingsFromPolicy(v1, DEFAULT_SETTINGS)).decide(
      hookedInput.input!,
      hookedInput.decidedAt,
    );
    expect(hooked.action).toBe(again.action);
    expect(hooked.dueAt?.toISOString() ?? null).toBe(
      again.callbackDueAt === null ? null : new Date(again.callbackDueAt).toISOString(),
    );

    // History: listed newest first, each document given back whole.
    await save(policyWith(2, 4, 'Callbacks within 4 h'));
    expect((await api('POST', '/api/v1/policy/sync')).body['recorded']).toBe('recorded');
    const versions = await api('GET', '/api/v1/policy/versions');
    expect(
      (versions.body['versions'] as { version: number; reason: string; savedBy: { id: number } }[]).map(
        (v) => [v.version, v.reason, v.savedBy.id],
      ),
    ).toEqual([
      [2, 'Callbacks within 4 h', 902],
      [1, 'Callbacks within 2 h', 901],
    ]);
    const one = await api('GET', '/api/v1/policy/versions/1');
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ version: 1, policy: v1 });
    const missing = await api('GET', '/api/v1/policy/versions/7');
    expect(missing.status).toBe(404);
    expect(missing.body['error']).toBe('not_found');
    expect((await api('GET', '/api/v1/policy/versions/abc')).status).toBe(400);
  });

  it('picks up a saved policy on its own poll, and keeps the last valid one when the stored policy does not parse', async () => {
    const { service, api, save } = await setUp(50);
    await save(policyWith(1, 3, 'Callbacks within 3 h'));
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(() => service.policy?.version() === 1);
    expect(service.policy?.version()).toBe(1);
    expect(service.policy?.decider.settings.callbackWindowHours.gold).toBe(3);
    expect((await api('GET', '/api/v1/policy')).body['current']).toMatchObject({ version: 1 });

    // Something other than the console wrote a bad document: the last valid policy stays in use.
    await save('{"format":1,"version":2}');
    const synced = await api('POST', '/api/v1/policy/sync');
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ current: { version: 1 }, source: 'policy' });
    expect((synced.body['policyIssues'] as unknown[]).length).toBeGreaterThan(0);
    expect(service.policy?.version()).toBe(1);
    expect(service.policy?.decider.settings.callbackWindowHours.gold).toBe(3);
    const versions = (await api('GET', '/api/v1/policy/versions')).body['versions'] as unknown[];
    expect(versions).toHaveLength(1);
  });

  it('previews a draft over the ledger: the same changes as deciding the stored incidents directly; 422 for a bad draft', async () => {
    const { emulator, client, service, api } = await setUp();
    for (let i = 0; i < 3; i += 1) await badAnswer(client, service.url);
    await settle(emulator, service);
    const entries: LedgerEntry[] = await service.ledger.all();
    expect(entries.length).toBeGreaterThanOrEqual(3);

    // A draft that forces an apology for platinum customers: each changed decision listed.
    const base = policyFromSettings(DEFAULT_SETTINGS, {
      version: 1,
      savedAt: '2026-12-02T09:00:00Z',
      savedBy: { id: 1, name: 'Admin' },
      reason: 'Draft',
    }).data!;
    const draft: Policy = {
      ...base,
      costs: { ...base.costs, callbackMinutes: 600 },
      rules: [
        {
          name: 'apology-for-platinum',
          priority: 10,
          enabled: true,
          conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'platinum' }] },
          event: { type: 'boucle', params: { force: 'apology' } },
        },
      ],
    };
    const decider = createDecider(settingsFromPolicy(draft, service.policy!.decider.settings));
    const expected = (await collectAll(service.ledger.storedIncidents())).filter((incident) => {
      const decision = decider.decide(incident.input!, incident.decidedAt);
      return (
        decision.action !== incident.recorded.action ||
        decision.compensationTier !== incident.recorded.compensationTier
      );
    }).length;
    expect(expected).toBeGreaterThan(0);
    const preview = await api('POST', '/api/v1/policy/preview', { policy: draft, days: 7 });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ days: 7, incidents: entries.length, changed: expected });
    expect(preview.body['changes'] as unknown[]).toHaveLength(expected);
    const byAction = preview.body['byAction'] as Record<string, Record<string, number>>;
    expect(
      Object.values(byAction).reduce((n, row) => n + Object.values(row).reduce((a, b) => a + b, 0), 0),
    ).toBe(entries.length);
    const callbacks = preview.body['callbacks'] as { before: number; after: number; capacityPerDay: number };
    expect(callbacks.before).toBe(
      entries.filter((e) => ['callback', 'compensation'].includes(e.action)).length,
    );
    expect(callbacks.capacityPerDay).toBe(Math.floor(draft.capacity.agentMinutesPerDay / 600));

    // The same draft on the recorded policy's figures: nothing changes.
    const same = await api('POST', '/api/v1/policy/preview', { policy: base });
    expect(same.body).toMatchObject({
      days: 30,
      changed: 0,
      changes: [],
      expectedValueDelta: 0,
      costDelta: 0,
    });

    expect(same.body).toMatchObject({ dueChanged: 0, dueChanges: [] });

    // Windows alone: the same interventions, their follow-ups due within 1 h instead of the tiers' 24/48 h.
    const windows: Policy = {
      ...base,
      callbackWindowHours: { platinum: 1, gold: 1, silver: 1, bronze: 1 },
    };
    const byWindows = createDecider(settingsFromPolicy(windows, service.policy!.decider.settings));
    const dueExpected = (await collectAll(service.ledger.storedIncidents())).filter((incident) => {
      const decision = byWindows.decide(incident.input!, incident.decidedAt);
      return (
        decision.action === incident.recorded.action &&
        decision.followUp !== null &&
        (incident.recorded.dueAt ?? null) !== null
      );
    }).length;
    expect(dueExpected).toBeGreaterThan(0);
    const due = await api('POST', '/api/v1/policy/preview', { policy: windows, days: 7 });
    expect(due.body).toMatchObject({ changed: 0, dueChanged: dueExpected });
    const groups = due.body['dueChanges'] as { before: number; after: number; count: number }[];
    expect(groups.every((g) => g.after === 1 && g.before > 1)).toBe(true);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(dueExpected);

    const bad = await api('POST', '/api/v1/policy/preview', {
      policy: { ...base, callbackWindowHours: { ...base.callbackWindowHours, gold: -4 } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body['error']).toBe('invalid_policy');
    const issues = bad.body['issues'] as { path: string; message: { en: string; fr: string } }[];
    expect(issues.map((issue) => issue.path)).toContain('callbackWindowHours.gold');
    expect(issues[0]?.message.fr).toBeTruthy();
    expect((await api('POST', '/api/v1/policy/preview', { policy: base, days: 400 })).status).toBe(400);
  });

  it('does not start when the installation cannot be read, and starts on the flat settings when its stored policy does not parse', async () => {
    await expect(setUp(0, undefined, 5)).rejects.toThrow(
      /^BOUCLE_ZENDESK_INSTALLATION_ID \d+: the installation could not be read \(.*\)\. Check the id/,
    );
    const { api, service } = await setUp(0, '{"format":1');
    const body = (await api('GET', '/api/v1/policy')).body;
    expect(body).toMatchObject({ current: null, source: 'settings' });
    expect((body['policyIssues'] as { path: string; message: { en: string } }[])[0]?.message.en).toBeTruthy();
    expect(service.policy?.version()).toBeNull();
    expect(service.policy?.decider.settings.callbackWindowHours).toEqual(
      DEFAULT_SETTINGS.callbackWindowHours,
    );
  });
});
