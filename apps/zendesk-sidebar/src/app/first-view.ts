import type { BootInfo } from './boot.ts';
import { createSidebarDecider, type SidebarDeciderSetup } from './decide.ts';
import type { EarlyStart } from './start.ts';
import { readSidebarState, type SidebarState } from './use-sidebar.ts';

/** Everything the first render needs (settings parsed, data read, decision made), for a single first render. */
export interface FirstView {
  readonly boot: BootInfo;
  readonly decider: SidebarDeciderSetup;
  readonly state: SidebarState;
}

/** Builds the first view from the early start: the decider as soon as the settings are in, then the state. */
export async function prepareFirstView(
  early: EarlyStart,
  now: () => Date = () => new Date(),
): Promise<FirstView> {
  const boot = await early.boot;
  const decider = createSidebarDecider(boot.settings, boot.locale);
  const state = await readSidebarState(
    {
      client: early.client,
      cache: early.cache,
      decide: decider.decide,
      locale: boot.locale,
      now,
      fieldIds: decider.fieldIds,
    },
    early.ticket,
    false,
    () => true,
    // Read early with the fields found by title; the settings may name other fields, then read them now.
    decider.fieldIds.intervention || decider.fieldIds.callbackDueAt ? undefined : early.stored,
  );
  if (state === undefined) throw new Error('the first view was superseded');
  return { boot, decider, state };
}

/** Resolves with the first view when it is ready within `ms`, else with `undefined` (React then shows its states). */
export function firstViewWithin(first: Promise<FirstView>, ms: number): Promise<FirstView | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    first.then(
      (view) => {
        clearTimeout(timer);
        resolve(view);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
