/**
 * Checks over the whole file, in load order: changes after `-e 2` (the kernel refuses
 * them with EPERM), duplicate rules (EEXIST), deletes of rules never loaded (ENOENT), and
 * b64 rules without their b32 twin.
 */
import {
  compatMachine, syscallTable, type Machine, type SyscallTable,
} from '../../tables';
import { diagnostic, type DeferredFixData, type FixData, type FixEdit } from '../codes';
import type { RuleDiagnostic } from '../diagnostics';
import { lineRange } from '../diagnostics';
import { identityText } from '../identityText';
import type { FieldCondition, RuleModel } from '../model';
import { parseRulesLine, type RulesDocument, type RulesLine } from '../parse';
import type { LineResult } from './line';
import type { CheckOptions } from './state';
import { applyLineEdits, insertLineAfter, twinSyscallEdits, type LineEdit } from './twin';

export function checkRuleset(
  document: RulesDocument,
  results: LineResult[],
  options: CheckOptions,
): RuleDiagnostic[] {
  const diagnostics: RuleDiagnostic[] = [];
  let lockLine: number | undefined;
  const loaded = new Map<string, RuleModel>();
  // After a bare -D the kernel's rule list is known: empty, then what this file loads.
  let listKnown = false;

  for (let index = 0; index < results.length; index++) {
    const result = results[index];
    const line = document.lines[index];
    if (result.failed) continue;

    let changes = result.rule !== undefined;
    // Indexed: most lines share one frozen empty list, which for-of walks slowly.
    const effects = result.effects;
    for (let at = 0; at < effects.length; at++) {
      const effect = effects[at];
      if (effect.kind === 'enable' || effect.kind === 'kernel-change' ||
        effect.kind === 'delete-all') changes = true;
    }
    if (lockLine !== undefined && changes) {
      const lineText = line.text;
      diagnostics.push(diagnostic('after-immutable', lineRange(index, 0, lineText.length), {
        lockLine: lockLine + 1,
      }, {
        related: [{ range: lineRange(lockLine, 0, document.lines[lockLine].text.length),
          message: 'the configuration is locked here' }],
        data: {
          fixes: [{
            title: 'Move this line above -e 2',
            preferred: true,
            edits: [
              { range: lineRange(lockLine, 0, 0), newText: `${lineText}\n` },
              removeLine(document, index),
            ],
          }],
        },
      }));
      continue;
    }

    for (let at = 0; at < effects.length; at++) {
      const effect = effects[at];
      if (effect.kind === 'enable' && effect.value === 2) lockLine = index;
      if (effect.kind === 'delete-all') {
        if (effect.key === undefined) {
          loaded.clear();
          listKnown = true;
        }
        else {
          for (const [identity, rule] of loaded) {
            if (rule.keys.includes(effect.key)) loaded.delete(identity);
          }
        }
      }
    }

    const rule = result.rule;
    if (!rule) continue;
    const identity = result.identity!;
    if (rule.operation === 'delete') {
      if (loaded.has(identity)) loaded.delete(identity);
      else if (listKnown) {
        diagnostics.push(diagnostic('delete-unknown-rule', rule.listRange, {
          why: 'a -D earlier in the file emptied the list, and no line since loads this rule',
        }, { severity: 'error' }));
      } else {
        diagnostics.push(diagnostic('delete-unknown-rule', rule.listRange, {
          why: 'no earlier line loads this rule; unless the target already holds it',
        }, { hostDependent: true }));
      }
      continue;
    }
    const earlier = loaded.get(identity);
    if (earlier) {
      diagnostics.push(diagnostic('duplicate-rule', rule.range, { otherLine: earlier.line + 1 }, {
        related: [{ range: earlier.range, message: 'the same rule is loaded here' }],
        data: {
          fixes: [{
            title: 'Remove the duplicate rule',
            preferred: true,
            edits: [removeLine(document, index)],
          }],
        },
      }));
      continue;
    }
    loaded.set(identity, rule);
  }

  // One push per item: a spread passes each one as an argument, past V8's limit on them
  // for a file of some 150,000 rules.
  for (const twin of missingTwins(document, results, options)) diagnostics.push(twin);
  return diagnostics;
}

