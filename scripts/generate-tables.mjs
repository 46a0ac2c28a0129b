// Generates server/src/tables/generated/*.json from authoritative sources:
//   - auditctl 3.0.9 syscall tables: Debian's `ausyscall MACHINE --dump` (package auditd),
//     or, where ausyscall is absent, the 3.0.9 dumps in ../shared/reference/tables;
//   - upstream 4.2.2 syscall and io_uring tables, message types, errno names, file types:
//     the dumps in ../shared/reference/tables/audit-4.2.2 (libaudit's own lookups);
//   - field ids, list ids, AUDIT_ARCH values and limits: /usr/include/linux/audit.h
//     (linux-libc-dev) and linux/elf-em.h.
// Output is stamped with each source and never edited by hand: run `npm run generate:tables`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fieldSemantics } from './field-semantics.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const sharedTables = join(repoRoot, '..', 'shared', 'reference', 'tables');
const outDir = join(repoRoot, 'server', 'src', 'tables', 'generated');
const auditHeader = '/usr/include/linux/audit.h';
const elfHeader = '/usr/include/linux/elf-em.h';

// Machines whose tables auditctl carries; armeb is the name libaudit gives the arm table.
const machines309 = ['x86_64', 'i386', 'aarch64', 'armeb', 'ppc', 'ppc64', 'ppc64le', 's390',
  's390x'];
const machines42 = [...machines309, 'riscv32', 'riscv64'];

function readTsv(path) {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.includes('\t'))
    .map((line) => {
      const [number, name] = line.split('\t');
      return [Number(number), name.trim()];
    });
}

function ausyscallVersion() {
  try {
    const out = execFileSync('auditctl', ['-v'], { encoding: 'utf8' });
    return out.trim();
  } catch {
    return null;
  }
}

function dumpWithAusyscall(machine) {
  const out = execFileSync('ausyscall', [machine, '--dump'], { encoding: 'utf8' });
  const [header, ...rows] = out.split('\n');
  if (!header.includes(`Using ${machine} syscall table`)) {
    throw new Error(`ausyscall ${machine} --dump printed "${header}"`);
  }
  return rows.filter((row) => row.includes('\t')).map((row) => {
    const [number, name] = row.split('\t');
    return [Number(number), name.trim()];
  });
}

function syscalls309() {
  const haveAusyscall = existsSync('/usr/bin/ausyscall') && ausyscallVersion()?.includes('3.0.9');
  const tables = {};
  for (const machine of machines309) {
    tables[machine] = haveAusyscall
      ? dumpWithAusyscall(machine)
      : readTsv(join(sharedTables, 'audit-3.0.9', `syscalls-${machine}.tsv`));
  }
  const source = haveAusyscall
    ? `Debian auditd ${ausyscallVersion()}: ausyscall MACHINE --dump`
    : 'shared/reference/tables/audit-3.0.9 (libaudit 3.0.9 dumps)';
  return { source, tables };
}

function syscalls42() {
  const tables = {};
  for (const machine of machines42) {
    tables[machine] = readTsv(join(sharedTables, 'audit-4.2.2', `syscalls-${machine}.tsv`));
  }
  return {
    source: 'shared/reference/tables/audit-4.2.2 (libaudit 4.2.2 audit_syscall_to_name dumps)',
    tables,
    uring: readTsv(join(sharedTables, 'audit-4.2.2', 'syscalls-uring.tsv')),
  };
}

function readSections(path) {
  const sections = {};
  let current = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('# ')) {
      current = line.slice(2).trim();
      sections[current] = [];
    } else if (current && line.includes('\t')) {
      sections[current].push(line.split('\t').map((cell) => cell.trim()));
    }
  }
  return sections;
}

