/**
 * An analysed log as the rule-matching model sees it: the event profile's buckets turned
 * into weighted facts, once per filter list. Free of LSP types, so that the worker thread
 * that reads the log (logSamplesWorker.ts) builds the same samples the server counts on.
 */
import { bucketFacts } from '../log/impact';
import type { NoiseReport } from '../log/report';
import type { EventFacts, FactName, WeightedFacts } from '../rules/match';
import { messageTypes } from '../tables';

/** The events of the last analysed logs, as the rule-matching model sees them. */
export interface AnalysedLog {
  files: string[];
  /** Events of the logs (what exit and user rules are counted against). */
  events: number;
  /** Records of the logs (what exclude rules are counted against). */
  records: number;
  samples: WeightedFacts[];
}

/**
 * The facts of each profile bucket, once per list: the event for the exit (or user) list,
 * and each of its record types for the exclude list, weighted by that type's records.
 */
export function logSamples(report: NoiseReport): WeightedFacts[] {
  const typeNumbers = messageTypes('4.2').byName;
  const olderTypeNumbers = messageTypes('3.0.9').byName;
  const typeNumber = (type: string): number | undefined => {
    const unknown = /^UNKNOWN\[(\d+)\]$/.exec(type);
    return unknown ? Number(unknown[1]) : typeNumbers.get(type) ?? olderTypeNumbers.get(type);
  };

  const samples: WeightedFacts[] = [];
  for (const bucket of report.profile.buckets) {
    const facts = bucketFacts(bucket);

    // A user-space message is one record: its type is what a user-list msgtype= tests.
    const single = bucket.types.length === 1 ? typeNumber(bucket.types[0]) : undefined;
    const eventFacts: EventFacts = facts.list === 'user' && single !== undefined
      ? { ...facts, msgtype: single } : facts;
    samples.push({ facts: eventFacts, events: bucket.events });

    for (const type of bucket.types) {
      const msgtype = typeNumber(type);
      if (msgtype === undefined) continue;
      const records = bucket.recordsByType?.[type]?.records ?? bucket.events;
      samples.push({ facts: { ...facts, list: 'exclude', msgtype }, events: records });
    }
  }
  return samples;
}

/**
 * The samples of one list with only the facts a rule reads, equal ones merged: a watch
 * reads the machine and syscall (its path is not in the profile), so thousands of buckets
 * become the few syscalls of the log. The model's verdict reads nothing else
 * (factsNeeded), so counting over the projection gives the counts of the full samples.
 */
/** Numbers and texts as they are; PATH items, which are arrays, as JSON. */
function factKey(value: EventFacts[FactName]): string {
  if (value === undefined) return '-';
  return typeof value === 'object' ? JSON.stringify(value) : `=${value}`;
}

export function projectSamples(
  samples: readonly WeightedFacts[],
  list: EventFacts['list'],
  facts: readonly FactName[],
): WeightedFacts[] {
  const merged = new Map<string, WeightedFacts>();
  for (const sample of samples) {
    if (sample.facts.list !== list) continue;
    let key = '';
    for (const name of facts) key += `${factKey(sample.facts[name])}\u0000`;
    const found = merged.get(key);
    if (found) {
      found.events += sample.events;
      continue;
    }
    const projected: EventFacts = { list };
    for (const name of facts) {
      if (sample.facts[name] !== undefined) {
        (projected as unknown as Record<string, unknown>)[name] = sample.facts[name];
      }
    }
    merged.set(key, { facts: projected, events: sample.events });
  }
  return [...merged.values()];
}
