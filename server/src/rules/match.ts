/**
 * The rule-matching model: a rule read as the set of events it matches.
 *
 * One model answers every "does this rule catch that?" question in the project: the
 * ruleset analysis (shadowing, dead never rules), the log engine's impact preview, and the
 * hover's match counts. It mirrors the kernel's filter (kernel/auditfilter.c,
 * kernel/auditsc.c `audit_filter_rules`): a rule matches when its list is the event's
 * list, the syscall is in its mask, and every field holds.
 *
 * Three things are evaluated exactly as the kernel does:
 * - numbers compare as u32 (see valueRange.ts);
 * - fields about the objects of a syscall (path, dir, inode, devmajor, devminor, filetype,
 *   obj_uid, obj_gid, obj_*) hold when *some* PATH item satisfies that one field; two
 *   such fields may be satisfied by different items;
 * - `success=1` compares against AUDITSC_SUCCESS (1) and `success=0` against
 *   AUDITSC_FAILURE (2), so `success!=1` means failed.
 *
 * Facts a log does not carry make a verdict "unknown", never a guess.
 */
import {
  AuditVersion,
  ListName,
  Machine,
  machines,
  syscallTable,
} from '../tables';
import type { FieldCondition, RuleModel } from './model';
import {
  ComparisonOperator,
  ValueSet,
  contains,
  enumerate,
  everyValue,
  intersect,
  isSubset,
  valuesSatisfying,
} from './valueRange';

// --- facts ---------------------------------------------------------------------------

/** One PATH record of an event. */
export interface PathItemFacts {
  /** The name as recorded, made absolute against the CWD record where possible. */
  name?: string;
  inode?: number;
  devmajor?: number;
  devminor?: number;
  /** `mode=` of the PATH record (the S_IFMT bits decide `filetype`). */
  mode?: number;
  ouid?: number;
  ogid?: number;
  /** `obj=` label (user:role:type:level). */
  obj?: string;
}

/**
 * What is known about one event (exit, task, io_uring lists) or one record (user and
 * exclude lists). Absent properties are unknown; rules that need them get "unknown".
 */
export interface EventFacts {
  list: ListName;
  machine?: Machine;
  syscall?: number;
  success?: boolean;
  exit?: number;
  a0?: number;
  a1?: number;
  a2?: number;
  a3?: number;
  pid?: number;
  ppid?: number;
  uid?: number;
  euid?: number;
  suid?: number;
  fsuid?: number;
  gid?: number;
  egid?: number;
  sgid?: number;
  fsgid?: number;
  auid?: number;
  sessionid?: number;
  pers?: number;
  saddrFam?: number;
  exe?: string;
  /** `subj=` label (user:role:type:sensitivity[:clearance]). */
  subj?: string;
  msgtype?: number;
  fstype?: number;
  /** PATH records, in item order. An empty array means the event had none. */
  items?: PathItemFacts[];
  /** The key the event was logged with; facts for hovers, never a filter condition. */
  key?: string;
}

/** The name of one fact a rule may need. */
export type FactName = Exclude<keyof EventFacts, 'list' | 'key'>;

type ProcessNumberFact =
  | 'pid' | 'ppid' | 'uid' | 'euid' | 'suid' | 'fsuid' | 'gid' | 'egid' | 'sgid' | 'fsgid'
  | 'auid' | 'sessionid' | 'pers' | 'saddrFam' | 'exit' | 'a0' | 'a1' | 'a2' | 'a3'
  | 'msgtype' | 'fstype';

type ItemNumberFact = 'inode' | 'devmajor' | 'devminor' | 'ouid' | 'ogid' | 'filetype';

/** Where each numeric rule field finds its value. */
const processNumberFields: Readonly<Record<string, ProcessNumberFact>> = {
  pid: 'pid', ppid: 'ppid', uid: 'uid', euid: 'euid', suid: 'suid', fsuid: 'fsuid',
  gid: 'gid', egid: 'egid', sgid: 'sgid', fsgid: 'fsgid', auid: 'auid', loginuid: 'auid',
  sessionid: 'sessionid', pers: 'pers', saddr_fam: 'saddrFam', exit: 'exit',
  a0: 'a0', a1: 'a1', a2: 'a2', a3: 'a3', msgtype: 'msgtype', fstype: 'fstype',
};

const itemNumberFields: Readonly<Record<string, ItemNumberFact>> = {
  inode: 'inode', devmajor: 'devmajor', devminor: 'devminor', obj_uid: 'ouid',
  obj_gid: 'ogid', filetype: 'filetype',
};

