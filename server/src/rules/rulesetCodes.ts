/**
 * The codes of the whole-ruleset analysis (ruleset.ts). They are part of the one code
 * table: codes.ts appends them to its own entries, so lookups, messages and documentation
 * links work the same for every code.
 */
import type { CodeInfo } from './codes';

export const rulesetCodeTable: readonly CodeInfo[] = [
  // --- the stream augenrules builds ------------------------------------------------
  {
    code: 'missing-final-newline', severity: 'warning', title: 'File without final newline',
    message: 'The file does not end with a newline: augenrules concatenates the rules.d ' +
      'files, so this last line is fused with {fused}.',
    fix: 'add-final-newline',
  },
  {
    code: 'file-name-split', severity: 'warning', title: 'File name with blanks',
    message: 'augenrules 3.0.9 (Debian 12) splits this file name at its blanks and reads ' +
      '{words} in rules.d instead, so none of the rules of this file load; rename it ' +
      'without spaces.',
  },
  {
    code: 'world-writable-rules-file', severity: 'warning', title: 'World-writable rules file',
    message: 'Any user on the host can change this file, and so the rules loaded from it.',
    auditctl: 'Error - {file} is world writable',
  },
  {
    code: 'sibling-not-read', severity: 'warning', title: 'Sibling file not read',
    message: '{file} in this folder holds {size}, more than the editor reads beside an ' +
      'open file ({limit}): this file is checked without it. augenrules loads it with ' +
      'this file; auditd-tools check on the folder reads files up to 64 MiB.',
  },
  {
    code: 'control-line-dropped', severity: 'information', title: 'Control line dropped',
    message: 'augenrules keeps only the last {option} line of rules.d ({kept}) and drops ' +
      'this one.',
  },
  {
    code: 'control-line-indented', severity: 'warning', title: 'Indented control line',
    message: 'Debian\'s augenrules runs mawk, which does not match the indent, so this ' +
      '{option} line is not moved to its place and stays here in the stream.',
    fix: 'replace-text',
  },
  // --- the load ---------------------------------------------------------------------
  {
    code: 'load-stops', severity: 'error', title: 'Load stops here',
    message: 'auditctl stops loading at this line ({reason}) because no -c or -i comes ' +
      'before it; nothing after it is loaded: {lost}, from {first}.',
    auditctl: 'There was an error in line {line} of {file}',
  },
  {
    code: 'load-stopped-earlier', severity: 'warning', title: 'Load stopped in an earlier file',
    message: 'auditctl never reaches this file: it stops loading at {place} ({reason}), so ' +
      'nothing here loads ({count}).',
  },
  {
    code: 'delete-all-not-first', severity: 'warning', title: '-D after rules',
    message: '-D deletes every rule, including the {count} loaded above it (from {first}).',
  },
  {
    code: 'immutable-not-last', severity: 'error', title: '-e 2 before other rules',
    message: '-e 2 locks the configuration, so every rule after it is rejected ({count}, ' +
      'from {first}); put it last.',
    auditctl: 'Error sending add rule data request (Operation not permitted)',
  },
  {
    code: 'control-after-rules', severity: 'information', title: 'Setting after rules',
    message: '{option} comes after {count}; augenrules and the upstream files set it ' +
      'before any rule, so that it already holds while the rules load.',
  },
  {
    code: 'error-mode-changed', severity: 'warning', title: '-i and -c both given',
    message: '{option} replaces the {earlier} of {place} for the rest of the load: -i ' +
      'ignores failing lines (exit 0), -c continues but exits 1.',
  },
  {
    code: 'error-mode-late', severity: 'warning', title: '-i or -c after rules',
    message: '{option} only applies from here on: a failing line among the {count} ' +
      'above still stops the load.',
  },
  // --- the matching order -------------------------------------------------------------
  {
    code: 'never-after-always', severity: 'warning', title: 'never rule pre-empted',
    message: 'This never rule has no effect: the always rule at {earlier} matches every ' +
      'event it matches, and the first match wins. Move it above that rule.',
    fix: 'move-rule-above',
  },
  {
    code: 'never-partly-pre-empted', severity: 'warning', title: 'never rule partly pre-empted',
    message: 'The always rule at {earlier} comes first and matches part of this never ' +
      'rule\'s events ({share}): they are still recorded. Move this rule above that rule.',
    fix: 'move-rule-above',
  },
  {
    code: 'always-under-never', severity: 'warning', title: 'always rule hidden by never',
    message: 'This rule never fires: the never rule at {earlier} matches every event it ' +
      'matches, and the first match wins.',
  },
  {
    code: 'shadowed-rule', severity: 'warning', title: 'Rule shadowed by an earlier one',
    message: 'The rule at {earlier} matches every event this one matches and comes first, ' +
      'so this rule never decides: {effect}.',
  },
  {
    code: 'task-never-all', severity: 'warning', title: 'Syscall auditing off for new tasks',
    message: 'A never rule on the task list with no fields turns syscall auditing off for ' +
      'every task created after the load, so the exit-list rules ({count}) only see tasks ' +
      'that already ran.',
  },
  {
    code: 'exclude-drops-everything', severity: 'error', title: 'Exclusion drops every record',
    message: 'Every record meets this exclude rule, so nothing is ever logged (on the ' +
      'exclude list any match drops the record, whatever the action).',
  },
  {
    code: 'path-not-caller', severity: 'warning', title: 'dir= / path= names the object',
    message: '{field}={value} matches syscalls whose file arguments are in {value}, not ' +
      'what the program there does; to stop logging a program\'s own activity use ' +
      '-F exe=<its executable>.',
    fix: 'replace-text',
  },
];
