/**
 * Lookups over the generated tables (server/src/tables/generated, made by
 * scripts/generate-tables.mjs). Everything here is a pure function of the data: the
 * rules engine, the log engine, the language server and the CLI all read tables here.
 */
import syscallData from './generated/syscalls.json';
import msgtypeData from './generated/msgtypes.json';
import errnoData from './generated/errnos.json';
import filetypeData from './generated/filetypes.json';
import kernelData from './generated/kernel.json';
import fieldData from './generated/fields.json';

/** The userspace versions whose behaviour the engine mirrors. */
export type AuditVersion = '3.0.9' | '4.2';
export const auditVersions: readonly AuditVersion[] = ['3.0.9', '4.2'];
export const defaultAuditVersion: AuditVersion = '4.2';

export type ListName = 'user' | 'task' | 'exit' | 'exclude' | 'filesystem' | 'io_uring';
export const listNames: readonly ListName[] = [
  'user', 'task', 'exit', 'exclude', 'filesystem', 'io_uring',
];

/** The machine names that own a syscall table (libaudit's names). */
export type Machine =
  | 'x86_64' | 'i386' | 'aarch64' | 'armeb' | 'ppc' | 'ppc64' | 'ppc64le'
  | 's390' | 's390x' | 'riscv32' | 'riscv64';

export const machines: readonly Machine[] = [
  'x86_64', 'i386', 'aarch64', 'armeb', 'ppc', 'ppc64', 'ppc64le', 's390', 's390x',
  'riscv32', 'riscv64',
];

export interface SyscallTable {
  machine: Machine;
  version: AuditVersion;
  byName: ReadonlyMap<string, number>;
  byNumber: ReadonlyMap<number, string>;
}

export const maxRuleFields: number = kernelData.maxFields;
export const maxKeyLength: number = kernelData.maxKeyLength;
export const listIds: Readonly<Record<ListName, number>> = kernelData.lists;

const syscallCache = new Map<string, SyscallTable>();
/** The tables by version, then machine: looked up for every -S without building a key. */
const syscallTables = new Map<AuditVersion, Map<Machine, SyscallTable>>();

function buildTable(rows: number[][] | unknown, machine: Machine, version: AuditVersion) {
  const byName = new Map<string, number>();
  const byNumber = new Map<number, string>();
  for (const [number, name] of rows as [number, string][]) {
    byName.set(name, number);
    if (!byNumber.has(number)) byNumber.set(number, name);
  }
  return { machine, version, byName, byNumber };
}

/** The syscall table of a machine in one userspace version, or undefined if it has none. */
export function syscallTable(machine: Machine, version: AuditVersion): SyscallTable | undefined {
  let tables = syscallTables.get(version);
  if (!tables) syscallTables.set(version, (tables = new Map()));
  const cached = tables.get(machine);
  if (cached) return cached;

  const perVersion = syscallData.versions[version] as Record<string, unknown>;
  const rows = perVersion[machine];
  if (!rows) return undefined;

  const table = buildTable(rows, machine, version);
  tables.set(machine, table);
  return table;
}

/** io_uring operation names (upstream 4.2 only; 3.0.9 has no io_uring list). */
export function uringOpTable(version: AuditVersion): SyscallTable | undefined {
  if (version !== '4.2') return undefined;
  const cacheKey = `${version}/uring`;
  const cached = syscallCache.get(cacheKey);
  if (cached) return cached;
  const table = buildTable(syscallData.uring['4.2'], 'x86_64', version);
  syscallCache.set(cacheKey, table);
  return table;
}

/** Versions whose table for this machine knows the syscall name. */
export function versionsWithSyscall(name: string, machine: Machine): AuditVersion[] {
  const lower = name.toLowerCase();
  return auditVersions.filter((version) => syscallTable(machine, version)?.byName.has(lower));
}

/** The AUDIT_ARCH value (ELF machine with 64-bit and endian bits) of each machine. */
export const machineElf: Readonly<Record<Machine, number>> = kernelData.archElf as Record<
  Machine,
  number
>;

const machineByElf = new Map<number, Machine>(
  machines.map((m) => [machineElf[m], m]),
);

