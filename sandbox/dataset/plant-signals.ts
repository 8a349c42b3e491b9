/**
 * Known signals planted in the generated world, so that the programme view can be checked against a truth:
 * a region whose CSAT falls from a given month, a product whose complaints rise, a phrase that spreads in French
 * comments. Additive: it only tags tickets with their product and changes some answers and tags of the last
 * months, drawing from its own child stream of the world's PRNG (the rest of the world is drawn as before).
 */
import type { Rng } from './random.ts';
import type { AccountRecord, SurveyAnswer, TicketRecord } from './generate-world.ts';

/** The products a ticket is about (tag `product_<name>`): one per account, the account's main product. */
export const PRODUCTS = ['fibre', 'mobile', 'tv', 'cloud'] as const;
export type Product = (typeof PRODUCTS)[number];

export interface PlantedSignal {
  /** The sign `boucle report signals` should raise. */
  readonly kind: 'csat_falling' | 'complaints_rising' | 'emerging_keyword';
  readonly dimension: 'region' | 'product' | 'language';
  readonly value: string;
  /** For the keyword: the phrase as the engine reads it (lower case, accents removed). */
  readonly phrase: string | null;
  /** `YYYY-MM`: the first month of the change. */
  readonly since: string;
  readonly description: string;
}

/** What is planted, and how strongly (shares of the eligible answers or tickets from `since`). */
export const PLANTS = {
  csatRegion: 'Belgium',
  /** A satisfied CSAT answer of the region becomes unsatisfied with this probability. */
  csatDrop: 0.6,
  complaintsProduct: 'mobile' as Product,
  /** A routine ticket of the product is tagged `complaint` with this probability. */
  complaintShare: 0.25,
  /** French answers at most passive (NPS ≤ 8, CSAT ≤ 4) get one of these comments with this probability. */
  keywordShare: 0.15,
  keywordComments: [
    "L'application plante à chaque connexion.",
    "Depuis la mise à jour, l'application plante.",
    "L'application plante encore, c'est pénible.",
  ],
  keywordPhrase: 'application plante',
  /** Months before the world's present at which every plant starts. */
  monthsBeforeNow: 3,
} as const;

const monthStart = (ms: number, monthsBefore: number): number => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBefore, 1);
};

/**
 * Plants the signals in place (tickets and answers keep their ids, order and count) and says what was planted.
 * `rng` is a child stream of the world's generator reserved for this.
 */
export function plantSignals(
  world: {
    readonly now: number;
    readonly accounts: readonly AccountRecord[];
    readonly tickets: TicketRecord[];
    readonly answers: SurveyAnswer[];
  },
  rng: Rng,
): PlantedSignal[] {
  const fromMs = monthStart(world.now, PLANTS.monthsBeforeNow);
  const since = new Date(fromMs).toISOString().slice(0, 7);
  const product = new Map<string, Product>();
  const country = new Map<string, string>();
  for (const account of world.accounts) {
    product.set(account.id, rng.pick(PRODUCTS));
    country.set(account.id, account.country);
  }
  world.tickets.forEach((ticket, index) => {
    const name = product.get(ticket.accountId)!;
    const complaint =
      name === PLANTS.complaintsProduct &&
      ticket.incidentId === null &&
      ticket.createdAt >= fromMs &&
      rng.chance(PLANTS.complaintShare);
    world.tickets[index] = {
      ...ticket,
      tags: [...ticket.tags, `product_${name}`, ...(complaint ? ['complaint'] : [])],
    };
  });
  world.answers.forEach((answer, index) => {
    if (answer.respondedAt < fromMs) return;
    let next = answer;
    if (
      answer.kind === 'csat' &&
      answer.score >= 4 &&
      country.get(answer.accountId) === PLANTS.csatRegion &&
      rng.chance(PLANTS.csatDrop)
    )
      next = { ...next, score: rng.int(2, 3) };
    const passiveOrWorse =
      (answer.kind === 'nps' && answer.score <= 8) || (answer.kind === 'csat' && next.score <= 4);
    if (answer.lang === 'fr' && passiveOrWorse && rng.chance(PLANTS.keywordShare))
      next = { ...next, comment: rng.pick(PLANTS.keywordComments) };
    world.answers[index] = next;
  });
  return [
    {
      kind: 'csat_falling',
      dimension: 'region',
      value: PLANTS.csatRegion,
      phrase: null,
      since,
      description: `CSAT falls in ${PLANTS.csatRegion} from ${since}`,
    },
    {
      kind: 'complaints_rising',
      dimension: 'product',
      value: PLANTS.complaintsProduct,
      phrase: null,
      since,
      description: `complaints rise on product ${PLANTS.complaintsProduct} from ${since}`,
    },
    {
      kind: 'emerging_keyword',
      dimension: 'language',
      value: 'fr',
      phrase: PLANTS.keywordPhrase,
      since,
      description: `"l'application plante" in French comments from ${since}`,
    },
  ];
}
