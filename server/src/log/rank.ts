/**
 * Noise ranking: per-event counts by executable, syscall, key, uid and auid, executable x
 * syscall; per-record counts by type; bytes per executable; events per minute; the
 * rotation forecast; and the event profile. A tally is built per byte range (or file),
 * snapshotted into plain data that crosses worker threads, and snapshots merge.
 */
import {
  defaultAuditVersion, machineForElf, messageTypeName, syscallTable, type AuditVersion,
} from '../tables';
import {
  ABSENT, FOREIGN_STRING, FactFields, NO_STRING, splitKeys, type RecordFacts, type RecordNames,
  type SkipReason, type SkippedLine,
} from './scan';
import { mergeFacts, type AuditEvent, type SerialSegment } from './events';
import {
  addBucket, profileBucketKey, type EventProfileBucket, type LogFormat,
  type NoiseReport, type SerialGap,
} from './report';

/** auditd's max_log_file default, in MB (auditd counts 1 MB as 1048576 bytes). */
export const defaultMaxLogFileMB = 8;
const megabyte = 1048576;
const deletedSuffix = ' (deleted)';
const maxSkippedSamples = 10;

/** Plain data (Maps, arrays, numbers) that structured clone carries between threads. */
export interface TallySnapshot {
  records: number;
  events: number;
  bytes: number;
  inputBytes: number;
  skippedLines: number;
  blankLines: number;
  skippedByReason: Map<SkipReason, number>;
  skippedSamples: SkippedLine[];
  firstTimeMs: number;
  lastTimeMs: number;
  byType: Map<string, number>;
  byNode: Map<string, number>;
  /** exe as logged -> [events, bytes] */
  byExe: Map<string, [number, number]>;
  /** syscallKey(arch, syscall) -> events */
  bySyscall: Map<string, number>;
  byKey: Map<string, number>;
  byUid: Map<number, number>;
  byAuid: Map<number, number>;
  byExeSyscall: Map<string, Map<string, number>>;
  perMinute: Map<number, [number, number]>;
  profile: Map<string, EventProfileBucket>;
  segments: { node: string | null; segment: SerialSegment }[];
  /**
   * Nodes whose last event here was auditd's start (DAEMON_START): their first serial run
   * in the part after this one starts anew, as if it began with the DAEMON_START.
   */
  restartedAtEnd: (string | null)[];
  restarts: number;
  eventsWithoutExe: number;
  eventsWithoutKey: number;
  /** Records whose fields were read (SYSCALL and user-space records). */
  factRecords: number;
  enrichedRecords: number;
  files: string[];
  /** The part continues the serials of the part before it (same file or rotated set). */
  serialsContinue: boolean;
}