/** The machine whose AUDIT_ARCH value this is (as in a log's `arch=c000003e`). */
export function machineForElf(elf: number): Machine | undefined {
  return machineByElf.get(elf >>> 0);
}

export function machineBits(machine: Machine): 32 | 64 {
  return (machineElf[machine] & 0x80000000) !== 0 ? 64 : 32;
}

const compatMachines: ReadonlyMap<Machine, Machine> = new Map<Machine, Machine>([
  ['x86_64', 'i386'], ['ppc64', 'ppc'], ['s390x', 's390'], ['aarch64', 'armeb'],
  ['riscv64', 'riscv32'],
]);

const nativeMachines: ReadonlyMap<Machine, Machine> = new Map<Machine, Machine>(
  [...compatMachines].map(([native, compat]) => [compat, native]),
);

/** The 32-bit twin table a 64-bit machine runs compat syscalls with (auditctl's b32). */
export function compatMachine(machine: Machine): Machine | undefined {
  return compatMachines.get(machine);
}

/** The 64-bit machine a 32-bit table belongs to, for `b64` written on a b32 host. */
export function nativeMachine(machine: Machine): Machine | undefined {
  return nativeMachines.get(machine);
}

// auditctl's machine-name aliases (libaudit machinetab), case-insensitive.
const machineAliases: Record<string, Machine> = {
  i386: 'i386', i486: 'i386', i586: 'i386', i686: 'i386', x86_64: 'x86_64',
  ppc64: 'ppc64', ppc64le: 'ppc64le', ppc: 'ppc', s390x: 's390x', s390: 's390',
  armeb: 'armeb', arm: 'armeb', armv5tejl: 'armeb', armv5tel: 'armeb', armv6l: 'armeb',
  armv7l: 'armeb', aarch64: 'aarch64', armv8l: 'aarch64', riscv32: 'riscv32',
  riscv64: 'riscv64',
};

/** Machine names only upstream (4.2) knows. */
const machinesSince42 = new Set<Machine>(['riscv32', 'riscv64']);

export type ArchResolution =
  | { ok: true; machine: Machine; bits: 32 | 64; viaName: string }
  | {
    ok: false;
    reason: 'unknown' | 'no-b32-twin' | 'no-b64' | 'version';
    version?: AuditVersion;
  };

/**
 * Resolves a `-F arch=` value the way auditctl does: b64 and b32 relative to the host
 * machine, a machine name, or an AUDIT_ARCH number (decimal, 0x hex or bare hex).
 */
export function resolveArch(
  value: string,
  hostMachine: Machine,
  version: AuditVersion,
): ArchResolution {
  const lower = value.toLowerCase();

  // libaudit takes b64 as the host machine with 64 bits: on a 32-bit host (i386, arm, ppc,
  // s390, riscv32) that names no machine, "arch elf mapping not found" (reference §4).
  if (lower === 'b64') {
    return machineBits(hostMachine) === 64 ? found(hostMachine, value)
      : { ok: false, reason: 'no-b64' };
  }
  if (lower === 'b32') {
    if (machineBits(hostMachine) === 32) return found(hostMachine, value);
    const twin = compatMachine(hostMachine);
    return twin ? found(twin, value) : { ok: false, reason: 'no-b32-twin' };
  }

  const named = machineAliases[lower];
  if (named) {
    if (version === '3.0.9' && machinesSince42.has(named)) {
      return { ok: false, reason: 'version', version: '4.2' };
    }
    return found(named, value);
  }

  // auditctl tries the name first, then parses the text as a number in base 16
  // (strtoul base 0 for 0x/decimal forms is tried by the kernel-side id lookup).
  const numeric = parseArchNumber(value);
  if (numeric !== undefined) {
    const machine = machineForElf(numeric);
    if (machine && !(version === '3.0.9' && machinesSince42.has(machine))) {
      return found(machine, value);
    }
  }
  return { ok: false, reason: 'unknown' };
}

function found(machine: Machine, viaName: string): ArchResolution {
  return { ok: true, machine, bits: machineBits(machine), viaName };
}

function parseArchNumber(value: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(value)) return parseInt(value.slice(2), 16) >>> 0;
  if (/^[0-9]+$/.test(value)) {
    const decimal = Number(value);
    if (machineForElf(decimal >>> 0)) return decimal >>> 0;
  }
  if (/^[0-9a-f]+$/i.test(value)) return parseInt(value, 16) >>> 0;
  return undefined;
}

