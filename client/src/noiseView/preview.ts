// Selection -> exclusion rules -> impact. The rules come from the log engine's exclusion
// generator; the impact is the rule-matching model run over the engine's event profile,
// so "events removed" means the same thing here as in the ruleset analysis.
import {
  proposeExclusion, type ExclusionSelection, type SyscallRef,
} from '../../../server/src/log/exclusions';
import type { MdatpReport } from '../../../server/src/log/mdatp';
import { normaliseExe } from '../../../server/src/log/rank';
import type { EventProfileBucket, NoiseReport } from '../../../server/src/log/report';
import { matchEvent, type EventFacts, type RuleInput } from '../../../server/src/rules/match';
import type { Machine } from '../../../server/src/tables';
import type { NoiseSelection } from './messages';
import type { AuditViewReport, RulesPreview, SuggestedRule } from './viewReport';
import type { GeneratedRule } from './workerProtocol';

const megabyte = 1048576;

export interface PreviewResult {
  preview: RulesPreview;
  rules: GeneratedRule[];
}

/** The selection in the engine's terms; an exe chosen whole wins over its syscalls. */
export function exclusionSelections(
  selection: NoiseSelection, view: AuditViewReport,
): ExclusionSelection[] {
  const selections: ExclusionSelection[] = [];
  const wholeExes = new Set(selection.exes);
  for (const exe of selection.exes) selections.push({ kind: 'exe', exe });
  for (const { exe, syscalls } of selection.exeSyscalls) {
    if (wholeExes.has(exe)) continue;
    const refs: SyscallRef[] = view.byExeSyscall
      .filter((row) => row.exe === exe && syscalls.includes(row.name))
      .map((row) => ({ machine: row.arch, number: row.number }));
    if (refs.length > 0) selections.push({ kind: 'exe', exe, syscalls: refs });
  }
  for (const key of selection.keys) selections.push({ kind: 'key', key });
  for (const type of selection.types) selections.push({ kind: 'type', type });
  return selections;
}

function bucketFacts(bucket: EventProfileBucket): EventFacts {
  const value = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
  return {
    list: 'exit',
    machine: value(bucket.machine) as Machine | undefined,
    syscall: value(bucket.syscall),
    success: value(bucket.success),
    exit: bucket.exitPositive ? undefined : value(bucket.exit),
    uid: value(bucket.uid),
    auid: value(bucket.auid),
    euid: value(bucket.euid),
    suid: value(bucket.suid),
    fsuid: value(bucket.fsuid),
    gid: value(bucket.gid),
    egid: value(bucket.egid),
    sgid: value(bucket.sgid),
    fsgid: value(bucket.fsgid),
    exe: bucket.exe === null ? undefined : normaliseExe(bucket.exe).exe,
    subj: value(bucket.subj),
  };
}

interface Tally { events: number; bytes: number; undecided: number }

/** Events and bytes an exit-list never rule would stop, over the event profile. */
function exitImpact(models: readonly RuleInput[], report: NoiseReport): Tally {
  const tally: Tally = { events: 0, bytes: 0, undecided: 0 };
  for (const bucket of report.profile.buckets) {
    if (bucket.syscall === null) continue;
    const facts = bucketFacts(bucket);
    const verdicts = models.map((model) => matchEvent(model, facts).verdict);
    if (verdicts.includes('match')) {
      tally.events += bucket.events;
      tally.bytes += bucket.bytes;
    } else if (verdicts.includes('unknown')) {
      tally.undecided += bucket.events;
    }
  }
  return tally;
}

/** Records an exclude-list rule drops: every record of the type, whatever event it is in. */
function excludeImpact(type: string, report: NoiseReport): Tally {
  const records = report.byType.find((row) => row.type === type)?.records ?? 0;
  // The profile counts bytes per event, not per record type: use the mean record size.
  const meanRecord = report.records > 0 ? report.bytes / report.records : 0;
  return { events: 0, bytes: Math.round(records * meanRecord), undecided: 0 };
}