export function emptySnapshot(): TallySnapshot {
  return {
    records: 0, events: 0, bytes: 0, inputBytes: 0, skippedLines: 0, blankLines: 0,
    skippedByReason: new Map(), skippedSamples: [],
    firstTimeMs: Infinity, lastTimeMs: -Infinity,
    byType: new Map(), byNode: new Map(), byExe: new Map(), bySyscall: new Map(),
    byKey: new Map(), byUid: new Map(), byAuid: new Map(), byExeSyscall: new Map(),
    perMinute: new Map(), profile: new Map(), segments: [], restartedAtEnd: [], restarts: 0,
    eventsWithoutExe: 0, eventsWithoutKey: 0, factRecords: 0, enrichedRecords: 0, files: [],
    serialsContinue: true,
  };
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * "arch:syscall": a string, as no number holds both exactly (an x32 syscall number has bit
 * 30 set, an arch is 32 bits).
 */
function syscallKey(arch: number, syscall: number): string {
  return `${arch}:${syscall}`;
}

function splitSyscallKey(key: string): { arch: number; number: number } {
  const colon = key.indexOf(':');
  return { arch: Number(key.slice(0, colon)), number: Number(key.slice(colon + 1)) };
}

interface TypeSet {
  ids: number[];
  types: string[];
  id: number;
  /** Position in `types` of each id of `ids`. */
  sortedIndex: number[];
}

/**
 * One profile bucket while scanning: the facts it is found by (those of its first event,
 * with exe, subj and key ids of this tally), and its counts. The bucket itself is built at
 * snapshot().
 */
class ProfileSlot extends FactFields {
  /** exit as the bucket key has it: 1 for every positive value, noExit without one. */
  exitCode = NaN;
  etcWrite = false;
  /** Counted here while scanning; the bucket gets the totals at snapshot(). */
  events = NaN;
  records = NaN;
  bytes = NaN;
  hash = NaN;
  /** The next slot created with the same hash (the order snapshot() visits them in). */
  sameHash: ProfileSlot | undefined = undefined;
  firstOfHash = false;
  bucket: EventProfileBucket | undefined = undefined;

  constructor(
    readonly typeSet: TypeSet,
    /** Records and bytes per type, in the order of typeSet.types (records, bytes, ...). */
    readonly typeCounts: Float64Array,
  ) {
    super();
  }
}

const noKeys: string[] = [];

/** How a syscall changes the files its PATH records name. */
type FileChange = 'always' | 'open-a1' | 'open-a2';

const changingSyscalls: Record<string, FileChange> = {
  creat: 'always', truncate: 'always', rename: 'always', renameat: 'always',
  renameat2: 'always', unlink: 'always', unlinkat: 'always', link: 'always', linkat: 'always',
  symlink: 'always', symlinkat: 'always', mkdir: 'always', mkdirat: 'always', rmdir: 'always',
  mknod: 'always', mknodat: 'always', chmod: 'always', fchmodat: 'always', fchmodat2: 'always',
  chown: 'always', lchown: 'always', fchownat: 'always', chown32: 'always',
  lchown32: 'always', setxattr: 'always', lsetxattr: 'always', removexattr: 'always',
  lremovexattr: 'always', setxattrat: 'always', removexattrat: 'always', utime: 'always',
  utimes: 'always', utimensat: 'always', futimesat: 'always',
  open: 'open-a1', openat: 'open-a2',
};

const changesByArch = new Map<number, Map<number, FileChange>>();

// O_WRONLY | O_RDWR, O_CREAT, O_TRUNC: the values of the generic and x86 ABIs.
const openWriteFlags = 0x3 | 0x40 | 0x200;

/** Whether the syscall writes to (or creates, removes, re-owns ...) the paths it names. */
function changesFiles(arch: number, syscall: number, a1: number, a2: number): boolean {
  if (arch === ABSENT || syscall === ABSENT) return false;
  let changes = changesByArch.get(arch);
  if (changes === undefined) {
    changes = new Map();
    const machine = machineForElf(arch);
    const table = machine ? syscallTable(machine, defaultAuditVersion) : undefined;
    for (const [name, change] of Object.entries(changingSyscalls)) {
      const number = table?.byName.get(name);
      if (number !== undefined) changes.set(number, change);
    }
    changesByArch.set(arch, changes);
  }
  const change = changes.get(syscall);
  if (change === 'always') return true;
  if (change === 'open-a1') return (a1 & openWriteFlags) !== 0;
  if (change === 'open-a2') return (a2 & openWriteFlags) !== 0;
  return false;
}

/** Whether the event has the slot's record types in the same order. */
function sameTypes(typeSet: TypeSet, event: AuditEvent): boolean {
  const ids = typeSet.ids;
  if (ids.length !== event.typeCount) return false;
  const types = event.types;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== types[i * 3]) return false;
  return true;
}

function slotMatches(
  slot: ProfileSlot,
  facts: RecordFacts,
  exitCode: number,
  exeId: number,
  subjId: number,
  keyId: number,
  etcWrite: boolean,
): boolean {
  return slot.arch === facts.arch && slot.syscall === facts.syscall &&
    slot.success === facts.success && slot.exitCode === exitCode &&
    slot.exeId === exeId && slot.uid === facts.uid && slot.auid === facts.auid &&
    slot.euid === facts.euid && slot.suid === facts.suid && slot.fsuid === facts.fsuid &&
    slot.gid === facts.gid && slot.egid === facts.egid && slot.sgid === facts.sgid &&
    slot.fsgid === facts.fsgid && slot.subjId === subjId && slot.keyId === keyId &&
    slot.etcWrite === etcWrite;
}

function countInto(slot: ProfileSlot, event: AuditEvent): void {
  slot.events++;
  slot.records += event.records;
  slot.bytes += event.bytes;
  addTypeCounts(slot.typeCounts, slot.typeSet, event);
}

