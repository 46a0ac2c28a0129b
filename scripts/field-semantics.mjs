// What each rule field means and where auditctl and the kernel accept it.
// Source: shared reference "auditctl rules-file reference semantics", sections 1.5, 1.9,
// 2.3 and 3.1 (auditctl 3.0.9 and upstream 4.2.2 run against probe lines; kernel
// auditfilter.c read). Field ids are not written here: generate-tables.mjs takes them
// from linux/audit.h, so a wrong id cannot creep in.
//
// Operator sets: all = every operator auditctl parses; cmp = no bit tests; eq = = and !=.
// Lists: the auditctl lists that take the field. `exclude309` says whether auditctl 3.0.9
// (with a kernel that has EXCLUDE_EXTEND) takes it on the exclude list; 4.2 takes every
// field there that is not exit-only. `kernelEvaluatesOnUserExclude` marks the fields the
// kernel can evaluate on the user and exclude lists (others never match there).

const all = ['=', '!=', '<', '>', '<=', '>=', '&', '&='];
const cmp = ['=', '!=', '<', '>', '<=', '>='];
const eq = ['=', '!='];

const everyList = ['exit', 'task', 'user', 'exclude', 'filesystem', 'io_uring'];
const notExitOnly = everyList;
const exitOnly = ['exit'];