function fieldText(field: FieldCondition): string {
  return `${field.field}${field.operator}${field.value}`;
}

/**
 * What the kernel compares for EEXIST (audit_compare_rule): the prepend flag, list,
 * action, every field in order with its operator and value, and the syscall mask. The
 * line check computes the same text while it builds the rule (LineResult.identity).
 */
export function kernelIdentity(rule: RuleModel): string {
  const ordered: { at: number; text: string }[] = [];
  for (const arch of rule.arches) {
    ordered.push({ at: arch.range.start.character, text: `arch${arch.operator}${arch.machine}` });
  }
  for (const field of rule.fields) {
    ordered.push({ at: field.range.start.character, text: fieldText(field) });
  }
  for (const comparison of rule.comparisons) {
    ordered.push({
      at: comparison.range.start.character,
      text: `C${comparison.left}${comparison.operator}${comparison.right}`,
    });
  }
  ordered.sort((a, b) => a.at - b.at);
  const parts = [rule.operation === 'prepend' ? 'prepend' : 'append', rule.list, rule.action,
    rule.syscalls.all ? 'all' : rule.syscalls.numbers.join(',')];
  for (const entry of ordered) parts.push(entry.text);
  if (rule.keys.length > 0) parts.push(`key=${rule.keys.join('\u0001')}`);
  return identityText(parts);
}

/** The rule without its arch and syscalls: what a b32 twin shares with its b64 rule. */
function twinSignature(rule: RuleModel): string {
  const parts = [rule.list, rule.action, rule.keys.join('\u0001')];
  for (const field of rule.fields) parts.push(fieldText(field));
  for (const c of rule.comparisons) parts.push(`${c.left}${c.operator}${c.right}`);
  return identityText(parts);
}

/**
 * A rule's signature among possible twins (its machine is its arch's). Kept on the line's
 * result, since an editor's re-check reuses the results of unchanged lines and the long key
 * strings would otherwise be rebuilt and hashed again.
 */
function twinSignatureOf(result: LineResult): string {
  let signature = result.twinSignature;
  if (signature === undefined) {
    signature = twinSignature(result.rule!);
    result.twinSignature = signature;
  }
  return signature;
}

/** The syscalls the rules of one machine name, by signature; `all` for `-S all` rules. */
interface TwinNames {
  names: Map<string, readonly string[] | Set<string>>;
  all: Set<string>;
}