/** Label fields: which part of `subj=` / `obj=` they compare. */
const labelFields: Readonly<Record<string, { scope: 'process' | 'item'; part: number }>> = {
  subj_user: { scope: 'process', part: 0 },
  subj_role: { scope: 'process', part: 1 },
  subj_type: { scope: 'process', part: 2 },
  subj_sen: { scope: 'process', part: 3 },
  subj_clr: { scope: 'process', part: 4 },
  obj_user: { scope: 'item', part: 0 },
  obj_role: { scope: 'item', part: 1 },
  obj_type: { scope: 'item', part: 2 },
  obj_lev_low: { scope: 'item', part: 3 },
  obj_lev_high: { scope: 'item', part: 4 },
};

/** Lists whose rules carry a syscall mask the kernel checks. */
const maskedLists: ReadonlySet<ListName> = new Set<ListName>(['exit', 'io_uring']);

// --- the model -----------------------------------------------------------------------

export type Condition =
  /** A numeric field restricted to a set of values (= != < > <= >=). */
  | { kind: 'range'; field: string; scope: 'process' | 'item'; values: ValueSet }
  /** `&` (some bit of mask set) or `&=` (all bits of mask set). */
  | { kind: 'bits'; field: string; scope: 'process' | 'item'; mask: number; all: boolean }
  /** String equality on exe, a label part, or a PATH name. */
  | {
      kind: 'text';
      field: string;
      scope: 'process' | 'item';
      op: '=' | '!=';
      value: string;
    }
  /**
   * `gid=` / `egid=` (and `!=`): the kernel also searches the supplementary groups for
   * these two operators, which a log does not show.
   */
  | { kind: 'group'; field: 'gid' | 'egid'; op: '=' | '!='; value: number }
  /** `dir=`: some PATH item lies in this tree. */
  | { kind: 'dir'; value: string }
  /** `perm=`: the syscall is of a kind the letters name (AUDIT_PERM_* bits). */
  | { kind: 'perm'; bits: number }
  /** `-C left op right`. */
  | { kind: 'compare'; left: string; op: '=' | '!='; right: string }
  /** A condition the model cannot evaluate from facts (MLS levels with < >, ...). */
  | { kind: 'opaque'; field: string; op: string; value: string };

/** A rule as the set of events it matches. */
export interface RuleEventSet {
  list: ListName;
  action: 'always' | 'never';
  /** Machines the arch fields allow; undefined means any. */
  machines?: ReadonlySet<Machine>;
  /** The syscall mask as numbers; undefined means every syscall (or a list without one). */
  syscalls?: ReadonlySet<number>;
  conditions: readonly Condition[];
  /** Process-scope numeric fields with their values intersected (for subsumption). */
  processRanges: ReadonlyMap<string, ValueSet>;
  keys: readonly string[];
  /** True when the conditions contradict each other: the rule matches nothing. */
  empty: boolean;
}

/**
 * What the model reads from a parsed rule: RuleModel satisfies it, and so does any object
 * with the same parts (the log engine's generated exclusion rules).
 */
export type RuleInput = Pick<RuleModel, 'list' | 'action' | 'syscalls' | 'arches' | 'fields'>
  & Partial<Pick<RuleModel, 'comparisons' | 'keys' | 'watch' | 'operation'>>;

/** Builds the event set of a rule. Pure; callers may cache by rule identity. */
export function eventSetOf(rule: RuleInput): RuleEventSet {
  const conditions: Condition[] = [];
  const processRanges = new Map<string, ValueSet>();
  let empty = false;

  let allowedMachines: Set<Machine> | undefined;
  for (const arch of rule.arches) {
    // auditctl and the kernel take only = and != on arch; anything else is rejected.
    const next = new Set<Machine>(
      arch.operator === '!=' ? machines.filter((m) => m !== arch.machine) : [arch.machine],
    );
    allowedMachines = allowedMachines
      ? new Set([...allowedMachines].filter((m) => next.has(m)))
      : next;
  }
  if (allowedMachines && allowedMachines.size === 0) empty = true;

  let syscalls: Set<number> | undefined;
  if (maskedLists.has(rule.list) && rule.syscalls && !rule.syscalls.all) {
    syscalls = new Set(rule.syscalls.numbers);
    if (syscalls.size === 0) empty = true;
  }

  // A watch's path and perm arrive as implicit fields; older producers may give only
  // the watch itself.
  const watchInFields = rule.fields.some((f) => f.implicit && f.field !== 'perm');
  if (rule.watch && !watchInFields) {
    conditions.push({
      kind: 'text', field: 'path', scope: 'item', op: '=', value: rule.watch.path,
    });
    conditions.push({ kind: 'perm', bits: rule.watch.permBits });
  }

  for (const field of rule.fields) {
    const condition = conditionOf(field);
    if (!condition) continue;
    // `a0&0` can never hold (the kernel's Audit_bitmask is `left & 0`).
    if (condition.kind === 'bits' && !condition.all && condition.mask >>> 0 === 0) empty = true;
    if (condition.kind === 'range' && condition.scope === 'process') {
      const previous = processRanges.get(condition.field) ?? everyValue;
      const narrowed = intersect(previous, condition.values);
      processRanges.set(condition.field, narrowed);
      if (narrowed.length === 0) empty = true;
    }
    conditions.push(condition);
  }

  for (const comparison of rule.comparisons ?? []) {
    const op = comparison.operator === '!=' ? '!=' : '=';
    conditions.push({
      kind: 'compare', left: comparison.left.toLowerCase(), op,
      right: comparison.right.toLowerCase(),
    });
  }

  const action = rule.action === 'never' ? 'never' : 'always';
  return {
    list: rule.list, action, machines: allowedMachines, syscalls, conditions,
    processRanges, keys: rule.keys ?? [], empty,
  };
}

