/**
 * Turns a selection from a noise report (an executable, an executable and some of its
 * syscalls, a key, or a record type) into audit rules that stop logging it.
 *
 * - An executable: `-a never,exit -F arch=b64 -S a,b,c -F exe=/path -k exclude_<name>`,
 *   one rule per ABI. The syscall names come from the numbers the log recorded, looked
 *   up in the table of the record's own arch; a b32 twin is added when the log has b32
 *   events, so the 32-bit entry points of the same calls are covered too.
 * - A record type: `-a always,exclude -F msgtype=NAME` (on the exclude list the action is
 *   ignored: a match drops the record).
 * - A key: the key is the `-k` of the rule that logged the events, and a rule cannot
 *   test another rule's key, so the events are excluded by the programs that produced
 *   them, restricted to the syscalls they made under that key. When the rules file is
 *   known, the proposal also names the rules that carry the key: removing one of those is
 *   the other thing an admin may want.
 *
 * `never` rules work only above the `always` rules they pre-empt (first match wins on
 * the exit list, reference §2.2): they belong in a file that sorts early in rules.d.
 */
import {
  AuditVersion,
  Machine,
  compatMachine,
  defaultAuditVersion,
  machineBits,
  machines,
  messageTypes,
  syscallTable,
} from '../tables';
import type { FieldCondition, RuleModel } from '../rules/model';
import type { RuleInput } from '../rules/match';
import { lineRange } from '../rules/diagnostics';
import { maxSyscallNumber } from '../rules/checks/syscalls';
import type { EventProfile, EventProfileBucket } from './report';
import { exeFieldWord, keyFromExe } from './ruleWords';
import { visibleText } from '../rules/visibleText';
import { SafetyWarning, isLoginProgram, safetyWarnings } from './safety';

export interface SyscallRef {
  /** libaudit machine name of the record's arch (x86_64, i386 ...). */
  machine: string;
  number: number;
}

export type ExclusionSelection =
  | { kind: 'exe'; exe: string; syscalls?: readonly SyscallRef[] }
  | { kind: 'key'; key: string }
  | { kind: 'type'; type: string };

/** One generated rule: its line, and the rule as the matching model reads it. */
export interface GeneratedRule {
  text: string;
  model: RuleInput;
  /** Machine whose syscall table the `-S` names belong to (exit rules). */
  machine?: Machine;
}

export interface ExclusionProposal {
  selection: ExclusionSelection;
  rules: GeneratedRule[];
  warnings: SafetyWarning[];
  /** Why part or all of the selection has no rule (a path that cannot be written ...). */
  refused: string[];
  /** Facts worth knowing before using the rules. */
  notes: string[];
}

export interface ExclusionOptions {
  /** The auditctl version the rules must load in (syscall and msgtype names differ). */
  auditVersion?: AuditVersion;
  /** Rules already in force, to name the rules behind a key. */
  existingRules?: readonly RuleModel[];
  /** Key prefix of generated exit rules. */
  keyPrefix?: string;
  /** Programs considered for a key selection, busiest first. */
  maxProgramsPerKey?: number;
}

/** auditctl's read buffer: a longer line is cut in two (reference §1.1). */
const maxRuleLineBytes = 6143;

/** What a log says about its ABIs: the 64-bit machine (if any) and which machines occur. */
export interface LogMachines {
  /** The machine `b64` means in generated rules (the log's 64-bit machine). */
  native?: Machine;
  /** The machine `b32` means: the native machine's compat twin, or a 32-bit-only log's. */
  compat?: Machine;
  /** Whether any event ran on the 32-bit ABI. */
  hasB32: boolean;
}

export function asMachine(name: string | null | undefined): Machine | undefined {
  return name !== null && name !== undefined && (machines as readonly string[]).includes(name)
    ? (name as Machine) : undefined;
}

export function logMachines(profile: EventProfile): LogMachines {
  const seen = new Set<Machine>();
  for (const bucket of profile.buckets) {
    const machine = asMachine(bucket.machine);
    if (machine) seen.add(machine);
  }
  const native = [...seen].find((m) => machineBits(m) === 64);
  const thirtyTwo = [...seen].filter((m) => machineBits(m) === 32);
  const compat = native ? compatMachine(native) : thirtyTwo[0];
  const hasB32 = thirtyTwo.length > 0;
  return { native, compat, hasB32 };
}

