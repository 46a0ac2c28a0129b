/**
 * The one table of diagnostic codes. Each code has a default severity, a message
 * template, the text auditctl (or the kernel, through auditctl) prints for the same
 * problem, the anchor of its section in docs/diagnostics.md, and the kind of quick fix
 * its `data` feeds. Checks build diagnostics only through `diagnostic()` below, so every
 * message lives here.
 */
import type { Range, RuleDiagnostic, Severity } from './diagnostics';
import { rulesetCodeTable } from './rulesetCodes';

/** The quick fixes a code's `data` can feed (data is always `FixData`). */
export type FixKind =
  | 'replace-text' // a generic edit: replace a range with new text
  | 'syscall-name' // a syscall number to its name
  | 'did-you-mean' // an unknown name to the closest known ones
  | 'remove-syscall' // drop a syscall the arch or version lacks
  | 'add-arch' // insert -F arch=b64 before -S (and offer the b32 twin)
  | 'add-b32-twin' // add the b32 twin of a b64 rule
  | 'move-arch' // move -F arch before the first -S
  | 'replace-operator'
  | 'remove-stray-option' // `-k -F key` -> `-k key`
  | 'insert-field-option' // `-a0=2` -> `-F a0=2`
  | 'convert-crlf'
  | 'replace-tabs'
  | 'remove-line' // a duplicate rule
  | 'move-above-immutable' // rules after -e 2
  | 'split-line' // two rules fused on one line
  | 'remove-comment' // an inline comment
  | 'move-rule-above' // a pre-empted never rule above the rule that pre-empts it
  | 'add-final-newline'; // a rules.d file that would fuse with the next one

export interface FixEdit {
  range: Range;
  newText: string;
}

export interface FixOption {
  title: string;
  edits: FixEdit[];
  /** The preferred fix when several are offered. */
  preferred?: boolean;
}

/** The `data` of a diagnostic whose code has a fix kind: ready-made edits. */
export interface FixData {
  fixes: FixOption[];
  /**
   * Offered for this diagnostic only, never in a "fix all": which fix is right depends on
   * what the check cannot see (a -w path that is a file or a directory on the loading host).
   */
  alone?: boolean;
}

export interface CodeInfo {
  code: string;
  severity: Severity;
  /** One line naming the problem (docs headings, settings). */
  title: string;
  /** What is wrong, with {placeholders}. */
  message: string;
  /**
   * What auditctl prints for it, with {placeholders}; undefined for checks beyond
   * auditctl. Kernel-side rejections quote auditctl's report of the kernel's answer.
   */
  auditctl?: string;
  fix?: FixKind;
}