function addTypeCounts(counts: Float64Array, typeSet: TypeSet, event: AuditEvent): void {
  const sortedIndex = typeSet.sortedIndex;
  for (let i = 0; i < sortedIndex.length; i++) {
    const at = sortedIndex[i] * 2;
    counts[at] += event.types[i * 3 + 1];
    counts[at + 1] += event.types[i * 3 + 2];
  }
}
const noExit = 0x7fffffff;

export interface GrouperCounts {
  segments: readonly SerialSegment[];
  restartedNodes: ReadonlySet<number>;
  restarts: number;
  factRecords: number;
  enrichedRecords: number;
}

/** Accumulates events of one scan; ids (types, nodes) are those of the scan's names. */
export class NoiseTally {
  readonly data: TallySnapshot = emptySnapshot();
  /** Records per type id (local ids, turned into names by snapshot()). */
  private readonly recordsByType: number[] = [];
  private readonly recordsByNode: number[] = [];

  constructor(private readonly names: RecordNames) {}

  countRecord(typeId: number, nodeId: number, bytes: number): void {
    const data = this.data;
    data.records++;
    data.bytes += bytes;
    const byType = this.recordsByType;
    while (byType.length <= typeId) byType.push(0);
    byType[typeId]++;
    if (nodeId !== 0) {
      const byNode = this.recordsByNode;
      while (byNode.length <= nodeId) byNode.push(0);
      byNode[nodeId]++;
    }
  }

  skipped(line: SkippedLine | undefined, reason: SkipReason): void {
    const data = this.data;
    data.skippedLines++;
    bump(data.skippedByReason, reason);
    if (line !== undefined && data.skippedSamples.length < maxSkippedSamples) {
      data.skippedSamples.push(line);
    }
  }

  get wantsSkippedSample(): boolean {
    return this.data.skippedSamples.length < maxSkippedSamples;
  }

  private minute = NaN;
  private minuteEntry: [number, number] = [0, 0];

  /**
   * Counts one event. Only time and the profile are touched per event: every ranking by
   * exe, syscall, key or id is a sum over profile buckets, made once in snapshot().
   */
  addEvent(event: AuditEvent): void {
    const data = this.data;
    data.events++;

    const timeMs = event.timeMs;
    if (timeMs < data.firstTimeMs) data.firstTimeMs = timeMs;
    if (timeMs > data.lastTimeMs) data.lastTimeMs = timeMs;

    const minute = Math.floor(timeMs / 60000);
    if (minute !== this.minute) {
      this.minute = minute;
      let entry = data.perMinute.get(minute);
      if (entry === undefined) {
        entry = [0, 0];
        data.perMinute.set(minute, entry);
      }
      this.minuteEntry = entry;
    }
    this.minuteEntry[0]++;
    this.minuteEntry[1] += event.bytes;

    this.addToProfile(event);
  }

  private readonly stringIds = new Map<string, number>();
  private readonly typeSets = new Map<number, TypeSet[]>();
  private typeSetCount = 0;
  /**
   * Profile slots in an open-addressed table (linear probing on a mixed hash): one array
   * read per probe instead of a Map lookup and a candidate list. slotList keeps creation
   * order.
   */
  private slotTable: (ProfileSlot | undefined)[] = new Array(4096).fill(undefined);
  private slotShift = 32 - 12;
  private readonly slotList: ProfileSlot[] = [];
  private lastSlot: ProfileSlot | undefined;
  private readonly keyLists = new Map<string, string[]>();

