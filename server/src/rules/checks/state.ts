/**
 * The state auditctl keeps while it reads one line (auditctl.c setopt and libaudit's
 * `_audit_*added` flags), shared by the check families that emulate it.
 */
import type { AuditVersion, ListName, Machine } from '../../tables';
import type { Range, RuleDiagnostic } from '../diagnostics';
import type {
  ArchCondition, FieldComparison, FieldCondition, RuleAction, RuleOperation, WatchSpec,
} from '../model';
import type { ParsedOption, RulesLine } from '../parse';

export interface CheckOptions {
  auditVersion: AuditVersion;
  hostMachine: Machine;
  file?: string;
}

/** What -a / -A / -d / -w / -W set: auditctl's `add` or `del` filter and `action`. */
export interface ListSelection {
  operation: RuleOperation;
  /** undefined when the list word was not a list (4.2 sends it to the kernel anyway). */
  list?: ListName;
  /** The list word as written, for messages. */
  listText: string;
  range: Range;
}

export interface LineState {
  line: RulesLine;
  options: CheckOptions;
  diagnostics: RuleDiagnostic[];

  selection?: ListSelection;
  action?: RuleAction;
  /** auditctl's `multiple`: how many -a / -A / -d the line had. */
  ruleOperations: number;
  /** Set by -S, -w, -W (and by perm syscalls in 4.2): `-F arch` must come before. */
  syscallAdded: boolean;
  /** Set by perm, -p, path and dir: enough for -k. */
  permAdded: boolean;
  exeAdded: boolean;
  filterFsAdded: boolean;
  /** The machine `-S` names resolve against (auditctl's `_audit_elf`). */
  machine?: Machine;
  machineFromArch: boolean;
  /** True when some -F arch on the line could not be resolved. */
  badArch: boolean;

  arches: ArchCondition[];
  fields: FieldCondition[];
  /** Arch, fields and comparisons in the order auditctl adds them to the kernel rule. */
  ordered: (ArchCondition | FieldCondition | FieldComparison)[];
  comparisons: FieldComparison[];
  /** Kernel field slots used so far (auditctl refuses the 64th). */
  fieldCount: number;
  keys: { text: string; range: Range; viaField: boolean }[];
  /** Separate key fields (a `-F KEY=` written in another case is its own field). */
  extraKeyFields: number;
  syscallAll: boolean;
  /** In the order added, repeats included (the rule's mask is built from them). */
  syscallNumbers: number[];
  syscallNames: string[];
  syscallWritten: { text: string; range: Range }[];
  syscallOptions: ParsedOption[];
  watch?: WatchSpec;

  /** Words after the option that -D / -l / -s took for themselves (auditctl lowers count). */
  consumedWords: number;
  /** The option made setopt return at once (-m -q -t and some long options). */
  returnedEarly: boolean;
  /** auditctl's retval: 0 nothing to send, 1 a rule to send, -1 failed, -2 done. */
  retval: number;
  /** The option that ended the walk with success (retval -2), such as -i or -D. */
  stoppedBy?: ParsedOption;
  /** The first error auditctl itself would report on this line. */
  failed: boolean;
  /** `-a exit,possible`: auditctl drops the line without an error. */
  dropped: boolean;
}

/**
 * The state of a line no longer read, kept for the next one. A check reads thousands of
 * lines one after another, and a fresh state per line cost a dozen lists, most of them
 * left empty. Only the lists a line filled are replaced (emptying one in place costs more
 * than a new one); what a line's result keeps is copied out of them (kept() in line.ts).
 */
let idleState: LineState | undefined;

/** A state for reading `line`: the idle one emptied, else a new one. */
export function newLineState(line: RulesLine, options: CheckOptions): LineState {
  const state = idleState;
  if (state === undefined) return freshLineState(line, options);
  idleState = undefined;
  state.line = line;
  state.options = options;
  if (state.diagnostics.length !== 0) state.diagnostics = [];
  state.selection = undefined;
  state.action = undefined;
  state.ruleOperations = 0;
  state.syscallAdded = false;
  state.permAdded = false;
  state.exeAdded = false;
  state.filterFsAdded = false;
  state.machine = undefined;
  state.machineFromArch = false;
  state.badArch = false;
  if (state.arches.length !== 0) state.arches = [];
  if (state.fields.length !== 0) state.fields = [];
  if (state.ordered.length !== 0) state.ordered = [];
  if (state.comparisons.length !== 0) state.comparisons = [];
  state.fieldCount = 0;
  if (state.keys.length !== 0) state.keys = [];
  state.extraKeyFields = 0;
  state.syscallAll = false;
  if (state.syscallNumbers.length !== 0) state.syscallNumbers = [];
  if (state.syscallNames.length !== 0) state.syscallNames = [];
  if (state.syscallWritten.length !== 0) state.syscallWritten = [];
  if (state.syscallOptions.length !== 0) state.syscallOptions = [];
  state.watch = undefined;
  state.consumedWords = 0;
  state.returnedEarly = false;
  state.retval = 0;
  state.stoppedBy = undefined;
  state.failed = false;
  state.dropped = false;
  return state;
}

/** Hands a state back once its line's result is made: the next line reuses it. */
export function releaseLineState(state: LineState): void {
  idleState = state;
}

function freshLineState(line: RulesLine, options: CheckOptions): LineState {
  return {
    line,
    options,
    diagnostics: [],
    ruleOperations: 0,
    syscallAdded: false,
    permAdded: false,
    exeAdded: false,
    filterFsAdded: false,
    machineFromArch: false,
    badArch: false,
    arches: [],
    fields: [],
    ordered: [],
    comparisons: [],
    fieldCount: 0,
    keys: [],
    extraKeyFields: 0,
    syscallAll: false,
    syscallNumbers: [],
    syscallNames: [],
    syscallWritten: [],
    syscallOptions: [],
    consumedWords: 0,
    returnedEarly: false,
    retval: 0,
    failed: false,
    dropped: false,
  };
}

/** auditctl refuses a field when 63 are already in the rule (AUDIT_MAX_FIELDS - 1). */
export const maxFieldsPerRule = 63;

/** Records an error that makes auditctl (or the kernel) fail the line. */
export function fail(state: LineState, diagnostic: RuleDiagnostic): void {
  state.diagnostics.push(diagnostic);
  if (diagnostic.severity === 'error' && !diagnostic.hostDependent) state.failed = true;
  state.retval = -1;
}

/**
 * Records a refusal by the kernel: auditctl has already built the rule and goes on with
 * the line, so the walk continues, but the line fails when the rule is sent.
 */
export function reject(state: LineState, diagnostic: RuleDiagnostic): void {
  state.diagnostics.push(diagnostic);
  if (diagnostic.severity === 'error' && !diagnostic.hostDependent) state.failed = true;
}

export function report(state: LineState, diagnostic: RuleDiagnostic): void {
  state.diagnostics.push(diagnostic);
}