const table: CodeInfo[] = [
  // --- words and lines -------------------------------------------------------------
  {
    code: 'crlf-line-ending', severity: 'warning', title: 'CR line ending',
    message: 'The line ends with CR (a CRLF file): auditctl keeps the CR as part of the last ' +
      'word, so a key silently gets a trailing CR and a last name or number stops matching.',
    fix: 'convert-crlf',
  },
  {
    code: 'tab-character', severity: 'warning', title: 'Tab character',
    message: 'auditctl splits words on spaces only: this tab is part of the word "{word}".',
    fix: 'replace-tabs',
  },
  {
    code: 'inline-comment', severity: 'error', title: 'Inline comment',
    message: 'auditctl has no inline comments: "{word}" is read as an option parameter.',
    auditctl: 'parameter passed without an option given',
    fix: 'remove-comment',
  },
  {
    code: 'line-too-long', severity: 'error', title: 'Line too long',
    message: 'The line is {bytes} bytes; auditctl reads at most 6143 bytes and processes the ' +
      'rest as a separate line.',
  },
  {
    code: 'unreadable-rules-file', severity: 'warning', title: 'Rules file that cannot be read',
    message: 'This rules file cannot be read ({reason}): augenrules prints an error for it and ' +
      'loads the other files without its rules.',
  },
  {
    code: 'rules-file-not-checked', severity: 'warning', title: 'Rules file not checked',
    message: 'This rules file was not checked ({reason}). augenrules, run as root, still ' +
      'loads it: the verdicts on the files after it are made without its rules.',
  },
  {
    code: 'byte-order-mark', severity: 'error', title: 'UTF-8 byte-order mark',
    message: 'The file starts with a UTF-8 byte-order mark (an editor saved it as "UTF-8 with ' +
      'BOM"): auditctl reads its three invisible bytes as part of the first word, so line 1 ' +
      'fails.',
    auditctl: 'There was an error in line 1',
    fix: 'replace-text',
  },
  {
    code: 'nul-byte', severity: 'warning', title: 'NUL byte in a line',
    message: 'auditctl stops reading this line at this NUL byte; the rest is ignored{rest}.',
    fix: 'replace-text',
  },
  {
    code: 'words-dropped', severity: 'warning', title: 'Words dropped',
    message: 'auditctl keeps at most {limit} words of a line this short and silently ignores ' +
      'the rest, from "{word}".',
  },
  // --- options ---------------------------------------------------------------------
  {
    code: 'unknown-option', severity: 'error', title: 'Unknown option',
    message: '{option} is not an auditctl option.',
    auditctl: 'Option {option} on line {line} is invalid',
  },
  {
    code: 'ambiguous-option', severity: 'error', title: 'Ambiguous long option',
    message: '{option} is a prefix of several options: {candidates}.',
    auditctl: 'Option {option} on line {line} is invalid',
  },
  {
    code: 'abbreviated-option', severity: 'information', title: 'Abbreviated long option',
    message: '{written} abbreviates {option}; auditctl accepts unique prefixes, but the full ' +
      'name is clearer and survives new options.',
    fix: 'replace-text',
  },
  {
    code: 'missing-argument', severity: 'error', title: 'Option without its argument',
    message: '{option} needs an argument.',
    auditctl: 'Option {option} on line {line} is invalid',
  },
  {
    code: 'stray-parameter', severity: 'error', title: 'Word without an option',
    message: '"{word}" is not an option and no option takes it as its argument.',
    auditctl: 'parameter passed without an option given',
  },
  {
    code: 'ignored-after-option', severity: 'error', title: 'Words after a line-ending option',
    message: 'auditctl stops reading the line after {option}, so "{word}" is left over.',
    auditctl: 'parameter passed without an option given',
  },
  {
    code: 'ignored-words', severity: 'warning', title: 'Words ignored after an option',
    message: 'auditctl finishes the line at {option} and silently ignores "{word}" and ' +
      'what follows.',
  },
  {
    code: 'no-option', severity: 'error', title: 'No option on the line',
    message: 'The line has no option; auditctl fails it without a specific message.',
    auditctl: 'There was an error in line {line}',
  },
  {
    code: 'option-as-argument', severity: 'warning', title: 'Option swallowed as argument',
    message: '{option} takes "{argument}" as its argument; an option written here is not ' +
      'read as an option.',
    fix: 'remove-stray-option',
  },
  {
    code: 'field-missing-F', severity: 'warning', title: 'Field written without -F',
    message: '"{word}" looks like the field {field} without -F; getopt reads it as {option} ' +
      'with the argument "{argument}".{result}',
    fix: 'insert-field-option',
  },
  {
    code: 'nested-rules-file', severity: 'error', title: '-R inside a rules file',
    message: '-R cannot be used inside a rules file.',
    auditctl: 'Error - nested rule files not supported',
  },
  {
    code: 'help-option', severity: 'error', title: '-h in a rules file',
    message: '-h prints the usage; auditctl {version} counts it as a failed line.',
  },
  {
    code: 'option-alone', severity: 'error', title: 'Option must stand alone',
    message: '{option} takes no other option on its line.',
    auditctl: '{text}',
  },
  {
    code: 'rule-not-sent', severity: 'warning', title: 'Rule not sent',
    message: 'auditctl stops at {option} and reports success without sending the rule built ' +
      'before it.',
  },
  // --- control options -------------------------------------------------------------
  {
    code: 'bad-enable-value', severity: 'error', title: 'Bad -e value',
    message: '-e takes 0, 1 or 2 (written exactly so).',
    auditctl: 'Enable must be 0, 1, or 2 was {value}',
  },
  {
    code: 'bad-failure-value', severity: 'error', title: 'Bad -f value',
    message: '-f takes 0, 1 or 2 (written exactly so).',
    auditctl: 'Failure must be 0, 1, or 2 was {value}',
  },
  {
    code: 'bad-control-number', severity: 'error', title: 'Bad number',
    message: '{option} takes a number that starts with a digit.',
    auditctl: '{label} must be a numeric value was {value}',
  },
  {
    code: 'control-number-range', severity: 'error', title: 'Number out of range',
    message: '{value} does not fit in an unsigned 64-bit number.',
    auditctl: 'Error converting {label}',
  },
  {
    code: 'number-truncated', severity: 'warning', title: 'Number truncated',
    message: '{value} is above 4294967295; auditctl silently keeps the low 32 bits ({kept}).',
  },
  {
    code: 'backlog-wait-time-range', severity: 'error', title: 'backlog_wait_time too large',
    message: 'The kernel refuses a backlog_wait_time above 10 times its default (60*HZ); ' +
      '{value} is above {limit}.',
    auditctl: 'Error sending backlog_wait_time request (Invalid argument)',
  },
  {
    code: 'backlog-wait-time-hz', severity: 'warning', title: 'backlog_wait_time above 150000',
    message: 'The kernel refuses a backlog_wait_time above 600*HZ: {value} is accepted only ' +
      'where the kernel HZ is at least {hz}; the HZ of the target cannot be known here.',
  },
  {
    code: 'unsupported-signal', severity: 'error', title: 'Unsupported signal',
    message: '--signal takes TERM/stop, HUP/reload, USR1/rotate, USR2/resume or CONT/state; ' +
      'auditctl exits at once and the rest of the file is not loaded.',
    auditctl: '{value} is an unsupported signal',
  },
  {
    code: 'signal-in-rules-file', severity: 'warning', title: '--signal in a rules file',
    message: '--signal needs a running auditd on the target; where none runs auditctl exits ' +
      'and the rest of the file is not loaded.',
    auditctl: 'Auditd is not running',
  },
  {
    code: 'bad-equivalence', severity: 'error', title: 'Bad -q argument',
    message: '-q takes MOUNT,SUBTREE: two paths and one comma.',
    auditctl: 'Error parsing equivalent parts',
  },
  {
    code: 'equivalence-host', severity: 'warning', title: '-q depends on the host',
    message: '-q makes a subtree equivalent in the kernel; whether the paths exist and are ' +
      'watched can only be known on the target.',
  },
  {
    code: 'illegal-message-character', severity: 'error', title: 'Control character in -m',
    message: 'The -m text contains a control character.',
    auditctl: 'Illegal character in audit event',
  },
  {
    code: 'after-immutable', severity: 'error', title: 'Change after -e 2',
    message: 'The configuration is locked by -e 2 on line {lockLine}: the kernel refuses ' +
      'every later change until reboot.',
    auditctl: 'Error sending add rule data request (Operation not permitted)',
    fix: 'move-above-immutable',
  },
  // --- list and action ------------------------------------------------------------
  {
    code: 'bad-list-action', severity: 'error', title: 'Bad list or action',
    message: '"{value}" is not list,action: {reason}.',
    auditctl: '{verb} rule - bad keyword {value}',
  },
  {
    code: 'unknown-list-kernel', severity: 'error', title: 'Unknown list (kernel)',
    message: '"{list}" is not a list; auditctl {version} sends it and the kernel refuses it.',
    auditctl: 'Error sending add rule data request (Invalid argument)',
  },
  {
    code: 'list-case', severity: 'warning', title: 'List name in capitals',
    message: 'auditctl 4.x takes "{list}" case-insensitively but 3.0.9 rejects it; write ' +
      '"{lower}".',
    fix: 'replace-text',
  },
  {
    code: 'deprecated-possible', severity: 'warning', title: 'possible is deprecated',
    message: 'The action possible is deprecated: auditctl drops the whole line without an ' +
      'error, so this rule is never loaded.',
    auditctl: '{verb} rule - possible is deprecated',
  },
  {
    code: 'deprecated-form', severity: 'information', title: 'Deprecated form',
    message: '"{written}" is an old form: write "{preferred}"; {why}.',
    fix: 'replace-text',
  },
  {
    code: 'legacy-watch', severity: 'hint', title: 'Legacy watch',
    message: '-w is the old watch syntax, slower to match in the kernel than a syscall rule.',
    auditctl: 'Old style watch rules are slower',
    fix: 'replace-text',
  },
  {
    code: 'multiple-rules', severity: 'error', title: 'Two rules on one line',
    message: 'Only one rule per line: {option} starts a second rule.',
    auditctl: '{text}',
    fix: 'split-line',
  },
  // --- syscalls --------------------------------------------------------------------
  {
    code: 'unknown-syscall', severity: 'error', title: 'Unknown syscall',
    message: '{detail}',
    auditctl: 'Syscall name unknown: {value}',
    fix: 'did-you-mean',
  },
  {
    code: 'syscall-version', severity: 'error', title: 'Syscall unknown to this version',
    message: '{name} is not in auditctl {version}\'s {machine} table (auditctl {since}\'s ' +
      'has it).',
    auditctl: 'Syscall name unknown: {value}',
    fix: 'remove-syscall',
  },
  {
    code: 'unknown-uring-op', severity: 'error', title: 'Unknown io_uring operation',
    message: '"{name}" is not an io_uring operation.',
    auditctl: 'io_uring op unknown: {value}',
    fix: 'did-you-mean',
  },
  {
    code: 'syscall-on-list', severity: 'error', title: 'Syscalls on a list without them',
    message: 'The {list} list takes no syscalls.',
    auditctl: '{text}',
  },
  {
    code: 'syscall-without-list', severity: 'error', title: '-S without a list',
    message: '-S needs -a, -A or -d on the line.',
    auditctl: 'Error - no list specified',
  },
  {
    code: 'syscall-ignored-on-list', severity: 'warning', title: 'Syscalls ignored on this list',
    message: '-S before -a on the {list} list is accepted but means nothing there.',
  },
  {
    code: 'syscall-number', severity: 'warning', title: 'Syscall given by number',
    message: 'Syscall {number} is {name} on {machine}; numbers differ between arches, names ' +
      'are portable.',
    fix: 'syscall-name',
  },
  {
    code: 'syscall-number-unassigned', severity: 'warning', title: 'Unassigned syscall number',
    // {detail}: that no table names the number, which newer table does, or that the kernel
    // reads it as a syscall class (see syscalls.ts); {width}: what a class of the other
    // width than the rule adds, or empty.
    message: '{detail}{width}',
  },
  {
    code: 'syscall-number-trailing', severity: 'warning', title: 'Trailing characters in number',
    message: 'auditctl reads "{value}" as syscall {number} and ignores the rest.',
    fix: 'replace-text',
  },
  {
    code: 'syscall-number-wrapped', severity: 'warning', title: 'Syscall number cut to 32 bits',
    // {named}: " (execve on x86_64)" where the table names the number read, else empty.
    message: 'auditctl keeps the low 32 bits of {value} as a signed int and reads it as ' +
      'syscall {number}{named}.',
    fix: 'replace-text',
  },
  {
    code: 'missing-arch', severity: 'warning', title: '-S without -F arch',
    message: 'Without -F arch the names resolve against the host\'s table ({machine}) and the ' +
      'rule also applies to 32-bit calls with those numbers.{mismatch}',
    auditctl: 'WARNING - 32/64 bit syscall mismatch in line {line}, you should specify an arch',
    fix: 'add-arch',
  },
  {
    code: 'missing-b32-twin', severity: 'warning', title: 'b64 rule without its b32 twin',
    message: 'This {machine} rule has no b32 twin, so 32-bit programs calling {names} escape it.',
    fix: 'add-b32-twin',
  },
  // --- arch ------------------------------------------------------------------------
  {
    code: 'arch-after-syscall', severity: 'error', title: '-F arch after -S',
    message: '-F arch must come before every -S (and -w, and perm syscalls) on the line.',
    auditctl: 'arch must be before -S',
    fix: 'move-arch',
  },
  {
    code: 'bad-arch', severity: 'error', title: 'Unknown arch',
    message: '{detail}',
    auditctl: 'arch elf mapping not found',
  },
  {
    code: 'multiple-arch', severity: 'warning', title: 'Two -F arch fields',
    message: 'Both arch fields are sent and the kernel needs both to match, so this rule can ' +
      'never match.',
  },
  {
    code: 'foreign-arch', severity: 'warning', title: 'Arch of another machine',
    message: '-F arch={value} names {machine} syscalls: auditctl loads the rule, but it never ' +
      'matches on {target} kernels, which report only {reported} syscalls. To check rules ' +
      'meant for {meantFor}, use --arch {checkWith} (auditd.defaultArch in the editor).',
  },
  // --- fields ----------------------------------------------------------------------
  {
    code: 'list-before-field', severity: 'error', title: '-F before the list',
    message: 'A list (-a, -A or -d) must come before -F on the line.',
    auditctl: 'List must be given before field',
  },
  {
    code: 'missing-operator', severity: 'error', title: 'Field without operator',
    message: '"{value}" has no operator (= != < > <= >= & &=).',
    auditctl: '-F missing operation for {value}',
  },
  {
    code: 'missing-field-name', severity: 'error', title: 'Operator without field name',
    message: 'The field name before "{operator}" is missing.',
    auditctl: '{option} missing field name before operator for ',
  },
  {
    code: 'missing-value', severity: 'error', title: 'Field without value',
    message: '{field}{operator} has no value.',
    auditctl: '{prefix} missing value after operation for {spacing}{field}',
  },
  {
    code: 'unknown-field', severity: 'error', title: 'Unknown field',
    message: '"{field}" is not a field.{hint}',
    auditctl: '{option} unknown field: {field}',
    fix: 'did-you-mean',
  },
  {
    code: 'field-not-on-list', severity: 'error', title: 'Field not allowed on the list',
    message: '{field} cannot be used on the {list} list{reason}.',
    auditctl: '{text}',
  },
  {
    code: 'field-never-evaluated', severity: 'warning', title: 'Field the kernel skips here',
    message: 'The kernel cannot evaluate {field} on the {list} list: it stops at this field ' +
      'and the rule never matches.',
  },
  {
    code: 'operator-not-allowed', severity: 'error', title: 'Operator not allowed',
    message: '{field} does not take "{operator}"; it takes {allowed}.',
    auditctl: '{text}',
    fix: 'replace-operator',
  },
  {
    code: 'operator-kernel', severity: 'error', title: 'Operator the kernel refuses',
    message: 'auditctl sends {field}{operator}, but the kernel refuses "{operator}" on {field} ' +
      '(it takes {allowed}).',
    auditctl: 'Error sending add rule data request (Invalid argument)',
    fix: 'replace-operator',
  },
  {
    code: 'not-a-number', severity: 'error', title: 'Value is not a number',
    message: '{field} takes {expected}, not "{value}".',
    auditctl: '-F value should be number for {field}',
  },
  {
    code: 'value-silently-zero', severity: 'warning', title: 'Value read as 0',
    message: 'auditctl reads "{value}" as 0 for {field} without an error.',
  },
  {
    code: 'value-trailing-characters', severity: 'warning', title: 'Trailing characters ignored',
    message: 'auditctl reads "{value}" as {number} and ignores the rest.',
    fix: 'replace-text',
  },
  {
    code: 'value-truncated', severity: 'warning', title: 'Value truncated to 32 bits',
    message: '{value} does not fit in 32 bits; the kernel receives {kept}.',
  },
  {
    code: 'success-value', severity: 'warning', title: 'success other than 0 or 1',
    message: 'success is 1 (the syscall succeeded) or 0 (it failed); {value} matches nothing ' +
      'with "=".',
  },
  {
    code: 'unknown-user', severity: 'warning', title: 'User name resolved on the target',
    message: '"{name}" is a user name: auditctl looks it up on the machine that loads the ' +
      'rules, which cannot be checked here; where it does not exist the line fails.',
    auditctl: 'Unknown user: {name}',
  },
  {
    code: 'unknown-group', severity: 'warning', title: 'Group name resolved on the target',
    message: '"{name}" is a group name: auditctl looks it up on the machine that loads the ' +
      'rules, which cannot be checked here; where it does not exist the line fails.',
    auditctl: 'Unknown group: {name}',
  },
  {
    code: 'bad-group', severity: 'error', title: 'Not a group',
    message: '"{name}" is not a gid: gid fields take no unset or -1 (unlike uid fields).',
    auditctl: 'Unknown group: {name}',
  },
  {
    code: 'errno-without-minus', severity: 'warning', title: 'errno name without -',
    message: 'exit={value} compares with +{number}, a value a failing syscall never returns ' +
      '(it returns -{name}); write -{value}, or use -F success=0 for any failure.',
    fix: 'replace-text',
  },
  {
    code: 'exit-compared-unsigned', severity: 'warning', title: 'exit compared as unsigned',
    message: 'The kernel compares exit as an unsigned 32-bit number, so failures (-4095 to -1) ' +
      'are above every success: {condition} {effect}. For failures use -F success=0; for ' +
      'one error, exit=-ERRNO.',
  },
  {
    code: 'unknown-errno', severity: 'error', title: 'Unknown errno name',
    message: '"{value}" is not an errno name or number.',
    auditctl: '-F unknown errno - {field}',
    fix: 'did-you-mean',
  },
  {
    code: 'unknown-msgtype', severity: 'error', title: 'Unknown message type',
    message: '"{value}" is not a message type auditctl {version} knows.',
    auditctl: '-F unknown message type - {field}',
    fix: 'did-you-mean',
  },
  {
    code: 'unknown-filetype', severity: 'error', title: 'Unknown file type',
    message: '"{value}" is not a file type (file dir socket link character block fifo).',
    auditctl: '-F unknown file type -  {field}',
    fix: 'did-you-mean',
  },
  {
    code: 'unknown-fstype', severity: 'error', title: 'Unknown filesystem type',
    message: '"{value}" is not a filesystem type auditctl {version} knows ({known}).',
    auditctl: 'file system type is unknown for field: {field}',
  },
  {
    code: 'bad-perm', severity: 'error', title: 'Bad permission letters',
    message: '{detail}',
    auditctl: '{text}',
  },
  {
    code: 'value-too-large', severity: 'error', title: 'Value too large',
    message: '{field} must be below {limit}; {value} is not.',
    auditctl: '{text}',
  },
  {
    code: 'string-too-long', severity: 'error', title: 'String too long',
    message: '{what} is {length} bytes; the limit is {limit}.',
    auditctl: '{text}',
  },
  {
    code: 'path-not-absolute', severity: 'error', title: 'Path not absolute',
    message: '{field} must be an absolute path starting with "/".',
    auditctl: '{text}',
  },
  {
    code: 'path-trailing-slash', severity: 'error', title: 'Path ends with /',
    message: 'The kernel refuses {field}= ending with "/".',
    auditctl: 'Error sending add rule data request (Invalid argument)',
    fix: 'replace-text',
  },
  {
    code: 'multiple-paths', severity: 'error', title: 'Two path fields',
    message: 'A rule takes only one of path, dir and inode (the first is on column {column}).',
    auditctl: 'Error sending add rule data request (Invalid argument)',
  },
  {
    code: 'multiple-exe', severity: 'error', title: 'Two exe fields',
    message: 'A rule takes only one exe field.',
    auditctl: 'Error sending add rule data request (Invalid argument)',
  },
  {
    code: 'path-parent-host', severity: 'hint', title: 'Path must exist on the target',
    message: 'The kernel looks up {what} when the rule is loaded; whether it exists on the ' +
      'target cannot be checked here (where it does not, the line fails).',
    auditctl: 'Error sending add rule data request (No such file or directory)',
  },
  {
    code: 'too-many-fields', severity: 'error', title: 'Too many fields',
    message: 'A rule takes at most 63 fields (arch, path, perm, key and -C included); this is ' +
      'field {count}.',
    auditctl: 'Too many fields in rule: {text}',
  },
  // --- keys ------------------------------------------------------------------------
  {
    code: 'key-without-rule', severity: 'error', title: 'Key before syscall or watch',
    message: '-k needs a list and a syscall, watch, path, dir, perm, exe or fstype earlier on ' +
      'the line.',
    auditctl: 'key option needs a watch or syscall given prior to it',
  },
  {
    code: 'key-field-without-rule', severity: 'error', title: 'Key field without syscall',
    message: '-F key= needs a syscall, watch, path, dir, perm, exe or fstype on the line.',
    auditctl: 'Key field needs a watch, syscall or exe path given prior to it',
  },
  {
    code: 'key-too-long', severity: 'error', title: 'Key too long',
    message: 'The joined key is {length} bytes; the limit is 256.',
    auditctl: 'key option exceeds size limit',
  },
  {
    code: 'key-has-cr', severity: 'warning', title: 'Key ends with CR',
    message: 'The key "{key}" ends with a CR character, so it will not match the key ' +
      'searched for.',
    fix: 'convert-crlf',
  },
  {
    code: 'key-shell-characters', severity: 'information', title: 'Key a shell would act on',
    message: 'The key "{key}" holds {what}: auditctl takes it, but a search for it in a ' +
      'shell must quote it, or the shell runs or expands part of it: ausearch -k {quoted}',
  },
  // --- watches ---------------------------------------------------------------------
  {
    code: 'watch-with-rule', severity: 'error', title: '-w with a list',
    message: '-w must be the first rule option of its line; it cannot join -a, -A or -d.',
    auditctl: 'watch option can\'t be given with a syscall',
  },
  {
    code: 'watch-path', severity: 'error', title: 'Bad watch path',
    message: '{detail}',
    auditctl: '{text}',
  },
  {
    code: 'watch-path-notation', severity: 'warning', title: 'Unsupported path notation',
    message: '{detail}',
    auditctl: '{text}',
  },
  {
    code: 'watch-extra-fields', severity: 'warning', title: 'Fields on a legacy watch',
    message: 'auditctl sends {option} with the watch, but -w is meant to take only -p and -k; ' +
      'write an -a always,exit rule with -F path= or -F dir= instead.',
  },
  {
    code: 'perm-without-watch', severity: 'error', title: '-p without a watch',
    message: '-p needs -w, -W or a list earlier on the line.',
    auditctl: 'permission option needs a watch given prior to it',
  },
  {
    code: 'perm-without-fields', severity: 'error', title: '-p on a rule without fields',
    message: '-p on a syscall rule needs a field (such as -F path=) before it.',
    auditctl: 'Permissions should be {preceded} by other fields',
  },
  // --- comparisons -----------------------------------------------------------------
  {
    code: 'bad-comparison', severity: 'error', title: 'Bad -C comparison',
    message: '{detail}',
    auditctl: '{text}',
  },
  // --- whole file ------------------------------------------------------------------
  {
    code: 'duplicate-rule', severity: 'error', title: 'Duplicate rule',
    message: 'The same rule is already loaded by line {otherLine}; the kernel refuses it.',
    auditctl: 'Error sending add rule data request (Rule exists)',
    fix: 'remove-line',
  },
  {
    code: 'delete-unknown-rule', severity: 'warning', title: 'Deleting a rule not loaded here',
    message: 'The kernel refuses to delete a rule it does not hold: {why}.',
    auditctl: 'Error sending delete rule data request (No such file or directory)',
  },
];