// --- message types -------------------------------------------------------------------

export interface MessageTypeTable {
  byName: ReadonlyMap<string, number>;
  byNumber: ReadonlyMap<number, string>;
}

const msgtypeCache = new Map<AuditVersion, MessageTypeTable>();

/** Record types the version's libaudit names (AVC, SYSCALL, USER_LOGIN, ...). */
export function messageTypes(version: AuditVersion): MessageTypeTable {
  const cached = msgtypeCache.get(version);
  if (cached) return cached;
  const byName = new Map<string, number>();
  const byNumber = new Map<number, string>();
  for (const [number, name] of msgtypeData.versions[version] as [number, string][]) {
    byName.set(name, number);
    if (!byNumber.has(number)) byNumber.set(number, name);
  }
  const table = { byName, byNumber };
  msgtypeCache.set(version, table);
  return table;
}

/** Any name for a record type number: the newest userspace name, else the kernel macro. */
export function messageTypeName(number: number): string | undefined {
  return (
    messageTypes('4.2').byNumber.get(number) ??
    messageTypes('3.0.9').byNumber.get(number) ??
    kernelMessageTypeNames.get(number)
  );
}

const kernelMessageTypeNames = new Map<number, string>(
  (msgtypeData.kernel as [number, string][]).map(([n, name]) => [n, name]),
);

// --- errno, file types ---------------------------------------------------------------

export const errnoByName: ReadonlyMap<string, number> = new Map(
  (errnoData.errnos as [number, string][]).map(([n, name]) => [name, n]),
);
export const errnoByNumber: ReadonlyMap<number, string> = new Map(
  (errnoData.errnos as [number, string][]).map(([n, name]) => [n, name]),
);

/** `filetype=` names and their S_IFMT bits. */
export const fileTypeByName: ReadonlyMap<string, number> = new Map(
  (filetypeData.fileTypes as [number, string][]).map(([mode, name]) => [name, mode]),
);

/** `fstype=` names per version (libaudit fstypetab), with their filesystem magic. */
export function fsTypes(version: AuditVersion): ReadonlyMap<string, number> {
  const names: [string, number][] = [
    ['tracefs', 0x74726163],
    ['debugfs', 0x64626720],
  ];
  if (version === '4.2') names.push(['cgroup', 0x27e0eb], ['cgroup2', 0x63677270]);
  return new Map(names);
}

// --- fields --------------------------------------------------------------------------

export type FieldValueKind =
  | 'number' | 'uid' | 'gid' | 'arch' | 'msgtype' | 'label' | 'sessionid' | 'fstype'
  | 'exit' | 'success' | 'path' | 'dir' | 'perm' | 'filetype' | 'exe' | 'saddr_fam'
  | 'arg' | 'key';

export interface FieldInfo {
  name: string;
  id: number;
  description: string;
  aliases: string[];
  /** Lists auditctl takes the field on. */
  lists: ListName[];
  auditctlOperators: string[];
  kernelOperators: string[];
  valueKind: FieldValueKind;
  exitOnly: boolean;
  /** Whether the exclude list takes it, per userspace version (kernel with EXCLUDE_EXTEND). */
  excludeList: Record<AuditVersion, boolean>;
  /** Whether the kernel can evaluate it on the user and exclude lists. */
  kernelEvaluatesOnUserExclude: boolean;
  /** Kernel feature bit auditctl checks before sending the field. */
  feature: string | null;
  minimumKernel: string | null;
}

export const fields: readonly FieldInfo[] = fieldData.fields as FieldInfo[];

const fieldByName = new Map<string, FieldInfo>();
for (const field of fields) {
  fieldByName.set(field.name, field);
  for (const alias of field.aliases) fieldByName.set(alias, field);
}

/** A field by name or alias; names are case-insensitive in auditctl. */
export function fieldInfo(name: string): FieldInfo | undefined {
  return fieldByName.get(name.toLowerCase());
}

/** perm letters and the AUDIT_PERM_* bits they set. */
export const permBits: Readonly<Record<string, number>> = { r: 4, w: 2, x: 1, a: 8 };
