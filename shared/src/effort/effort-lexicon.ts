import type { LexiconEntry } from '../settings/settings-schema.ts';

/**
 * Phrases customers use when they are making too much effort (DOMAIN.md §2, seed 004), in English and French.
 * Matching ignores case and accents, so "problème" also matches "probleme" and "PROBLÈMES".
 */
export const BUILT_IN_EFFORT_LEXICON: readonly LexiconEntry[] = [
  { phrase: 'toujours pas', weight: 0.75 },
  { phrase: 'encore', weight: 0.5 },
  { phrase: 'rappelé', weight: 0.5 },
  { phrase: 'appelé à nouveau', weight: 0.75 },
  { phrase: 'troisième fois', weight: 1 },
  { phrase: 'plusieurs fois', weight: 0.75 },
  { phrase: 'attente', weight: 0.5 },
  { phrase: 'problème', weight: 0.25 },
  { phrase: 'aucune réponse', weight: 0.75 },
  { phrase: 'personne ne', weight: 0.5 },
  { phrase: 'still waiting', weight: 0.75 },
  { phrase: 'called again', weight: 0.75 },
  { phrase: 'third time', weight: 1 },
  { phrase: 'several times', weight: 0.75 },
  { phrase: 'again', weight: 0.5 },
  { phrase: 'no answer', weight: 0.75 },
  { phrase: 'no response', weight: 0.75 },
  { phrase: 'nobody', weight: 0.5 },
  { phrase: 'waiting', weight: 0.5 },
  { phrase: 'problem', weight: 0.25 },
];

/** Lowercase without accents: the form both the lexicon and the comments are matched in. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export interface LexiconMatch {
  /** Distinct phrases found, in lexicon order. */
  readonly phrases: readonly string[];
  /** Sum of the weights of the distinct phrases found. */
  readonly weight: number;
}

export interface CompiledLexicon {
  readonly match: (texts: readonly string[]) => LexiconMatch;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NO_MATCH: LexiconMatch = { phrases: [], weight: 0 };

/**
 * Compiles the lexicon (built-in plus the admin's additions; an addition with the same phrase replaces the
 * built-in weight) into one regular expression. Each phrase counts once per incident, however often it appears.
 */
export function compileLexicon(additions: readonly LexiconEntry[]): CompiledLexicon {
  const weights = new Map<string, { readonly phrase: string; readonly weight: number }>();
  for (const entry of [...BUILT_IN_EFFORT_LEXICON, ...additions]) {
    weights.set(normalizeText(entry.phrase), { phrase: entry.phrase, weight: entry.weight });
  }
  // Longest first, so that "appelé à nouveau" wins over a shorter phrase it contains.
  const keys = [...weights.keys()].sort((a, b) => b.length - a.length);
  // Whole words, plurals allowed ("attentes", "problems"), so that "again" does not match "against".
  const pattern = new RegExp(`(?<![a-z0-9])(${keys.map(escapeRegExp).join('|')})(?:e?s)?(?![a-z0-9])`, 'g');
  const order = new Map([...weights.keys()].map((key, index) => [key, index]));
  return {
    match(texts) {
      if (texts.length === 0) return NO_MATCH;
      const found = new Set<string>();
      for (const text of texts) {
        for (const match of normalizeText(text).matchAll(pattern)) found.add(match[1]!);
      }
      if (found.size === 0) return NO_MATCH;
      const keysFound = [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      let weight = 0;
      const phrases: string[] = [];
      for (const key of keysFound) {
        const entry = weights.get(key)!;
        phrases.push(entry.phrase);
        weight += entry.weight;
      }
      return { phrases, weight };
    },
  };
}