  /** Ids for strings from other threads, kept apart from this scan's own ids. */
  private stringId(value: string | undefined): number {
    if (value === undefined) return NO_STRING;
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = 1e9 + this.stringIds.size;
      this.stringIds.set(value, id);
    }
    return id;
  }

  private keysOf(key: string | undefined): string[] {
    if (key === undefined) return noKeys;
    let keys = this.keyLists.get(key);
    if (keys === undefined) {
      keys = splitKeys(key);
      this.keyLists.set(key, keys);
    }
    return keys;
  }

  private typeSet(event: AuditEvent): TypeSet {
    const eventTypes = event.types;
    const count = event.typeCount;
    let hash = count;
    for (let i = 0; i < count; i++) hash = (Math.imul(hash, 31) + eventTypes[i * 3]) | 0;
    hash &= 0x3fffffff;
    let candidates = this.typeSets.get(hash);
    if (candidates === undefined) {
      candidates = [];
      this.typeSets.set(hash, candidates);
    }
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c];
      const ids = candidate.ids;
      if (ids.length !== count) continue;
      let i = 0;
      while (i < ids.length && ids[i] === eventTypes[i * 3]) i++;
      if (i === ids.length) return candidate;
    }
    const ids = Array.from({ length: count }, (_, i) => event.typeId(i));
    const names = ids.map((id) => this.names.types.names[id]);
    const types = [...new Set(names)].sort();
    const created = {
      ids, types, id: ++this.typeSetCount,
      sortedIndex: names.map((name) => types.indexOf(name)),
    };
    candidates.push(created);
    return created;
  }

  /**
   * Adds the event to its profile bucket. The bucket is found through a numeric hash of
   * the facts and compared field by field: no key string is built per event.
   */
  private addToProfile(event: AuditEvent): void {
    const facts = event.facts;
    const exitCode = facts.hasExit ? (facts.exit > 0 ? 1 : facts.exit) : noExit;
    const exeId = facts.exeId === FOREIGN_STRING ? this.stringId(facts.exe) : facts.exeId;
    const subjId = facts.subjId === FOREIGN_STRING ? this.stringId(facts.subj) : facts.subjId;
    const keyId = facts.keyId === FOREIGN_STRING ? this.stringId(facts.key) : facts.keyId;
    const etcWrite = event.etcPath &&
      (event.etcChange || changesFiles(facts.arch, facts.syscall, facts.a1, facts.a2));

    // A busy program's events mostly repeat the one before: try its bucket first.
    const last = this.lastSlot;
    if (
      last !== undefined && sameTypes(last.typeSet, event) &&
      slotMatches(last, facts, exitCode, exeId, subjId, keyId, etcWrite)
    ) {
      countInto(last, event);
      return;
    }

    const typeSet = this.typeSet(event);

    let hash = facts.arch | 0;
    hash = (Math.imul(hash, 31) + facts.syscall) | 0;
    hash = (Math.imul(hash, 31) + facts.success) | 0;
    hash = (Math.imul(hash, 31) + exitCode) | 0;
    hash = (Math.imul(hash, 31) + exeId) | 0;
    hash = (Math.imul(hash, 31) + facts.uid) | 0;
    hash = (Math.imul(hash, 31) + facts.auid) | 0;
    hash = (Math.imul(hash, 31) + facts.euid) | 0;
    hash = (Math.imul(hash, 31) + facts.gid) | 0;
    hash = (Math.imul(hash, 31) + subjId) | 0;
    hash = (Math.imul(hash, 31) + keyId) | 0;
    hash = (Math.imul(hash, 31) + typeSet.id + (etcWrite ? 7 : 0)) & 0x3fffffff;

    const table = this.slotTable;
    const mask = table.length - 1;
    let index = Math.imul(hash, 0x9e3779b1) >>> this.slotShift;
    let firstOfHash: ProfileSlot | undefined;
    for (let slot = table[index]; slot !== undefined; slot = table[index]) {
      if (slot.hash === hash) {
        if (
          slot.typeSet === typeSet &&
          slotMatches(slot, facts, exitCode, exeId, subjId, keyId, etcWrite)
        ) {
          countInto(slot, event);
          this.lastSlot = slot;
          return;
        }
        firstOfHash ??= slot;
      }
      index = (index + 1) & mask;
    }

    const typeCounts = new Float64Array(typeSet.types.length * 2);
    addTypeCounts(typeCounts, typeSet, event);
    const slot = new ProfileSlot(typeSet, typeCounts);
    mergeFacts(slot, facts, true);
    slot.exeId = exeId;
    slot.subjId = subjId;
    slot.keyId = keyId;
    slot.exitCode = exitCode;
    slot.etcWrite = etcWrite;
    slot.events = 1;
    slot.records = event.records;
    slot.bytes = event.bytes;
    slot.hash = hash;
    slot.firstOfHash = firstOfHash === undefined;
    if (firstOfHash !== undefined) {
      let chain = firstOfHash;
      while (chain.sameHash !== undefined) chain = chain.sameHash;
      chain.sameHash = slot;
    }
    table[index] = slot;
    this.slotList.push(slot);
    if (this.slotList.length * 2 > table.length) this.growSlotTable();
    this.lastSlot = slot;
  }

  private growSlotTable(): void {
    const table: (ProfileSlot | undefined)[] = new Array(this.slotTable.length * 2);
    table.fill(undefined);
    this.slotShift--;
    const mask = table.length - 1;
    // In creation order, so that slots of one hash keep their probe order.
    for (const slot of this.slotList) {
      let index = Math.imul(slot.hash, 0x9e3779b1) >>> this.slotShift;
      while (table[index] !== undefined) index = (index + 1) & mask;
      table[index] = slot;
    }
    this.slotTable = table;
  }

  /** Slots grouped by hash, hashes in order of first use (a stable order for the report). */
  private *slotsInOrder(): Generator<ProfileSlot> {
    for (const first of this.slotList) {
      if (!first.firstOfHash) continue;
      for (let slot: ProfileSlot | undefined = first; slot !== undefined; slot = slot.sameHash) {
        yield slot;
      }
    }
  }

  private rankBucket(bucket: EventProfileBucket): void {
    const data = this.data;
    const { exe, events } = bucket;
    if (exe === null) data.eventsWithoutExe += events;
    else {
      const entry = data.byExe.get(exe);
      if (entry === undefined) data.byExe.set(exe, [events, bucket.bytes]);
      else {
        entry[0] += events;
        entry[1] += bucket.bytes;
      }
    }

    if (bucket.syscall !== null) {
      const key = syscallKey(bucket.arch ?? ABSENT, bucket.syscall);
      bump(data.bySyscall, key, events);
      if (exe !== null) {
        let perExe = data.byExeSyscall.get(exe);
        if (perExe === undefined) {
          perExe = new Map();
          data.byExeSyscall.set(exe, perExe);
        }
        bump(perExe, key, events);
      }
    }

    if (bucket.keys.length === 0) data.eventsWithoutKey += events;
    for (const key of bucket.keys) bump(data.byKey, key, events);
    if (bucket.uid !== null) bump(data.byUid, bucket.uid, events);
    if (bucket.auid !== null) bump(data.byAuid, bucket.auid, events);
  }

  /** The slot's bucket, made once, with the slot's counts. */
  private bucketOf(slot: ProfileSlot): EventProfileBucket {
    const nullable = (value: number) => (value === ABSENT ? null : value);
    const exitPositive = slot.hasExit && slot.exit > 0;
    slot.bucket ??= {
      arch: nullable(slot.arch),
      machine: slot.arch === ABSENT ? null : machineForElf(slot.arch) ?? null,
      syscall: nullable(slot.syscall),
      success: slot.success === ABSENT ? null : slot.success === 1,
      exit: slot.hasExit && !exitPositive ? slot.exit : null,
      exitPositive,
      exe: slot.exe ?? null,
      uid: nullable(slot.uid),
      auid: nullable(slot.auid),
      euid: nullable(slot.euid),
      suid: nullable(slot.suid),
      fsuid: nullable(slot.fsuid),
      gid: nullable(slot.gid),
      egid: nullable(slot.egid),
      sgid: nullable(slot.sgid),
      fsgid: nullable(slot.fsgid),
      subj: slot.subj ?? null,
      keys: [...this.keysOf(slot.key)],
      types: slot.typeSet.types,
      events: 0,
      records: 0,
      bytes: 0,
      recordsByType: {},
      etcWrite: slot.etcWrite,
    };
    const bucket = slot.bucket;
    bucket.events = slot.events;
    bucket.records = slot.records;
    bucket.bytes = slot.bytes;
    return bucket;
  }

  /** Plain data with names resolved, with the grouper's serial and format counts. */
  snapshot(grouper: GrouperCounts): TallySnapshot {
    const { segments, restarts } = grouper;
    const data = this.data;
    data.byType = new Map();
    this.recordsByType.forEach((count, id) => {
      if (count) data.byType.set(this.names.types.names[id], count);
    });
    data.byNode = new Map();
    this.recordsByNode.forEach((count, id) => {
      if (count) data.byNode.set(this.names.nodes.names[id], count);
    });
    data.segments = segments.map((segment) => ({
      node: segment.nodeId === 0 ? null : this.names.nodes.names[segment.nodeId],
      segment: { ...segment },
    }));
    data.restarts = restarts;
    data.restartedAtEnd = [...grouper.restartedNodes].map((nodeId) =>
      (nodeId === 0 ? null : this.names.nodes.names[nodeId]));
    data.profile = new Map();
    for (const slot of this.slotsInOrder()) {
      const bucket = this.bucketOf(slot);
      const recordsByType: Record<string, { records: number; bytes: number }> = {};
      bucket.recordsByType = recordsByType;
      slot.typeSet.types.forEach((type, i) => {
        recordsByType[type] = {
          records: slot.typeCounts[2 * i], bytes: slot.typeCounts[2 * i + 1],
        };
      });
      this.rankBucket(bucket);
      const key = profileBucketKey(bucket);
      const existing = data.profile.get(key);
      if (existing === undefined) data.profile.set(key, bucket);
      else addBucket(existing, bucket);
    }
    data.factRecords = grouper.factRecords;
    data.enrichedRecords = grouper.enrichedRecords;
    return data;
  }
}

