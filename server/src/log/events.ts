/**
 * Groups records into events by (node, timestamp, serial), as auditd writes them: the
 * records of one event normally follow each other but may interleave with other events
 * or arrive late. Grouping keeps a bounded window of open events (oldest closed first), so
 * memory does not grow with the log.
 */
import {
  ABSENT, FactFields, FactStrings, RecordNames, RecordView, pathRecordEtc, resetFacts,
  type RecordFacts,
} from './scan';
import { messageTypes } from '../tables';

/** Open events kept before the oldest is closed. Interleaving deeper than this splits. */
export const defaultEventWindow = 4096;

/**
 * One event: its identity, size and the facts that rankings and rules look at. The facts
 * are fields of the event itself (`facts` is the event): an event is counted long after it
 * was last touched, when the window is full, and one object is one trip to memory, not two.
 */
export class AuditEvent extends FactFields {
  /** Index into RecordNames.nodes (0: no node= prefix). */
  nodeId = 0;
  timeMs = 0;
  serial = 0;
  records = 0;
  bytes = 0;
  /**
   * Per record type, in order of arrival, each type once: id (RecordNames.types), records
   * and bytes, three numbers a type, `typeCount` types. The array keeps its storage when the
   * event is reused.
   */
  types: number[] = [];
  typeCount = 0;

  /** Counts records of a type into the event. */
  addType(typeId: number, records: number, bytes: number): void {
    const types = this.types;
    const count = this.typeCount;
    for (let i = 0, at = 0; i < count; i++, at += 3) {
      if (types[at] === typeId) {
        types[at + 1] += records;
        types[at + 2] += bytes;
        return;
      }
    }
    const at = count * 3;
    if (at < types.length) {
      types[at] = typeId;
      types[at + 1] = records;
      types[at + 2] = bytes;
    } else {
      types.push(typeId, records, bytes);
    }
    this.typeCount = count + 1;
  }

  typeId(index: number): number {
    return this.types[index * 3];
  }

  typeRecords(index: number): number {
    return this.types[index * 3 + 1];
  }

  typeBytes(index: number): number {
    return this.types[index * 3 + 2];
  }

  /** True once a SYSCALL record was read: its facts then win over other records'. */
  hasSyscall = false;
  daemonStart = false;
  /** A PATH record names a path under /etc; etcChange: one creates or deletes it. */
  etcPath = false;
  etcChange = false;
  /** Serial accounting skips auditd's own DAEMON_* records: they use auditd's counter. */
  daemonRecord = false;

  /** Next event with the same serial (hash chain). */
  chain: AuditEvent | undefined = undefined;
  /** Next and previous events in arrival order (close queue). */
  queueNext: AuditEvent | undefined = undefined;
  queuePrev: AuditEvent | undefined = undefined;
  /** The event's number, in order of creation within the scanned range (1, 2, ...). */
  sequence = 0;

  get facts(): RecordFacts {
    return this;
  }
}

/** What each record type means for grouping, computed once per type id. */
interface TypeInfo {
  syscall: boolean;
  daemon: boolean;
  daemonStart: boolean;
  /**
   * EOE (the last record of a multi-record event), or a user-space message: the kernel
   * gives each message a serial of its own, so it is an event of one record.
   */
  endOfEvent: boolean;
  /** PATH, CWD, EXECVE ... carry no exe, uid or key: their fields are not read. */
  carriesFacts: boolean;
  path: boolean;
}

const typesWithoutFacts = new Set([
  'PATH', 'CWD', 'EXECVE', 'PROCTITLE', 'EOE', 'SOCKADDR', 'BPRM_FCAPS', 'MMAP', 'FD_PAIR',
  'OBJ_PID', 'CAPSET', 'IPC', 'SOCKETCALL', 'MQ_OPEN', 'MQ_SENDRECV', 'MQ_NOTIFY',
  'MQ_GETSETATTR', 'KERN_MODULE', 'NETFILTER_CFG', 'OPENAT2', 'TIME_INJOFFSET',
  'TIME_ADJNTPVAL', 'BPF', 'URINGOP',
]);

/** AUDIT_FIRST_USER_MSG..AUDIT_LAST_USER_MSG and AUDIT_FIRST_USER_MSG2..LAST_USER_MSG2. */
function isUserMessage(name: string): boolean {
  const number = messageTypes('4.2').byName.get(name) ?? messageTypes('3.0.9').byName.get(name);
  if (number === undefined) return false;
  return (number >= 1100 && number <= 1199) || (number >= 2100 && number <= 2999);
}

