// Selection -> exclusion rules -> impact, all computed by the log engine (exclusions.ts
// generates, impact.ts simulates through the one rule-matching model). This file turns the
// view's selection into the engine's terms and its answers into the preview pane's.
import {
  hostMachineOf, proposeExclusion, type ExclusionSelection, type GeneratedRule as EngineRule,
  type SyscallRef,
} from '../../../server/src/log/exclusions';
import { simulateImpact } from '../../../server/src/log/impact';
import type { MdatpReport } from '../../../server/src/log/mdatp';
import type { NoiseReport } from '../../../server/src/log/report';
import type { NoiseSelection } from './messages';
import type { AuditViewReport, RulesPreview, SuggestedRule } from './viewReport';
import type { GeneratedRule } from './workerProtocol';

export interface PreviewResult {
  preview: RulesPreview;
  rules: GeneratedRule[];
  /** The machine `b64` means in the rules: the log's own, for checking a rules file. */
  hostMachine: string;
}

const notInLog = 'not in the analysed log';

/**
 * The selection in the engine's terms; an exe chosen whole wins over its syscalls. Only
 * names the report lists are taken: the webview's word is not enough to write a rule.
 */
export function exclusionSelections(
  selection: NoiseSelection, view: AuditViewReport,
  refused: RulesPreview['refused'] = [],
): ExclusionSelection[] {
  const selections: ExclusionSelection[] = [];
  const known = (names: Set<string>) => (name: string) => {
    if (names.has(name)) return true;
    refused.push({ name, reason: notInLog });
    return false;
  };
  const exes = new Set(view.byExe.map((row) => row.exe));
  const wholeExes = new Set(selection.exes.filter(known(exes)));
  for (const exe of wholeExes) selections.push({ kind: 'exe', exe });
  for (const { exe, syscalls } of selection.exeSyscalls) {
    if (wholeExes.has(exe) || !known(exes)(exe)) continue;
    const refs: SyscallRef[] = view.byExeSyscall
      .filter((row) => row.exe === exe && syscalls.includes(row.name))
      .map((row) => ({ machine: row.arch, number: row.number }));
    if (refs.length > 0) selections.push({ kind: 'exe', exe, syscalls: refs });
  }
  const keys = new Set(view.byKey.map((row) => row.key));
  for (const key of selection.keys.filter(known(keys))) selections.push({ kind: 'key', key });
  const types = new Set(view.byType.map((row) => row.type));
  for (const type of selection.types.filter(known(types))) {
    selections.push({ kind: 'type', type });
  }
  return selections;
}

export function auditPreview(
  report: NoiseReport, view: AuditViewReport, selection: NoiseSelection, maxLogFileMb: number,
): PreviewResult {
  const generated: EngineRule[] = [];
  const warningsOf = new Map<EngineRule, string[]>();
  const refused: RulesPreview['refused'] = [];
  const notes = new Set<string>();

  for (const wanted of exclusionSelections(selection, view, refused)) {
    const proposal = proposeExclusion(wanted, report.profile);
    const name = wanted.kind === 'exe' ? wanted.exe : wanted.kind === 'key' ? wanted.key
      : wanted.type;
    for (const reason of proposal.refused) refused.push({ name, reason });
    for (const note of proposal.notes) notes.add(note);
    const warnings = proposal.warnings.map((w) => w.message);
    for (const rule of proposal.rules) {
      // Two selections may yield the same rule (an exe, and a key only it logs under).
      if (generated.some((known) => known.text === rule.text)) continue;
      generated.push(rule);
      warningsOf.set(rule, warnings);
    }
  }

  const rotation = { ...report.rotation, maxLogFileMB: maxLogFileMb };
  const impact = simulateImpact(generated, report.profile, { ...report, rotation });
  if (impact.undecidedEvents > 0) {
    notes.add(`${impact.undecidedEvents} events could not be decided from what the log `
      + 'records (facts such as file paths are not kept per event)');
  }
  if (impact.estimated) notes.add('bytes dropped by exclude-list rules are estimated');

  return {
    rules: generated.map((rule) => ({
      text: rule.text, list: rule.model.list, model: rule.model,
    })),
    hostMachine: hostMachineOf(report.profile),
    preview: {
      rules: generated.map((rule, index) => ({
        rule: rule.text,
        events: impact.perRule[index]?.events ?? 0,
        bytes: impact.perRule[index]?.bytes ?? 0,
        warnings: warningsOf.get(rule) ?? [],
      })),
      eventsRemoved: impact.events,
      bytesRemoved: impact.bytes,
      eventsBefore: report.events,
      rotationMinutesBefore: impact.rotation.minutesPerRotationBefore,
      rotationMinutesAfter: impact.rotation.minutesPerRotationAfter,
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
    if (!ranked) {
      refused.push({ name: label, reason: notInLog });
      continue;
    }
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
    hostMachine: 'x86_64',
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
