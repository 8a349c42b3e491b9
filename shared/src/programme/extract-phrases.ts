import { normalizeText } from '../effort/effort-lexicon.ts';

/** Words that neither start nor end a phrase (en + fr, accents removed as normalizeText does). */
const STOPWORDS = new Set(
  (
    'a an and are as at be been but by do for from had has have he her his i if in is it its me my no not of on ' +
    'or our so than that the their them then there they this to too us was we were what when which who will ' +
    'with you your very just also can could would should all any been more most some such only own same ' +
    'au aux avec ce ces cet cette dans de des du elle elles en est et etait eu il ils je la le les leur leurs ' +
    'lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sont sur ' +
    'ta te tes toi ton tres tu un une vos votre vous y ai as avons avez ont suis es sommes etes ete fait ' +
    'faire plus bien tout tous toute toutes si ca cela nous deja aussi'
  ).split(' '),
);

/**
 * The distinct phrases of a comment: runs of one to `maxWords` words (lower case, accents removed) that neither
 * start nor end with a stop word; single words need three letters. "J'ai été appelé à nouveau" gives
 * "appele", "nouveau" and "appele a nouveau". Counting each phrase once per comment makes frequencies shares of
 * comments, not of words.
 */
export function extractPhrases(comment: string, maxWords = 3): Set<string> {
  const words = normalizeText(comment)
    .split(/[^a-z0-9\u00e6\u0153]+/)
    .filter((word) => word !== '');
  const phrases = new Set<string>();
  const usable = (word: string): boolean => !STOPWORDS.has(word) && word.length > 1;
  for (let start = 0; start < words.length; start += 1) {
    if (!usable(words[start]!)) continue;
    for (let length = 1; length <= maxWords && start + length <= words.length; length += 1) {
      const last = words[start + length - 1]!;
      if (!usable(last)) continue;
      if (length === 1 && last.length < 3) continue;
      phrases.add(words.slice(start, start + length).join(' '));
    }
  }
  return phrases;
}
