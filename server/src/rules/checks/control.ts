/**
 * Options that configure the kernel or auditctl rather than build a rule (setopt's cases
 * e f r b D l s m q t v h i c R and the long options), with the exact acceptance tests
 * auditctl 3.0.9 / 4.2 apply to their arguments.
 */
import { diagnostic } from '../codes';
import type { ParsedOption } from '../parse';
import { readUnsigned, startsWithDigit } from './numbers';
import { argumentRange } from './ranges';
import { LineState, fail, report } from './state';

/** What a control option does to the rest of the file. */
export type ControlEffect =
  | { kind: 'enable'; value: 0 | 1 | 2; option: ParsedOption }
  | { kind: 'ignore-errors'; option: ParsedOption }
  | { kind: 'continue-on-error'; option: ParsedOption }
  | { kind: 'delete-all'; key?: string; option: ParsedOption }
  | { kind: 'abort'; option: ParsedOption }
  | { kind: 'kernel-change'; option: ParsedOption };

/** AUDIT_BACKLOG_WAIT_TIME is 60 * HZ; the kernel refuses more than ten times it. */
const backlogWaitTimeFactor = 600;
const maxKernelHz = 1000;
const commonKernelHz = 250;

/**
 * Handles one control option. Returns the effects on the file; sets state.retval the way
 * auditctl's setopt does (-2 ends the walk over the line with success).
 */