/** The arch word for a machine in a log with these ABIs, or undefined if none fits. */
function archWord(machine: Machine, abis: LogMachines): 'b64' | 'b32' | undefined {
  if (machineBits(machine) === 64) return machine === abis.native ? 'b64' : undefined;
  return machine === abis.compat ? 'b32' : undefined;
}

// --- per-program activity ------------------------------------------------------------

interface ProgramActivity {
  exe: string;
  events: number;
  bytes: number;
  /** Syscall numbers per machine, with their event counts. */
  syscalls: Map<Machine, Map<number, number>>;
  /** Events with a syscall on a machine no table covers, or no syscall at all. */
  eventsWithoutSyscall: number;
  /** Events with no syscall (user-space messages, the user list's) and their types. */
  userEvents: number;
  userTypes: Set<string>;
  setuidObserved: boolean;
  etcWrites: number;
  deleted: boolean;
}

const deletedSuffix = ' (deleted)';

function normalisedExe(exe: string): { exe: string; deleted: boolean } {
  return exe.endsWith(deletedSuffix)
    ? { exe: exe.slice(0, -deletedSuffix.length), deleted: true }
    : { exe, deleted: false };
}

/**
 * rpm installs a file under a temporary name (the path, `;` and 8 hex digits of the
 * transaction) and renames it over the old one; a process started in between runs a file
 * the log then names `/usr/bin/python2.7;58d1ccfb (deleted)`. No file keeps that name, so
 * a rule must name the installed path.
 */
const rpmTemporarySuffix = /;[0-9a-f]{8}$/;

function installedPath(exe: string): string {
  return exe.replace(rpmTemporarySuffix, '');
}

function bucketEtcWrites(bucket: EventProfileBucket): number {
  return bucket.etcWrite ? bucket.events : 0;
}

function programActivity(
  buckets: Iterable<EventProfileBucket>,
  exe: string,
  accept: (bucket: EventProfileBucket) => boolean,
): ProgramActivity {
  const activity: ProgramActivity = {
    exe, events: 0, bytes: 0, syscalls: new Map(), eventsWithoutSyscall: 0, userEvents: 0,
    userTypes: new Set(), setuidObserved: false, etcWrites: 0, deleted: false,
  };
  for (const bucket of buckets) {
    if (bucket.exe === null) continue;
    const { exe: bucketExe, deleted } = normalisedExe(bucket.exe);
    if (bucketExe !== exe || !accept(bucket)) continue;

    activity.events += bucket.events;
    activity.bytes += bucket.bytes;
    activity.deleted ||= deleted;
    activity.etcWrites += bucketEtcWrites(bucket);
    if (bucket.uid !== null && bucket.euid !== null && bucket.uid !== bucket.euid) {
      activity.setuidObserved = true;
    }

    const machine = asMachine(bucket.machine);
    if (machine === undefined || bucket.syscall === null) {
      activity.eventsWithoutSyscall += bucket.events;
      if (bucket.syscall === null) {
        activity.userEvents += bucket.events;
        for (const type of bucket.types) activity.userTypes.add(type);
      }
      continue;
    }
    const perMachine = activity.syscalls.get(machine) ?? new Map<number, number>();
    perMachine.set(bucket.syscall, (perMachine.get(bucket.syscall) ?? 0) + bucket.events);
    activity.syscalls.set(machine, perMachine);
  }
  return activity;
}

// --- exit rules for a program --------------------------------------------------------

const emptyRange = lineRange(0, 0, 0);

function exeCondition(exe: string): FieldCondition {
  return { field: 'exe', operator: '=', value: exe, raw: exe, range: emptyRange,
    valueRange: emptyRange };
}

function neverExitModel(machine: Machine, numbers: number[], names: string[], exe: string)
  : RuleInput {
  return {
    list: 'exit',
    action: 'never',
    arches: [{ machine, operator: '=', raw: '', range: emptyRange }],
    syscalls: { all: false, numbers, names, written: [] },
    fields: [exeCondition(exe)],
  };
}

