// Generates server/src/tables/generated/syscall-descriptions.json: a one-line description
// for each syscall name the syscall tables know, taken from the NAME section of the Linux
// man-pages section 2 (Debian package manpages-dev, /usr/share/man/man2/*.2.gz).
//
// Usage: node scripts/generate-syscall-descriptions.mjs [MAN2_DIR]
// Needs: apt-get install manpages-dev
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const man2 = process.argv[2] ?? '/usr/share/man/man2';
const outFile = join(repoRoot, 'server/src/tables/generated/syscall-descriptions.json');

if (!existsSync(man2)) {
  console.error(`${man2} not found: install manpages-dev (apt-get install manpages-dev)`);
  process.exit(2);
}

function readPage(file) {
  const bytes = readFileSync(join(man2, file));
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

// A page like unlinkat.2 is only `.so man2/unlink.2`: follow it to the page that has NAME.
function resolvePage(file, depth = 0) {
  const text = readPage(file);
  const redirect = /^\.so\s+(?:man2\/)?(\S+)/m.exec(text);
  if (redirect && depth < 4) {
    const target = readdirSync(man2).find((f) => f === redirect[1] || f === `${redirect[1]}.gz`);
    if (target) return resolvePage(target, depth + 1);
  }
  return text;
}

// Strips the troff markup that occurs in NAME sections (\-, \f fonts, macros, \(em ...).
function plainText(troff) {
  return troff
    .split('\n')
    .filter((line) => !line.startsWith('.\\"'))
    .map((line) => line.replace(/^\.(?:B|I|BR|IR|RB|RI|BI|IB)\s+/, ''))
    .filter((line) => !/^\.[A-Za-z]/.test(line))
    .join(' ')
    .replace(/\\f(?:\[[^\]]*\]|.)/g, '')
    .replace(/\\-/g, '-')
    .replace(/\\\(em/g, '-')
    .replace(/\\\(aq/g, "'")
    .replace(/\\&/g, '')
    .replace(/\\e/g, '\\')
    .replace(/"/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function nameSection(page) {
  const match = /^\.SH\s+"?NAME"?\s*\n([\s\S]*?)^\.SH/m.exec(page);
  return match ? plainText(match[1]) : undefined;
}

const descriptions = new Map();
const pages = readdirSync(man2).filter((f) => /\.2(?:\.gz)?$/.test(f)).sort();
for (const file of pages) {
  const name = nameSection(resolvePage(file));
  if (!name) continue;

  const split = name.indexOf(' - ');
  if (split < 0) continue;
  const names = name.slice(0, split).split(',').map((n) => n.trim()).filter(Boolean);
  const description = name.slice(split + 3).trim();
  const pageName = file.replace(/\.2(?:\.gz)?$/, '');
  for (const syscall of [...names, pageName]) {
    if (!descriptions.has(syscall)) descriptions.set(syscall, description);
  }
}

// Every name any syscall table knows, so the output stays small and aligned with them.
const tables = JSON.parse(
  readFileSync(join(repoRoot, 'server/src/tables/generated/syscalls.json'), 'utf8'),
);
const known = new Set();
for (const perMachine of Object.values(tables.versions)) {
  for (const rows of Object.values(perMachine)) for (const [, name] of rows) known.add(name);
}

// Names the tables use for a variant the man page documents under its base name
// (fstat64 -> fstat, newfstatat -> fstatat, _llseek -> llseek): stated as such.
function variantOf(name) {
  const candidates = [
    name.replace(/^_+/, ''),
    name.replace(/64$/, ''),
    name.replace(/^new/, ''),
    name.replace(/^old/, ''),
    name.replace(/^rt_/, ''),
    name.replace(/_time64$/, ''),
    name.replace(/2$/, ''),
    name.replace(/^arm_/, ''),
    name.replace(/^s390_/, ''),
    name.replace(/^riscv_/, ''),
  ];
  return candidates.find((base) => base !== name && descriptions.has(base));
}

const out = {};
let direct = 0;
let variants = 0;
for (const name of [...known].sort()) {
  if (descriptions.has(name)) {
    out[name] = descriptions.get(name);
    direct += 1;
    continue;
  }
  const base = variantOf(name);
  if (base) {
    out[name] = `variant of ${base}: ${descriptions.get(base)}`;
    variants += 1;
  }
}

let packageVersion = 'unknown version';
try {
  packageVersion = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'manpages-dev']).toString();
} catch {
  // Not a Debian machine: the stamp says so.
}

const result = {
  generatedBy: 'scripts/generate-syscall-descriptions.mjs',
  source: `Linux man-pages section 2 NAME lines (Debian manpages-dev ${packageVersion}, ${man2})`,
  described: direct + variants,
  withoutPage: known.size - direct - variants,
  descriptions: out,
};
writeFileSync(outFile, JSON.stringify(result, null, 1) + '\n');
console.log(
  `${direct} described from their own page, ${variants} as variants, ` +
    `${known.size - direct - variants} of ${known.size} names without a page`,
);
