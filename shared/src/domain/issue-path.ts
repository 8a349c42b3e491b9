/**
 * Where a problem is in a JSON value, written one way everywhere Boucle reports one (settings, decide input,
 * survey answers, webhook bodies): property names joined by dots, list positions in brackets, counted from 0,
 * as JavaScript and jq read them: `rules[2].conditions.all[0].operator`, `feedback[0].score`.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
  }
  return text;
}

/** `answers[1]` + `score` → `answers[1].score`; `answers[1]` + `[0].x` → `answers[1][0].x`; either may be empty. */
export function joinIssuePath(parent: string, child: string): string {
  if (parent === '') return child;
  if (child === '') return parent;
  return child.startsWith('[') ? `${parent}${child}` : `${parent}.${child}`;
}