/** auditctl's perm letters: r=4 (AUDIT_PERM_READ), w=2, x=1, a=8 (attribute change). */
export function permLetterBits(letters: string): number {
  let bits = 0;
  for (const letter of letters.toLowerCase()) {
    if (letter === 'r') bits |= 4;
    else if (letter === 'w') bits |= 2;
    else if (letter === 'x') bits |= 1;
    else if (letter === 'a') bits |= 8;
  }
  return bits;
}

function conditionOf(input: FieldCondition): Condition | undefined {
  const field = input.field.toLowerCase();
  const op = input.operator;
  const value = input.value;

  // The key labels a match; the kernel ignores it while filtering (AUDIT_FILTERKEY).
  if (field === 'key' || field === 'arch') return undefined;

  if (field === 'perm') {
    return { kind: 'perm', bits: typeof value === 'number' ? value : permLetterBits(`${value}`) };
  }
  if (field === 'dir' && op === '=') return { kind: 'dir', value: `${value ?? input.raw}` };
  if (field === 'path' || field === 'exe') {
    if (op !== '=' && op !== '!=') return opaque(input);
    const scope = field === 'path' ? 'item' : 'process';
    return { kind: 'text', field, scope, op, value: `${value ?? input.raw}` };
  }
  if (field in labelFields) {
    if (op !== '=' && op !== '!=') return opaque(input);
    return { kind: 'text', field, scope: labelFields[field].scope, op, value: `${value}` };
  }

  const scope = field in itemNumberFields ? 'item' : field in processNumberFields ? 'process'
    : field === 'success' ? 'process' : undefined;
  if (!scope || typeof value !== 'number') return opaque(input);

  if ((field === 'gid' || field === 'egid') && (op === '=' || op === '!=')) {
    return { kind: 'group', field, op, value: value >>> 0 };
  }

  // success=N compares AUDITSC_SUCCESS (1) or AUDITSC_FAILURE (2), as auditsc.c does.
  const number = field === 'success' ? (value ? 1 : 2) : value >>> 0;

  if (op === '&' || op === '&=') {
    return { kind: 'bits', field, scope, mask: number, all: op === '&=' };
  }
  if (!isComparison(op)) return opaque(input);
  return { kind: 'range', field, scope, values: valuesSatisfying(op, number) };
}

function opaque(input: FieldCondition): Condition {
  return {
    kind: 'opaque', field: input.field.toLowerCase(), op: input.operator,
    value: `${input.raw ?? input.value}`,
  };
}

function isComparison(op: string): op is ComparisonOperator {
  return ['=', '!=', '<', '>', '<=', '>='].includes(op);
}

// --- perm classes --------------------------------------------------------------------

/**
 * Syscall classes `perm` selects, as audit-userspace 4.2 expands them (lib/permtab.h,
 * reference §3.2); names a machine lacks are skipped. The kernel decides open, openat
 * and execve by their arguments instead (audit_match_perm), mirrored in permHolds.
 */