function rotationMinutes(bytesPerMinute: number | null, maxLogFileMb: number): number | null {
  if (bytesPerMinute === null || bytesPerMinute <= 0) return null;
  return (maxLogFileMb * megabyte) / bytesPerMinute;
}

export function auditPreview(
  report: NoiseReport, view: AuditViewReport, selection: NoiseSelection, maxLogFileMb: number,
): PreviewResult {
  const rules: GeneratedRule[] = [];
  const suggested: SuggestedRule[] = [];
  const refused: RulesPreview['refused'] = [];
  const notes = new Set<string>();
  const exitModels: RuleInput[] = [];
  let excludedBytes = 0;

  for (const wanted of exclusionSelections(selection, view)) {
    const proposal = proposeExclusion(wanted, report.profile);
    const name = wanted.kind === 'exe' ? wanted.exe : wanted.kind === 'key' ? wanted.key
      : wanted.type;
    for (const reason of proposal.refused) refused.push({ name, reason });
    for (const note of proposal.notes) notes.add(note);
    const warnings = proposal.warnings.map((w) => w.message);

    for (const rule of proposal.rules) {
      const list = rule.model.list;
      rules.push({ text: rule.text, list });
      const impact = list === 'exclude' && wanted.kind === 'type'
        ? excludeImpact(wanted.type, report)
        : exitImpact([rule.model], report);
      if (list === 'exclude') excludedBytes += impact.bytes;
      else exitModels.push(rule.model);
      suggested.push({ rule: rule.text, events: impact.events, bytes: impact.bytes, warnings });
    }
  }

  // Rules of one selection may overlap (an exe and a key it logs under): count once.
  const exit = exitImpact(exitModels, report);
  if (exit.undecided > 0) {
    notes.add(`${exit.undecided} events could not be decided from what the log records`);
  }
  const bytesRemoved = Math.min(report.bytes, exit.bytes + excludedBytes);
  const bytesPerMinute = report.rotation.bytesPerMinute;
  const after = bytesPerMinute === null || report.bytes === 0 ? null
    : bytesPerMinute * (1 - bytesRemoved / report.bytes);

  return {
    rules,
    preview: {
      rules: suggested,
      eventsRemoved: exit.events,
      bytesRemoved,
      eventsBefore: report.events,
      rotationMinutesBefore: rotationMinutes(bytesPerMinute, maxLogFileMb),
      rotationMinutesAfter: rotationMinutes(after, maxLogFileMb),
      refused,
      notes: [...notes],
    },
  };
}

/** mdatp: one `mdatp exclusion process add` command per selected path. */
export function mdatpPreview(report: MdatpReport, selection: NoiseSelection): PreviewResult {
  const rules: GeneratedRule[] = [];
  const suggested: SuggestedRule[] = [];
  const refused: RulesPreview['refused'] = [];
  let files = 0;
  for (const label of selection.paths) {
    const ranked = report.byPath.find((entry) => mdatpLabel(entry) === label);
    if (!ranked) continue;
    if (!ranked.command) {
      refused.push({ name: label, reason: ranked.refused ?? 'no command can be written' });
      continue;
    }
    files += ranked.filesScanned;
    rules.push({ text: ranked.command, list: 'mdatp' });
    suggested.push({
      rule: ranked.command, events: ranked.filesScanned, bytes: 0,
      warnings: ranked.warnings.map((w) => w.message),
    });
  }
  return {
    rules,
    preview: {
      rules: suggested, eventsRemoved: files, bytesRemoved: 0,
      eventsBefore: report.totalFilesScanned, rotationMinutesBefore: null,
      rotationMinutesAfter: null, refused, notes: [],
    },
  };
}

/** The name an mdatp row goes by: its path, or its process names when it has none. */
export function mdatpLabel(entry: { path: string | undefined; names: string[] }): string {
  return entry.path ?? `(no path) ${entry.names.join(', ')}`;
}
