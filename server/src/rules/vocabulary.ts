/**
 * Plain-language descriptions of the words of a rules file: options, lists, actions,
 * permission letters and control values. Hover and completion show them; the behaviour
 * they describe is auditctl 3.0.9 / 4.2 as recorded in shared/reference/auditctl.md.
 */
import type { OptionName } from './parse';

export interface OptionDoc {
  name: OptionName;
  /** How the option is written with its argument. */
  synopsis: string;
  summary: string;
  /** Extra facts worth knowing when writing it in a rules file. */
  notes?: string;
}

export const optionDocs: readonly OptionDoc[] = [
  {
    name: '-a',
    synopsis: '-a list,action',
    summary: 'Append a rule to the end of a filter list.',
    notes: 'List and action may come in either order. Actions are case-sensitive ' +
      '(`always`, `never`); the first matching rule of a list decides.',
  },
  {
    name: '-A',
    synopsis: '-A list,action',
    summary: 'Prepend a rule: it goes before every rule already on the list.',
  },
  {
    name: '-d',
    synopsis: '-d list,action',
    summary: 'Delete the rule that matches exactly (same list, action, fields and syscalls).',
  },
  {
    name: '-S',
    synopsis: '-S syscall[,syscall...]',
    summary: 'Add syscalls (names, numbers or `all`) to the rule.',
    notes: 'Names resolve in the table of the last `-F arch=` before the -S, else the ' +
      "host's table. Not allowed on the task, user, exclude and filesystem lists.",
  },
  {
    name: '-F',
    synopsis: '-F field<op>value',
    summary: 'Add a field condition. Operators: `= != < > <= >= & &=`.',
    notes: 'No spaces around the operator. `-F arch=` must come before every `-S`.',
  },
  {
    name: '-C',
    synopsis: '-C field<op>field',
    summary: 'Compare two fields of the event (exit list only, `=` or `!=`).',
    notes: 'Pairs within the uid group (uid euid suid fsuid auid obj_uid) or the gid ' +
      'group (gid egid sgid fsgid obj_gid).',
  },
  {
    name: '-k',
    synopsis: '-k key',
    summary: 'Tag events of this rule with a key (up to 256 bytes in all).',
    notes: 'Needs a syscall, watch, path, dir, perm, exe or fstype earlier on the line. ' +
      'It takes the next word whatever it is: `-k -F` makes the key `-F`.',
  },
  {
    name: '-w',
    synopsis: '-w /path',
    summary: 'Watch a file or directory (a legacy form of an exit rule with path= or dir=).',
    notes: 'Must be the first rule option on the line; the path must be absolute.',
  },
  {
    name: '-W',
    synopsis: '-W /path',
    summary: 'Remove a watch (it must match exactly, -p and -k included).',
  },
  {
    name: '-p',
    synopsis: '-p [r|w|x|a]',
    summary: 'Permissions a watch fires on: read, write, execute, attribute change.',
  },
  { name: '-D', synopsis: '-D [-k key]', summary: 'Delete every rule (or those with the key).' },
  {
    name: '-b',
    synopsis: '-b backlog',
    summary: 'Kernel backlog limit: audit buffers queued before the failure mode applies.',
  },
  {
    name: '-f',
    synopsis: '-f 0|1|2',
    summary: 'Failure mode when the kernel cannot record: 0 silent, 1 printk, 2 panic.',
  },
  {
    name: '-r',
    synopsis: '-r rate',
    summary: 'Message rate limit per second (0 = no limit).',
  },
  {
    name: '-e',
    synopsis: '-e 0|1|2',
    summary: 'Disable (0) or enable (1) auditing, or enable and lock the rules (2).',
    notes: 'After `-e 2` every further rule change fails until reboot: keep it last.',
  },
  {
    name: '-i',
    synopsis: '-i',
    summary: 'Ignore errors in the rest of the file (auditctl exits 0).',
  },
  {
    name: '-c',
    synopsis: '-c',
    summary: 'Continue after a failed line (auditctl exits 1 at the end if any failed).',
  },
  { name: '-l', synopsis: '-l', summary: 'List the loaded rules (output only).' },
  { name: '-s', synopsis: '-s', summary: "Print the kernel's audit status (output only)." },
  { name: '-t', synopsis: '-t', summary: 'Trim the subtrees of directory watches after mounts.' },
  { name: '-v', synopsis: '-v', summary: "Print auditctl's version." },
  { name: '-h', synopsis: '-h', summary: 'Print the usage text.' },
  { name: '-m', synopsis: '-m text', summary: 'Send a user message into the audit log.' },
  { name: '-q', synopsis: '-q mount,subtree', summary: 'Make a subtree equivalent to a mount.' },
  { name: '-R', synopsis: '-R file', summary: 'Read rules from a file (not allowed inside one).' },
  {
    name: '--backlog_wait_time',
    synopsis: '--backlog_wait_time time',
    summary: 'How long the kernel waits for backlog space (in jiffies, default 60 * HZ).',
  },
  {
    name: '--loginuid-immutable',
    synopsis: '--loginuid-immutable',
    summary: 'Make the login uid unchangeable once set (needs CAP_AUDIT_CONTROL to undo).',
  },
  { name: '--reset-lost', synopsis: '--reset-lost', summary: 'Reset the lost-record counter.' },
  {
    name: '--reset_backlog_wait_time_actual',
    synopsis: '--reset_backlog_wait_time_actual',
    summary: 'Reset the counter of time spent waiting for backlog space.',
  },
  {
    name: '--signal',
    synopsis: '--signal TERM|HUP|USR1|USR2|CONT',
    summary: 'Send a signal to auditd.',
    notes: 'An unknown signal or a stopped auditd aborts the whole file: avoid in rules files.',
  },
];

