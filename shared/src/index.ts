export const BOUCLE_TAG_PREFIX = 'boucle_';
