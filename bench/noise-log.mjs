// Builds a large audit.log from the real events of ../shared/corpus/logs: each corpus event
// is re-serialised with a new timestamp and serial and, for syscall events, one of a set of
// executables drawn with a skewed (noisy-daemon) distribution. Record shapes stay real.
import { closeSync, openSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const headPattern = /^(node=.*? )?type=(\S+) msg=audit\((\d+)\.(\d+):(\d+)\):?/;

const daemons = [
  '/usr/sbin/named', '/usr/sbin/sshd', '/usr/bin/dockerd', '/usr/lib/systemd/systemd',
  '/usr/sbin/cron', '/usr/bin/containerd', '/usr/sbin/rsyslogd', '/usr/bin/python3.11',
  '/usr/sbin/nginx', '/usr/lib/postfix/sbin/master', '/opt/microsoft/mdatp/sbin/wdavdaemon',
  '/usr/bin/bash', '/usr/bin/dash', '/usr/bin/perl', '/usr/sbin/chronyd', '/usr/bin/node',
];

function exeFor(n) {
  // Zipf-like: the first daemons take most events, a long tail of generated paths follows.
  const r = (Math.imul(n, 2654435761) >>> 0) / 4294967296;
  if (r < 0.9) return daemons[Math.floor(Math.pow(r / 0.9, 2.5) * daemons.length)];
  return `/opt/app${Math.floor(r * 100000) % 400}/bin/worker`;
}

function hex(text) {
  return Buffer.from(text, 'latin1').toString('hex').toUpperCase();
}

/**
 * Writes at least `targetBytes` of log to `path`. Returns { bytes, events, records }.
 */
export function buildNoiseLog(path, targetBytes, corpusDir) {
  const templates = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.log')) {
        const byEvent = new Map();
        for (const line of readFileSync(file, 'latin1').split('\n')) {
          const match = headPattern.exec(line);
          if (!match || match[1]) continue;
          const key = `${match[3]}.${match[4]}:${match[5]}`;
          if (!byEvent.has(key)) byEvent.set(key, []);
          byEvent.get(key).push({ type: match[2], rest: line.slice(match[0].length) });
        }
        templates.push(...byEvent.values());
      }
    }
  };
  walk(corpusDir);

  const fd = openSync(path, 'w');
  let pending = [];
  let pendingBytes = 0;
  let bytes = 0;
  let events = 0;
  let records = 0;
  let seconds = 1764700000;
  let millis = 0;
  let serial = 1000;

  while (bytes + pendingBytes < targetBytes) {
    const template = templates[events % templates.length];
    const exe = exeFor(events);
    const exeField = exe.includes('app') && events % 3 === 0 ? `exe=${hex(exe)}` : `exe="${exe}"`;
    millis += 1 + (events % 7);
    if (millis >= 1000) {
      seconds += Math.floor(millis / 1000);
      millis %= 1000;
    }
    serial++;
    const stamp = `msg=audit(${seconds}.${String(millis).padStart(3, '0')}:${serial}):`;
    for (const record of template) {
      let rest = record.rest;
      if (record.type === 'SYSCALL') {
        rest = rest.replace(/ exe=("[^"]*"|[0-9A-F]+)/, ` ${exeField}`);
      }
      const line = `type=${record.type} ${stamp}${rest}\n`;
      pending.push(line);
      pendingBytes += line.length;
      records++;
    }
    events++;
    if (pendingBytes >= 8 << 20) {
      writeSync(fd, pending.join(''), null, 'latin1');
      bytes += pendingBytes;
      pending = [];
      pendingBytes = 0;
    }
  }
  writeSync(fd, pending.join(''), null, 'latin1');
  bytes += pendingBytes;
  closeSync(fd);
  return { bytes, events, records };
}