// The whole-ruleset analysis keeps its codes beside it (rulesetCodes.ts).
table.push(...rulesetCodeTable);

export const codeTable: ReadonlyMap<string, CodeInfo> = new Map(
  table.map((entry) => [entry.code, entry]),
);

export const allCodes: readonly CodeInfo[] = table;

export type MessageArguments = Record<string, string | number>;

/**
 * The most characters of one argument a message quotes. A rules line can be megabytes
 * long; a message quoting a whole word of it would flood a terminal or an editor's
 * problem list. The diagnostic's range still covers the whole word.
 */
export const quotedWordLimit = 200;

/** An argument as a message quotes it: cut to the limit, with `…` when cut. */
export function quotedWord(value: string | number): string {
  const text = String(value);
  if (text.length <= quotedWordLimit) return text;
  const cut = text.charCodeAt(quotedWordLimit - 1);
  // Never leave half of a surrogate pair at the end.
  const end = cut >= 0xd800 && cut <= 0xdbff ? quotedWordLimit - 1 : quotedWordLimit;
  return `${text.slice(0, end)}…`;
}

/** Templates split once into literal text (even places) and placeholder names (odd). */
const compiledTemplates = new Map<string, string[]>();

function fill(template: string, args: MessageArguments): string {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiledTemplates.set(template, parts);
  }
  let text = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = args[parts[i]];
    text += (value === undefined ? `{${parts[i]}}` : quotedWord(value)) + parts[i + 1];
  }
  return text;
}

