/**
 * A rule in plain words, for hovers: "logs every failed open or openat by users with
 * auid ≥ 1000 on 64-bit, tagged access". Built from the same resolved model the matcher
 * reads, so the words name what the kernel would actually compare.
 */
import { errnoByNumber, machineBits, messageTypeName } from '../tables';
import type { FieldCondition, RuleModel } from './model';

export interface DescribeOptions {
  /** Events of the last analysed log this rule matched (shown when given). */
  matchCount?: number;
  /** Events the last analysed log held in total, for a share. */
  eventCount?: number;
  /** Most syscall names listed before "and N more". */
  syscallNameLimit?: number;
}

const permWords: readonly [number, string][] = [
  [4, 'read'], [2, 'write'], [1, 'execution'], [8, 'attribute change'],
];

const operatorWords: Readonly<Record<string, string>> = {
  '=': '=', '!=': '≠', '<': '<', '>': '>', '<=': '≤', '>=': '≥',
};

const unsetId = 4294967295;

/** A one-sentence summary of what the rule does to which events. */
export function describeRule(rule: RuleModel, options: DescribeOptions = {}): string {
  const fields = rule.fields;
  const named = (name: string) => fields.filter((f) => f.field === name && !f.implicit);
  const used = new Set<FieldCondition>();

  const verb = verbOf(rule);
  const { adjective, clause } = outcomeWords(rule, used);
  const what = subjectOf(rule, options.syscallNameLimit ?? 6, used, adjective);
  const objects = objectWords(rule, used);
  const who = actorWords(rule, named, used);
  const rest = fields
    .filter((f) => !used.has(f) && f.field !== 'perm' && !f.implicit)
    .map((f) => conditionWords(f));
  const comparisons = rule.comparisons.map(
    (c) => `${c.left} ${c.operator === '=' ? '=' : '≠'} ${c.right}`,
  );
  const arch = archWords(rule);

  const parts = [verb, what, ...objects, ...who, clause];
  const conditions = [...rest, ...comparisons];
  if (conditions.length > 0) parts.push(`where ${conditions.join(' and ')}`);
  if (arch) parts.push(arch);

  let sentence = parts.filter((p) => p.length > 0).join(' ');
  if (rule.keys.length > 0) sentence += `, tagged ${rule.keys.join(', ')}`;
  if (rule.operation === 'delete') sentence = `deletes the loaded rule that ${sentence}`;
  if (rule.operation === 'prepend') sentence += ' (placed before the earlier rules)';

  if (options.matchCount !== undefined) {
    const share = options.eventCount
      ? ` (${((100 * options.matchCount) / options.eventCount).toFixed(1)}%)`
      : '';
    const noun = rule.list === 'exclude' ? 'record' : 'event';
    sentence += `. Matched ${options.matchCount} ${noun}${options.matchCount === 1 ? '' : 's'}`
      + `${share} of the last analysed log`;
  }
  return sentence;
}

function verbOf(rule: RuleModel): string {
  const never = rule.action === 'never';
  switch (rule.list) {
    case 'exit':
      return never ? 'keeps out of the log' : 'logs';
    case 'io_uring':
      return never ? 'keeps out of the log' : 'logs';
    case 'exclude':
      return 'drops';
    case 'user':
      return never ? 'drops' : 'logs';
    case 'task':
      return never ? 'turns off syscall auditing for' : 'audits the syscalls of';
    case 'filesystem':
      return never ? 'ignores file events on' : 'keeps file events on';
  }
}

function subjectOf(
  rule: RuleModel,
  nameLimit: number,
  used: Set<FieldCondition>,
  adjective: string,
): string {
  const every = adjective ? `every ${adjective}` : 'every';
  switch (rule.list) {
    case 'exclude':
    case 'user': {
      const types = rule.fields.filter((f) => f.field === 'msgtype');
      types.forEach((f) => used.add(f));
      const noun = rule.list === 'user' ? 'user-space message' : 'record';
      if (types.length === 0) return `every ${noun}`;
      return `${noun}s whose type is ${types.map(msgtypeWords).join(' and ')}`;
    }
    case 'task':
      return 'every new task';
    case 'filesystem': {
      const types = rule.fields.filter((f) => f.field === 'fstype');
      types.forEach((f) => used.add(f));
      return types.length > 0 ? types.map((f) => f.raw).join(', ') : 'every filesystem';
    }
    default:
      break;
  }

  const noun = rule.list === 'io_uring' ? 'io_uring op' : 'syscall';
  const perm = rule.watch?.permBits ?? permOf(rule);
  if (rule.syscalls.all || rule.syscalls.names.length === 0) {
    if (perm !== undefined) {
      return `${every} ${joinOr(permWords.filter(([b]) => perm & b).map(([, w]) => w))}`;
    }
    return `${every} ${noun}`;
  }

  const names = rule.syscalls.names;
  const shown = names.slice(0, nameLimit);
  const more = names.length - shown.length;
  const list = more > 0 ? `${shown.join(', ')} and ${more} more` : joinOr(shown);
  return `${every} ${list}`;
}

