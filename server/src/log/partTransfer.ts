/**
 * A byte range's result on its way from a worker thread to the main thread. Structured
 * clone rebuilds every object it carries, property by property: the ten thousand profile
 * buckets and the straddling events of a 256 MiB range took the main thread about 100 ms
 * to receive, after the workers were done. Here they travel as columns of numbers and a
 * table of distinct strings, and the receiving side builds plain objects in one loop.
 */
import {
  FOREIGN_STRING, NO_STRING, emptyFacts, type RecordFacts, type RecordNames,
} from './scan';
import type { AuditEvent } from './events';
import type { TallySnapshot } from './rank';
import type { EventProfileBucket } from './report';
import type { PartResult } from './analyze';

/** Distinct strings and string lists, each stored once; -1 stands for absent. */
class StringTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string | null | undefined): number {
    if (value === null || value === undefined) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** A list as one entry (JSON keeps any string, separators included, exact). */
  listId(values: readonly string[]): number {
    return this.id(JSON.stringify(values));
  }
}

/** Reads a StringTable's entries back; lists are parsed once per distinct list. */
class StringReader {
  private readonly lists = new Map<number, string[]>();

  constructor(private readonly strings: readonly string[]) {}

  text(id: number): string | null {
    return id < 0 ? null : this.strings[id];
  }

  /** A fresh array: receivers may change a bucket's lists (merging copies them). */
  list(id: number): string[] {
    let list = this.lists.get(id);
    if (list === undefined) {
      list = JSON.parse(this.strings[id]) as string[];
      this.lists.set(id, list);
    }
    return list.slice();
  }
}

/** Numbers per profile bucket, in this order; null is NaN. */
const bucketFields = 24;
/** Numbers per straddling event, in the order packStraddling writes them. */
const eventFields = 30;

export interface PackedPartResult {
  /** The snapshot with an empty profile. */
  snapshot: TallySnapshot;
  strings: string[];
  profileKeys: string[];
  profile: Float64Array;
  /** Records and bytes per type of each bucket, in the order of its recordsByType. */
  profileTypeCounts: Float64Array;
  head: StraddlingEvents;
  tail: StraddlingEvents;
  lines: number;
}

const nullable = (value: number | null): number => (value === null ? NaN : value);
const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/** Packs a worker's profile; the result is not to be used afterwards. */
export function packPartResult(result: PartResult): PackedPartResult {
  const table = new StringTable();
  const snapshot = result.snapshot;

  const buckets = snapshot.profile;
  const profileKeys: string[] = [];
  const profile = new Float64Array(buckets.size * bucketFields);
  let typeCountsLength = 0;
  for (const bucket of buckets.values()) {
    typeCountsLength += 2 * Object.keys(bucket.recordsByType ?? {}).length;
  }
  const profileTypeCounts = new Float64Array(typeCountsLength);

  let at = 0;
  let countAt = 0;
  for (const [key, bucket] of buckets) {
    profileKeys.push(key);
    profile[at] = nullable(bucket.arch);
    profile[at + 1] = table.id(bucket.machine);
    profile[at + 2] = nullable(bucket.syscall);
    profile[at + 3] = bucket.success === null ? NaN : bucket.success ? 1 : 0;
    profile[at + 4] = nullable(bucket.exit);
    profile[at + 5] = bucket.exitPositive ? 1 : 0;
    profile[at + 6] = table.id(bucket.exe);
    profile[at + 7] = nullable(bucket.uid);
    profile[at + 8] = nullable(bucket.auid);
    profile[at + 9] = nullable(bucket.euid);
    profile[at + 10] = nullable(bucket.suid);
    profile[at + 11] = nullable(bucket.fsuid);
    profile[at + 12] = nullable(bucket.gid);
    profile[at + 13] = nullable(bucket.egid);
    profile[at + 14] = nullable(bucket.sgid);
    profile[at + 15] = nullable(bucket.fsgid);
    profile[at + 16] = table.id(bucket.subj);
    profile[at + 17] = table.listId(bucket.keys);
    profile[at + 18] = table.listId(bucket.types);
    profile[at + 19] = bucket.events;
    profile[at + 20] = bucket.records;
    profile[at + 21] = bucket.bytes;
    profile[at + 22] = bucket.etcWrite === undefined ? NaN : bucket.etcWrite ? 1 : 0;
    const byType = bucket.recordsByType;
    if (byType === undefined) profile[at + 23] = -1;
    else {
      const types = Object.keys(byType);
      profile[at + 23] = table.listId(types);
      for (const type of types) {
        profileTypeCounts[countAt++] = byType[type].records;
        profileTypeCounts[countAt++] = byType[type].bytes;
      }
    }
    at += bucketFields;
  }
  snapshot.profile = new Map();

  return {
    snapshot, strings: table.strings, profileKeys, profile, profileTypeCounts,
    head: result.head, tail: result.tail, lines: result.lines,
  };
}

