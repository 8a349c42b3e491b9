/**
 * A generated world as the programme engine reads it (the cuts the connector resolves from Zendesk and the
 * sync mirror: region = billing country, segment, tier, product tag, language, channel, touchpoint), for the
 * planted-signal checks and the dataset report. The connector's own path is tested against the emulator.
 */
import type { ProgrammeAnswer, ProgrammeFacts, ProgrammeTicket } from '../../shared/src/index.ts';
import type { World } from './generate-world.ts';

export function programmeFactsOf(world: World): ProgrammeFacts {
  const accounts = new Map(world.accounts.map((a) => [a.id, a]));
  const products = new Map<number, string>();
  const tickets = world.tickets.map((t): ProgrammeTicket => {
    const product = t.tags.find((tag) => tag.startsWith('product_'))?.slice('product_'.length);
    if (product !== undefined) products.set(t.id, product);
    const account = accounts.get(t.accountId)!;
    return {
      id: String(t.id),
      at: t.createdAt,
      incident: t.type === 'incident' || t.tags.includes('critical_incident') || t.tags.includes('complaint'),
      cuts: {
        region: account.country,
        segment: account.segment,
        tier: account.tier.toLowerCase(),
        language: account.lang,
        ...(product === undefined ? {} : { product }),
      },
    };
  });
  const answers = world.answers.map((a): ProgrammeAnswer => {
    const account = accounts.get(a.accountId)!;
    const product = a.ticketId === null ? undefined : products.get(a.ticketId);
    return {
      id: a.id,
      at: a.respondedAt,
      kind: a.kind,
      scale: a.scale,
      score: a.score,
      ticketId: a.ticketId === null ? null : String(a.ticketId),
      interactionId: a.interactionId,
      comment: a.comment,
      cuts: {
        region: account.country,
        segment: account.segment,
        tier: account.tier.toLowerCase(),
        language: a.lang,
        channel: a.channel,
        touchpoint: a.touchpoint,
        ...(product === undefined ? {} : { product }),
      },
    };
  });
  return { answers, tickets };
}
