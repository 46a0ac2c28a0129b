/**
 * The impact preview: generated exclusion rules run against the events of a log, through
 * the project's one rule-matching model (rules/match.ts), optionally together with the
 * rules already in force. It says how many events, records and bytes the rules remove,
 * and how often the log would rotate afterwards.
 *
 * Where the rules go matters (reference §2.2): on the exit list the first matching rule
 * decides, so a `never` rule placed after an `always` rule that matches the same event
 * does nothing. `placement: 'before'` (the default) simulates the exclusions loaded first,
 * the way a file that sorts early in rules.d loads them; `'after'` simulates them appended
 * after the existing rules.
 *
 * The log's events are read from the event profile: buckets of events that look the same
 * to a rule. Facts the profile does not keep (PATH items, sockaddr family, syscall
 * arguments) are unknown to the model; an event whose fate depends on them is counted as
 * undecided, never guessed.
 */
import type { Machine } from '../tables';
import { messageTypes } from '../tables';
import type { RuleModel } from '../rules/model';
import { EventFacts, OrderedRuleInput, firstMatch, matchEvent } from '../rules/match';
import { asMachine } from './exclusions';
import type { GeneratedRule } from './exclusions';
import type { EventProfile, EventProfileBucket, NoiseReport } from './report';

export interface ImpactOptions {
  /** Rules in force, in load order (from a rules file). */
  existingRules?: readonly RuleModel[];
  /** Where the generated rules go relative to the existing ones. Default 'before'. */
  placement?: 'before' | 'after';
}

/** What one generated rule removes when it is the rule that decides. */
export interface RuleImpact {
  rule: string;
  events: number;
  records: number;
  bytes: number;
}

export interface ImpactResult {
  /** Whole events removed (exit-list `never` rules). */
  events: number;
  /** Records removed: those of removed events, plus records the exclude list drops. */
  records: number;
  bytes: number;
  /** Events whose fate the model could not decide (facts the log does not keep). */
  undecidedEvents: number;
  /** True when exclude-list removals were estimated (see docs/limits.md). */
  estimated: boolean;
  perRule: RuleImpact[];
  remainingEvents: number;
  remainingBytes: number;
  rotation: {
    maxLogFileMB: number;
    minutesPerRotationBefore: number | null;
    minutesPerRotationAfter: number | null;
  };
}

/** The totals of the log the profile came from (a NoiseReport has them all). */
export type LogTotals = Pick<NoiseReport, 'events' | 'records' | 'bytes' | 'rotation'>;

interface SimulatedRule extends OrderedRuleInput {
  generated?: GeneratedRule;
}

function numberOrUndefined(value: number | null): number | undefined {
  return value === null ? undefined : value;
}

/** What the matching model knows of the events of one bucket. */
export function bucketFacts(bucket: EventProfileBucket): EventFacts {
  // Every suggestion and every impact preview walks all the buckets again: their facts are
  // made once (a report's buckets do not change once it is built).
  let facts = factsOfBucket.get(bucket);
  if (facts === undefined) {
    facts = makeBucketFacts(bucket);
    factsOfBucket.set(bucket, facts);
  }
  return facts;
}

const factsOfBucket = new WeakMap<EventProfileBucket, EventFacts>();

function makeBucketFacts(bucket: EventProfileBucket): EventFacts {
  const machine: Machine | undefined = asMachine(bucket.machine);
  const hasSyscall = machine !== undefined && bucket.syscall !== null;
  return {
    list: hasSyscall ? 'exit' : 'user',
    machine,
    syscall: numberOrUndefined(bucket.syscall),
    success: bucket.success === null ? undefined : bucket.success,
    exit: bucket.exitPositive ? undefined : numberOrUndefined(bucket.exit),
    uid: numberOrUndefined(bucket.uid),
    euid: numberOrUndefined(bucket.euid),
    suid: numberOrUndefined(bucket.suid),
    fsuid: numberOrUndefined(bucket.fsuid),
    gid: numberOrUndefined(bucket.gid),
    egid: numberOrUndefined(bucket.egid),
    sgid: numberOrUndefined(bucket.sgid),
    fsgid: numberOrUndefined(bucket.fsgid),
    auid: numberOrUndefined(bucket.auid),
    // The kernel matches exe= by the file the path names when the rule is loaded; a
    // process still running a replaced file ("(deleted)") is not matched, and the text
    // with its suffix matches no rule either.
    exe: bucket.exe ?? undefined,
    subj: bucket.subj ?? undefined,
    key: bucket.keys.join('\u0001') || undefined,
  };
}

interface TypeShare {
  records: number;
  bytes: number;
}

/**
 * Records and bytes of one record type within a bucket: exact when the profile keeps
 * per-type counts (`recordsByType`), otherwise estimated as one record per event of the
 * bucket, with the bucket's mean record size.
 */
function typeShare(bucket: EventProfileBucket, type: string): { share: TypeShare;
  exact: boolean } {
  const counted = bucket.recordsByType?.[type];
  if (counted) return { share: { records: counted.records, bytes: counted.bytes }, exact: true };

  const records = Math.min(bucket.events, bucket.records);
  const bytes = bucket.records === 0 ? 0 : Math.round(bucket.bytes * records / bucket.records);
  return { share: { records, bytes }, exact: false };
}