function permOf(rule: RuleModel): number | undefined {
  const perm = rule.fields.find((f) => f.field === 'perm');
  return typeof perm?.value === 'number' ? perm.value : undefined;
}

/** "failed" before the syscalls, "that fails with EACCES" after the objects. */
function outcomeWords(
  rule: RuleModel,
  used: Set<FieldCondition>,
): { adjective: string; clause: string } {
  let adjective = '';
  for (const field of rule.fields) {
    if (field.field === 'success' && (field.operator === '=' || field.operator === '!=')) {
      const success = (field.value !== 0) === (field.operator === '=');
      adjective = success ? 'successful' : 'failed';
      used.add(field);
    }
  }
  let clause = '';
  const exits = rule.fields.filter((f) => f.field === 'exit' && f.operator === '=');
  if (exits.length === 1 && typeof exits[0].value === 'number' && exits[0].value < 0) {
    const name = errnoByNumber.get(-exits[0].value) ?? `${-exits[0].value}`;
    clause = `that fails with ${name}`;
    used.add(exits[0]);
  }
  return { adjective, clause };
}

function objectWords(rule: RuleModel, used: Set<FieldCondition>): string[] {
  const words: string[] = [];
  for (const field of rule.fields) {
    if (field.field === 'path' && field.operator === '=') {
      words.push(`of ${field.raw}`);
      used.add(field);
    } else if (field.field === 'dir' && field.operator === '=') {
      words.push(`under ${field.raw}`);
      used.add(field);
    }
  }
  if (words.length === 0 && rule.watch) words.push(`of ${rule.watch.path}`);
  return words;
}

function actorWords(
  rule: RuleModel,
  named: (name: string) => FieldCondition[],
  used: Set<FieldCondition>,
): string[] {
  const words: string[] = [];

  const auids = named('auid');
  const loginOnly = auids.find((f) => f.operator === '!=' && f.value === unsetId);
  const ranges = auids.filter((f) => f !== loginOnly);
  if (ranges.length > 0) {
    words.push(`by users with ${ranges.map((f) => `auid ${opWord(f)} ${valueWords(f)}`)
      .join(' and ')}`);
    ranges.forEach((f) => used.add(f));
  }
  if (loginOnly) {
    words.push(ranges.length > 0 ? '(login sessions only)' : 'in login sessions');
    used.add(loginOnly);
  }

  for (const exe of named('exe')) {
    words.push(exe.operator === '=' ? `run by ${exe.raw}` : `not run by ${exe.raw}`);
    used.add(exe);
  }
  return words;
}

function conditionWords(field: FieldCondition): string {
  if (field.operator === '&') return `${field.field} has a bit of ${field.raw}`;
  if (field.operator === '&=') return `${field.field} has all bits of ${field.raw}`;
  return `${field.field} ${opWord(field)} ${valueWords(field)}`;
}

function opWord(field: FieldCondition): string {
  return operatorWords[field.operator] ?? field.operator;
}

function valueWords(field: FieldCondition): string {
  if (field.value === unsetId && /uid$/.test(field.field)) return 'unset';
  if (field.field === 'exit' && typeof field.value === 'number' && field.value < 0) {
    return `-${errnoByNumber.get(-field.value) ?? -field.value}`;
  }
  return field.raw;
}

function msgtypeWords(field: FieldCondition): string {
  const name = typeof field.value === 'number' ? messageTypeName(field.value) : undefined;
  const shown = field.operator === '=' && name ? name : `${opWord(field)} ${field.raw}`;
  return field.operator === '=' ? shown : `${shown}`;
}

function archWords(rule: RuleModel): string {
  if (rule.list === 'exclude' || rule.list === 'user' || rule.list === 'filesystem') {
    return '';
  }
  if (rule.arches.length === 0) {
    if (rule.syscalls.all || rule.list === 'task') return '';
    return `on every arch (by ${rule.machine ?? 'host'} syscall numbers)`;
  }
  const words = rule.arches.map((arch) => {
    const lower = arch.raw.toLowerCase();
    const bits = lower === 'b64' || lower === 'b32' ? `${lower.slice(1)}-bit`
      : `${arch.machine} (${machineBits(arch.machine)}-bit)`;
    return arch.operator === '!=' ? `not on ${bits}` : `on ${bits}`;
  });
  return words.join(' and ');
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