/** Splits syscall words into groups that keep each rule line within auditctl's buffer. */
function chunkSyscalls(words: string[], fixedBytes: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = fixedBytes;
  for (const word of words) {
    const extra = Buffer.byteLength(word) + 1;
    if (current.length > 0 && size + extra > maxRuleLineBytes) {
      chunks.push(current);
      current = [];
      size = fixedBytes;
    }
    current.push(word);
    size += extra;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface ExitRulesResult {
  rules: GeneratedRule[];
  refused: string[];
  notes: string[];
  /** Syscall names the rules drop, over all arches. */
  names: string[];
  /** Record types a user-list rule drops. */
  userTypes: string[];
}

function neverUserModel(exe: string): RuleInput {
  return {
    list: 'user',
    action: 'never',
    arches: [],
    syscalls: { all: true, numbers: [], names: [], written: [] },
    fields: [exeCondition(exe)],
  };
}

function exitRulesForProgram(
  activity: ProgramActivity,
  abis: LogMachines,
  version: AuditVersion,
  keyPrefix: string,
): ExitRulesResult {
  const result: ExitRulesResult = { rules: [], refused: [], notes: [], names: [], userTypes: [] };

  const installed = activity.deleted ? installedPath(activity.exe) : activity.exe;
  const exeWord = exeFieldWord(installed);
  if (!exeWord.ok) {
    result.refused.push(`no rule for ${quoted(activity.exe)}: ${exeWord.reason}`);
    return result;
  }
  const key = keyFromExe(keyPrefix, installed);
  const allNames = new Set<string>();

  // The b32 twin: the same calls on the compat ABI, when the log shows that ABI in use.
  const perMachine = new Map(activity.syscalls);
  const native = abis.native;
  const compat = abis.compat;
  if (native && compat && abis.hasB32 && perMachine.has(native)) {
    const nativeTable = syscallTable(native, version);
    const compatTable = syscallTable(compat, version);
    const twin = new Map(perMachine.get(compat) ?? []);
    for (const number of perMachine.get(native)!.keys()) {
      const name = nativeTable?.byNumber.get(number);
      const compatNumber = name === undefined ? undefined : compatTable?.byName.get(name);
      if (compatNumber !== undefined && !twin.has(compatNumber)) twin.set(compatNumber, 0);
    }
    if (twin.size > 0) perMachine.set(compat, twin);
  }

  const ordered = [...perMachine.keys()].sort((a, b) => machineBits(b) - machineBits(a));
  for (const machine of ordered) {
    const arch = archWord(machine, abis);
    const numbers = [...perMachine.get(machine)!.keys()].sort((a, b) => a - b);
    if (arch === undefined) {
      result.refused.push(`${numbers.length} syscall(s) of ${activity.exe} on ${machine}: ` +
        'that ABI is neither b64 nor b32 of the log\'s machine');
      continue;
    }

    const table = syscallTable(machine, version);
    const words: { word: string; number: number; name: string }[] = [];
    for (const number of numbers) {
      const name = table?.byNumber.get(number);
      if (name === undefined && number > maxSyscallNumber) {
        result.refused.push(`syscall ${number} of ${activity.exe} on ${machine}: a rule ` +
          `takes syscall numbers up to ${maxSyscallNumber} (the kernel's rule mask has 2048 ` +
          'bits), and no name for it is known');
        continue;
      }
      if (name === undefined) {
        // auditctl takes a number for a syscall its table does not name (reference §4).
        words.push({ word: String(number), number, name: String(number) });
        result.notes.push(`syscall ${number} on ${machine} has no name in the ${version} ` +
          'table; the rule gives it by number');
      } else {
        words.push({ word: name, number, name });
      }
    }
    if (words.length === 0) continue;
    words.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));

    const head = `-a never,exit -F arch=${arch} -S `;
    const tail = ` -F ${exeWord.text} -k ${key}`;
    const fixed = Buffer.byteLength(head) + Buffer.byteLength(tail);
    const longest = Math.max(...words.map((w) => Buffer.byteLength(w.word)));
    if (fixed + longest > maxRuleLineBytes) {
      result.refused.push(`no rule for ${quoted(activity.exe)}: the line would be ` +
        `longer than auditctl's ${maxRuleLineBytes}-byte line buffer, which cuts it in two`);
      return result;
    }
    for (const chunk of chunkSyscalls(words.map((w) => w.word), fixed)) {
      const chosen = words.filter((w) => chunk.includes(w.word));
      for (const w of chosen) allNames.add(w.name);
      result.rules.push({
        text: `${head}${chunk.join(',')}${tail}`,
        machine,
        model: neverExitModel(machine, chosen.map((w) => w.number).sort((a, b) => a - b),
          chosen.map((w) => w.name), installed),
      });
    }
  }

  // User-space messages (PAM records of cron ...) are filtered on the user list, which the
  // kernel evaluates with exe= among a few fields (reference, filter lists). A login
  // program's messages are its logins: no rule is offered for them.
  const others = activity.eventsWithoutSyscall - activity.userEvents;
  if (activity.userEvents > 0 && isLoginProgram(installed)) {
    result.notes.push(`${activity.userEvents} event(s) of ${activity.exe} carry no syscall ` +
      '(user-space messages); exit rules do not remove them, and no user-list rule is ' +
      'suggested: they are the logins and authentications of a login program');
  } else if (activity.userEvents > 0) {
    result.rules.push({ text: `-a never,user -F ${exeWord.text}`,
      model: neverUserModel(installed) });
    result.userTypes = [...activity.userTypes].sort();
  }
  if (others > 0) {
    result.notes.push(`${others} event(s) of ${activity.exe} carry a syscall of an ABI no ` +
      'table covers; the rules do not remove them');
  }
  if (installed !== activity.exe) {
    result.notes.push(`${activity.exe} is rpm's temporary name for ${installed} during a ` +
      'package upgrade (the log says "(deleted)"): no file has that name any more, so the ' +
      `rule names ${installed}. It removes no event of this log, where the processes still ` +
      'run the replaced file; it matches them once they restart from the new one');
  } else if (activity.deleted) {
    result.notes.push(`${activity.exe} was replaced while running (the log says "(deleted)"); ` +
      'the kernel matches exe= against the file the path names when the rule is loaded, so ' +
      'processes still running the old file are excluded only once they restart');
  }
  result.names = [...allNames].sort();
  return result;
}

