/**
 * Sets of unsigned 32-bit values as sorted, disjoint, inclusive intervals.
 *
 * The kernel compares every numeric rule field as a u32 (`audit_comparator` and the
 * uid/gid comparators in kernel/auditfilter.c take u32 or kuid_t), so `exit=-13` and an
 * event's exit -13 both become 4294967283, and `exit<0` can never be true. The
 * rule-matching model mirrors that by keeping every numeric constraint in this domain.
 */

export const u32Max = 0xffffffff;

/** An inclusive interval [low, high] of u32 values. */
export type ValueInterval = readonly [number, number];

/** A set of u32 values: sorted, disjoint, non-adjacent intervals. */
export type ValueSet = readonly ValueInterval[];

export const everyValue: ValueSet = [[0, u32Max]];
export const noValue: ValueSet = [];

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** The values `x` for which `x <op> value` holds, as the kernel's comparator decides it. */
export function valuesSatisfying(op: ComparisonOperator, value: number): ValueSet {
  const v = value >>> 0;
  switch (op) {
    case '=':
      return [[v, v]];
    case '!=':
      return normalise([
        [0, v - 1],
        [v + 1, u32Max],
      ]);
    case '<':
      return v === 0 ? noValue : [[0, v - 1]];
    case '<=':
      return [[0, v]];
    case '>':
      return v === u32Max ? noValue : [[v + 1, u32Max]];
    case '>=':
      return [[v, u32Max]];
  }
}

function normalise(intervals: ValueInterval[]): ValueSet {
  const valid = intervals
    .filter(([low, high]) => low <= high && high >= 0 && low <= u32Max)
    .map(([low, high]): ValueInterval => [Math.max(0, low), Math.min(u32Max, high)])
    .sort((x, y) => x[0] - y[0]);

  const merged: [number, number][] = [];
  for (const [low, high] of valid) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

export function intersect(a: ValueSet, b: ValueSet): ValueSet {
  const result: ValueInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const low = Math.max(a[i][0], b[j][0]);
    const high = Math.min(a[i][1], b[j][1]);
    if (low <= high) result.push([low, high]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return result;
}

export function contains(set: ValueSet, value: number): boolean {
  const v = value >>> 0;
  return set.some(([low, high]) => low <= v && v <= high);
}

/** Whether every value of `inner` is in `outer`. */
export function isSubset(inner: ValueSet, outer: ValueSet): boolean {
  return inner.every(([low, high]) =>
    outer.some(([outerLow, outerHigh]) => outerLow <= low && high <= outerHigh),
  );
}

export function size(set: ValueSet): number {
  return set.reduce((total, [low, high]) => total + (high - low + 1), 0);
}

/** The values of a small set, or undefined when it holds more than `limit`. */
export function enumerate(set: ValueSet, limit: number): number[] | undefined {
  if (size(set) > limit) return undefined;
  const values: number[] = [];
  for (const [low, high] of set) for (let v = low; v <= high; v++) values.push(v);
  return values;
}