export function applyControl(
  state: LineState,
  option: ParsedOption,
  argvCount: number,
  effects: ControlEffect[],
): void {
  const argument = option.argument?.text ?? '';
  const tokens = state.line.tokens;
  const optind = optionOptind(option);
  const wordAt = (argvIndex: number) => tokens[argvIndex - 1]?.text;

  switch (option.name) {
    case '-e':
    case '-f': {
      if (argument !== '0' && argument !== '1' && argument !== '2') {
        fail(state, diagnostic(option.name === '-e' ? 'bad-enable-value' : 'bad-failure-value',
          argumentRange(option), { value: argument }));
        return;
      }
      if (option.name === '-e') {
        effects.push({ kind: 'enable', value: Number(argument) as 0 | 1 | 2, option });
      } else {
        effects.push({ kind: 'kernel-change', option });
      }
      return;
    }

    case '-b':
    case '-r':
    case '--backlog_wait_time': {
      const label = option.name === '-b' ? 'Backlog'
        : option.name === '-r' ? 'Rate' : 'Backlog_wait_time';
      const converting = option.name === '-b' ? 'backlog'
        : option.name === '-r' ? 'rate' : 'backlog_wait_time';
      if (!startsWithDigit(argument)) {
        fail(state, diagnostic('bad-control-number', argumentRange(option), {
          option: option.name, label, value: argument,
        }));
        return;
      }
      const read = readUnsigned(argument);
      if (read.overflow) {
        fail(state, diagnostic('control-number-range', argumentRange(option), {
          value: argument, label: converting,
        }));
        return;
      }
      const kept = Number(BigInt.asUintN(32, read.value));
      if (read.value > 0xffffffffn) {
        report(state, diagnostic('number-truncated', argumentRange(option), {
          value: argument, kept,
        }));
      }
      if (option.name === '--backlog_wait_time') checkBacklogWaitTime(state, option, kept);
      effects.push({ kind: 'kernel-change', option });
      return;
    }

    case '-i':
      effects.push({ kind: 'ignore-errors', option });
      state.retval = -2;
      return;
    case '-c':
      effects.push({ kind: 'continue-on-error', option });
      state.retval = -2;
      return;

    case '-D': {
      if (argvCount > 4 || argvCount === 3) {
        fail(state, diagnostic('option-alone', option.range, {
          option: '-D', text: 'Wrong number of options for Delete all request',
        }));
        return;
      }
      let key: string | undefined;
      if (argvCount === 4) {
        if (wordAt(optind) !== '-k') {
          fail(state, diagnostic('option-alone', option.range, {
            option: '-D', text: 'Only the -k option is allowed',
          }));
          return;
        }
        key = wordAt(3);
        state.consumedWords = 2;
      }
      effects.push({ kind: 'delete-all', key, option });
      state.retval = -2;
      return;
    }

    case '-l': {
      if (argvCount > 4) {
        fail(state, diagnostic('option-alone', option.range, {
          option: '-l', text: 'Wrong number of options for list request',
        }));
        return;
      }
      const expected = argvCount === 3 ? '-i' : argvCount === 4 ? '-k' : undefined;
      if (expected && wordAt(optind) !== expected) {
        fail(state, diagnostic('option-alone', option.range, {
          option: '-l', text: 'Only -k or -i options are allowed',
        }));
        return;
      }
      if (expected) state.consumedWords = argvCount - 2;
      state.retval = -2;
      return;
    }

    case '-s': {
      if (argvCount > 3) {
        fail(state, diagnostic('option-alone', option.range, {
          option: '-s', text: 'Too many options for status command',
        }));
        return;
      }
      if (optind === 2 && argvCount === 3) {
        if (wordAt(2) !== '-i') {
          fail(state, diagnostic('option-alone', option.range, {
            option: '-s', text: 'Only -i option is allowed',
          }));
          return;
        }
        state.consumedWords = 1;
      }
      state.retval = -2;
      return;
    }

    case '-m': {
      if (argvCount > 3) {
        fail(state, diagnostic('option-alone', option.range, {
          option: '-m', text: 'The -m option must be only the only option and takes 1 parameter',
        }));
        return;
      }
      for (let i = 0; i < argument.length; i++) {
        if (argument.charCodeAt(i) < 32) {
          fail(state, diagnostic('illegal-message-character', argumentRange(option)));
          return;
        }
      }
      state.retval = -2;
      state.returnedEarly = true;
      return;
    }

    case '-q': {
      if (state.syscallAdded) {
        fail(state, diagnostic('option-alone', option.range, {
          option: '-q', text: 'Syscall auditing requested for make equivalent',
        }));
        return;
      }
      const comma = argument.indexOf(',');
      const subtree = comma === -1 ? '' : argument.slice(comma + 1);
      if (comma === -1 || subtree.length === 0 || subtree.includes(',')) {
        fail(state, diagnostic('bad-equivalence', argumentRange(option)));
        return;
      }
      report(state, diagnostic('equivalence-host', argumentRange(option), {}, {
        hostDependent: true,
      }));
      effects.push({ kind: 'kernel-change', option });
      state.retval = -2;
      state.returnedEarly = true;
      return;
    }

    // These return from setopt at once: no check of leftover words, no key.
    case '-t':
    case '--loginuid-immutable':
      effects.push({ kind: 'kernel-change', option });
      state.retval = -2;
      state.returnedEarly = true;
      return;

    case '--reset-lost':
    case '--reset_backlog_wait_time_actual':
      state.retval = -2;
      state.returnedEarly = true;
      return;

    case '-v':
      state.retval = -2;
      return;

    case '-h':
      // auditctl 3.0.9 prints the usage and fails the line; 4.2 counts it as success.
      if (state.options.auditVersion === '3.0.9') {
        fail(state, diagnostic('help-option', option.range, { version: '3.0.9' }));
      } else {
        state.retval = -2;
      }
      return;

    case '-R':
      fail(state, diagnostic('nested-rules-file', option.range));
      return;

    case '--signal': {
      const signal = argument.toLowerCase();
      if (!knownSignals.has(signal)) {
        fail(state, diagnostic('unsupported-signal', argumentRange(option), { value: argument }));
        effects.push({ kind: 'abort', option });
        return;
      }
      report(state, diagnostic('signal-in-rules-file', option.range, {}, { hostDependent: true }));
      state.retval = -2;
      return;
    }

    default:
      return;
  }
}

const knownSignals = new Set([
  'term', 'stop', 'hup', 'reload', 'usr1', 'rotate', 'usr2', 'resume', 'cont', 'state',
]);

function checkBacklogWaitTime(state: LineState, option: ParsedOption, value: number): void {
  const hardLimit = backlogWaitTimeFactor * maxKernelHz;
  if (value > hardLimit) {
    fail(state, diagnostic('backlog-wait-time-range', argumentRange(option), {
      value, limit: hardLimit,
    }));
    return;
  }
  if (value > backlogWaitTimeFactor * commonKernelHz) {
    report(state, diagnostic('backlog-wait-time-hz', argumentRange(option), {
      value, hz: Math.ceil(value / backlogWaitTimeFactor),
    }, { hostDependent: true }));
  }
}

/**
 * getopt's optind right after it returned this option: still on the same word inside an
 * unfinished cluster, else past the option's word and its separate argument. argv[0] is
 * "auditctl", so the word at token index t is argv[t + 1].
 */
export function optionOptind(option: ParsedOption): number {
  if (option.midCluster) return option.tokenIndex + 1;
  if (option.argument && !option.argument.attached) return option.argument.tokenIndex + 2;
  return option.tokenIndex + 2;
}
