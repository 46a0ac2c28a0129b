/**
 * The code lens above each rule: how many events (records, for exclude rules) of the last
 * analysed log it matched, and how many the log's profile could not decide.
 */
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver/node';
import type { RuleModel } from '../rules/model';
import type { RuleLogCount } from './rulesetAnalysis';

/** "audit.log" or "3 logs". */
export function logLabel(files: readonly string[]): string {
  return files.length === 1 ? path.basename(files[0]) : `${files.length} logs`;
}

/** "12,345 events", "1 record". */
export function countWords(count: number, unit: string): string {
  return `${count.toLocaleString('en-US')} ${unit}${count === 1 ? '' : 's'}`;
}

/** The code lens title of one rule. */
export function lensTitle(count: RuleLogCount, files: readonly string[]): string {
  const share = count.total > 0 && count.matched > 0
    ? ` (${((100 * count.matched) / count.total).toFixed(1)}%)` : '';
  let title = `${countWords(count.matched, count.unit)} matched${share} in ${logLabel(files)}`;
  if (count.undecided > 0) {
    title += ` · ${count.undecided.toLocaleString('en-US')} undecided`;
  }
  return title;
}

/** One lens above each rule, once a log has been analysed. */
export function ruleCodeLenses(
  rules: readonly RuleModel[],
  counts: ReadonlyMap<RuleModel, RuleLogCount>,
  files: readonly string[],
): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const rule of rules) {
    const count = counts.get(rule);
    if (!count) continue;
    // No command to run: an empty command id makes the lens a plain label.
    lenses.push({ range: rule.range, command: { title: lensTitle(count, files), command: '' } });
  }
  return lenses;
}