const permClassNames: Readonly<Record<'x' | 'w' | 'r' | 'a', readonly string[]>> = {
  x: ['execve', 'execveat'],
  w: [
    'rename', 'mkdir', 'rmdir', 'creat', 'link', 'unlink', 'symlink', 'mknod', 'mkdirat',
    'mknodat', 'unlinkat', 'renameat', 'linkat', 'symlinkat', 'renameat2', 'acct', 'swapon',
    'quotactl', 'quotactl_fd', 'truncate', 'ftruncate', 'bind', 'fallocate', 'open',
    'openat', 'openat2',
  ],
  r: [
    'readlink', 'quotactl', 'quotactl_fd', 'listxattr', 'listxattrat', 'llistxattr',
    'flistxattr', 'getxattr', 'getxattrat', 'lgetxattr', 'fgetxattr', 'readlinkat', 'open',
    'openat', 'openat2', 'file_getattr', 'stat', 'lstat', 'fstat', 'newfstatat', 'statx',
  ],
  a: [
    'chmod', 'fchmod', 'chown', 'lchown', 'fchown', 'setxattr', 'setxattrat', 'lsetxattr',
    'fsetxattr', 'removexattr', 'removexattrat', 'lremovexattr', 'fremovexattr', 'fchownat',
    'fchmodat', 'fchmodat2', 'file_setattr', 'link', 'linkat',
  ],
};

const permLetterOfBit: readonly [number, 'x' | 'w' | 'r' | 'a'][] = [
  [1, 'x'], [2, 'w'], [4, 'r'], [8, 'a'],
];

/** The syscall names a perm value selects (for hovers and describe). */
export function permSyscallNames(bits: number): string[] {
  const names = new Set<string>();
  for (const [bit, letter] of permLetterOfBit) {
    if (bits & bit) for (const name of permClassNames[letter]) names.add(name);
  }
  return [...names];
}

/** Syscall numbers a perm value selects on a machine, as auditctl 4.2 adds them. */
export function permSyscallNumbers(
  bits: number,
  machine: Machine,
  version: AuditVersion = '4.2',
): number[] {
  const table = syscallTable(machine, version);
  if (!table) return [];
  const numbers = new Set<number>();
  for (const name of permSyscallNames(bits)) {
    const number = table.byName.get(name);
    if (number !== undefined) numbers.add(number);
  }
  return [...numbers].sort((x, y) => x - y);
}

// ACC_MODE(flags): O_RDONLY -> MAY_READ (4), O_WRONLY -> MAY_WRITE (2), O_RDWR -> both.
const accessModeBits = [4, 2, 6, 6];

function permHolds(bits: number, event: EventFacts): MatchVerdict {
  if (event.machine === undefined || event.syscall === undefined) return 'unknown';
  const name = syscallTable(event.machine, '4.2')?.byNumber.get(event.syscall);
  if (!name) return 'no-match';

  // audit_match_perm: open and openat are decided by their access mode, execve by x.
  if (name === 'open' || name === 'openat') {
    const flags = name === 'open' ? event.a1 : event.a2;
    if (flags === undefined) return 'unknown';
    return bits & accessModeBits[flags & 3] ? 'match' : 'no-match';
  }
  if (name === 'openat2') return bits & 6 ? 'unknown' : 'no-match';
  if (name === 'execve' || name === 'execveat') return bits & 1 ? 'match' : 'no-match';

  for (const [bit, letter] of permLetterOfBit) {
    if (bits & bit && permClassNames[letter].includes(name)) return 'match';
  }
  return 'no-match';
}

// --- matching an event ---------------------------------------------------------------

export type MatchVerdict = 'match' | 'no-match' | 'unknown';

export interface RuleMatch {
  verdict: MatchVerdict;
  /** Facts whose absence made the verdict unknown. */
  missing: FactName[];
}

const eventSetCache = new WeakMap<object, RuleEventSet>();

function asEventSet(rule: RuleInput | RuleEventSet): RuleEventSet {
  if ('conditions' in rule) return rule;
  const cached = eventSetCache.get(rule);
  if (cached) return cached;
  const set = eventSetOf(rule);
  eventSetCache.set(rule, set);
  return set;
}

/** Whether the rule certainly matches the event. */
export function matchesEvent(rule: RuleInput | RuleEventSet, event: EventFacts): boolean {
  return matchEvent(rule, event).verdict === 'match';
}

/** The rule's verdict on an event, with the facts it lacked when it cannot tell. */
export function matchEvent(rule: RuleInput | RuleEventSet, event: EventFacts): RuleMatch {
  const set = asEventSet(rule);
  if (set.list !== event.list || set.empty) return noMatch;

  let missing: FactName[] | undefined;
  if (set.machines) {
    if (event.machine === undefined) missing = ['machine'];
    else if (!set.machines.has(event.machine)) return noMatch;
  }
  if (set.syscalls) {
    if (event.syscall === undefined) (missing ??= []).push('syscall');
    else if (!set.syscalls.has(event.syscall)) return noMatch;
  }

  // Every condition must hold; one that certainly fails decides, whatever is unknown.
  for (const condition of set.conditions) {
    const [result, fact] = conditionHolds(condition, event);
    if (result === 'no-match') return noMatch;
    if (result === 'unknown') {
      const name = fact ?? 'items';
      if (!missing) missing = [name];
      else if (!missing.includes(name)) missing.push(name);
    }
  }
  return missing ? { verdict: 'unknown', missing } : { verdict: 'match', missing: [] };
}

