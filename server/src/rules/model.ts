/**
 * The resolved form of one rule line: what auditctl would send to the kernel, with the
 * source range of every part. The rule-matching model (match.ts) and the whole-ruleset
 * analysis read rules only through these types, so their fields are a stable contract.
 */
import type { ListName, Machine } from '../tables';
import type { Range } from './diagnostics';
import { identityText } from './identityText';

export type { ListName, Machine } from '../tables';

/** `-F` operators, as auditctl accepts them (the kernel accepts fewer, see fields.json). */
export type FieldOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | '&' | '&=';

export const fieldOperators: readonly FieldOperator[] = [
  '=', '!=', '<', '>', '<=', '>=', '&', '&=',
];

export type RuleAction = 'always' | 'never';

/** `-a` appends, `-A` prepends (AUDIT_FILTER_PREPEND), `-d` / `-W` delete. */
export type RuleOperation = 'append' | 'prepend' | 'delete';

/** One `-F arch=` of the rule. */
export interface ArchCondition {
  /** The machine the value names (b64 / b32 resolved against the host machine). */
  machine: Machine;
  operator: FieldOperator;
  /** The value as written (`b64`, `x86_64`, `c000003e`). */
  raw: string;
  /** The whole `-F arch=...` argument. */
  range: Range;
}

/**
 * One field condition, as the kernel receives it. Numbers are the 32-bit values auditctl
 * sends (uids, errnos as negative numbers, msgtype names resolved, perm as bits, filetype
 * as S_IFMT bits, fstype as magic); strings stay strings (path, dir, exe, LSM labels,
 * key). A user or group name that can only be resolved on the target host stays a string
 * and sets `hostName`.
 */
export interface FieldCondition {
  /** Canonical field name from the field table (`auid` for `loginuid`, lower case). */
  field: string;
  operator: FieldOperator;
  value: number | string;
  /** The value text as written, after unescaping. */
  raw: string;
  /** The whole `name<op>value` argument. */
  range: Range;
  /** Range of the value part alone. */
  valueRange: Range;
  /** True when the value is a user or group name resolved only on the target host. */
  hostName?: boolean;
  /** True when the condition came from `-p` (perm) or `-w` (path / dir). */
  implicit?: boolean;
}

/** One `-C left<op>right` inter-field comparison (exit list only). */
export interface FieldComparison {
  left: string;
  operator: '=' | '!=';
  right: string;
  range: Range;
}

/** The syscalls a rule names. `all` also holds for a rule with no `-S` on non-task lists. */
export interface SyscallSelection {
  /** True for `-S all`, for a watch, or when no -S was given on a non-task list. */
  all: boolean;
  /** Resolved numbers on `RuleModel.machine` (io_uring op numbers on that list). */
  numbers: number[];
  /** Names as resolved (numbers given as digits are named when the table knows them). */
  names: string[];
  /** Each `-S` word as written, with its range, for diagnostics and fixes. */
  written: { text: string; range: Range }[];
}

/** A legacy `-w` / `-W` watch: always,exit with path= or dir= and perm=. */
export interface WatchSpec {
  path: string;
  /** Permission letters, lower case (`rwxa` when -p was not given). */
  perms: string;
  /** Bits: r=4 w=2 x=1 a=8. */
  permBits: number;
  pathRange: Range;
  permRange?: Range;
}

export interface RuleModel {
  /** 0-based line in the checked text. */
  line: number;
  /** The file the rule came from, when several files are checked as one stream. */
  file?: string;
  list: ListName;
  action: RuleAction;
  operation: RuleOperation;
  /**
   * The machine whose syscall table the `-S` names were resolved against: the last
   * `-F arch` before them, else the host machine. Absent only when the arch was invalid.
   */
  machine?: Machine;
  /** True when `machine` came from the host, not from a `-F arch` on the line. */
  machineFromHost: boolean;
  /** Every `-F arch=` (more than one means the rule can never match). */
  arches: ArchCondition[];
  syscalls: SyscallSelection;
  /** Field conditions in line order, arch excluded (see `arches`), key excluded. */
  fields: FieldCondition[];
  comparisons: FieldComparison[];
  /** The keys of `-k` and `-F key=`, in order (auditctl joins them with 0x01). */
  keys: string[];
  watch?: WatchSpec;
  /** The whole line's extent (first to last word). */
  range: Range;
  /** Range of the list/action argument (or of the `-w` option for a watch). */
  listRange: Range;
}

/** auditctl's kernel field count for the rule: arch, fields, comparisons and the key. */
export function kernelFieldCount(rule: RuleModel): number {
  return rule.arches.length + rule.fields.length + rule.comparisons.length +
    (rule.keys.length > 0 ? 1 : 0);
}

/**
 * A text that is equal for two rules the kernel would treat as the same rule (the
 * duplicate check of AUDIT_ADD_RULE, which ignores the prepend flag).
 */
export function ruleIdentity(rule: RuleModel): string {
  const parts: string[] = [rule.list, rule.action];
  const numbers = [...rule.syscalls.numbers].sort((a, b) => a - b);
  parts.push(rule.syscalls.all ? 'all' : numbers.join(','));
  for (const arch of rule.arches) parts.push(`arch${arch.operator}${arch.machine}`);
  for (const field of rule.fields) parts.push(`${field.field}${field.operator}${field.value}`);
  for (const comparison of rule.comparisons) {
    parts.push(`C:${comparison.left}${comparison.operator}${comparison.right}`);
  }
  if (rule.keys.length > 0) parts.push(`key=${rule.keys.join('\u0001')}`);
  return identityText(parts);
}