// --- selections ----------------------------------------------------------------------

function proposeForExe(
  selection: Extract<ExclusionSelection, { kind: 'exe' }>,
  profile: EventProfile,
  abis: LogMachines,
  options: Required<Pick<ExclusionOptions, 'auditVersion' | 'keyPrefix'>>,
): ExclusionProposal {
  const exe = normalisedExe(selection.exe).exe;
  const wanted = selection.syscalls
    ? new Set(selection.syscalls.map((s) => `${s.machine}/${s.number}`))
    : undefined;
  const activity = programActivity(profile.buckets, exe, (bucket) =>
    wanted === undefined || wanted.has(`${bucket.machine}/${bucket.syscall}`));

  const proposal: ExclusionProposal = {
    selection, rules: [], warnings: [], refused: [], notes: [],
  };
  if (activity.events === 0) {
    proposal.refused.push(`the log has no events of ${exe}` +
      (wanted ? ' with the selected syscalls' : ''));
    return proposal;
  }

  const exit = exitRulesForProgram(activity, abis, options.auditVersion, options.keyPrefix);
  proposal.rules = exit.rules;
  proposal.refused.push(...exit.refused);
  proposal.notes.push(...exit.notes);
  proposal.warnings = safetyWarnings({
    exe, syscalls: exit.names, setuidObserved: activity.setuidObserved,
    etcWrites: activity.etcWrites, userRecordTypes: exit.userTypes,
  });
  return proposal;
}

