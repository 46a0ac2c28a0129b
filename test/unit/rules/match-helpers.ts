/**
 * Builders of rule-model parts for the matching tests: the model's input written out by
 * hand, so that the matcher is tested on exactly the conditions a test names.
 */
import { lineRange } from '../../../server/src/rules/diagnostics';
import type {
  ArchCondition,
  FieldCondition,
  FieldOperator,
  RuleModel,
} from '../../../server/src/rules/model';
import type { RuleInput } from '../../../server/src/rules/match';
import type { ListName, Machine } from '../../../server/src/tables';

const nowhere = lineRange(0, 0, 0);

export function field(
  name: string,
  operator: FieldOperator,
  value: number | string,
): FieldCondition {
  return {
    field: name, operator, value, raw: `${value}`, range: nowhere, valueRange: nowhere,
  };
}

export function arch(machine: Machine, operator: FieldOperator = '='): ArchCondition {
  return { machine, operator, raw: machine, range: nowhere };
}

export interface RuleParts {
  list?: ListName;
  action?: 'always' | 'never';
  operation?: RuleModel['operation'];
  syscalls?: number[];
  arches?: readonly ArchCondition[];
  fields?: readonly FieldCondition[];
  comparisons?: readonly { left: string; operator: '=' | '!='; right: string }[];
  keys?: string[];
}

export function rule(parts: RuleParts): RuleInput {
  return {
    list: parts.list ?? 'exit',
    action: parts.action ?? 'always',
    operation: parts.operation ?? 'append',
    syscalls: {
      all: parts.syscalls === undefined, numbers: parts.syscalls ?? [], names: [], written: [],
    },
    arches: [...(parts.arches ?? [])],
    fields: [...(parts.fields ?? [])],
    comparisons: (parts.comparisons ?? []).map((c) => ({ ...c, range: nowhere })),
    keys: parts.keys ?? [],
  };
}
