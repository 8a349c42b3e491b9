import { PRIORITY_RANK } from '../../../shared/src/index.ts';
import type { TicketPriority } from './loop-ports.ts';

const PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/** The priority change for a decision: raise freely; lower only a priority Boucle set itself. */
export function priorityChange(
  current: TicketPriority | null,
  wanted: TicketPriority,
  boucleSetIt: boolean,
): { priority?: TicketPriority } {
  if (current === wanted) return {};
  if (current === null || PRIORITY_RANK[wanted] > PRIORITY_RANK[current]) return { priority: wanted };
  // Lower only a priority Boucle set itself: never one an agent chose by hand.
  return boucleSetIt ? { priority: wanted } : {};
}

/** A reminder's bump: one step up, to at least high; null when nothing would change. */
export function raisePriority(current: TicketPriority | null): TicketPriority | null {
  const index = current === null ? 1 : PRIORITIES.indexOf(current);
  const next = PRIORITIES[Math.min(PRIORITIES.length - 1, Math.max(index + 1, 2))]!;
  return current !== null && PRIORITY_RANK[next] <= PRIORITY_RANK[current] ? null : next;
}
