import type { Fix } from '../../../../server/src/core/findings';
import { applyEdits } from '../../apply-edits';

/** The workspace after a fix: every file it touches with its own edits applied. */
export function applyFix(files: Readonly<Record<string, string>>, fix: Fix): Record<string, string> {
  const fixed = { ...files };
  for (const file of new Set(fix.edits.map((e) => e.file))) {
    fixed[file] = applyEdits(files[file], fix.edits.filter((e) => e.file === file));
  }
  return fixed;
}
