/**
 * Warnings shown before an exclusion is suggested, when the exclusion would hide activity
 * that matters for security. Shared by the audit exclusions (exclusions.ts) and the mdatp
 * process exclusions (mdatp.ts): the reasons to hesitate are the same.
 */

export type SafetyCode =
  | 'execve'
  | 'login-program'
  | 'init-program'
  | 'audit-program'
  | 'setuid'
  | 'interpreter'
  | 'etc-writes'
  | 'security-record-type';

export interface SafetyWarning {
  code: SafetyCode;
  message: string;
}

/** Programs that authenticate users or change identity. */
const loginPrograms = new Set([
  'sudo', 'sudoedit', 'su', 'sshd', 'sshd-session', 'login', 'doas', 'pkexec', 'runuser',
]);

/** Init systems: PID 1, which starts every service. */
const initPrograms = new Set(['systemd', 'init', 'openrc-init', 'runit-init', 'upstart']);

/**
 * The programs that change what is audited: turning auditing off or deleting rules is what
 * an intruder does first, and their own syscalls are the trace of it.
 */
const auditPrograms = new Set(['auditctl', 'augenrules', 'auditd', 'audispd', 'autrace']);

/**
 * Programs Debian and most distributions install set-user-ID root. The log shows others
 * (uid differs from euid); this list catches them when the log does not.
 */
const knownSetuidPrograms = new Set([
  'sudo', 'su', 'passwd', 'chsh', 'chfn', 'newgrp', 'gpasswd', 'mount', 'umount', 'pkexec',
  'fusermount', 'fusermount3', 'ssh-keysign', 'dbus-daemon-launch-helper', 'doas',
  'polkit-agent-helper-1', 'unix_chkpwd', 'crontab', 'at', 'expiry', 'chage', 'ntfs-3g',
]);

/**
 * Interpreters and shells: excluding one hides every script it runs. Versioned names
 * (python3.11, perl5.36, ruby3.1, php8.2, lua5.4) count as the interpreter.
 */
const interpreterPattern = new RegExp(
  '^(?:python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*(?:-cgi|-fpm[0-9.]*)?' +
    '|lua[0-9.]*|luajit|tclsh[0-9.]*|wish[0-9.]*|node|nodejs|deno|bun|java|pwsh|Rscript' +
    '|R|bash|sh|dash|zsh|ksh|ksh93|mksh|ash|csh|tcsh|fish|busybox|awk|gawk|mawk|nawk' +
    '|expect|osh|guile[0-9.]*)$',
);

export function programName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

export function isInterpreter(path: string): boolean {
  return interpreterPattern.test(programName(path));
}

export function isLoginProgram(path: string): boolean {
  return loginPrograms.has(programName(path));
}

export function isKnownSetuid(path: string): boolean {
  return knownSetuidPrograms.has(programName(path));
}

/** What is known about the activity an exclusion would hide. */
export interface HiddenActivity {
  /** The program's path, when the exclusion names one. */
  exe?: string;
  /** Syscall names the exclusion drops (any arch). */
  syscalls?: readonly string[];
  /** The log shows the program running with uid != euid (a set-user-ID program). */
  setuidObserved?: boolean;
  /** Events the exclusion drops write to files under /etc. */
  etcWrites?: number;
  /** Record types the exclusion drops (exclude-list rules). */
  recordTypes?: readonly string[];
  /** Record types of the program's own user-space messages a user-list rule drops. */
  userRecordTypes?: readonly string[];
}