function proposeForKey(
  selection: Extract<ExclusionSelection, { kind: 'key' }>,
  profile: EventProfile,
  abis: LogMachines,
  options: Required<Pick<ExclusionOptions, 'auditVersion' | 'keyPrefix' | 'maxProgramsPerKey'>>
    & ExclusionOptions,
): ExclusionProposal {
  const proposal: ExclusionProposal = {
    selection, rules: [], warnings: [], refused: [], notes: [],
  };
  const keyed = profile.buckets.filter((b) => b.keys.includes(selection.key));
  if (keyed.length === 0) {
    proposal.refused.push(`the log has no events with key ${quoted(selection.key)}`);
    return proposal;
  }

  const eventsByExe = new Map<string, number>();
  let withoutExe = 0;
  for (const bucket of keyed) {
    if (bucket.exe === null) {
      withoutExe += bucket.events;
      continue;
    }
    const exe = normalisedExe(bucket.exe).exe;
    eventsByExe.set(exe, (eventsByExe.get(exe) ?? 0) + bucket.events);
  }
  const programs = [...eventsByExe.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const chosen = programs.slice(0, options.maxProgramsPerKey);
  const left = programs.slice(options.maxProgramsPerKey);

  for (const [exe] of chosen) {
    const activity = programActivity(keyed, exe, () => true);
    const exit = exitRulesForProgram(activity, abis, options.auditVersion, options.keyPrefix);
    proposal.rules.push(...exit.rules);
    proposal.refused.push(...exit.refused);
    proposal.notes.push(...exit.notes);

    // A rule cannot test the key, so the same calls logged under other keys go too.
    const sameCalls = (bucket: EventProfileBucket) => !bucket.keys.includes(selection.key) &&
      activity.syscalls.get(asMachine(bucket.machine)!)?.has(bucket.syscall ?? -1) === true;
    const elsewhere = programActivity(profile.buckets, exe, sameCalls).events;
    if (elsewhere > 0 && exit.rules.length > 0) {
      proposal.notes.push(`the rules for ${exe} also remove ${elsewhere} event(s) of the ` +
        `same calls logged under other keys`);
    }
    proposal.warnings.push(...safetyWarnings({
      exe, syscalls: exit.names, setuidObserved: activity.setuidObserved,
      etcWrites: activity.etcWrites,
    }));
  }

  if (left.length > 0) {
    const events = left.reduce((sum, [, n]) => sum + n, 0);
    proposal.notes.push(`${left.length} more program(s) with ${events} event(s) under this ` +
      'key are not covered');
  }
  if (withoutExe > 0) {
    proposal.notes.push(`${withoutExe} event(s) under this key name no program; no exe ` +
      'rule can remove them');
  }
  for (const rule of options.existingRules ?? []) {
    if (!rule.keys.includes(selection.key)) continue;
    const where = `${rule.file ? `${rule.file}:` : 'line '}${rule.line + 1}`;
    proposal.notes.push(`the rule at ${where} logs these events under ${selection.key}; ` +
      'removing or narrowing it stops them at the source');
  }
  return proposal;
}

function msgtypeModel(value: number, raw: string): RuleInput {
  return {
    list: 'exclude',
    action: 'always',
    arches: [],
    syscalls: { all: true, numbers: [], names: [], written: [] },
    fields: [{ field: 'msgtype', operator: '=', value, raw, range: emptyRange,
      valueRange: emptyRange }],
  };
}

function proposeForType(
  selection: Extract<ExclusionSelection, { kind: 'type' }>,
  version: AuditVersion,
): ExclusionProposal {
  const proposal: ExclusionProposal = {
    selection, rules: [], warnings: [], refused: [], notes: [],
  };
  const table = messageTypes(version);
  const unknown = /^UNKNOWN\[(\d+)\]$/.exec(selection.type);

  let value: number | undefined;
  let word: string | undefined;
  if (unknown) {
    value = Number(unknown[1]);
    const named = table.byNumber.get(value);
    word = named ?? String(value);
  } else if (table.byName.has(selection.type)) {
    value = table.byName.get(selection.type)!;
    word = selection.type;
  } else if (/^[A-Z0-9_]+$/.test(selection.type)) {
    proposal.refused.push(`auditctl ${version} does not know the record type ` +
      `${selection.type}; give it by number with -F msgtype=N`);
    return proposal;
  } else {
    proposal.refused.push(`${quoted(selection.type)} is not a record type name`);
    return proposal;
  }

  proposal.rules.push({ text: `-a always,exclude -F msgtype=${word}`, model: msgtypeModel(value,
    word) });
  proposal.warnings = safetyWarnings({ recordTypes: [table.byNumber.get(value) ??
    selection.type] });
  proposal.notes.push('the exclude list drops single records, not whole events: the other ' +
    'records of each event stay');
  return proposal;
}

/** Rules that stop logging the selection, with the warnings and limits that go with them. */
export function proposeExclusion(
  selection: ExclusionSelection,
  profile: EventProfile,
  options: ExclusionOptions = {},
): ExclusionProposal {
  const settled = {
    ...options,
    auditVersion: options.auditVersion ?? defaultAuditVersion,
    keyPrefix: options.keyPrefix ?? 'exclude_',
    maxProgramsPerKey: options.maxProgramsPerKey ?? 5,
  };
  const abis = logMachines(profile);
  switch (selection.kind) {
    case 'exe':
      return proposeForExe(selection, profile, abis, settled);
    case 'key':
      return proposeForKey(selection, profile, abis, settled);
    case 'type':
      return proposeForType(selection, settled.auditVersion);
  }
}

/** The host machine a checker should resolve `b64`/`b32` against for rules of this log. */
export function hostMachineOf(profile: EventProfile): Machine {
  const abis = logMachines(profile);
  return abis.native ?? abis.compat ?? 'x86_64';
}

/**
 * A name from the log in quotes, escaped as the rankings print it (`\x0a` for a newline),
 * so that a note and a table row show one executable the same way.
 */
function quoted(name: string): string {
  return `"${visibleText(name)}"`;
}