export function codeInfo(code: string): CodeInfo {
  const info = codeTable.get(code);
  if (!info) throw new Error(`unknown diagnostic code ${code}`);
  return info;
}

/** The full message for a code: what is wrong, then what auditctl prints. */
export function formatMessage(code: string, args: MessageArguments = {}): string {
  const info = codeInfo(code);
  const what = fill(info.message, args);
  if (!info.auditctl) return what;
  return `${what} auditctl: "${fill(info.auditctl, args)}"`;
}

/** The text auditctl prints for a code with these arguments, if it has one. */
export function auditctlText(code: string, args: MessageArguments = {}): string | undefined {
  const info = codeInfo(code);
  return info.auditctl ? fill(info.auditctl, args) : undefined;
}

/** The docs/diagnostics.md link target of a code (its anchor is the code itself). */
export function codeDocumentation(code: string): string {
  codeInfo(code);
  return `docs/diagnostics.md#${code.toLowerCase()}`;
}

export interface DiagnosticExtras {
  severity?: Severity;
  /** True when auditctl prints nothing in this case, so its usual text is not quoted. */
  withoutAuditctlText?: boolean;
  hostDependent?: boolean;
  data?: FixData | unknown;
  /** Fix data made when first read, instead of `data` (see DeferredFixData). */
  deferredData?: DeferredFixData;
  related?: RuleDiagnostic['related'];
  file?: string;
}

