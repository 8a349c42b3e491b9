import { describe, expect, it } from 'vitest';
import {
  CRM_FIELD_KEYS,
  HOLDOUT_TAG,
  createDecider,
  holdoutDraw,
  parseSettings,
} from '../../../shared/src/index.ts';
import { SURVEY_TOKEN, settle, useLoopHarness } from '../loop/test-harness.ts';
import { ExperimentLedger } from './experiment-ledger.ts';

const startLoop = useLoopHarness();

const deciderWith = (experiment: { id: string; holdoutPercent: number }) => {
  const parsed = parseSettings({ experiment });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return createDecider(parsed.data);
};

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A platinum customer's detractor answer: the policy recommends an intervention (eligible for the holdout). */
async function detractor(
  harness: Awaited<ReturnType<ReturnType<typeof useLoopHarness>>>,
  name: string,
): Promise<{ organizationId: number }> {
  const { client, service } = harness;
  const organization = await client.createOrUpdateOrganization({
    name,
    external_id: `SF-${name}`,
    organization_fields: {
      [CRM_FIELD_KEYS.valueTier]: 'platinum',
      [CRM_FIELD_KEYS.revenue12m]: 240_000,
      [CRM_FIELD_KEYS.marginRate]: 0.4,
      [CRM_FIELD_KEYS.crmSyncedAt]: '2026-11-20T08:00:00Z',
    },
  });
  const email = `${name.toLowerCase()}@example.test`;
  await client.createOrUpdateUser({ name, email, role: 'end-user', organization_id: organization.id });
  const response = await fetch(`${service.url}/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id: `survey-${name}`,
      kind: 'nps',
      score: 1,
      respondedAt: new Date(Date.now() - 60_000).toISOString(),
      email,
      comment: "Troisième fois que j'appelle, toujours pas de solution.",
    }),
  });
  expect(response.status).toBe(202);
  return { organizationId: organization.id };
}

describe('test and learn in the closed loop (Zendesk emulator)', { timeout: 30_000 }, () => {
  it('withholds the recommendation for a held-out customer, says why in the note and records the arm', async () => {
    // The emulator (seed 7) numbers organisations the same way every run; "org-<id>" is the decision's customer.
    const experiment = { id: 'loop-test-b', holdoutPercent: 50 };
    const harness = await startLoop({ decider: deciderWith(experiment) });
    const held = await detractor(harness, 'Holdout');
    const kept = await detractor(harness, 'Policy');
    await settle(harness.emulator, harness.service);
    const armOf = (organizationId: number) =>
      holdoutDraw(experiment.id, `org-${organizationId}`) < 0.5 ? 'holdout' : 'policy';
    // The two customers fall in different arms of this experiment (a precondition of the test, not its result).
    expect([armOf(held.organizationId), armOf(kept.organizationId)]).toEqual(['holdout', 'policy']);

    const { client, service } = harness;
    const assignments = await new ExperimentLedger(service.sql).all();
    expect(assignments.map((a) => [a.customerId, a.arm])).toEqual([
      [`org-${held.organizationId}`, 'holdout'],
      [`org-${kept.organizationId}`, 'policy'],
    ]);
    const [heldArm, keptArm] = assignments;
    expect(heldArm!.policyAction).not.toBe('none');
    expect(heldArm).toMatchObject({ experimentId: 'loop-test-b', holdoutPercent: 50 });

    const heldEntry = (await service.ledger.byKey(heldArm!.decisionKey))!;
    expect(heldEntry).toMatchObject({ action: 'none', cost: 0 });
    expect(heldEntry.summary).toMatch(/Holdout \(test and learn\)/);
    const heldTicket = await client.getTicket(heldEntry.ticketId);
    expect(heldTicket.tags).toEqual(expect.arrayContaining([HOLDOUT_TAG, 'boucle_none']));
    const note = (await collect(client.listComments(heldTicket.id))).find((c) =>
      c.body.startsWith('Boucle — '),
    );
    expect(note?.body).toContain(
      `Test and learn: this customer is in the holdout of experiment "loop-test-b"`,
    );

    const keptEntry = (await service.ledger.byKey(keptArm!.decisionKey))!;
    expect(keptEntry.action).toBe(keptArm!.policyAction);
    expect(keptEntry.action).not.toBe('none');
    expect((await client.getTicket(keptEntry.ticketId)).tags).not.toContain(HOLDOUT_TAG);
  });
});