export const fieldSemantics = [
  f('pid', 'AUDIT_PID', 'process id (thread group id)', notExitOnly, all, cmp, 'number',
    { exclude309: true, userExclude: true }),
  f('uid', 'AUDIT_UID', 'real user id', notExitOnly, all, cmp, 'uid',
    { exclude309: true, userExclude: true }),
  f('euid', 'AUDIT_EUID', 'effective user id', notExitOnly, all, cmp, 'uid'),
  f('suid', 'AUDIT_SUID', 'saved user id', notExitOnly, all, cmp, 'uid'),
  f('fsuid', 'AUDIT_FSUID', 'filesystem user id', notExitOnly, all, cmp, 'uid'),
  f('gid', 'AUDIT_GID', 'real group id', notExitOnly, all, cmp, 'gid',
    { exclude309: true, userExclude: true }),
  f('egid', 'AUDIT_EGID', 'effective group id', notExitOnly, all, cmp, 'gid'),
  f('sgid', 'AUDIT_SGID', 'saved group id', notExitOnly, all, cmp, 'gid'),
  f('fsgid', 'AUDIT_FSGID', 'filesystem group id', notExitOnly, all, cmp, 'gid'),
  f('auid', 'AUDIT_LOGINUID', 'login user id: the user who logged in, kept across su and sudo',
    notExitOnly, all, cmp, 'uid', { exclude309: true, userExclude: true, aliases: ['loginuid'] }),
  f('pers', 'AUDIT_PERS', 'process personality (execution domain)', notExitOnly, all, all,
    'number'),
  f('arch', 'AUDIT_ARCH', 'system call ABI: b64, b32, a machine name or an AUDIT_ARCH number',
    notExitOnly, eq, eq, 'arch'),
  f('msgtype', 'AUDIT_MSGTYPE', 'record type, by name or number', ['user', 'exclude'], all,
    cmp, 'msgtype', { exclude309: true, userExclude: true }),
  f('subj_user', 'AUDIT_SUBJ_USER', 'LSM (SELinux) user of the process', notExitOnly, all, eq,
    'label', { exclude309: true, userExclude: true }),
  f('subj_role', 'AUDIT_SUBJ_ROLE', 'LSM role of the process', notExitOnly, all, eq, 'label',
    { exclude309: true, userExclude: true }),
  f('subj_type', 'AUDIT_SUBJ_TYPE', 'LSM type (domain) of the process', notExitOnly, all, eq,
    'label', { exclude309: true, userExclude: true }),
  f('subj_sen', 'AUDIT_SUBJ_SEN', 'LSM sensitivity of the process', notExitOnly, all, cmp,
    'label', { exclude309: true, userExclude: true }),
  f('subj_clr', 'AUDIT_SUBJ_CLR', 'LSM clearance of the process', notExitOnly, all, cmp,
    'label', { exclude309: true, userExclude: true }),
  f('ppid', 'AUDIT_PPID', 'parent process id', exitOnly, all, cmp, 'number'),
  f('obj_user', 'AUDIT_OBJ_USER', 'LSM user of the file or object', exitOnly, all, eq,
    'label'),
  f('obj_role', 'AUDIT_OBJ_ROLE', 'LSM role of the object', exitOnly, all, eq, 'label'),
  f('obj_type', 'AUDIT_OBJ_TYPE', 'LSM type of the object', exitOnly, all, eq, 'label'),
  f('obj_lev_low', 'AUDIT_OBJ_LEV_LOW', 'LSM low level of the object', exitOnly, all, cmp,
    'label'),
  f('obj_lev_high', 'AUDIT_OBJ_LEV_HIGH', 'LSM high level of the object', exitOnly, all, cmp,
    'label'),
  f('sessionid', 'AUDIT_SESSIONID', 'login session id', ['exit', 'user', 'exclude'], all, cmp,
    'sessionid', { feature: 'SESSIONID_FILTER', kernel: '4.10' }),
  f('fstype', 'AUDIT_FSTYPE', 'filesystem type of the object', ['filesystem'], eq, eq,
    'fstype', { feature: 'FILTER_FS', kernel: '4.17' }),
  f('devmajor', 'AUDIT_DEVMAJOR', 'device major number of the object', exitOnly, all, cmp,
    'number'),
  f('devminor', 'AUDIT_DEVMINOR', 'device minor number of the object', exitOnly, all, all,
    'number'),
  f('inode', 'AUDIT_INODE', 'inode number of the object', exitOnly, eq, eq, 'number'),
  f('exit', 'AUDIT_EXIT', 'system call return value: a number or an errno name', exitOnly, all,
    cmp, 'exit'),
  f('success', 'AUDIT_SUCCESS', 'whether the system call succeeded: 1 or 0', exitOnly, all, cmp,
    'success'),
  f('path', 'AUDIT_WATCH', 'watch one file by path', exitOnly, all, ['='], 'path'),
  f('perm', 'AUDIT_PERM', 'kind of access to a watched path: r, w, x, a', exitOnly, ['='],
    ['=', '!='], 'perm', { exclude42: true }),
  f('dir', 'AUDIT_DIR', 'watch a directory tree, recursively', exitOnly, all, ['='], 'dir'),
  f('filetype', 'AUDIT_FILETYPE', 'type of the object: file, dir, socket, link, character, '
    + 'block, fifo', exitOnly, all, eq, 'filetype'),
  f('obj_uid', 'AUDIT_OBJ_UID', 'owner of the object', exitOnly, all, cmp, 'uid'),
  f('obj_gid', 'AUDIT_OBJ_GID', 'group of the object', exitOnly, all, cmp, 'gid'),
  f('field_compare', 'AUDIT_FIELD_COMPARE', 'raw inter-field comparison id (write -C instead)',
    everyList, all, eq, 'number'),
  f('exe', 'AUDIT_EXE', 'full path of the executable', notExitOnly, eq, eq, 'exe',
    { exclude309: true, userExclude: true, feature: 'EXECUTABLE_PATH', kernel: '4.3' }),
  f('saddr_fam', 'AUDIT_SADDR_FAM', 'socket address family (2 inet, 10 inet6)', notExitOnly, all,
    cmp, 'saddr_fam', { kernel: '5.3' }),
  f('a0', 'AUDIT_ARG0', 'first system call argument (low 32 bits)', notExitOnly, all, all,
    'arg'),
  f('a1', 'AUDIT_ARG1', 'second system call argument (low 32 bits)', notExitOnly, all, all,
    'arg'),
  f('a2', 'AUDIT_ARG2', 'third system call argument (low 32 bits)', notExitOnly, all, all,
    'arg'),
  f('a3', 'AUDIT_ARG3', 'fourth system call argument (low 32 bits)', notExitOnly, all, all,
    'arg'),
  f('key', 'AUDIT_FILTERKEY', 'filter key written with the event (same as -k)', everyList, all,
    eq, 'key'),
];

function f(name, macro, description, lists, auditctlOperators, kernelOperators, valueKind,
  extra = {}) {
  const {
    exclude309 = false, exclude42, userExclude = false, aliases = [], feature, kernel,
  } = extra;
  const exitOnlyField = lists.length === 1 && lists[0] === 'exit';
  return {
    name,
    macro,
    description,
    aliases,
    lists,
    auditctlOperators,
    kernelOperators,
    valueKind,
    exitOnly: exitOnlyField,
    excludeList: {
      '3.0.9': exclude309,
      '4.2': exclude42 ?? !exitOnlyField,
    },
    kernelEvaluatesOnUserExclude: userExclude,
    feature: feature ?? null,
    minimumKernel: kernel ?? null,
  };
}