const noMatch: RuleMatch = Object.freeze({ verdict: 'no-match', missing: [] }) as RuleMatch;

function conditionHolds(condition: Condition, event: EventFacts): [MatchVerdict, FactName?] {
  switch (condition.kind) {
    case 'range':
    case 'bits': {
      if (condition.scope === 'process') {
        const [value, fact] = processNumber(condition.field, event);
        if (value === undefined) return ['unknown', fact];
        return [numberHolds(condition, value) ? 'match' : 'no-match'];
      }
      return anyItem(event, (item) => {
        const value = itemNumber(condition.field, item);
        return value === undefined ? undefined : numberHolds(condition, value);
      });
    }
    case 'text': {
      if (condition.scope === 'process') {
        const text = processText(condition.field, event);
        if (text === undefined) return ['unknown', condition.field === 'exe' ? 'exe' : 'subj'];
        return [(text === condition.value) === (condition.op === '=') ? 'match' : 'no-match'];
      }
      return anyItem(event, (item) => {
        const text = itemText(condition.field, item);
        if (text === undefined) return undefined;
        return (text === condition.value) === (condition.op === '=');
      });
    }
    case 'group': {
      const primary = event[condition.field];
      if (primary === undefined) return ['unknown', condition.field];
      const equal = primary >>> 0 === condition.value;
      // A primary group that differs may still be matched by a supplementary one.
      if (condition.op === '=') return equal ? ['match'] : ['unknown', condition.field];
      return equal ? ['no-match'] : ['unknown', condition.field];
    }
    case 'dir':
      return anyItem(event, (item) =>
        item.name === undefined ? undefined : isInTree(item.name, condition.value),
      );
    case 'perm':
      return [permHolds(condition.bits, event), 'syscall'];
    case 'compare': {
      const left = compareOperand(condition.left, event);
      const right = compareOperand(condition.right, event);
      if (left[0] === undefined) return ['unknown', left[1]];
      if (right[0] === undefined) return ['unknown', right[1]];
      const equal = left[0] >>> 0 === right[0] >>> 0;
      return [equal === (condition.op === '=') ? 'match' : 'no-match'];
    }
    case 'opaque':
      return ['unknown', condition.field.startsWith('obj') ? 'items' : 'subj'];
  }
}

function numberHolds(
  condition: Extract<Condition, { kind: 'range' | 'bits' }>,
  value: number,
): boolean {
  const v = value >>> 0;
  if (condition.kind === 'range') return contains(condition.values, v);
  // Audit_bitmask is `left & right`, Audit_bittest is `(left & right) == right`.
  const masked = (v & condition.mask) >>> 0;
  return condition.all ? masked === condition.mask >>> 0 : masked !== 0;
}

function processNumber(field: string, event: EventFacts): [number | undefined, FactName] {
  if (field === 'success') {
    return [event.success === undefined ? undefined : event.success ? 1 : 2, 'success'];
  }
  const fact = processNumberFields[field];
  return [event[fact], fact];
}

function itemNumber(field: string, item: PathItemFacts): number | undefined {
  const fact = itemNumberFields[field];
  if (fact === 'filetype') return item.mode === undefined ? undefined : item.mode & 0o170000;
  return item[fact];
}

function processText(field: string, event: EventFacts): string | undefined {
  if (field === 'exe') return event.exe;
  if (event.subj === undefined) return undefined;
  return labelPart(event.subj, labelFields[field].part);
}

function itemText(field: string, item: PathItemFacts): string | undefined {
  if (field === 'path') return item.name;
  if (item.obj === undefined) return undefined;
  return labelPart(item.obj, labelFields[field].part);
}

/** A part of an SELinux-style label; parts past the type are the MLS range. */
function labelPart(label: string, part: number): string | undefined {
  const parts = label.split(':');
  if (part < 3) return parts[part];
  const range = parts.slice(3).join(':');
  const [low, high] = range.split('-');
  return part === 3 ? low : (high ?? low);
}

function anyItem(
  event: EventFacts,
  holds: (item: PathItemFacts) => boolean | undefined,
): [MatchVerdict, FactName?] {
  if (event.items === undefined) return ['unknown', 'items'];
  let unknown = false;
  for (const item of event.items) {
    const result = holds(item);
    if (result === true) return ['match'];
    if (result === undefined) unknown = true;
  }
  return unknown ? ['unknown', 'items'] : ['no-match'];
}

