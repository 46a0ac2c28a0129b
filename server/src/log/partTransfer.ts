/**
 * A byte range's result on its way from a worker thread to the main thread. Structured
 * clone rebuilds every object it carries, property by property: the ten thousand profile
 * buckets and the straddling events of a 256 MiB range took the main thread about 100 ms
 * to receive, after the workers were done. Here they travel as columns of numbers and a
 * table of distinct strings, and the receiving side builds plain objects in one loop.
 */
import type { RecordFacts } from './scan';
import type { TallySnapshot } from './rank';
import type { EventProfileBucket } from './report';
import type { PartResult, PortableEvent } from './analyze';

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
/** Numbers per straddling event, in this order. */
const eventFields = 32;

export interface PackedPartResult {
  /** The snapshot with an empty profile. */
  snapshot: TallySnapshot;
  strings: string[];
  profileKeys: string[];
  profile: Float64Array;
  /** Records and bytes per type of each bucket, in the order of its recordsByType. */
  profileTypeCounts: Float64Array;
  head: Float64Array;
  tail: Float64Array;
  /** Records and bytes per type of each event of head, then of tail. */
  eventTypeCounts: Float64Array;
  lines: number;
}

const nullable = (value: number | null): number => (value === null ? NaN : value);
const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/** Packs a worker's result; the result is not to be used afterwards. */
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

  let eventCounts = 0;
  for (const event of result.head) eventCounts += 2 * event.types.length;
  for (const event of result.tail) eventCounts += 2 * event.types.length;
  const eventTypeCounts = new Float64Array(eventCounts);
  const counts = { at: 0 };
  const head = packEvents(result.head, table, eventTypeCounts, counts);
  const tail = packEvents(result.tail, table, eventTypeCounts, counts);

  return {
    snapshot, strings: table.strings, profileKeys, profile, profileTypeCounts,
    head, tail, eventTypeCounts, lines: result.lines,
  };
}

function packEvents(
  events: readonly PortableEvent[],
  table: StringTable,
  typeCounts: Float64Array,
  counts: { at: number },
): Float64Array {
  const packed = new Float64Array(events.length * eventFields);
  let at = 0;
  for (const event of events) {
    const facts = event.facts;
    packed[at] = table.id(event.node);
    packed[at + 1] = event.timeMs;
    packed[at + 2] = event.serial;
    packed[at + 3] = event.records;
    packed[at + 4] = event.bytes;
    packed[at + 5] = table.listId(event.types);
    packed[at + 6] = event.hasSyscall ? 1 : 0;
    packed[at + 7] = facts.arch;
    packed[at + 8] = facts.syscall;
    packed[at + 9] = facts.success;
    packed[at + 10] = facts.exit;
    packed[at + 11] = facts.hasExit ? 1 : 0;
    packed[at + 12] = facts.uid;
    packed[at + 13] = facts.auid;
    packed[at + 14] = facts.euid;
    packed[at + 15] = facts.suid;
    packed[at + 16] = facts.fsuid;
    packed[at + 17] = facts.gid;
    packed[at + 18] = facts.egid;
    packed[at + 19] = facts.sgid;
    packed[at + 20] = facts.fsgid;
    packed[at + 21] = facts.a1;
    packed[at + 22] = facts.a2;
    packed[at + 23] = table.id(facts.exe);
    packed[at + 24] = table.id(facts.key);
    packed[at + 25] = table.id(facts.subj);
    packed[at + 26] = facts.exeId;
    packed[at + 27] = facts.keyId;
    packed[at + 28] = facts.subjId;
    packed[at + 29] = event.daemonStart ? 1 : 0;
    packed[at + 30] = event.daemonRecord ? 1 : 0;
    packed[at + 31] = (event.etcPath ? 1 : 0) + (event.etcChange ? 2 : 0);
    for (let i = 0; i < event.types.length; i++) {
      typeCounts[counts.at++] = event.typeRecords[i];
      typeCounts[counts.at++] = event.typeBytes[i];
    }
    at += eventFields;
  }
  return packed;
}

/** Rebuilds the result a worker packed. */
export function unpackPartResult(packed: PackedPartResult): PartResult {
  const reader = new StringReader(packed.strings);
  const snapshot = packed.snapshot;
  const profile = packed.profile;
  const typeCounts = packed.profileTypeCounts;
  const buckets = new Map<string, EventProfileBucket>();

  let countAt = 0;
  for (let b = 0, at = 0; b < packed.profileKeys.length; b++, at += bucketFields) {
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
    buckets.set(packed.profileKeys[b], bucket);
  }
  snapshot.profile = buckets;

  const counts = { at: 0 };
  const head = unpackEvents(packed.head, reader, packed.eventTypeCounts, counts);
  const tail = unpackEvents(packed.tail, reader, packed.eventTypeCounts, counts);
  return { snapshot, head, tail, lines: packed.lines };
}

function unpackEvents(
  packed: Float64Array,
  reader: StringReader,
  typeCounts: Float64Array,
  counts: { at: number },
): PortableEvent[] {
  const events: PortableEvent[] = [];
  for (let at = 0; at < packed.length; at += eventFields) {
    const text = (id: number) => reader.text(id) ?? undefined;
    const facts: RecordFacts = {
      arch: packed[at + 7], syscall: packed[at + 8], success: packed[at + 9],
      exit: packed[at + 10], hasExit: packed[at + 11] === 1,
      uid: packed[at + 12], auid: packed[at + 13], euid: packed[at + 14],
      suid: packed[at + 15], fsuid: packed[at + 16], gid: packed[at + 17],
      egid: packed[at + 18], sgid: packed[at + 19], fsgid: packed[at + 20],
      a1: packed[at + 21], a2: packed[at + 22],
      exe: text(packed[at + 23]), key: text(packed[at + 24]), subj: text(packed[at + 25]),
      exeId: packed[at + 26], keyId: packed[at + 27], subjId: packed[at + 28],
    };
    const types = reader.list(packed[at + 5]);
    const typeRecords: number[] = [];
    const typeBytes: number[] = [];
    for (let i = 0; i < types.length; i++) {
      typeRecords.push(typeCounts[counts.at++]);
      typeBytes.push(typeCounts[counts.at++]);
    }
    const etc = packed[at + 31];
    events.push({
      node: reader.text(packed[at]),
      timeMs: packed[at + 1],
      serial: packed[at + 2],
      records: packed[at + 3],
      bytes: packed[at + 4],
      types, typeRecords, typeBytes,
      hasSyscall: packed[at + 6] === 1,
      facts,
      daemonStart: packed[at + 29] === 1,
      daemonRecord: packed[at + 30] === 1,
      etcPath: (etc & 1) !== 0,
      etcChange: (etc & 2) !== 0,
    });
  }
  return events;
}