/**
 * Fix data made when a reader first asks for it. A check keeps every diagnostic of a file,
 * and some codes carry long fixes (a -w line rewritten as a syscall rule, a b32 twin rule)
 * that only a code action reads: a 10,000-rule file held megabytes of them, and the
 * garbage collector copied them all while the check ran. The data is an own enumerable
 * property all the same (an accessor until read), so JSON, spreads and `in` see it as
 * before.
 */
export interface DeferredFixData {
  /**
   * The fix data of the diagnostic, which starts on `line` (0-based), from what the record
   * holds: values of the line, never the check's state.
   */
  make(line: number): FixData;
}

const deferredKey = Symbol('deferred fix data');

interface Deferring {
  [deferredKey]?: DeferredFixData;
}

function keepData(target: RuleDiagnostic, value: unknown): void {
  Object.defineProperty(target, 'data', {
    value, writable: true, enumerable: true, configurable: true,
  });
}

const deferredAccessor: PropertyDescriptor = {
  get(this: RuleDiagnostic & Deferring): unknown {
    const deferred = this[deferredKey]!;
    const data = deferred.make(this.range.start.line);
    this[deferredKey] = undefined;
    keepData(this, data);
    return data;
  },
  set(this: RuleDiagnostic & Deferring, value: unknown): void {
    this[deferredKey] = undefined;
    keepData(this, value);
  },
  enumerable: true,
  configurable: true,
};

