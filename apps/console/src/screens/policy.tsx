import { lazy, Suspense } from 'react';
import type { ConsoleContext } from '../console-app.tsx';
import { Loading } from '../ui.tsx';

/** The editor validates with shared/'s zod schema: a lazy chunk, so zod and the editor are not on the start path. */
const PolicyEditor = lazy(() => import('../policy/policy-editor.tsx'));

export function PolicyScreen({ ctx }: { ctx: ConsoleContext }) {
  return (
    <Suspense fallback={<Loading lines={6} />}>
      <PolicyEditor ctx={ctx} />
    </Suspense>
  );
}