const compareOperandFacts: Readonly<Record<string, FactName>> = {
  uid: 'uid', euid: 'euid', suid: 'suid', fsuid: 'fsuid', auid: 'auid', loginuid: 'auid',
  gid: 'gid', egid: 'egid', sgid: 'sgid', fsgid: 'fsgid',
};

function compareOperand(name: string, event: EventFacts): [number | undefined, FactName] {
  const fact = compareOperandFacts[name];
  if (fact) return [event[fact] as number | undefined, fact];
  // obj_uid / obj_gid compare against the first PATH item that has an owner.
  const item = event.items?.find((i) => (name === 'obj_uid' ? i.ouid : i.ogid) !== undefined);
  return [item ? (name === 'obj_uid' ? item.ouid : item.ogid) : undefined, 'items'];
}

/** dir= matches the directory itself and everything below it. */
export function isInTree(path: string, tree: string): boolean {
  const root = tree.length > 1 && tree.endsWith('/') ? tree.slice(0, -1) : tree;
  if (root === '/') return path.startsWith('/');
  return path === root || path.startsWith(`${root}/`);
}

/** The facts a rule needs from an event to reach a verdict (for log engines). */
export function factsNeeded(rule: RuleInput | RuleEventSet): FactName[] {
  const set = asEventSet(rule);
  const needed = new Set<FactName>();
  if (set.machines) needed.add('machine');
  if (set.syscalls) needed.add('syscall');
  for (const condition of set.conditions) {
    switch (condition.kind) {
      case 'range':
      case 'bits':
        if (condition.scope === 'item') needed.add('items');
        else needed.add(processNumber(condition.field, { list: set.list })[1]);
        break;
      case 'text':
        needed.add(condition.scope === 'item' ? 'items'
          : condition.field === 'exe' ? 'exe' : 'subj');
        break;
      case 'dir':
        needed.add('items');
        break;
      case 'group':
        needed.add(condition.field);
        break;
      case 'perm':
        needed.add('machine');
        needed.add('syscall');
        needed.add('a1');
        needed.add('a2');
        break;
      case 'compare':
        for (const side of [condition.left, condition.right]) {
          needed.add(compareOperandFacts[side] ?? 'items');
        }
        break;
      case 'opaque':
        needed.add(condition.field.startsWith('obj') ? 'items' : 'subj');
        break;
    }
  }
  return [...needed];
}

// --- matching order ------------------------------------------------------------------

/** What a rule list does with a rule whose operation is known. */
export interface OrderedRuleInput extends RuleInput {
  /** -a appends, -A prepends, -d deletes the identical rule. */
  operation?: 'append' | 'prepend' | 'delete';
}

/**
 * The kernel's evaluation order of one load: per list, prepended rules first (the latest
 * -A first: each goes to the front, with a rising priority on exit/io_uring), then the
 * appended rules in load order. `-d` removes the rule `sameRule` finds identical.
 */
export function kernelOrder<R extends OrderedRuleInput>(
  rules: readonly R[],
  sameRule: (a: R, b: R) => boolean = () => false,
): R[] {
  const prepended: R[] = [];
  const appended: R[] = [];
  for (const rule of rules) {
    if (rule.operation === 'delete') {
      for (const group of [prepended, appended]) {
        const at = group.findIndex((r) => sameRule(r, rule));
        if (at >= 0) group.splice(at, 1);
      }
      continue;
    }
    if (rule.operation === 'prepend') prepended.unshift(rule);
    else appended.push(rule);
  }
  return [...prepended, ...appended];
}

export interface FirstMatch<R> {
  /** The rule that decides, when one matched for certain. */
  rule?: R;
  /**
   * What happens to the event: `record`/`suppress` by the deciding rule (on the exclude
   * list any match suppresses, whatever the action), `default` when no rule matched
   * (exit: not logged; user and exclude: logged), `unknown` when an undecided rule
   * comes first.
   */
  outcome: 'record' | 'suppress' | 'default' | 'unknown';
  /** Earlier rules whose verdict the facts could not decide. */
  undecided: R[];
}

/**
 * The rule that decides an event, following the kernel's order (reference §2.2): the
 * first matching rule of the event's list wins; on the exclude list any match drops.
 */
export function firstMatch<R extends OrderedRuleInput>(
  rules: readonly R[],
  event: EventFacts,
): FirstMatch<R> {
  const undecided: R[] = [];
  for (const rule of orderedByList(rules).get(event.list) ?? []) {
    const { verdict } = matchEvent(rule, event);
    if (verdict === 'no-match') continue;
    if (verdict === 'unknown') {
      undecided.push(rule);
      continue;
    }
    const set = asEventSet(rule);
    const suppress = set.list === 'exclude' || set.action === 'never';
    const decided = suppress ? 'suppress' : 'record';
    return { rule, outcome: undecided.length > 0 ? 'unknown' : decided, undecided };
  }
  return { outcome: undecided.length > 0 ? 'unknown' : 'default', undecided };
}