/** Gives a diagnostic its `data` as made by `deferred` when first read. */
export function deferFixData(target: RuleDiagnostic, deferred: DeferredFixData): void {
  Object.defineProperty(target, deferredKey, { value: deferred, writable: true });
  Object.defineProperty(target, 'data', deferredAccessor);
}

/** The fix data of a diagnostic not made yet, if it was deferred. */
export function deferredFixData(entry: RuleDiagnostic): DeferredFixData | undefined {
  return (entry as Deferring)[deferredKey];
}

/** A copy of a diagnostic stamped with a file; fix data not made yet stays deferred. */
export function diagnosticInFile(entry: RuleDiagnostic, file: string): RuleDiagnostic {
  const deferred = deferredFixData(entry);
  const copy = {} as Record<string, unknown>;
  for (const key in entry) {
    if (key === 'data' && deferred) deferFixData(copy as never, deferred);
    else copy[key] = entry[key as keyof RuleDiagnostic];
  }
  copy.file = file;
  return copy as unknown as RuleDiagnostic;
}

/**
 * The messages of codes given no arguments, made once each: a large watch file reports
 * the same legacy-watch message on nearly every line, and a check keeps them all.
 */
const fixedMessages = new Map<string, string>();
const fixedShortMessages = new Map<string, string>();