/**
 * Events of a range that may continue in a neighbouring range (its held first events, its
 * open last ones): numbers in columns, names and strings in a table of their own.
 */
export interface StraddlingEvents {
  strings: string[];
  columns: Float64Array;
  /** Records and bytes per record type of each event, in the order of its types. */
  typeCounts: Float64Array;
}

/** Packs events of a scan; string ids of this thread's scan are not carried over. */
export function packStraddling(
  events: readonly AuditEvent[],
  names: RecordNames,
): StraddlingEvents {
  const table = new StringTable();
  const columns = new Float64Array(events.length * eventFields);
  let countsLength = 0;
  for (const event of events) countsLength += 2 * event.typeCount;
  const typeCounts = new Float64Array(countsLength);

  let at = 0;
  let countAt = 0;
  for (const event of events) {
    const facts = event.facts;
    const types: string[] = [];
    for (let i = 0; i < event.typeCount; i++) {
      types.push(names.types.names[event.typeId(i)]);
      typeCounts[countAt++] = event.typeRecords(i);
      typeCounts[countAt++] = event.typeBytes(i);
    }
    columns[at] = event.nodeId === 0 ? -1 : table.id(names.nodes.names[event.nodeId]);
    columns[at + 1] = event.timeMs;
    columns[at + 2] = event.serial;
    columns[at + 3] = event.records;
    columns[at + 4] = event.bytes;
    columns[at + 5] = table.listId(types);
    columns[at + 6] = event.hasSyscall ? 1 : 0;
    columns[at + 7] = facts.arch;
    columns[at + 8] = facts.syscall;
    columns[at + 9] = facts.success;
    columns[at + 10] = facts.exit;
    columns[at + 11] = facts.hasExit ? 1 : 0;
    columns[at + 12] = facts.uid;
    columns[at + 13] = facts.auid;
    columns[at + 14] = facts.euid;
    columns[at + 15] = facts.suid;
    columns[at + 16] = facts.fsuid;
    columns[at + 17] = facts.gid;
    columns[at + 18] = facts.egid;
    columns[at + 19] = facts.sgid;
    columns[at + 20] = facts.fsgid;
    columns[at + 21] = facts.a1;
    columns[at + 22] = facts.a2;
    columns[at + 23] = table.id(facts.exe);
    columns[at + 24] = table.id(facts.key);
    columns[at + 25] = table.id(facts.subj);
    columns[at + 26] = event.daemonStart ? 1 : 0;
    columns[at + 27] = event.daemonRecord ? 1 : 0;
    columns[at + 28] = event.etcPath ? 1 : 0;
    columns[at + 29] = event.etcChange ? 1 : 0;
    at += eventFields;
  }
  return { strings: table.strings, columns, typeCounts };
}

/** One straddling event as read back: reused from event to event, valid in the callback. */
export class StraddlingEvent {
  node: string | null = null;
  timeMs = 0;
  serial = 0;
  records = 0;
  bytes = 0;
  /** Shared between events of one list: not to be changed. */
  types: readonly string[] = [];
  /** Where the event's records and bytes per type start in the piece's typeCounts. */
  countsAt = 0;
  hasSyscall = false;
  /** Strings from another thread: their ids are FOREIGN_STRING (or NO_STRING). */
  readonly facts: RecordFacts = emptyFacts();
  daemonStart = false;
  daemonRecord = false;
  etcPath = false;
  etcChange = false;
}

/** addBucket(into, the packed bucket at `at`); returns where the next type counts start. */
function addPackedBucket(
  into: EventProfileBucket,
  profile: Float64Array,
  at: number,
  typeCounts: Float64Array,
  countAt: number,
  reader: StringReader,
): number {
  into.events += profile[at + 19];
  into.records += profile[at + 20];
  into.bytes += profile[at + 21];
  const byType = (into.recordsByType ??= {});
  if (profile[at + 23] < 0) return countAt;
  for (const type of reader.list(profile[at + 23])) {
    const records = typeCounts[countAt];
    const bytes = typeCounts[countAt + 1];
    countAt += 2;
    const target = byType[type];
    if (target === undefined) byType[type] = { records, bytes };
    else {
      target.records += records;
      target.bytes += bytes;
    }
  }
  return countAt;
}