// --- overlap -------------------------------------------------------------------------

/**
 * Whether some event may match both rules. False only when it is certain that none does:
 * different lists, arches or masks with nothing in common, different `exe=`, or numeric
 * ranges of one process field that do not meet.
 */
export function mayOverlap(a: RuleInput | RuleEventSet, b: RuleInput | RuleEventSet): boolean {
  const first = asEventSet(a);
  const second = asEventSet(b);
  if (first.list !== second.list || first.empty || second.empty) return false;

  if (first.machines && second.machines
    && ![...first.machines].some((m) => second.machines!.has(m))) {
    return false;
  }
  if (first.syscalls && second.syscalls
    && ![...first.syscalls].some((n) => second.syscalls!.has(n))) {
    return false;
  }

  for (const [field, values] of first.processRanges) {
    const other = second.processRanges.get(field);
    if (other && intersect(values, other).length === 0) return false;
  }

  const processTexts = (set: RuleEventSet) => set.conditions.filter(
    (c): c is Extract<Condition, { kind: 'text' }> => c.kind === 'text' && c.scope === 'process',
  );
  for (const x of processTexts(first)) {
    for (const y of processTexts(second)) {
      if (x.field !== y.field) continue;
      if (x.op === '=' && y.op === '=' && x.value !== y.value) return false;
      if (x.op !== y.op && x.value === y.value) return false;
    }
  }
  return true;
}

/**
 * Whether some event certainly matches both rules: the masks and arches meet, and each
 * condition of `a` either holds for every event of `b` or restricts a process field that
 * `b` leaves free (`saddr_fam=2`, `uid=0`, `exe=` ...), which some of `b`'s events carry.
 * Conditions on PATH items, perm, dir, `-C` and opaque ones are never taken as certain:
 * whether a syscall has such an item at all is not in the model. False means "not proven".
 */
export function certainlyOverlap(
  a: RuleInput | RuleEventSet,
  b: RuleInput | RuleEventSet,
): boolean {
  const first = asEventSet(a);
  const second = asEventSet(b);
  if (!mayOverlap(first, second)) return false;

  return first.conditions.every((condition) => {
    if (impliedBy(condition, second)) return true;
    if (!('scope' in condition) || condition.scope !== 'process') return false;
    if (condition.kind === 'range' && condition.values.length === 0) return false;
    if (condition.kind === 'bits' && condition.mask >>> 0 === 0 && !condition.all) return false;
    // exit and success describe one return value; `-C` ties its two fields together.
    const linked = condition.field === 'exit' || condition.field === 'success'
      ? ['exit', 'success'] : [condition.field];
    return !second.conditions.some((c) => c.kind === 'compare'
      ? linked.includes(c.left) || linked.includes(c.right)
      : 'field' in c && linked.includes(c.field));
  });
}

/** Facts shared by a number of events (a bucket of the log engine's event profile). */
export interface WeightedFacts {
  facts: EventFacts;
  /** How many events have these facts. */
  events: number;
}

export interface RuleMatchCount {
  /** Events the rule matches, whatever comes before it. */
  matched: number;
  /** Events it decides: the first rule of its list to match them (its key is recorded). */
  decided: number;
  /** Events the facts could not decide for this rule. */
  unknown: number;
}

/**
 * How many events of an analysed log each rule matches and decides, for hovers and code
 * lenses. Rules are in load order, as for firstMatch.
 */
export function matchCounts<R extends OrderedRuleInput>(
  rules: readonly R[],
  samples: Iterable<WeightedFacts>,
): Map<R, RuleMatchCount> {
  const counts = new Map<R, RuleMatchCount>(
    rules.map((rule) => [rule, { matched: 0, decided: 0, unknown: 0 }]),
  );
  for (const { facts, events } of samples) {
    for (const rule of orderedByList(rules).get(facts.list) ?? []) {
      const { verdict } = matchEvent(rule, facts);
      const count = counts.get(rule)!;
      if (verdict === 'match') count.matched += events;
      else if (verdict === 'unknown') count.unknown += events;
    }
    const decision = firstMatch(rules, facts);
    if (decision.rule && decision.outcome !== 'unknown') {
      counts.get(decision.rule)!.decided += events;
    }
  }
  return counts;
}

const orderCache = new WeakMap<readonly object[], Map<ListName, object[]>>();