function mergeCounts<K>(into: Map<K, number>, from: Map<K, number>): void {
  for (const [key, count] of from) bump(into, key, count);
}

function mergePairs<K>(into: Map<K, [number, number]>, from: Map<K, [number, number]>): void {
  for (const [key, [a, b]] of from) {
    const entry = into.get(key);
    if (entry === undefined) into.set(key, [a, b]);
    else {
      entry[0] += a;
      entry[1] += b;
    }
  }
}

/**
 * Merges snapshots of consecutive parts of the input, in input order (taking over their
 * profile buckets: a part is not to be used after it is merged). Serial segments of
 * one node that meet at a part boundary join unless the later one starts at DAEMON_START.
 */
export function mergeSnapshots(parts: readonly TallySnapshot[]): TallySnapshot {
  const into = emptySnapshot();
  const restarted = new Set<string | null>();
  for (const part of parts) {
    into.records += part.records;
    into.events += part.events;
    into.bytes += part.bytes;
    into.inputBytes += part.inputBytes;
    into.skippedLines += part.skippedLines;
    into.blankLines += part.blankLines;
    mergeCounts(into.skippedByReason, part.skippedByReason);
    for (const sample of part.skippedSamples) {
      if (into.skippedSamples.length < maxSkippedSamples) into.skippedSamples.push(sample);
    }
    into.firstTimeMs = Math.min(into.firstTimeMs, part.firstTimeMs);
    into.lastTimeMs = Math.max(into.lastTimeMs, part.lastTimeMs);
    mergeCounts(into.byType, part.byType);
    mergeCounts(into.byNode, part.byNode);
    mergePairs(into.byExe, part.byExe);
    mergeCounts(into.bySyscall, part.bySyscall);
    mergeCounts(into.byKey, part.byKey);
    mergeCounts(into.byUid, part.byUid);
    mergeCounts(into.byAuid, part.byAuid);
    for (const [exe, perExe] of part.byExeSyscall) {
      let target = into.byExeSyscall.get(exe);
      if (target === undefined) {
        target = new Map();
        into.byExeSyscall.set(exe, target);
      }
      mergeCounts(target, perExe);
    }
    mergePairs(into.perMinute, part.perMinute);
    for (const [key, bucket] of part.profile) {
      const existing = into.profile.get(key);
      // The parts are not used after merging: their buckets are taken, not copied.
      if (existing === undefined) into.profile.set(key, bucket);
      else addBucket(existing, bucket);
    }
    mergeSegments(into.segments, part.segments, part.serialsContinue, restarted);
    for (const node of part.restartedAtEnd) restarted.add(node);
    into.restarts += part.restarts;
    into.eventsWithoutExe += part.eventsWithoutExe;
    into.eventsWithoutKey += part.eventsWithoutKey;
    into.enrichedRecords += part.enrichedRecords;
    into.factRecords += part.factRecords;
    for (const file of part.files) if (!into.files.includes(file)) into.files.push(file);
  }
  into.restartedAtEnd = [...restarted];
  return into;
}