function messageOf(code: string, args: MessageArguments, withoutAuditctlText: boolean): string {
  const info = codeInfo(code);
  if (hasArguments(args)) {
    return withoutAuditctlText ? fill(info.message, args) : formatMessage(code, args);
  }
  const made = withoutAuditctlText ? fixedShortMessages : fixedMessages;
  let message = made.get(code);
  if (message === undefined) {
    message = withoutAuditctlText ? fill(info.message, args) : formatMessage(code, args);
    made.set(code, message);
  }
  return message;
}

function hasArguments(args: MessageArguments): boolean {
  for (const name in args) if (Object.hasOwn(args, name)) return true;
  return false;
}

/** Builds a diagnostic for a code: the only way checks make one. */
export function diagnostic(
  code: string,
  range: Range,
  args: MessageArguments = {},
  extras: DiagnosticExtras = {},
): RuleDiagnostic {
  const info = codeInfo(code);
  const result: RuleDiagnostic = {
    code,
    severity: extras.severity ?? info.severity,
    range,
    message: messageOf(code, args, extras.withoutAuditctlText === true),
  };
  if (extras.hostDependent) result.hostDependent = true;
  if (extras.deferredData) deferFixData(result, extras.deferredData);
  else if (extras.data !== undefined) result.data = extras.data;
  if (extras.related) result.related = extras.related;
  if (extras.file) result.file = extras.file;
  return result;
}