function minutesPerRotation(bytesPerMinute: number | null, maxLogFileMB: number)
  : number | null {
  if (bytesPerMinute === null || bytesPerMinute <= 0) return null;
  return (maxLogFileMB * 1024 * 1024) / bytesPerMinute;
}

/** Simulates the generated rules over the log's events. */
export function simulateImpact(
  generated: readonly GeneratedRule[],
  profile: EventProfile,
  totals: LogTotals,
  options: ImpactOptions = {},
): ImpactResult {
  return simulateImpacts([generated], profile, totals, options)[0];
}

/**
 * Simulates several sets of generated rules, each on its own (as simulateImpact does), in
 * one walk over the buckets: each bucket's facts are looked up once for all the sets.
 */
export function simulateImpacts(
  ruleSets: readonly (readonly GeneratedRule[])[],
  profile: EventProfile,
  totals: LogTotals,
  options: ImpactOptions = {},
): ImpactResult[] {
  const simulations = ruleSets.map((generated) => new Simulation(generated, options));
  for (const bucket of profile.buckets) {
    const facts = bucketFacts(bucket);
    for (const simulation of simulations) simulation.count(bucket, facts);
  }
  return simulations.map((simulation) => simulation.result(totals));
}

/** One set of generated rules run over the buckets, one bucket at a time. */
class Simulation {
  private readonly ordered: SimulatedRule[];
  private readonly exclusions: SimulatedRule[];
  private readonly perRule: Map<GeneratedRule, RuleImpact>;
  private events = 0;
  private records = 0;
  private bytes = 0;
  private undecidedEvents = 0;
  private estimated = false;
  private readonly typeNumbers = messageTypes('4.2').byName;
  private readonly olderTypeNumbers = messageTypes('3.0.9').byName;

  constructor(generated: readonly GeneratedRule[], options: ImpactOptions) {
    const simulatedGenerated: SimulatedRule[] = generated.map((rule) => ({
      ...rule.model, operation: 'append', generated: rule,
    }));
    const existing: SimulatedRule[] = (options.existingRules ?? []).map((rule) => ({ ...rule }));
    const placement = options.placement ?? 'before';
    this.ordered = placement === 'before' ? [...simulatedGenerated, ...existing]
      : [...existing, ...simulatedGenerated];
    this.exclusions = simulatedGenerated.filter((rule) => rule.list === 'exclude');
    this.perRule = new Map<GeneratedRule, RuleImpact>(generated.map((rule) => [rule,
      { rule: rule.text, events: 0, records: 0, bytes: 0 }]));
  }

  count(bucket: EventProfileBucket, facts: EventFacts): void {
    // The exit list for syscall events, the user list for user-space messages: on both the
    // first matching rule decides.
    if (facts.list === 'exit' || facts.list === 'user') {
      const decision = firstMatch(this.ordered, facts);
      const deciding = decision.rule?.generated;
      if (decision.outcome === 'suppress' && deciding) {
        this.events += bucket.events;
        this.records += bucket.records;
        this.bytes += bucket.bytes;
        const impact = this.perRule.get(deciding)!;
        impact.events += bucket.events;
        impact.records += bucket.records;
        impact.bytes += bucket.bytes;
        return;
      }
      // Undecided rules before the deciding one: the generated rules' part is unknown if
      // one of them is among the undecided or is the rule that would decide.
      if (decision.outcome === 'unknown' && (decision.rule?.generated !== undefined ||
        decision.undecided.some((rule) => rule.generated !== undefined))) {
        this.undecidedEvents += bucket.events;
        return;
      }
    }

    // The exclude list sees every record of the events that remain.
    const exclusions = this.exclusions;
    if (exclusions.length === 0) return;
    for (const type of bucket.types) {
      const unknownType = /^UNKNOWN\[(\d+)\]$/.exec(type);
      const msgtype = unknownType ? Number(unknownType[1])
        : this.typeNumbers.get(type) ?? this.olderTypeNumbers.get(type);
      if (msgtype === undefined) continue;
      const recordFacts: EventFacts = { ...facts, list: 'exclude', msgtype };
      const dropping = exclusions.find((rule) => matchEvent(rule, recordFacts).verdict ===
        'match');
      if (!dropping) continue;
      const { share, exact } = typeShare(bucket, type);
      this.estimated ||= !exact;
      this.records += share.records;
      this.bytes += share.bytes;
      const impact = this.perRule.get(dropping.generated!)!;
      impact.records += share.records;
      impact.bytes += share.bytes;
      if (share.records >= bucket.records) {
        this.events += bucket.events;
        impact.events += bucket.events;
      }
    }
  }

  result(totals: LogTotals): ImpactResult {
    const { events, records, bytes } = this;
    const remainingBytes = Math.max(0, totals.bytes - bytes);
    const before = totals.rotation.bytesPerMinute;
    const after = before === null || totals.bytes === 0 ? null
      : before * (remainingBytes / totals.bytes);
    const maxLogFileMB = totals.rotation.maxLogFileMB;
    return {
      events,
      records,
      bytes,
      undecidedEvents: this.undecidedEvents,
      estimated: this.estimated,
      perRule: [...this.perRule.values()],
      remainingEvents: Math.max(0, totals.events - events),
      remainingBytes,
      rotation: {
        maxLogFileMB,
        minutesPerRotationBefore: minutesPerRotation(before, maxLogFileMB),
        minutesPerRotationAfter: after === null ? null : minutesPerRotation(after, maxLogFileMB),
      },
    };
  }
}