/**
 * Appends a part's serial runs; the first run of a node continues the node's last one when
 * the part continues the serials, unless auditd started in between (the run begins with
 * the DAEMON_START, or the parts before ended with one: `restarted`, updated here).
 */
function mergeSegments(
  into: TallySnapshot['segments'],
  from: readonly TallySnapshot['segments'][number][],
  continues: boolean,
  restarted: Set<string | null>,
): void {
  if (!continues) restarted.clear();
  const seen = new Set<string | null>();
  for (const entry of from) {
    const first = !seen.has(entry.node);
    seen.add(entry.node);
    const afterStart = restarted.delete(entry.node);
    let previous: TallySnapshot['segments'][number] | undefined;
    if (continues && first && !entry.segment.startsWithDaemonStart && !afterStart) {
      for (let i = into.length - 1; i >= 0; i--) {
        if (into[i].node === entry.node) {
          previous = into[i];
          break;
        }
      }
    }
    if (previous === undefined) {
      into.push({ node: entry.node, segment: { ...entry.segment } });
      continue;
    }
    const target = previous.segment;
    target.events += entry.segment.events;
    target.last = entry.segment.last;
    target.min = Math.min(target.min, entry.segment.min);
    target.max = Math.max(target.max, entry.segment.max);
  }
}

