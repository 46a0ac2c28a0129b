/** Did-you-mean suggestions and the ready-made edits that quick fixes apply. */
import type { FixData } from '../codes';
import type { Range } from '../diagnostics';

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (current[j] < rowMin) rowMin = current[j];
    }
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/** The closest candidates to a misspelt name (at most `count`, within a third of its length). */
export function closestNames(word: string, candidates: Iterable<string>, count: number): string[] {
  const limit = Math.max(2, Math.min(3, Math.floor(word.length / 3)));
  const scored: { name: string; score: number }[] = [];
  for (const candidate of candidates) {
    const score = distance(word, candidate, limit);
    if (score <= limit) scored.push({ name: candidate, score });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, count).map((entry) => entry.name);
}

export function didYouMeanFixes(range: Range, suggestions: string[]): FixData | undefined {
  if (suggestions.length === 0) return undefined;
  return {
    fixes: suggestions.map((name, index) => ({
      title: `Change to "${name}"`,
      edits: [{ range, newText: name }],
      preferred: index === 0 && suggestions.length === 1,
    })),
  };
}

export function replaceFix(title: string, range: Range, newText: string): FixData {
  return { fixes: [{ title, edits: [{ range, newText }], preferred: true }] };
}