function missingTwins(
  document: RulesDocument,
  results: LineResult[],
  options: CheckOptions,
): RuleDiagnostic[] {
  const diagnostics: RuleDiagnostic[] = [];
  const ruled: LineResult[] = [];
  for (const result of results) {
    if (result.rule && !result.failed) ruled.push(result);
  }
  // The syscalls named by the rules of each machine and signature: most signatures belong
  // to one rule, whose own list of names stands for them until a second rule joins it.
  const byMachine = new Map<Machine, TwinNames>();
  // The 32-bit table of each 64-bit machine, looked up once per check.
  const twinTables = new Map<Machine, SyscallTable | null>();
  for (let index = 0; index < ruled.length; index++) {
    const rule = ruled[index].rule!;
    if (rule.arches.length !== 1 || rule.arches[0].operator !== '=') continue;
    const machine = rule.arches[0].machine;
    let twins = byMachine.get(machine);
    if (!twins) byMachine.set(machine, (twins = { names: new Map(), all: new Set() }));
    const key = twinSignatureOf(ruled[index]);
    const added = rule.syscalls.names;
    if (rule.syscalls.all) twins.all.add(key);
    const names = twins.names.get(key);
    if (names === undefined) {
      twins.names.set(key, added);
    } else if (names instanceof Set) {
      for (const name of added) names.add(name);
    } else {
      const joined = new Set(names);
      for (const name of added) joined.add(name);
      twins.names.set(key, joined);
    }
  }

  for (let index = 0; index < ruled.length; index++) {
    const result = ruled[index];
    const rule = result.rule!;
    if (rule.list !== 'exit' || rule.operation === 'delete') continue;
    // A never rule covering one ABI is a deliberate exclusion: without its twin the other
    // ABI's events are still logged, which loses nothing.
    if (rule.action === 'never') continue;
    if (rule.arches.length !== 1 || rule.arches[0].operator !== '=') continue;
    if (rule.syscalls.all || rule.syscalls.names.length === 0) continue;
    const machine = rule.arches[0].machine;
    let twinTable = twinTables.get(machine);
    if (twinTable === undefined) {
      const compat = compatMachine(machine);
      twinTable = compat && compat !== 'armeb'
        ? syscallTable(compat, options.auditVersion) ?? null : null;
      twinTables.set(machine, twinTable);
    }
    if (!twinTable) continue;

    // Set in the first pass: this rule has one arch, written with `=`.
    const twinKey = result.twinSignature!;
    const twins = byMachine.get(compatMachine(machine)!);
    if (twins?.all.has(twinKey)) continue;
    const covered = twins?.names.get(twinKey);
    const missing: string[] = [];
    const named = rule.syscalls.names;
    for (let at = 0; at < named.length; at++) {
      const name = named[at];
      if (!twinTable.byName.has(name)) continue;
      // A syscall written twice (59,execve, or 2 and 4294967298) is named once.
      if (missing.length > 0 && missing.includes(name)) continue;
      if (covered === undefined ||
        !(covered instanceof Set ? covered.has(name) : covered.includes(name))) {
        missing.push(name);
      }
    }
    if (missing.length === 0) continue;

    const names = missing.join(', ');
    const earlier = result.twinFinding;
    if (earlier?.names === names) {
      diagnostics.push(earlier.diagnostic);
      continue;
    }
    // The fix is made when read (a code action), from the line parsed again then: the
    // document's line would keep its words for good.
    const found = diagnostic('missing-b32-twin', rule.arches[0].range, { machine, names }, {
      deferredData: new TwinFix(document.lines[rule.line].text, rule, missing, twinTable, options),
    });
    result.twinFinding = { names, diagnostic: found };
    diagnostics.push(found);
  }
  return diagnostics;
}

/** The b32 twin fix of a rule, made when read, from the line parsed again then. */
class TwinFix implements DeferredFixData {
  constructor(
    readonly text: string,
    readonly rule: RuleModel,
    readonly missing: string[],
    readonly twinTable: SyscallTable,
    readonly options: CheckOptions,
  ) {}

  make(lineNumber: number): FixData {
    return twinFix(parseRulesLine(this.text, lineNumber), this.rule, this.missing,
      this.twinTable, this.options);
  }
}

function twinFix(
  line: RulesLine,
  rule: RuleModel,
  missing: string[],
  twinTable: SyscallTable,
  options: CheckOptions,
) {
  const arch = rule.arches[0];
  const archValueEnd = arch.range.end.character;
  const table = syscallTable(arch.machine, options.auditVersion);
  const syscallEdits = twinSyscallEdits(line, rule, table, twinTable, new Set(missing));
  // Every syscall the rule names is read again here as it was when checked, so none is
  // dropped; a twin with no -S left would load as every 32-bit syscall, so none is offered.
  if (!syscallEdits) return { fixes: [] };
  const edits: LineEdit[] = [
    { from: archValueEnd - arch.raw.length, to: archValueEnd, text: 'b32' },
    ...syscallEdits,
  ];
  const text = line.text.endsWith('\r') ? line.text.slice(0, -1) : line.text;
  return {
    fixes: [{
      title: 'Add the b32 twin rule',
      preferred: true,
      edits: [insertLineAfter(line, applyLineEdits(text, edits))],
    }],
  };
}

/**
 * The edit that removes line `index` with its line break. The last line of a text
 * without a final newline takes the break before it instead, so no line break is left
 * behind where the text had none.
 */
function removeLine(document: RulesDocument, index: number): FixEdit {
  const last = index === document.lines.length - 1;
  if (last && document.finalNewline === false && index > 0) {
    return {
      range: {
        start: { line: index - 1, character: document.lines[index - 1].text.length },
        end: { line: index, character: document.lines[index].text.length },
      },
      newText: '',
    };
  }
  return {
    range: { start: { line: index, character: 0 }, end: { line: index + 1, character: 0 } },
    newText: '',
  };
}