export interface ReportOptions {
  maxLogFileMB?: number;
  version?: AuditVersion;
}

const machineNameCache = new Map<number, string>();

function archName(arch: number): string {
  let name = machineNameCache.get(arch);
  if (name === undefined) {
    name = arch === ABSENT ? 'unknown' : machineForElf(arch) ?? arch.toString(16);
    machineNameCache.set(arch, name);
  }
  return name;
}

function syscallName(arch: number, number: number, version: AuditVersion): string | undefined {
  const machine = arch === ABSENT ? undefined : machineForElf(arch);
  if (machine === undefined) return undefined;
  return (
    syscallTable(machine, version)?.byNumber.get(number) ??
    syscallTable(machine, version === '4.2' ? '3.0.9' : '4.2')?.byNumber.get(number)
  );
}

/** The exe with the kernel's " (deleted)" suffix removed, and whether it had one. */
export function normaliseExe(exe: string): { exe: string; deleted: boolean } {
  return exe.endsWith(deletedSuffix)
    ? { exe: exe.slice(0, -deletedSuffix.length), deleted: true }
    : { exe, deleted: false };
}

function iso(timeMs: number): string | null {
  return Number.isFinite(timeMs) ? new Date(timeMs).toISOString() : null;
}

/**
 * Sorts by count (largest first), then by name. Each name is made once, not once per
 * comparison: the names of some lists are built strings, and a list can be long.
 */
function sortByCountThenName<T>(items: T[], count: (t: T) => number, name: (t: T) => string)
  : T[] {
  const keyed = items.map((item) => ({ item, count: count(item), name: name(item) }));
  keyed.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return keyed.map((entry) => entry.item);
}