/** kernelOrder grouped by list, cached per rules array (callers do not mutate it). */
function orderedByList<R extends OrderedRuleInput>(rules: readonly R[]): Map<ListName, R[]> {
  const cached = orderCache.get(rules);
  if (cached) return cached as Map<ListName, R[]>;
  const byList = new Map<ListName, R[]>();
  for (const rule of kernelOrder(rules)) {
    const list = byList.get(rule.list) ?? [];
    list.push(rule);
    byList.set(rule.list, list);
  }
  orderCache.set(rules, byList);
  return byList;
}

// --- subsumption ---------------------------------------------------------------------

/** Largest set of values enumerated to prove a bit test holds for all of them. */
const enumerationLimit = 4096;

/**
 * Whether every event `b` matches is certainly matched by `a` too. False means "not
 * proven", never "proven not": each step below is sufficient, none is necessary.
 */
export function subsumes(a: RuleInput | RuleEventSet, b: RuleInput | RuleEventSet): boolean {
  const outer = asEventSet(a);
  const inner = asEventSet(b);

  if (outer.list !== inner.list) return false;
  if (inner.empty) return true;
  if (outer.empty) return false;

  if (outer.machines) {
    if (!inner.machines) return false;
    for (const machine of inner.machines) if (!outer.machines.has(machine)) return false;
  }
  if (outer.syscalls) {
    if (!inner.syscalls) return false;
    for (const number of inner.syscalls) if (!outer.syscalls.has(number)) return false;
  }

  return outer.conditions.every((condition) => impliedBy(condition, inner));
}

/** Whether every event of `set` satisfies `condition`. */
function impliedBy(condition: Condition, set: RuleEventSet): boolean {
  switch (condition.kind) {
    case 'range':
      if (condition.scope === 'process') {
        return isSubset(set.processRanges.get(condition.field) ?? everyValue, condition.values);
      }
      return set.conditions.some(
        (c) => c.kind === 'range' && c.scope === 'item' && c.field === condition.field
          && isSubset(c.values, condition.values),
      );
    case 'bits':
      return bitsImplied(condition, set);
    case 'text':
      return set.conditions.some((c) => textImplies(c, condition));
    case 'group':
      return set.conditions.some(
        (c) => c.kind === 'group' && c.field === condition.field && c.op === condition.op
          && c.value === condition.value,
      );
    case 'dir':
      return set.conditions.some((c) => c.kind === 'dir' && isInTree(c.value, condition.value));
    case 'perm':
      return set.conditions.some(
        (c) => c.kind === 'perm' && (c.bits & ~condition.bits) === 0 && c.bits !== 0,
      );
    case 'compare':
      return set.conditions.some(
        (c) => c.kind === 'compare' && c.op === condition.op
          && ((c.left === condition.left && c.right === condition.right)
            || (c.left === condition.right && c.right === condition.left)),
      );
    case 'opaque':
      return set.conditions.some(
        (c) => c.kind === 'opaque' && c.field === condition.field && c.op === condition.op
          && c.value === condition.value,
      );
  }
}

function bitsImplied(
  condition: Extract<Condition, { kind: 'bits' }>,
  set: RuleEventSet,
): boolean {
  const mask = condition.mask >>> 0;
  // `a0&0` never holds, `a0&=0` always does.
  if (mask === 0) return condition.all;

  const sameField = set.conditions.filter(
    (c) => (c.kind === 'bits' || c.kind === 'range') && c.field === condition.field
      && c.scope === condition.scope,
  );

  // A stronger bit test on the same field implies this one.
  for (const c of sameField) {
    if (c.kind !== 'bits') continue;
    const other = c.mask >>> 0;
    if (condition.all) {
      if (c.all && (other & mask) >>> 0 === mask) return true;
    } else if (c.all ? (other & mask) !== 0 : other !== 0 && (other & ~mask) === 0) {
      return true;
    }
  }

  // Otherwise, every value the set allows must pass the test.
  const test = (values: ValueSet) => {
    const listed = enumerate(values, enumerationLimit);
    return listed !== undefined && listed.every((v) => numberHolds(condition, v));
  };
  if (condition.scope === 'process') {
    return test(set.processRanges.get(condition.field) ?? everyValue);
  }
  return sameField.some((c) => c.kind === 'range' && test(c.values));
}

function textImplies(
  known: Condition,
  wanted: Extract<Condition, { kind: 'text' }>,
): boolean {
  if (known.kind !== 'text' || known.field !== wanted.field) return false;
  if (wanted.op === '=') return known.op === '=' && known.value === wanted.value;
  return (known.op === '=' && known.value !== wanted.value)
    || (known.op === '!=' && known.value === wanted.value);
}
