/**
 * The suggestions of a noise report: exclusion rules for the top offenders, each with the
 * events and bytes it would remove (simulated, see impact.ts) and its safety warnings.
 */
import type { AuditVersion } from '../tables';
import type { RuleModel } from '../rules/model';
import {
  ExclusionProposal, ExclusionSelection, GeneratedRule, proposeExclusion,
} from './exclusions';
import { ImpactOptions, ImpactResult, bucketFacts, simulateImpacts } from './impact';
import {
  firstMatch, kernelOrder, matchEvent, mayOverlap, subsumes, type OrderedRuleInput,
} from '../rules/match';
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
  /** Offenders left out because the rules in force already exclude them, and by which. */
  alreadyInForce: string[];
  /** What the rules in force exclude of this log, when rules in force are given. */
  inForce?: InForceExclusion;
}

/**
 * The events of the log the rules in force exclude: on their own, and with every suggested
 * rule. A log holds such events only if it was recorded without those rules, so its rate
 * is not the one they leave; the rotation intervals are projected from the bytes that stay.
 */
export interface InForceExclusion {
  events: number;
  bytes: number;
  /** null when nothing of the log stays, or the log has no rate. */
  minutesPerRotation: number | null;
  withSuggestions: { events: number; bytes: number; minutesPerRotation: number | null };
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

/** Where a rule in force comes from, as `file:line`. */
function ruleSource(rule: RuleModel): string {
  return `${rule.file ?? 'line'}${rule.file ? ':' : ' '}${rule.line + 1}`;
}

interface InForce extends OrderedRuleInput {
  existing?: RuleModel;
}

/**
 * The rule in force that keeps every task's syscalls out of the log, if there is one. The
 * kernel runs the task list when a task is created: a task whose first matching task rule
 * is `never` gets no audit context, and none of its syscalls is logged, whatever the exit
 * list says (10-no-audit.rules: `-a task,never`). Only a first task rule without fields
 * decides for every task; one with fields tests the task as it was created, which the log
 * does not show, so it decides nothing here.
 */
function taskNeverForAll(rules: readonly RuleModel[]): RuleModel | undefined {
  const first = kernelOrder(rules).find((rule) => rule.list === 'task');
  if (!first || first.fields.length > 0 || first.comparisons.length > 0) return undefined;
  return first.action === 'never' ? first : undefined;
}

const taskNeverText = 'a task rule without fields: no task gets syscall auditing';

/** Fields the overlap test does not weigh: which files a syscall touches, and how. */
const fileFields = new Set(['path', 'dir', 'perm', 'filetype']);

/** Whether a rule narrows its events only by files (a watch), besides arch and syscalls. */
function testsFilesOnly(rule: RuleModel): boolean {
  return rule.fields.length > 0 && rule.comparisons.length === 0 &&
    rule.fields.every((condition) => fileFields.has(condition.field));
}

/** The in-force verdict on a syscall event, the task list's before the exit list's. */
function inForceMatch(
  existing: readonly InForce[],
  taskNever: RuleModel | undefined,
  facts: ReturnType<typeof bucketFacts>,
): { outcome: string; rule?: InForce } {
  if (taskNever !== undefined && facts.list === 'exit') {
    return { outcome: 'suppress', rule: { ...taskNever, existing: taskNever } };
  }
  return firstMatch(existing, facts);
}

/**
 * What the rules in force do to a proposal: a `never` rule that already covers every
 * generated rule makes it redundant (`covering`); otherwise notes say which rules already
 * exclude some of its events, and which decide first for them (an `-A` rule, or the
 * exclusions placed after), so the rule removes less than it seems, or nothing.
 */
function inForceEffects(
  proposal: ExclusionProposal,
  report: NoiseReport,
  existingRules: readonly RuleModel[],
  placement: ImpactOptions['placement'],
): { covering?: string; notes: string[] } {
  const taskNever = taskNeverForAll(existingRules);
  // A never rule covers a generated one where it decides: proven when no rule that may
  // match the same events comes before it in the kernel's order (first match wins).
  // mayOverlap cannot see that a watch's path and perm keep it off these syscalls: a never
  // rule behind such rules only (and no other that may overlap) also covers when the rules
  // in force exclude every event of this log the generated rules match.
  const inOrder = kernelOrder(existingRules);
  const coverOf = (generated: GeneratedRule, behindUnseen: boolean) => {
    if (generated.model.list === 'exit' && taskNever !== undefined) return taskNever;
    for (const rule of inOrder) {
      if (rule.list !== generated.model.list) continue;
      if (rule.action === 'never' && subsumes(rule, generated.model)) return rule;
      if (rule.action === 'never' || !mayOverlap(rule, generated.model)) continue;
      if (!behindUnseen || !testsFilesOnly(rule)) return undefined;
    }
    return undefined;
  };
  const covering = (covers: (RuleModel | undefined)[]) => {
    const sources = [...new Set(covers.map((rule) => ruleSource(rule!) +
      (rule === taskNever ? ` (${taskNeverText})` : '')))];
    return `${sources.join(', ')} already exclude${sources.length > 1 ? '' : 's'}` +
      ` every event the suggested rule${proposal.rules.length > 1 ? 's' : ''} would`;
  };
  const proven = proposal.rules.map((rule) => coverOf(rule, false));
  if (proven.every((rule) => rule !== undefined)) return { covering: covering(proven), notes: [] };
  const subsumed = proposal.rules.map((rule) => coverOf(rule, true));

  const existing: InForce[] = existingRules.map((rule) => ({ ...rule, existing: rule }));
  const generated: InForce[] = proposal.rules.map((rule) => ({ ...rule.model,
    operation: 'append' }));
  const ordered = placement === 'after' ? [...existing, ...generated]
    : [...generated, ...existing];
  const excludedBy = new Map<string, number>();
  const decidedBy = new Map<string, number>();
  const mayDecideBy = new Map<string, number>();
  let matched = 0;
  let excluded = 0;
  for (const bucket of report.profile.buckets) {
    const facts = bucketFacts(bucket);
    if (facts.list !== 'exit' && facts.list !== 'user') continue;
    if (!proposal.rules.some((rule) => matchEvent(rule.model, facts).verdict === 'match')) {
      continue;
    }
    matched += bucket.events;
    const already = inForceMatch(existing, taskNever, facts);
    if (already.outcome === 'suppress' && already.rule?.existing) {
      excluded += bucket.events;
      const source = ruleSource(already.rule.existing);
      excludedBy.set(source, (excludedBy.get(source) ?? 0) + bucket.events);
      continue;
    }
    const together = firstMatch(ordered, facts);
    if (together.rule?.existing && together.outcome === 'record') {
      const source = ruleSource(together.rule.existing);
      decidedBy.set(source, (decidedBy.get(source) ?? 0) + bucket.events);
    }
    const undecided = together.outcome === 'unknown' ? together.undecided[0]?.existing
      : undefined;
    if (undecided) {
      const source = ruleSource(undecided);
      mayDecideBy.set(source, (mayDecideBy.get(source) ?? 0) + bucket.events);
    }
  }

  if (subsumed.every((rule) => rule !== undefined) && matched > 0 && excluded === matched) {
    return { covering: covering(subsumed), notes: [] };
  }

  const notes: string[] = [];
  for (const [source, events] of excludedBy) {
    notes.push(`${source} already excludes ${grouped(events)} of these events (the log was ` +
      'recorded without it)');
  }
  for (const [source, events] of mayDecideBy) {
    notes.push(`${source} comes first and may log ${grouped(events)} of these events: it ` +
      'tests facts the log does not keep (such as saddr_fam or a path), so they count as ' +
      'undecided');
  }
  for (const [source, events] of decidedBy) {
    notes.push(`${source} decides first for ${grouped(events)} of these events and logs them ` +
      '(an -A rule, or a rule loaded above): the suggestion removes them only from above it');
  }
  return { notes };
}

/**
 * What the rules in force exclude of the log, alone and with the generated rules placed as
 * the simulation places them. Only the exit and user lists are walked: the generated rules
 * are `never` rules there, so an event the rules in force exclude stays excluded with them.
 */
function inForceExclusion(
  report: NoiseReport,
  existingRules: readonly RuleModel[],
  generated: readonly GeneratedRule[],
  placement: ImpactOptions['placement'],
  minutesPerRotationAsRecorded: number | null,
): InForceExclusion {
  const existing: InForce[] = existingRules.map((rule) => ({ ...rule, existing: rule }));
  const suggested: InForce[] = generated.map((rule) => ({ ...rule.model,
    operation: 'append' }));
  const ordered = placement === 'after' ? [...existing, ...suggested]
    : [...suggested, ...existing];
  const taskNever = taskNeverForAll(existingRules);
  const alone = { events: 0, bytes: 0 };
  const together = { events: 0, bytes: 0 };
  for (const bucket of report.profile.buckets) {
    const facts = bucketFacts(bucket);
    if (facts.list !== 'exit' && facts.list !== 'user') continue;
    const excluded = inForceMatch(existing, taskNever, facts).outcome === 'suppress';
    if (excluded) {
      alone.events += bucket.events;
      alone.bytes += bucket.bytes;
    }
    if (excluded || (suggested.length > 0 &&
      firstMatch(ordered, facts).outcome === 'suppress')) {
      together.events += bucket.events;
      together.bytes += bucket.bytes;
    }
  }

  // The interval grows as the bytes that stay shrink (the same span, fewer bytes).
  const minutes = (removed: number) => minutesPerRotationAsRecorded === null ||
    report.bytes <= removed ? null
    : minutesPerRotationAsRecorded * report.bytes / (report.bytes - removed);
  return {
    ...alone,
    minutesPerRotation: minutes(alone.bytes),
    withSuggestions: { ...together, minutesPerRotation: minutes(together.bytes) },
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

  const accepted: { exe: string; proposal: ExclusionProposal }[] = [];
  const refused: string[] = [];
  const alreadyInForce: string[] = [];
  const allRules: GeneratedRule[] = [];

  for (const offender of report.byExe) {
    if (accepted.length >= maxSuggestions) break;
    if (report.events === 0 || offender.events / report.events < minShare) break;

    const proposal = proposeExclusion(offenderSelection(report, offender.exe),
      report.profile, proposalOptions);
    if (proposal.rules.length === 0) {
      refused.push(...proposal.refused, ...proposal.notes);
      continue;
    }
    if (options.existingRules && options.existingRules.length > 0) {
      const effects = inForceEffects(proposal, report, options.existingRules,
        options.placement);
      if (effects.covering) {
        alreadyInForce.push(`${offender.exe}: ${effects.covering}`);
        continue;
      }
      proposal.notes.push(...effects.notes);
    }
    accepted.push({ exe: offender.exe, proposal });
    allRules.push(...proposal.rules);
  }

  // Each suggestion's rules on their own, then all of them together: one walk over the
  // profile for all.
  const impacts = simulateImpacts(
    [...accepted.map(({ proposal }) => proposal.rules), allRules],
    report.profile, report, impactOptions);
  const suggestions = accepted.map(({ exe, proposal }, i) => {
    const impact = impacts[i];
    // A suggestion that removes nothing always says why.
    if (impact.events === 0 && proposal.notes.length === 0) {
      proposal.notes.push(impact.undecidedEvents > 0
        ? `removes no certain event: ${impact.undecidedEvents} depend on facts the log does ` +
          'not keep'
        : 'removes no event of this log');
    }
    if (proposal.selection.kind === 'exe' && proposal.selection.syscalls) {
      proposal.notes.push(`execve is left out: the log keeps a record of each start of ${exe}`);
    }
    return asSuggestion(proposal, impact);
  });
  const combined = impacts[impacts.length - 1];
  const inForce = options.existingRules && options.existingRules.length > 0
    ? inForceExclusion(report, options.existingRules, allRules, options.placement,
      combined.rotation.minutesPerRotationBefore)
    : undefined;
  return { suggestions, combined, refused, alreadyInForce, inForce };
}

/** A count as every other count of the report prints it (2,950). */
function grouped(count: number): string {
  return count.toLocaleString('en-US');
}
