/**
 * The shapes the log engine hands out: the noise report (the CLI's JSON output, field for
 * field) and the event profile that the impact preview simulates rules against.
 */
import type { SkipReason, SkippedLine } from './scan';

export interface ExeCount {
  /** The executable, decoded, with a " (deleted)" suffix removed. */
  exe: string;
  events: number;
  /** Log bytes of the events (every record line, newline included). */
  bytes: number;
  /** At least one event named the file with the kernel's " (deleted)" suffix. */
  deleted: boolean;
}

export interface SyscallCount {
  /** Machine name of the record's arch (x86_64, i386, aarch64 ...) or its hex value. */
  arch: string;
  number: number;
  /** Name in the arch's own table; undefined when the table does not know the number. */
  name: string | undefined;
  events: number;
}

export interface KeyCount {
  key: string;
  events: number;
}

export interface TypeCount {
  type: string;
  records: number;
  /** For `UNKNOWN[n]`: the name newer tables give the number, if any. */
  knownAs?: string;
}

export interface ExeSyscallCount {
  exe: string;
  arch: string;
  number: number;
  name: string | undefined;
  events: number;
}

export interface IdCount {
  /** The id as logged; 4294967295 is "unset" (an auid never set). */
  id: number;
  events: number;
}

export interface MinuteCount {
  /** Start of the minute, ISO 8601 UTC. */
  minute: string;
  events: number;
  bytes: number;
}

export interface RotationForecast {
  maxLogFileMB: number;
  /** Log bytes per minute over the logged time span. */
  bytesPerMinute: number | null;
  /** Minutes between rotations at this rate; null when the span is empty. */
  minutesPerRotation: number | null;
}

export interface NodeCount {
  node: string;
  records: number;
}

/** Lost serials within one node's run of events between two auditd starts. */
export interface SerialGap {
  node: string | null;
  firstSerial: number;
  lastSerial: number;
  events: number;
  lost: number;
}

/** Exclusion suggestion; filled by the exclusion generator (exclusions.ts). */
export interface Suggestion {
  rule: string;
  events: number;
  bytes: number;
  warnings: string[];
  [extra: string]: unknown;
}

/**
 * `empty`: no line at all (or blank lines only). `not-audit`: lines, but none of them an
 * audit record (binary data, a rules file given by mistake).
 */
export type LogFormat =
  'raw' | 'enriched' | 'mixed' | 'ausearch-interpreted' | 'not-audit' | 'empty';

export interface NoiseReport {
  records: number;
  events: number;
  skippedLines: number;
  /** Serials missing between the events of a node (see docs/limits.md: an estimate). */
  lostRecords: number;
  firstTime: string | null;
  lastTime: string | null;
  byExe: ExeCount[];
  bySyscall: SyscallCount[];
  byKey: KeyCount[];
  byType: TypeCount[];
  byExeSyscall: ExeSyscallCount[];
  suggestions: Suggestion[];

  byUid: IdCount[];
  byAuid: IdCount[];
  perMinute: MinuteCount[];
  rotation: RotationForecast;
  /** Seconds between the first and the last event. */
  spanSeconds: number;
  /** Bytes of all record lines. */
  bytes: number;
  /** Bytes read from the inputs (records, skipped and blank lines). */
  inputBytes: number;
  blankLines: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  skippedSamples: SkippedLine[];
  /** DAEMON_START events: auditd (re)starts in the log. */
  restarts: number;
  serialGaps: SerialGap[];
  eventsWithoutExe: number;
  eventsWithoutKey: number;
  format: LogFormat;
  enrichedRecords: number;
  nodes: NodeCount[];
  files: string[];
  /** The event profile behind the impact preview (not part of the CLI's JSON output). */
  profile: EventProfile;
}

/**
 * Events that look the same to an audit rule, counted together. Every fact an exit or
 * exclude rule commonly tests is kept; pid, serial and time are not, so buckets stay few.
 * Unset values are null.
 */
export interface EventProfileBucket {
  /** AUDIT_ARCH value of the SYSCALL record (0xc000003e ...). */
  arch: number | null;
  /** libaudit machine name of `arch`. */
  machine: string | null;
  syscall: number | null;
  success: boolean | null;
  /**
   * exit= for 0 and errors (-13 ...). Positive values (byte counts, fds, pids) are
   * collapsed into null with `exitPositive` set, so that buckets stay few.
   */
  exit: number | null;
  exitPositive: boolean;
  /** Decoded executable, " (deleted)" suffix kept as logged. */
  exe: string | null;
  uid: number | null;
  auid: number | null;
  euid: number | null;
  suid: number | null;
  fsuid: number | null;
  gid: number | null;
  egid: number | null;
  sgid: number | null;
  fsgid: number | null;
  /** SELinux/AppArmor subject label (subj=). */
  subj: string | null;
  /** Keys of the event (several keys are joined by 0x01 in the log). */
  keys: string[];
  /** Record types of the event, sorted, each once. */
  types: string[];
  events: number;
  records: number;
  bytes: number;
  /**
   * Records and bytes of each record type over the bucket's events, for the exact impact
   * of exclude-list rules (always set by the log engine).
   */
  recordsByType?: Record<string, { records: number; bytes: number }>;
  /**
   * The events change something under /etc: a PATH item under /etc that the syscall
   * creates, deletes, opens for writing, renames, links, or changes the mode, owner,
   * times or attributes of (always set by the log engine).
   */
  etcWrite?: boolean;
}

export interface EventProfile {
  buckets: EventProfileBucket[];
}

/** The identity of a bucket: equal keys merge. */
export function profileBucketKey(bucket: EventProfileBucket): string {
  return [
    bucket.arch, bucket.syscall, bucket.success, bucket.exit, bucket.exitPositive, bucket.exe,
    bucket.uid, bucket.auid, bucket.euid, bucket.suid, bucket.fsuid, bucket.gid, bucket.egid,
    bucket.sgid, bucket.fsgid, bucket.subj, bucket.keys.join('\x01'), bucket.types.join(','),
    bucket.etcWrite === true,
  ].join('\x00');
}

/** Merges profiles (from byte ranges, files or runs) into one. */
export function mergeEventProfiles(profiles: readonly EventProfile[]): EventProfile {
  const merged = new Map<string, EventProfileBucket>();
  for (const profile of profiles) {
    for (const bucket of profile.buckets) {
      const key = profileBucketKey(bucket);
      const into = merged.get(key);
      if (into === undefined) {
        merged.set(key, copyBucket(bucket));
      } else {
        addBucket(into, bucket);
      }
    }
  }
  return { buckets: [...merged.values()].sort((a, b) => b.events - a.events) };
}

/** A bucket that shares no mutable part with the original. */
export function copyBucket(bucket: EventProfileBucket): EventProfileBucket {
  const recordsByType: Record<string, { records: number; bytes: number }> = {};
  for (const [type, counts] of Object.entries(bucket.recordsByType ?? {})) {
    recordsByType[type] = { ...counts };
  }
  return { ...bucket, keys: [...bucket.keys], types: [...bucket.types], recordsByType };
}

/** Adds the counts of a bucket with the same key into another. */
export function addBucket(into: EventProfileBucket, from: EventProfileBucket): void {
  into.events += from.events;
  into.records += from.records;
  into.bytes += from.bytes;
  const byType = (into.recordsByType ??= {});
  for (const [type, counts] of Object.entries(from.recordsByType ?? {})) {
    const target = byType[type];
    if (target === undefined) byType[type] = { ...counts };
    else {
      target.records += counts.records;
      target.bytes += counts.bytes;
    }
  }
}