/** Calls `visit` with each event of a packed piece, in order. */
export function forEachStraddling(
  piece: StraddlingEvents,
  visit: (event: StraddlingEvent) => void,
): void {
  const reader = new StringReader(piece.strings);
  const lists = new Map<number, string[]>();
  const columns = piece.columns;
  const event = new StraddlingEvent();
  const facts = event.facts;
  let countsAt = 0;

  for (let at = 0; at < columns.length; at += eventFields) {
    const listId = columns[at + 5];
    let types = lists.get(listId);
    if (types === undefined) {
      types = reader.list(listId);
      lists.set(listId, types);
    }
    event.node = reader.text(columns[at]);
    event.timeMs = columns[at + 1];
    event.serial = columns[at + 2];
    event.records = columns[at + 3];
    event.bytes = columns[at + 4];
    event.types = types;
    event.countsAt = countsAt;
    countsAt += 2 * types.length;
    event.hasSyscall = columns[at + 6] === 1;
    facts.arch = columns[at + 7];
    facts.syscall = columns[at + 8];
    facts.success = columns[at + 9];
    facts.exit = columns[at + 10];
    facts.hasExit = columns[at + 11] === 1;
    facts.uid = columns[at + 12];
    facts.auid = columns[at + 13];
    facts.euid = columns[at + 14];
    facts.suid = columns[at + 15];
    facts.fsuid = columns[at + 16];
    facts.gid = columns[at + 17];
    facts.egid = columns[at + 18];
    facts.sgid = columns[at + 19];
    facts.fsgid = columns[at + 20];
    facts.a1 = columns[at + 21];
    facts.a2 = columns[at + 22];
    facts.exe = reader.text(columns[at + 23]) ?? undefined;
    facts.key = reader.text(columns[at + 24]) ?? undefined;
    facts.subj = reader.text(columns[at + 25]) ?? undefined;
    facts.exeId = facts.exe === undefined ? NO_STRING : FOREIGN_STRING;
    facts.keyId = facts.key === undefined ? NO_STRING : FOREIGN_STRING;
    facts.subjId = facts.subj === undefined ? NO_STRING : FOREIGN_STRING;
    event.daemonStart = columns[at + 26] === 1;
    event.daemonRecord = columns[at + 27] === 1;
    event.etcPath = columns[at + 28] === 1;
    event.etcChange = columns[at + 29] === 1;
    visit(event);
  }
}

/**
 * Rebuilds the result a worker packed. A bucket whose key is in `known` (met in an earlier
 * part) is added into that bucket and left out of this part's profile; new buckets are
 * added to `known`.
 */
export function unpackPartResult(
  packed: PackedPartResult,
  known: Map<string, EventProfileBucket> = new Map(),
): PartResult {
  const reader = new StringReader(packed.strings);
  const snapshot = packed.snapshot;
  const profile = packed.profile;
  const typeCounts = packed.profileTypeCounts;
  const buckets = new Map<string, EventProfileBucket>();

  let countAt = 0;
  for (let b = 0, at = 0; b < packed.profileKeys.length; b++, at += bucketFields) {
    const key = packed.profileKeys[b];
    const met = known.get(key);
    if (met !== undefined) {
      countAt = addPackedBucket(met, profile, at, typeCounts, countAt, reader);
      continue;
    }
    const success = profile[at + 3];
    const etcWrite = profile[at + 22];
    const bucket: EventProfileBucket = {
      arch: orNull(profile[at]),
      machine: reader.text(profile[at + 1]),
      syscall: orNull(profile[at + 2]),
      success: Number.isNaN(success) ? null : success === 1,
      exit: orNull(profile[at + 4]),
      exitPositive: profile[at + 5] === 1,
      exe: reader.text(profile[at + 6]),
      uid: orNull(profile[at + 7]),
      auid: orNull(profile[at + 8]),
      euid: orNull(profile[at + 9]),
      suid: orNull(profile[at + 10]),
      fsuid: orNull(profile[at + 11]),
      gid: orNull(profile[at + 12]),
      egid: orNull(profile[at + 13]),
      sgid: orNull(profile[at + 14]),
      fsgid: orNull(profile[at + 15]),
      subj: reader.text(profile[at + 16]),
      keys: reader.list(profile[at + 17]),
      types: reader.list(profile[at + 18]),
      events: profile[at + 19],
      records: profile[at + 20],
      bytes: profile[at + 21],
    };
    // Added in the order the engine writes them, so that the objects keep one shape.
    if (profile[at + 23] >= 0) {
      const recordsByType: Record<string, { records: number; bytes: number }> = {};
      for (const type of reader.list(profile[at + 23])) {
        recordsByType[type] = { records: typeCounts[countAt], bytes: typeCounts[countAt + 1] };
        countAt += 2;
      }
      bucket.recordsByType = recordsByType;
    }
    if (!Number.isNaN(etcWrite)) bucket.etcWrite = etcWrite === 1;
    buckets.set(key, bucket);
    known.set(key, bucket);
  }
  snapshot.profile = buckets;

  return { snapshot, head: packed.head, tail: packed.tail, lines: packed.lines };
}