const optionDocByName = new Map(optionDocs.map((doc) => [doc.name, doc]));

export function optionDoc(name: OptionName): OptionDoc | undefined {
  return optionDocByName.get(name);
}

export const listDocs: Readonly<Record<string, string>> = {
  exit: 'Evaluated when a syscall returns. The usual list: syscall rules and every watch.',
  task: 'Evaluated when a task is created (fork/clone). No syscalls; ' +
    '`-a never,task` turns off syscall auditing for new tasks.',
  user: 'Filters user-space messages (AUDIT_USER_* records sent by programs such as sshd).',
  exclude: 'Drops records before they are written, whatever the action. ' +
    'Typically `-a always,exclude -F msgtype=...`.',
  filesystem: 'Filters inode events by filesystem type (kernel 4.17+): ' +
    '`-a never,filesystem -F fstype=tracefs`.',
  io_uring: 'Evaluated when an io_uring operation completes (audit 3.1+, kernel 5.16+); ' +
    '-S takes io_uring operation names.',
};

export const actionDocs: Readonly<Record<string, string>> = {
  always: 'Record the event. The first matching rule on the list decides.',
  never: 'Do not record the event. Place it before the `always` rules it should pre-empt.',
  possible: 'Deprecated: auditctl drops the line, the kernel refuses it.',
};

export const permLetterDocs: Readonly<Record<string, string>> = {
  r: 'read (open for reading, readlink, getxattr, stat...)',
  w: 'write (open for writing, truncate, rename, unlink, mkdir...)',
  x: 'execute (execve, execveat)',
  a: 'attribute change (chmod, chown, setxattr...)',
};

export const enableValueDocs: Readonly<Record<string, string>> = {
  '0': 'disable auditing',
  '1': 'enable auditing',
  '2': 'enable auditing and lock the configuration until reboot (immutable)',
};

export const failureValueDocs: Readonly<Record<string, string>> = {
  '0': 'silent: drop what cannot be recorded',
  '1': 'printk: log a kernel message',
  '2': 'panic: halt the system',
};

export const signalDocs: Readonly<Record<string, string>> = {
  TERM: 'stop auditd',
  HUP: 'reload the configuration',
  USR1: 'rotate the logs',
  USR2: 'resume logging after a disk-full suspension',
  CONT: 'dump the state',
};

export const operatorDocs: Readonly<Record<string, string>> = {
  '=': 'equal',
  '!=': 'not equal',
  '<': 'less than',
  '>': 'greater than',
  '<=': 'less than or equal',
  '>=': 'greater than or equal',
  '&': 'bit mask: any of the bits set',
  '&=': 'bit test: all of the bits set',
};
