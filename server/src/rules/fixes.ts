/**
 * Quick fixes from diagnostics. The checks put ready-made edits in each diagnostic's
 * `data` (codes.ts FixData), so nothing is re-parsed here: this module only picks the
 * fixes that apply to a range and builds the "fix all of this kind in the file" action
 * by merging the preferred fix of every diagnostic with the same code.
 */
import { FixData, FixEdit, codeInfo } from './codes';
import type { Range, RuleDiagnostic } from './diagnostics';

export interface RulesCodeAction {
  title: string;
  /** The diagnostics the action resolves. */
  diagnostics: RuleDiagnostic[];
  edits: FixEdit[];
  preferred?: boolean;
  /** True for the whole-file action. */
  fixAll?: boolean;
}

export function fixDataOf(diagnostic: RuleDiagnostic): FixData | undefined {
  const data = diagnostic.data as Partial<FixData> | undefined;
  if (!data || !Array.isArray(data.fixes) || data.fixes.length === 0) return undefined;
  return data as FixData;
}

function comparePositions(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}

function rangesIntersect(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/** Two edits collide when they overlap; two insertions at one point do not. */
function editsCollide(a: FixEdit, b: FixEdit): boolean {
  const aEmpty = comparePositions(a.range.start, a.range.end) === 0;
  const bEmpty = comparePositions(b.range.start, b.range.end) === 0;
  if (aEmpty && bEmpty) return false;
  if (aEmpty || bEmpty) {
    const point = aEmpty ? a.range.start : b.range.start;
    const span = aEmpty ? b.range : a.range;
    return comparePositions(span.start, point) < 0 && comparePositions(point, span.end) < 0;
  }
  return comparePositions(a.range.start, b.range.end) < 0 &&
    comparePositions(b.range.start, a.range.end) < 0;
}

/** The fix chosen for a diagnostic in a fix-all: its preferred one, else the first. */
function primaryFix(data: FixData) {
  return data.fixes.find((fix) => fix.preferred) ?? data.fixes[0];
}

/**
 * The actions for the diagnostics touching `range`: each of their fixes, then, per code
 * with more than one fixable diagnostic in the file, one action fixing them all.
 */
export function codeActionsFor(
  allDiagnostics: readonly RuleDiagnostic[],
  range: Range,
): RulesCodeAction[] {
  const actions: RulesCodeAction[] = [];
  const here = allDiagnostics.filter((d) => fixDataOf(d) && rangesIntersect(d.range, range));
  const codesHere = new Set<string>();

  for (const diagnostic of here) {
    const data = fixDataOf(diagnostic);
    if (!data) continue;
    codesHere.add(diagnostic.code);
    for (const fix of data.fixes) {
      actions.push({
        title: fix.title,
        diagnostics: [diagnostic],
        edits: fix.edits,
        preferred: fix.preferred,
      });
    }
  }

  for (const code of codesHere) {
    const fixAll = fixAllFor(allDiagnostics, code);
    if (fixAll && fixAll.diagnostics.length > 1) actions.push(fixAll);
  }
  return actions;
}

/** One action applying the primary fix of every diagnostic with this code. */
export function fixAllFor(
  allDiagnostics: readonly RuleDiagnostic[],
  code: string,
): RulesCodeAction | undefined {
  const taken: FixEdit[] = [];
  const resolved: RuleDiagnostic[] = [];

  for (const diagnostic of allDiagnostics) {
    if (diagnostic.code !== code) continue;
    const data = fixDataOf(diagnostic);
    if (!data || data.alone) continue;
    const fix = primaryFix(data);
    // A fix whose edits overlap an edit already taken waits for the next run.
    if (fix.edits.some((edit) => taken.some((other) => editsCollide(edit, other)))) continue;
    taken.push(...fix.edits);
    resolved.push(diagnostic);
  }
  if (resolved.length === 0) return undefined;

  let title: string;
  try {
    title = `Fix all in the file: ${codeInfo(code).title} (${resolved.length})`;
  } catch {
    title = `Fix all ${code} in the file (${resolved.length})`;
  }
  return { title, diagnostics: resolved, edits: taken, fixAll: true };
}
