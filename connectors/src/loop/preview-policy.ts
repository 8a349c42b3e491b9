import { createDecider, previewPolicy } from '../../../shared/src/index.ts';
import type { PolicyPreview, Settings } from '../../../shared/src/index.ts';
import type { DecisionWindow, InterventionLedger } from './intervention-ledger.ts';

/**
 * The preview of a draft policy over the incidents of the intervention ledger decided within `window` (all by
 * default): the rows are streamed from SQLite one at a time and decided again with the draft by `shared/`'s
 * `previewPolicy`, which compares them with the recorded decisions. The settings are parsed by the caller
 * (`parseSettings`), so a bad draft is reported with its paths before anything is read.
 */
export function previewDraftPolicy(
  ledger: InterventionLedger,
  draft: Settings,
  window: DecisionWindow = {},
): PolicyPreview {
  return previewPolicy(createDecider(draft), ledger.storedIncidents(window));
}
