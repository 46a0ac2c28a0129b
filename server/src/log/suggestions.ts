/**
 * The suggestions of a noise report: exclusion rules for the top offenders, each with the
 * events and bytes it would remove (simulated, see impact.ts) and its safety warnings.
 */
import type { AuditVersion } from '../tables';
import type { RuleModel } from '../rules/model';
import {
  ExclusionProposal, ExclusionSelection, GeneratedRule, proposeExclusion,
} from './exclusions';
import { ImpactOptions, ImpactResult, simulateImpact } from './impact';
import type { NoiseReport, Suggestion } from './report';

export interface SuggestionOptions {
  auditVersion?: AuditVersion;
  /** Rules in force (from `--rules FILE`), for the simulation and for keys. */
  existingRules?: readonly RuleModel[];
  placement?: ImpactOptions['placement'];
  /** Programs to suggest rules for, busiest first (default 3). */
  maxSuggestions?: number;
  /** Smallest share of the log's events worth a suggestion (default 0.01). */
  minShare?: number;
}

/** One suggestion as the CLI's JSON shows it: the four fields, and the detail. */
export interface ExclusionSuggestion extends Suggestion {
  selection: ExclusionSelection;
  /** The rule lines (`rule` joins them with newlines). */
  rules: string[];
  records: number;
  undecidedEvents: number;
  minutesPerRotationAfter: number | null;
  notes: string[];
  refused: string[];
}

export interface SuggestionSet {
  suggestions: ExclusionSuggestion[];
  /** Every suggested rule together. */
  combined: ImpactResult;
  /** Offenders for which no rule could be written, and why. */
  refused: string[];
}

function asSuggestion(proposal: ExclusionProposal, impact: ImpactResult): ExclusionSuggestion {
  const rules = proposal.rules.map((rule) => rule.text);
  return {
    rule: rules.join('\n'),
    events: impact.events,
    bytes: impact.bytes,
    warnings: proposal.warnings.map((warning) => warning.message),
    selection: proposal.selection,
    rules,
    records: impact.records,
    undecidedEvents: impact.undecidedEvents,
    minutesPerRotationAfter: impact.rotation.minutesPerRotationAfter,
    notes: proposal.notes,
    refused: proposal.refused,
  };
}

const executions = new Set(['execve', 'execveat']);

/**
 * What to exclude of a busy program: its syscalls except program executions, so the log
 * still shows each start of the program and everything it runs. A program whose events
 * are all executions is selected whole (and warned about).
 */
function offenderSelection(report: NoiseReport, exe: string): ExclusionSelection {
  const calls = report.byExeSyscall.filter((row) => row.exe === exe);
  const kept = calls.filter((row) => row.name === undefined || !executions.has(row.name));
  if (kept.length === 0 || kept.length === calls.length) return { kind: 'exe', exe };
  return {
    kind: 'exe',
    exe,
    syscalls: kept.map((row) => ({ machine: row.arch, number: row.number })),
  };
}

/** Exclusion rules for the programs that fill the log most. */
export function suggestExclusions(
  report: NoiseReport,
  options: SuggestionOptions = {},
): SuggestionSet {
  const maxSuggestions = options.maxSuggestions ?? 3;
  const minShare = options.minShare ?? 0.01;
  const proposalOptions = { auditVersion: options.auditVersion,
    existingRules: options.existingRules };
  const impactOptions: ImpactOptions = { existingRules: options.existingRules,
    placement: options.placement };

  const suggestions: ExclusionSuggestion[] = [];
  const refused: string[] = [];
  const allRules: GeneratedRule[] = [];

  for (const offender of report.byExe) {
    if (suggestions.length >= maxSuggestions) break;
    if (report.events === 0 || offender.events / report.events < minShare) break;

    const proposal = proposeExclusion(offenderSelection(report, offender.exe),
      report.profile, proposalOptions);
    if (proposal.rules.length === 0) {
      refused.push(...proposal.refused, ...proposal.notes);
      continue;
    }
    const impact = simulateImpact(proposal.rules, report.profile, report, impactOptions);
    if (proposal.selection.kind === 'exe' && proposal.selection.syscalls) {
      proposal.notes.push(`execve is left out: the log keeps a record of each start of ` +
        `${offender.exe}`);
    }
    suggestions.push(asSuggestion(proposal, impact));
    allRules.push(...proposal.rules);
  }

  const combined = simulateImpact(allRules, report.profile, report, impactOptions);
  return { suggestions, combined, refused };
}
