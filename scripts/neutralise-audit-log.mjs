// Rewrites an audit.log so that it names no real host, user or address, consistently:
//   node=NAME and hostname=NAME       -> the given neutral host name
//   the machine's host names          -> the neutral host name (whole words only)
//   names of login users (uid >= 1000) -> user1, user2, ... (whole words only)
//   IPv4 addresses other than 127.x and 0.0.0.0 -> 192.0.2.10, .11, ...
//   IPv6 addresses other than :: and ::1        -> 2001:db8::10, ::11, ...
// Hex-encoded values (proctitle, exe, EXECVE arguments, keys ...) are decoded, rewritten
// and encoded again, and SOCKADDR `saddr=` hex is rewritten byte for byte, so the
// interpreted ENRICHED text (laddr=) and the raw hex keep telling the same story.
//
// Usage: node scripts/neutralise-audit-log.mjs IN OUT [--host NAME] [--alias NAME]...
//          [--user NAME]...   (login users beyond those of /etc/passwd)
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

const args = process.argv.slice(2);
const [inputPath, outputPath] = args;
if (!inputPath || !outputPath) {
  console.error('usage: neutralise-audit-log.mjs IN OUT [--host NAME] [--alias NAME]...');
  process.exit(2);
}

let neutralHost = 'sample-host';
const realHosts = new Set([hostname()]);
const extraUsers = [];
for (let i = 2; i < args.length; i++) {
  if (args[i] === '--host') neutralHost = args[++i];
  else if (args[i] === '--alias') realHosts.add(args[++i]);
  else if (args[i] === '--user') extraUsers.push(args[++i]);
}
realHosts.delete('localhost');

// Login users: names from the password database with uid >= 1000 (nobody excepted).
const userNames = new Map();
for (const name of extraUsers) userNames.set(name, `user${userNames.size + 1}`);
for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
  const [name, , uid] = line.split(':');
  if (name && Number(uid) >= 1000 && Number(uid) < 65534) {
    userNames.set(name, `user${userNames.size + 1}`);
  }
}

const ipv4Map = new Map();
const ipv6Map = new Map();

function neutralIpv4(address) {
  if (address.startsWith('127.') || address === '0.0.0.0') return address;
  if (!ipv4Map.has(address)) ipv4Map.set(address, `192.0.2.${10 + ipv4Map.size}`);
  return ipv4Map.get(address);
}

function neutralIpv6(address) {
  if (address === '::' || address === '::1') return address;
  if (!ipv6Map.has(address)) ipv6Map.set(address, `2001:db8::${(16 + ipv6Map.size).toString(16)}`);
  return ipv6Map.get(address);
}

function ipv6Text(bytes) {
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function ipv6Bytes(text) {
  const full = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head, tail = ''] = full.includes('::') ? full.split('::') : [full, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = full.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array(zeros).fill('0'), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(parseInt(g, 16), i * 2));
  return bytes;
}

// struct sockaddr as the kernel logs it: family in host order (little endian here).
function rewriteSaddr(hex) {
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length < 2) return hex;
  const family = bytes.readUInt16LE(0);
  if (family === 2 && bytes.length >= 8) {
    const address = [...bytes.subarray(4, 8)].join('.');
    const neutral = neutralIpv4(address).split('.').map(Number);
    Buffer.from(neutral).copy(bytes, 4);
  } else if (family === 10 && bytes.length >= 24) {
    const address = ipv6Text(bytes.subarray(8, 24));
    ipv6Bytes(neutralIpv6(address)).copy(bytes, 8);
  }
  return bytes.toString('hex').toUpperCase();
}

const wordEdge = '(?<![A-Za-z0-9_.-])';
const wordEnd = '(?![A-Za-z0-9_-])';
const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function rewriteText(text) {
  let out = text.replace(/\b(node|hostname)=("?)([^ "'\x1d]+)\2/g, (whole, key, quote, value) =>
    realHosts.has(value) ? `${key}=${quote}${neutralHost}${quote}` : whole);

  for (const host of realHosts) {
    out = out.replace(new RegExp(`${wordEdge}${escaped(host)}(?![A-Za-z0-9_.-])`, 'g'),
      neutralHost);
  }
  for (const [name, neutral] of userNames) {
    out = out.replace(new RegExp(`${wordEdge}${escaped(name)}${wordEnd}`, 'g'), neutral);
  }

  out = out.replace(/(?<![0-9.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9.])/g,
    (whole, ...parts) => parts.slice(0, 4).every((p) => Number(p) <= 255)
      ? neutralIpv4(whole) : whole);
  out = out.replace(/\b(laddr|addr|raddr|saddr)=([0-9a-fA-F:]*:[0-9a-fA-F:]+)/g,
    (whole, key, address) => {
      try {
        return `${key}=${neutralIpv6(ipv6Text(ipv6Bytes(address)))}`;
      } catch {
        return whole;
      }
    });
  return out;
}

// Fields the kernel or libaudit may write as hex (reference §6).
const hexFields = new RegExp('\\b(comm|exe|cwd|name|proctitle|a\\d+|a\\d+\\[\\d+\\]|key|' +
  'data|acct|hostname|addr|terminal|cmd|old|new)=([0-9A-F]+)(?=[ \\x1d\']|$)', 'g');

function rewriteLine(line) {
  let out = line.replace(/\bsaddr=([0-9A-F]+)(?=[ \x1d]|$)/g,
    (whole, hex) => `saddr=${rewriteSaddr(hex)}`);

  out = out.replace(hexFields, (whole, key, hex) => {
    if (hex.length % 2 !== 0 || key === 'saddr') return whole;
    const decoded = Buffer.from(hex, 'hex').toString('latin1');
    const rewritten = rewriteText(decoded);
    if (rewritten === decoded) return whole;
    return `${key}=${Buffer.from(rewritten, 'latin1').toString('hex').toUpperCase()}`;
  });

  return rewriteText(out);
}

const input = readFileSync(inputPath, 'latin1');
const output = input.split('\n').map(rewriteLine).join('\n');
writeFileSync(outputPath, output, 'latin1');

console.log(`neutralised ${inputPath} -> ${outputPath}: hosts ${[...realHosts].join(',')}` +
  ` -> ${neutralHost}, ${userNames.size} user name(s), ${ipv4Map.size} IPv4 and` +
  ` ${ipv6Map.size} IPv6 address(es)`);
