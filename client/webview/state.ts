// The front end's state: the report being shown, the user's selection and the table views.
// It is saved with the webview API's setState after every change, so hiding the panel or
// reloading the window brings the same view back.
import type { NoiseSelection } from '../src/noiseView/messages';
import type { RulesPreview, SampleRecord, ViewReport } from '../src/noiseView/viewReport';
import type { TableView } from './table';

export type TabId = 'exe' | 'syscall' | 'key' | 'type' | 'uid' | 'process';

export interface SamplesView {
  exe: string;
  syscall?: string;
  key?: string;
  samples: SampleRecord[] | null;
}

export interface ViewState {
  version: 1;
  report: ViewReport | null;
  files: string[];
  selection: NoiseSelection;
  tab: TabId;
  tables: Record<TabId, TableView>;
  drillExe: string | null;
  samples: SamplesView | null;
  preview: RulesPreview | null;
  previewPending: boolean;
  progress: number | null;
  logChanged: boolean;
  error: string | null;
  maxLogFileMb: number;
}

function tableView(sortColumn: string): TableView {
  return { sortColumn, descending: true, filter: '' };
}

export function emptySelection(): NoiseSelection {
  return { exes: [], exeSyscalls: [], keys: [], types: [], paths: [] };
}

export function initialState(): ViewState {
  return {
    version: 1,
    report: null,
    files: [],
    selection: emptySelection(),
    tab: 'exe',
    tables: {
      exe: tableView('events'),
      syscall: tableView('events'),
      key: tableView('events'),
      type: tableView('records'),
      uid: tableView('events'),
      process: tableView('filesScanned'),
    },
    drillExe: null,
    samples: null,
    preview: null,
    previewPending: false,
    progress: null,
    logChanged: false,
    error: null,
    maxLogFileMb: 8,
  };
}

/** A saved state from an older build, or a damaged one, starts over rather than break. */
export function restoredState(saved: unknown): ViewState {
  const fresh = initialState();
  if (typeof saved !== 'object' || saved === null) return fresh;
  const candidate = saved as Partial<ViewState>;
  if (candidate.version !== 1) return fresh;
  return { ...fresh, ...candidate, progress: null, previewPending: false };
}

export function selectionSize(selection: NoiseSelection): number {
  return selection.exes.length + selection.keys.length + selection.types.length
    + selection.paths.length
    + selection.exeSyscalls.reduce((sum, entry) => sum + entry.syscalls.length, 0);
}

export function toggleName(list: string[], name: string, selected: boolean): string[] {
  const without = list.filter((item) => item !== name);
  return selected ? [...without, name] : without;
}

export function toggleExeSyscall(
  selection: NoiseSelection, exe: string, syscall: string, selected: boolean,
): NoiseSelection {
  const current = selection.exeSyscalls.find((entry) => entry.exe === exe)?.syscalls ?? [];
  const syscalls = toggleName(current, syscall, selected);
  const others = selection.exeSyscalls.filter((entry) => entry.exe !== exe);
  return {
    ...selection,
    exeSyscalls: syscalls.length > 0 ? [...others, { exe, syscalls }] : others,
  };
}