export interface SerialSegment {
  nodeId: number;
  first: number;
  last: number;
  min: number;
  max: number;
  events: number;
  /** The segment begins at a DAEMON_START (auditd started; after a boot serials restart). */
  startsWithDaemonStart: boolean;
}

export interface EventGrouperOptions {
  window?: number;
  /**
   * The first `holdFirstEvents` events are handed to `held` instead of `sink`: when a log
   * is split into byte ranges, an event may have begun in the previous range. The range
   * before hands on its last window of events, and in arrival order a continuation of one
   * of them comes before a window of new events has begun.
   */
  holdFirstEvents?: number;
  held?: (event: AuditEvent) => void;
}

/**
 * Receives records from the scanner, groups them, and hands each finished event to the
 * sink. Counts lost serials per node between DAEMON_START boundaries.
 */
export class EventGrouper {
  readonly window: number;
  /** Open events by serial: a power-of-two table of chains, no per-event allocation. */
  private readonly open: (AuditEvent | undefined)[];
  private readonly openMask: number;
  private queueHead: AuditEvent | undefined;
  private queueTail: AuditEvent | undefined;
  private openCount = 0;
  private last: AuditEvent | undefined;
  private readonly typeInfo: TypeInfo[] = [];
  private eventSeq = 0;
  private readonly holdFirstEvents: number;
  private readonly held: ((event: AuditEvent) => void) | undefined;

  /** Serial segments per node, in order (the last one of a node is still growing). */
  readonly segments: SerialSegment[] = [];
  private readonly currentSegment = new Map<number, SerialSegment>();
  restarts = 0;
  records = 0;
  /** Records whose fields were read (SYSCALL, user-space ...), and how many were ENRICHED. */
  factRecords = 0;
  enrichedRecords = 0;

  constructor(
    private readonly names: RecordNames,
    readonly strings: FactStrings,
    private readonly sink: (event: AuditEvent) => void,
    options: EventGrouperOptions = {},
  ) {
    this.window = Math.max(1, options.window ?? defaultEventWindow);
    let size = 1024;
    while (size < this.window * 2) size *= 2;
    this.open = new Array<AuditEvent | undefined>(size).fill(undefined);
    this.openMask = size - 1;
    this.holdFirstEvents = options.holdFirstEvents ?? 0;
    this.held = options.held;
  }

  private info(typeId: number): TypeInfo {
    let info = this.typeInfo[typeId];
    if (info === undefined) {
      const name = this.names.types.names[typeId];
      info = {
        syscall: name === 'SYSCALL',
        daemon: name.startsWith('DAEMON_'),
        daemonStart: name === 'DAEMON_START',
        endOfEvent: name === 'EOE' || isUserMessage(name),
        carriesFacts: !typesWithoutFacts.has(name),
        path: name === 'PATH',
      };
      this.typeInfo[typeId] = info;
    }
    return info;
  }

  addRecord(view: RecordView): void {
    this.records++;
    const timeMs = view.seconds * 1000 + view.millis;
    const serial = view.serial;
    const nodeId = view.nodeId;
    const typeId = view.typeId;
    const info = this.info(typeId);

    let event = this.last;
    if (
      event === undefined ||
      event.serial !== serial ||
      event.timeMs !== timeMs ||
      event.nodeId !== nodeId
    ) {
      event = this.findRecordEvent(view) ?? this.createRecordEvent(view);
      this.last = event;
    }

    event.records++;
    event.bytes += view.bytes;
    event.addType(typeId, 1, view.bytes);

    if (info.syscall) {
      // The SYSCALL record's values replace whatever another record supplied first.
      this.factRecords++;
      if (view.mergeFacts(event.facts, this.strings, true)) this.enrichedRecords++;
      event.hasSyscall = true;
    } else if (info.carriesFacts && !event.hasSyscall) {
      this.factRecords++;
      if (view.mergeFacts(event.facts, this.strings, false)) this.enrichedRecords++;
    }
    if (info.path && !event.etcChange) {
      const etc = pathRecordEtc(view);
      if (etc > 0) event.etcPath = true;
      if (etc === 2) event.etcChange = true;
    }
    if (info.daemon) event.daemonRecord = true;
    if (info.daemonStart && !event.daemonStart) {
      event.daemonStart = true;
      this.openRestarts++;
    }
    // An event is complete at its EOE (as auparse has it), a user-space message at once:
    // counted now, while its memory is still in the cache, rather than thousands of events
    // later when the window is full.
    // Not while a DAEMON_START is open: events are then counted in arrival order, so that
    // each one falls in the serial run it belongs to.
    if (info.endOfEvent && this.openRestarts === 0) this.close(event);
  }

