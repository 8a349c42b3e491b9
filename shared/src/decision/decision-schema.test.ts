import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ReasonCode } from './decision.ts';
import { parseSettings } from '../settings/parse-settings.ts';
import { createDecider } from './create-decider.ts';
import { decisionInputSchema } from './decision-input-schema.ts';
import type { REASON_CODES } from './decision-schema.ts';
import { decisionSchema } from './decision-schema.ts';

describe('decisionSchema', () => {
  const settings = parseSettings({
    rules: [
      {
        name: 'gold',
        conditions: { all: [{ fact: 'customer.tier', operator: 'equal', value: 'gold' }] },
        event: { params: { addTags: ['boucle_gold'] } },
      },
    ],
  }).data!;
  const decision = createDecider(settings).decide(
    decisionInputSchema.parse({
      id: 'x',
      incident: {
        ticketId: '1',
        type: 'billing',
        severity: 'high',
        companyAtFault: true,
        channel: 'phone',
        openedAt: '2026-11-20T10:00:00Z',
      },
      customer: { customerId: 'c', revenue12m: 40_000 },
    }),
    '2026-11-22T10:00:00Z',
  );

  it('reads back a serialised decision, explanation and rule traces included', () => {
    const parsed = decisionSchema.parse(JSON.parse(JSON.stringify(decision)));
    expect(parsed.action).toBe(decision.action);
    expect(parsed.explanation.rules[0]?.fired).toBe(true);
    expect(parsed.explanation.reasons[0]).toEqual(decision.explanation.reasons[0]);
  });

  it('knows every reason code', () => {
    expectTypeOf<(typeof REASON_CODES)[number]>().toEqualTypeOf<ReasonCode>();
  });

  it('refuses a decision with a foreign tag or an unknown reason', () => {
    const json = JSON.parse(JSON.stringify(decision)) as {
      tags: string[];
      explanation: { reasons: { code: string }[] };
    };
    expect(decisionSchema.safeParse({ ...json, tags: ['vip'] }).success).toBe(false);
    const reasons = [{ code: 'because' }];
    expect(decisionSchema.safeParse({ ...json, explanation: { ...json.explanation, reasons } }).success).toBe(
      false,
    );
  });
});