/** Record types whose loss hides authentication, privilege or policy decisions. */
const securityRecordTypes: Readonly<Record<string, string>> = {
  SYSCALL: 'the core record of every syscall event',
  EXECVE: 'the arguments of every program execution',
  USER_AUTH: 'authentication attempts',
  USER_ACCT: 'account checks at login',
  USER_LOGIN: 'logins',
  USER_LOGOUT: 'logouts',
  USER_START: 'session starts',
  USER_END: 'session ends',
  USER_CMD: 'commands run through sudo',
  USER_CHAUTHTOK: 'password changes',
  USER_ROLE_CHANGE: 'role changes',
  CRED_ACQ: 'credentials acquired',
  CRED_DISP: 'credentials disposed',
  CRED_REFR: 'credentials refreshed',
  ADD_USER: 'accounts created',
  DEL_USER: 'accounts deleted',
  ADD_GROUP: 'groups created',
  DEL_GROUP: 'groups deleted',
  ANOM_ABEND: 'programs that crashed',
  ANOM_PROMISCUOUS: 'interfaces put into promiscuous mode',
  AVC: 'SELinux access decisions',
  SELINUX_ERR: 'SELinux errors',
  APPARMOR_DENIED: 'AppArmor denials',
  CONFIG_CHANGE: 'changes to the audit configuration',
  DAEMON_START: 'audit daemon starts',
  DAEMON_END: 'audit daemon stops',
  KERN_MODULE: 'kernel module loads',
  INTEGRITY_RULE: 'integrity measurement decisions',
  SECCOMP: 'seccomp actions',
};

export function safetyWarnings(hidden: HiddenActivity): SafetyWarning[] {
  const warnings: SafetyWarning[] = [];
  const exe = hidden.exe;
  const name = exe === undefined ? undefined : programName(exe);

  const executions = (hidden.syscalls ?? []).filter((s) => s === 'execve' || s === 'execveat');
  if (executions.length > 0) {
    warnings.push({
      code: 'execve',
      message: `drops ${executions.join(' and ')}: program executions ` +
        `${exe ? `by ${exe} ` : ''}would no longer be recorded`,
    });
  }
  if (exe !== undefined && name !== undefined && loginPrograms.has(name)) {
    warnings.push({
      code: 'login-program',
      message: `${exe} authenticates users or changes identity (${name}); what it does is ` +
        'where an investigation of a login or privilege change starts',
    });
  }
  if (exe !== undefined && name !== undefined && initPrograms.has(name)) {
    warnings.push({
      code: 'init-program',
      message: `${exe} is the init system (PID 1): it starts every service, so what it does ` +
        'is where new services and persistence show',
    });
  }
  if (exe !== undefined && name !== undefined && auditPrograms.has(name)) {
    warnings.push({
      code: 'audit-program',
      message: `${exe} changes what the kernel audits (${name}); disabling auditing or ` +
        'deleting rules is what an intruder does first, and these events are its trace',
    });
  }
  if (exe !== undefined && (hidden.setuidObserved || isKnownSetuid(exe))) {
    warnings.push({
      code: 'setuid',
      message: `${exe} runs with privileges its caller does not have ` +
        (hidden.setuidObserved ? '(the log shows uid != euid)' : '(a set-user-ID program)') +
        ': misuse of it is a classic escalation path',
    });
  }
  if (exe !== undefined && isInterpreter(exe)) {
    warnings.push({
      code: 'interpreter',
      message: `${exe} is an interpreter: excluding it hides every script it runs, ` +
        'including ones an attacker brings',
    });
  }
  if (hidden.etcWrites !== undefined && hidden.etcWrites > 0) {
    warnings.push({
      code: 'etc-writes',
      message: `${hidden.etcWrites} of the dropped events write under /etc (system ` +
        'configuration)',
    });
  }
  for (const type of hidden.recordTypes ?? []) {
    const meaning = securityRecordTypes[type];
    if (meaning) {
      warnings.push({
        code: 'security-record-type',
        message: `${type} records carry ${meaning}; dropping them hides that from every ` +
          'rule and every program',
      });
    }
  }
  for (const type of hidden.userRecordTypes ?? []) {
    const meaning = securityRecordTypes[type];
    if (meaning) {
      warnings.push({
        code: 'security-record-type',
        message: `the ${type} records of ${exe ?? 'the program'} (${meaning}) would no longer ` +
          'be logged',
      });
    }
  }
  return warnings;
}