  /** Open DAEMON_START events. */
  private openRestarts = 0;

  /**
   * find() and create() for the record's identity, read from the view here: a time in
   * milliseconds is no small integer, and passed as an argument it would be boxed, one
   * allocation per event.
   */
  private findRecordEvent(view: RecordView): AuditEvent | undefined {
    const serial = view.serial;
    const timeMs = view.seconds * 1000 + view.millis;
    const nodeId = view.nodeId;
    for (let e = this.open[serial & this.openMask]; e !== undefined; e = e.chain) {
      if (e.serial === serial && e.timeMs === timeMs && e.nodeId === nodeId) return e;
    }
    return undefined;
  }

  private createRecordEvent(view: RecordView): AuditEvent {
    return this.create(view.nodeId, view.seconds * 1000 + view.millis, view.serial);
  }

  private find(nodeId: number, timeMs: number, serial: number): AuditEvent | undefined {
    for (let e = this.open[serial & this.openMask]; e !== undefined; e = e.chain) {
      if (e.serial === serial && e.timeMs === timeMs && e.nodeId === nodeId) return e;
    }
    return undefined;
  }

  private create(nodeId: number, timeMs: number, serial: number): AuditEvent {
    if (this.openCount >= this.window) this.closeOldest();

    const event = this.pool.pop() ?? new AuditEvent();
    event.nodeId = nodeId;
    event.timeMs = timeMs;
    event.serial = serial;
    event.sequence = ++this.eventSeq;
    const slot = serial & this.openMask;
    event.chain = this.open[slot];
    this.open[slot] = event;
    if (this.queueTail === undefined) this.queueHead = event;
    else this.queueTail.queueNext = event;
    event.queuePrev = this.queueTail;
    this.queueTail = event;
    this.openCount++;
    return event;
  }

  private closeOldest(): void {
    if (this.queueHead !== undefined) this.close(this.queueHead);
  }

  /** Takes an open event out of the window and counts it (or holds it, see holdFirstEvents). */
  private close(event: AuditEvent): void {
    const before = event.queuePrev;
    const after = event.queueNext;
    if (before === undefined) this.queueHead = after;
    else before.queueNext = after;
    if (after === undefined) this.queueTail = before;
    else after.queuePrev = before;
    event.queueNext = undefined;
    event.queuePrev = undefined;
    this.openCount--;
    if (event.daemonStart) this.openRestarts--;

    const slot = event.serial & this.openMask;
    const first = this.open[slot];
    if (first === event) {
      this.open[slot] = event.chain;
    } else {
      for (let e = first; e !== undefined; e = e.chain) {
        if (e.chain === event) {
          e.chain = event.chain;
          break;
        }
      }
    }
    event.chain = undefined;
    if (this.last === event) this.last = undefined;

    if (this.held !== undefined && event.sequence <= this.holdFirstEvents) {
      this.held(event);
      return;
    }
    this.finish(event);
    this.recycle(event);
  }

  /**
   * Events are reused once counted (the sink keeps no reference to them): a steady scan
   * then allocates no events at all, and the old generation does not fill with them.
   */
  private readonly pool: AuditEvent[] = [];

  private recycle(event: AuditEvent): void {
    if (this.pool.length >= this.window) return;
    event.records = 0;
    event.bytes = 0;
    event.typeCount = 0;
    event.hasSyscall = false;
    resetFacts(event.facts);
    event.daemonStart = false;
    event.daemonRecord = false;
    event.etcPath = false;
    event.etcChange = false;
    this.pool.push(event);
  }

  /** Counts an event that is complete (also used for events merged across byte ranges). */
  finish(event: AuditEvent): void {
    if (event.daemonStart) {
      // auditd started: after a boot the kernel's serials start again from 1.
      this.restarts++;
      this.currentSegment.delete(event.nodeId);
      this.restartedNodes.add(event.nodeId);
    }
    if (!event.daemonRecord) this.countSerial(event);
    this.sink(event);
  }

  /** Nodes whose auditd started (DAEMON_START) and that have had no event since. */
  readonly restartedNodes = new Set<number>();

