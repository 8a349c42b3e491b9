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

/** Each unaccented letter with the accented forms French and English texts use. */
const ACCENTS: Readonly<Record<string, string>> = {
  a: 'aàâäáã',
  c: 'cç',
  e: 'eéèêë',
  i: 'iîïíì',
  o: 'oôöóò',
  u: 'uùûüú',
  y: 'yÿý',
  n: 'nñ',
  "'": "'’",
};

/** A phrase as a pattern that ignores case (flag `i`) and accents: "problème" → probl[eéèêë]m[eéèêë]. */
function toAccentInsensitivePattern(normalized: string): string {
  let pattern = '';
  for (const char of normalized) {
    const variants = ACCENTS[char];
    pattern += variants === undefined ? escapeRegExp(char) : `[${variants}]`;
  }
  return pattern;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const NO_MATCH: LexiconMatch = { phrases: [], weight: 0 };

/**
 * Compiles the lexicon (built-in plus the admin's additions; an addition with the same phrase replaces the
 * built-in weight) into one regular expression that ignores case and accents, so the customer's text is scanned
 * once, as written. Each phrase counts once per incident, however often it appears.
 */
export function compileLexicon(additions: readonly LexiconEntry[]): CompiledLexicon {
  const byKey = new Map<string, LexiconEntry>();
  for (const entry of [...BUILT_IN_EFFORT_LEXICON, ...additions])
    byKey.set(normalizeText(entry.phrase), entry);
  const entries = [...byKey.entries()];
  // Longest first inside the alternation, so that "appelé à nouveau" wins over a shorter phrase it contains.
  const byLength = entries
    .map((entry, index) => ({ key: entry[0], index }))
    .sort((a, b) => b.key.length - a.key.length);
  const groupToEntry = byLength.map(({ index }) => index);
  const patterns = byLength.map(({ key }) => toAccentInsensitivePattern(key));
  // Whole words, plurals allowed ("attentes", "problems"), so that "again" does not match "against".
  // The start of a word is checked after the match (WORD_CHAR), which keeps the engine's fast scan for the
  // first letters of the phrases.
  const suffix = '(?:e?s)?(?![\\p{L}\\p{N}])';
  const phrases = entries.map(([, entry]) => entry.phrase);
  const weights = entries.map(([, entry]) => entry.weight);
  const count = entries.length;
  // The scan has no capture groups: with one per phrase, the engine saves and resets 20 groups at every position
  // of the text (callgrind: 12,000 instructions for a 50-character comment, 3,000 without). Where it matches, the
  // same alternation with the groups, anchored there (sticky), says which phrase it was: same matches, same
  // phrases, and which phrase depends on the matched text alone, so it is remembered.
  const scan = new RegExp(`(?:${patterns.join('|')})${suffix}`, 'giu');
  const which = new RegExp(`(?:(${patterns.join(')|(')}))${suffix}`, 'iuy');
  // The phrase of each text matched, as written (its case, accents, plural): the scan's match alone says which
  // phrase it is. At most 256 texts of a phrase's length are kept.
  const entryOf = new Map<string, number>();
  return {
    match(texts) {
      let found: true[] | undefined;
      for (const text of texts) {
        scan.lastIndex = 0;
        for (let match = scan.exec(text); match !== null; match = scan.exec(text)) {
          const at = match.index;
          if (at > 0 && WORD_CHAR.test(text[at - 1]!)) continue;
          let entry = entryOf.get(match[0]);
          if (entry === undefined) {
            which.lastIndex = at;
            const named = which.exec(text)!;
            let group = 1;
            while (named[group] === undefined) group += 1;
            entry = groupToEntry[group - 1]!;
            if (entryOf.size >= 256) entryOf.clear();
            entryOf.set(match[0], entry);
          }
          (found ??= [])[entry] = true;
        }
      }
      if (found === undefined) return NO_MATCH;
      const matched: string[] = [];
      let weight = 0;
      for (let index = 0; index < count; index += 1) {
        if (found[index] !== true) continue;
        matched.push(phrases[index]!);
        weight += weights[index]!;
      }
      return { phrases: matched, weight };
    },
  };
}
