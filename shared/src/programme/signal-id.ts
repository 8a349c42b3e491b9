import type { WarningSign } from './scan-signals.ts';

/**
 * A warning sign's stable id across scans: its kind, its cut and (for a keyword) its phrase, as a URL-safe slug.
 * The console acknowledges or snoozes a sign by this id; the next scan that raises the same sign finds its state.
 */
export function signalId(sign: Pick<WarningSign, 'kind' | 'dimension' | 'value' | 'phrase'>): string {
  const parts = [sign.kind, sign.dimension, sign.value, ...(sign.phrase === null ? [] : [sign.phrase])];
  return parts
    .map((part) =>
      part
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .join('.');
}