  private countSerial(event: AuditEvent): void {
    let segment = this.currentSegment.get(event.nodeId);
    if (segment === undefined) {
      segment = {
        nodeId: event.nodeId, first: event.serial, last: event.serial,
        min: event.serial, max: event.serial, events: 0,
        startsWithDaemonStart: this.restartedNodes.delete(event.nodeId),
      };
      this.currentSegment.set(event.nodeId, segment);
      this.segments.push(segment);
    }
    segment.events++;
    segment.last = event.serial;
    if (event.serial < segment.min) segment.min = event.serial;
    if (event.serial > segment.max) segment.max = event.serial;
  }

  /**
   * An empty event with this identity, outside the window (one counted before, when there
   * is one): for events put together from parts read elsewhere, counted with finish().
   */
  spareEvent(nodeId: number, timeMs: number, serial: number): AuditEvent {
    const event = this.pool.pop() ?? new AuditEvent();
    event.nodeId = nodeId;
    event.timeMs = timeMs;
    event.serial = serial;
    return event;
  }

  /** The open event with this identity, if there is one. */
  openEvent(nodeId: number, timeMs: number, serial: number): AuditEvent | undefined {
    return this.find(nodeId, timeMs, serial);
  }

  /**
   * Marks an open event as auditd's start after the fact (a part of it read elsewhere had
   * the DAEMON_START record), keeping the count of open starts right.
   */
  markDaemonStart(event: AuditEvent): void {
    if (event.daemonStart) return;
    event.daemonStart = true;
    this.openRestarts++;
  }

  /** Starts new serial runs: the next input is not a continuation of this one. */
  breakSerials(): void {
    this.currentSegment.clear();
  }

  /** Closes every open event (end of input). */
  flush(): void {
    while (this.queueHead !== undefined) this.closeOldest();
  }

  /** Open events, oldest first, without closing them (the tail of a byte range). */
  drainOpen(): AuditEvent[] {
    const events: AuditEvent[] = [];
    for (let e = this.queueHead; e !== undefined; e = e.queueNext) events.push(e);
    this.open.fill(undefined);
    this.queueHead = undefined;
    this.queueTail = undefined;
    this.openCount = 0;
    this.openRestarts = 0;
    this.last = undefined;
    return events;
  }
}

/** Copies set facts from `from` into `into`; `override` lets a SYSCALL record win. */
export function mergeFacts(into: RecordFacts, from: RecordFacts, override: boolean): void {
  if (from.arch !== ABSENT && (override || into.arch === ABSENT)) into.arch = from.arch;
  if (from.syscall !== ABSENT && (override || into.syscall === ABSENT)) {
    into.syscall = from.syscall;
  }
  if (from.success !== ABSENT && (override || into.success === ABSENT)) {
    into.success = from.success;
  }
  if (from.hasExit && (override || !into.hasExit)) {
    into.exit = from.exit;
    into.hasExit = true;
  }
  if (from.uid !== ABSENT && (override || into.uid === ABSENT)) into.uid = from.uid;
  if (from.auid !== ABSENT && (override || into.auid === ABSENT)) into.auid = from.auid;
  if (from.euid !== ABSENT && (override || into.euid === ABSENT)) into.euid = from.euid;
  if (from.suid !== ABSENT && (override || into.suid === ABSENT)) into.suid = from.suid;
  if (from.fsuid !== ABSENT && (override || into.fsuid === ABSENT)) into.fsuid = from.fsuid;
  if (from.gid !== ABSENT && (override || into.gid === ABSENT)) into.gid = from.gid;
  if (from.egid !== ABSENT && (override || into.egid === ABSENT)) into.egid = from.egid;
  if (from.sgid !== ABSENT && (override || into.sgid === ABSENT)) into.sgid = from.sgid;
  if (from.fsgid !== ABSENT && (override || into.fsgid === ABSENT)) into.fsgid = from.fsgid;
  if (override) {
    into.a1 = from.a1;
    into.a2 = from.a2;
  }
  if (from.exe !== undefined && (override || into.exe === undefined)) {
    into.exe = from.exe;
    into.exeId = from.exeId;
  }
  if (from.key !== undefined && (override || into.key === undefined)) {
    into.key = from.key;
    into.keyId = from.keyId;
  }
  if (from.subj !== undefined && (override || into.subj === undefined)) {
    into.subj = from.subj;
    into.subjId = from.subjId;
  }
}