function parseDefines(path) {
  const text = readFileSync(path, 'utf8');
  const defines = new Map();
  for (const match of text.matchAll(/^#define\s+(\w+)\s+(.+?)\s*(?:\/\*.*)?$/gm)) {
    defines.set(match[1], match[2].trim());
  }
  return defines;
}

function evaluateDefine(defines, name, seen = new Set()) {
  if (seen.has(name)) throw new Error(`cyclic #define ${name}`);
  seen.add(name);
  const raw = defines.get(name);
  if (raw === undefined) throw new Error(`${name} is not defined`);
  const expression = raw.replace(/\b[A-Z_][A-Z0-9_]*\b/g, (word) =>
    String(evaluateDefine(defines, word, new Set(seen))));
  if (!/^[\s0-9a-fA-Fx|()<>+U]+$/.test(expression)) {
    throw new Error(`cannot evaluate ${name} = ${raw}`);
  }
  return Number(BigInt.asUintN(32, BigInt(Function(`return (${expression.replace(/U/g, '')})`)()
    >>> 0)));
}

function kernelFacts() {
  const defines = parseDefines(auditHeader);
  for (const [key, value] of parseDefines(elfHeader)) defines.set(key, value);
  const value = (name) => evaluateDefine(defines, name);

  // libaudit's "armeb" machine uses AUDIT_ARCH_ARM (little-endian EABI) as its ELF id.
  const archMacros = {
    i386: 'AUDIT_ARCH_I386', x86_64: 'AUDIT_ARCH_X86_64', aarch64: 'AUDIT_ARCH_AARCH64',
    armeb: 'AUDIT_ARCH_ARM', ppc: 'AUDIT_ARCH_PPC', ppc64: 'AUDIT_ARCH_PPC64',
    ppc64le: 'AUDIT_ARCH_PPC64LE', s390: 'AUDIT_ARCH_S390', s390x: 'AUDIT_ARCH_S390X',
    riscv32: 'AUDIT_ARCH_RISCV32', riscv64: 'AUDIT_ARCH_RISCV64',
  };
  const archElf = Object.fromEntries(Object.entries(archMacros)
    .map(([machine, macro]) => [machine, value(macro)]));

  const lists = {
    user: value('AUDIT_FILTER_USER'), task: value('AUDIT_FILTER_TASK'),
    exit: value('AUDIT_FILTER_EXIT'), exclude: value('AUDIT_FILTER_EXCLUDE'),
    filesystem: value('AUDIT_FILTER_FS'), io_uring: value('AUDIT_FILTER_URING_EXIT'),
  };

  const messageTypes = [];
  for (const [name] of defines) {
    const typed = /^AUDIT_([A-Z0-9_]+)$/.exec(name);
    if (!typed) continue;
    let number;
    try { number = value(name); } catch { continue; }
    if (number >= 1000 && number < 2000) messageTypes.push([number, typed[1]]);
  }

  return {
    archElf,
    lists,
    fieldIds: Object.fromEntries(fieldSemantics.map((field) => [field.name, value(field.macro)])),
    maxFields: value('AUDIT_MAX_FIELDS'),
    maxKeyLength: value('AUDIT_MAX_KEY_LEN'),
    kernelMessageTypes: messageTypes,
  };
}

function write(name, stamp, data) {
  const body = { generatedBy: 'scripts/generate-tables.mjs', sources: stamp, ...data };
  writeFileSync(join(outDir, name), JSON.stringify(body) + '\n');
  console.log(`wrote ${join('server/src/tables/generated', name)}`);
}

mkdirSync(outDir, { recursive: true });
const old = syscalls309();
const upstream = syscalls42();
const kernel = kernelFacts();
const others309 = readSections(join(sharedTables, 'audit-3.0.9', 'other-tables.txt'));
const others42 = readSections(join(sharedTables, 'audit-4.2.2', 'other-tables.txt'));
const kernelSource = `${auditHeader} (linux-libc-dev ${linuxLibcVersion()})`;

function linuxLibcVersion() {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'linux-libc-dev'],
      { encoding: 'utf8' });
  } catch {
    return 'unknown version';
  }
}

write('syscalls.json', { '3.0.9': old.source, '4.2': upstream.source }, {
  versions: { '3.0.9': old.tables, '4.2': upstream.tables },
  uring: { '4.2': upstream.uring },
});

// Message types: the names libaudit knows in each version. The kernel header adds the
// numbers of kernel-side types, used to name a number that a version lacks.
write('msgtypes.json', {
  '3.0.9': 'shared/reference/tables/audit-3.0.9/other-tables.txt (audit_msg_type_to_name)',
  '4.2': 'shared/reference/tables/audit-4.2.2/other-tables.txt (audit_msg_type_to_name)',
  kernel: kernelSource,
}, {
  versions: {
    '3.0.9': others309.msgtypes.map(([n, name]) => [Number(n), name]),
    '4.2': others42.msgtypes.map(([n, name]) => [Number(n), name]),
  },
  kernel: kernel.kernelMessageTypes,
});

write('errnos.json', {
  names: 'shared/reference/tables/audit-4.2.2/other-tables.txt (libaudit errno table)',
}, { errnos: others42.errnos.map(([n, name]) => [Number(n), name]) });

write('filetypes.json', {
  names: 'shared/reference/tables/audit-4.2.2/other-tables.txt (libaudit ftype table, octal)',
}, { fileTypes: others42.ftypes.map(([mode, name]) => [parseInt(mode, 8), name]) });

// The machine table's ELF ids must agree with the kernel header's AUDIT_ARCH values.
for (const [, name, elf] of others42.machines) {
  const expected = kernel.archElf[name];
  if (expected !== undefined && Number(elf.replace('elf=', '')) !== expected) {
    throw new Error(`machine ${name}: libaudit says ${elf}, audit.h says ${expected}`);
  }
}

write('kernel.json', {
  kernel: kernelSource,
  machines: 'shared/reference/tables/audit-4.2.2/other-tables.txt (libaudit machine table)',
}, {
  lists: kernel.lists,
  archElf: kernel.archElf,
  maxFields: kernel.maxFields,
  maxKeyLength: kernel.maxKeyLength,
  machineTable: others42.machines.map(([id, name, elf]) => [Number(id), name, elf]),
});

write('fields.json', {
  ids: kernelSource,
  semantics: 'scripts/field-semantics.mjs (from shared/reference/auditctl.md 1.5, 1.9, 2.3, 3.1)',
}, {
  fields: fieldSemantics.map(({ macro, ...field }) =>
    ({ ...field, id: kernel.fieldIds[field.name] })),
});