/** Turns a (merged) snapshot into the report, every list sorted by count. */
export function buildNoiseReport(data: TallySnapshot, options: ReportOptions = {}): NoiseReport {
  const version = options.version ?? defaultAuditVersion;
  const maxLogFileMB = options.maxLogFileMB ?? defaultMaxLogFileMB;

  const byExe = new Map<string, { exe: string; events: number; bytes: number; deleted: boolean }>();
  for (const [logged, [events, bytes]] of data.byExe) {
    const { exe, deleted } = normaliseExe(logged);
    const entry = byExe.get(exe);
    if (entry === undefined) byExe.set(exe, { exe, events, bytes, deleted });
    else {
      entry.events += events;
      entry.bytes += bytes;
      entry.deleted ||= deleted;
    }
  }

  // A few syscalls, thousands of exe x syscall rows: each syscall is named once.
  const syscalls = new Map<string, { arch: string; number: number; name: string | undefined }>();
  const syscallOf = (key: string) => {
    let named = syscalls.get(key);
    if (named === undefined) {
      const { arch, number } = splitSyscallKey(key);
      named = { arch: archName(arch), number, name: syscallName(arch, number, version) };
      syscalls.set(key, named);
    }
    return named;
  };

  const bySyscall = [...data.bySyscall].map(([key, events]) => {
    const { arch, number, name } = syscallOf(key);
    return { arch, number, name, events };
  });

  const exeSyscall = new Map<string, number>();
  for (const [logged, perExe] of data.byExeSyscall) {
    const { exe } = normaliseExe(logged);
    for (const [key, events] of perExe) {
      const mapKey = `${key}\x00${exe}`;
      exeSyscall.set(mapKey, (exeSyscall.get(mapKey) ?? 0) + events);
    }
  }
  const byExeSyscall = [...exeSyscall].map(([mapKey, events]) => {
    const split = mapKey.indexOf('\x00');
    const { arch, number, name } = syscallOf(mapKey.slice(0, split));
    return { exe: mapKey.slice(split + 1), arch, number, name, events };
  });

  const byType = [...data.byType].map(([type, records]) => {
    const unknown = /^UNKNOWN\[(\d+)\]$/.exec(type);
    const knownAs = unknown ? messageTypeName(Number(unknown[1])) : undefined;
    return knownAs === undefined ? { type, records } : { type, records, knownAs };
  });

  const spanMs = data.events > 0 ? data.lastTimeMs - data.firstTimeMs : 0;
  const bytesPerMinute = spanMs > 0 ? data.bytes / (spanMs / 60000) : null;

  const serialGaps: SerialGap[] = data.segments.map(({ node, segment }) => ({
    node,
    firstSerial: segment.min,
    lastSerial: segment.max,
    events: segment.events,
    lost: Math.max(0, segment.max - segment.min + 1 - segment.events),
  }));

  const interpreted = data.skippedByReason.get('ausearch-interpreted') ?? 0;
  let format: LogFormat = 'raw';
  if (data.records === 0) {
    format = interpreted > 0 ? 'ausearch-interpreted'
      : data.skippedLines > 0 ? 'not-audit' : 'empty';
  }
  else if (data.enrichedRecords === data.factRecords) format = 'enriched';
  else if (data.enrichedRecords > 0) format = 'mixed';

  const ids = (map: Map<number, number>) =>
    [...map].map(([id, events]) => ({ id, events }))
      .sort((a, b) => b.events - a.events || a.id - b.id);

  return {
    records: data.records,
    events: data.events,
    skippedLines: data.skippedLines,
    lostRecords: serialGaps.reduce((sum, gap) => sum + gap.lost, 0),
    firstTime: iso(data.firstTimeMs),
    lastTime: iso(data.lastTimeMs),
    byExe: sortByCountThenName([...byExe.values()], (e) => e.events, (e) => e.exe),
    bySyscall: sortByCountThenName(bySyscall, (s) => s.events,
      (s) => `${s.arch}/${String(s.number).padStart(5, '0')}`),
    byKey: sortByCountThenName([...data.byKey].map(([key, events]) => ({ key, events })),
      (k) => k.events, (k) => k.key),
    byType: sortByCountThenName(byType, (t) => t.records, (t) => t.type),
    byExeSyscall: sortByCountThenName(byExeSyscall, (s) => s.events,
      (s) => `${s.exe}\x00${s.arch}/${s.number}`),
    suggestions: [],
    byUid: ids(data.byUid),
    byAuid: ids(data.byAuid),
    perMinute: [...data.perMinute].sort((a, b) => a[0] - b[0])
      .map(([minute, [events, bytes]]) => ({
        minute: new Date(minute * 60000).toISOString(), events, bytes,
      })),
    rotation: {
      maxLogFileMB,
      bytesPerMinute,
      minutesPerRotation: bytesPerMinute ? (maxLogFileMB * megabyte) / bytesPerMinute : null,
    },
    spanSeconds: spanMs / 1000,
    bytes: data.bytes,
    inputBytes: data.inputBytes,
    blankLines: data.blankLines,
    skippedByReason: Object.fromEntries(data.skippedByReason),
    skippedSamples: data.skippedSamples,
    restarts: data.restarts,
    serialGaps: serialGaps.filter((gap) => gap.lost > 0),
    eventsWithoutExe: data.eventsWithoutExe,
    eventsWithoutKey: data.eventsWithoutKey,
    format,
    enrichedRecords: data.enrichedRecords,
    nodes: [...data.byNode].map(([node, records]) => ({ node, records }))
      .sort((a, b) => b.records - a.records),
    files: data.files,
    profile: {
      // Ties in the order of their keys: the order events are counted in may vary (an EOE
      // counts its event at once, others wait for the window), the report does not.
      buckets: sortByCountThenName([...data.profile], ([, bucket]) => bucket.events,
        ([key]) => key).map(([, bucket]) => bucket),
    },
  };
}
