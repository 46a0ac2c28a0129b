// The noise view's front end: renders the log engine's report as a summary, charts and
// tables, turns row selection into `selectionChanged` messages, and shows the proposed
// exclusion rules the extension sends back. Everything from the log is set as text.
import type { Chart } from 'chart.js';
import type { ExtensionMessage, WebviewMessage } from '../src/noiseView/messages';
import type {
  AuditViewReport, ExeKeyRow, ExeRow, ExeSyscallRow, KeyRow, MdatpRow, MdatpViewReport,
  SyscallRow, TypeRow, UidRow,
} from '../src/noiseView/viewReport';
import { drawTimeline, drawTopOffenders } from './charts';
import {
  button, clear, countFormat, element, formatBytes, formatMinutes, formatSpan, formatTime,
} from './dom';
import {
  emptySelection, restoredState, selectionSize, toggleExeSyscall, toggleName,
  type TabId, type ViewState,
} from './state';
import './webview.css';
import { renderTable, type Column, type TableSpec } from './table';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: ViewState = restoredState(vscode.getState());
const charts: { top?: Chart; timeline?: Chart } = {};

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function save(): void {
  vscode.setState(state);
}

function update(change: Partial<ViewState>): void {
  state = { ...state, ...change };
  save();
  render();
}

function changeSelection(selection: ViewState['selection']): void {
  const pending = selectionSize(selection) > 0;
  update({ selection, previewPending: pending, preview: pending ? state.preview : null });
  post({ command: 'selectionChanged', selection });
}

const count = (value: number): string => countFormat.format(value);

/** A sparse log's rate is far below one per minute: keep two significant digits then. */
function formatRate(perMinute: number): string {
  return perMinute >= 10 || perMinute === 0 ? perMinute.toFixed(1) : perMinute.toPrecision(2);
}

// ---- summary

function summaryItem(label: string, value: string, testId: string): HTMLElement {
  return element('div', { className: 'summary-item' }, [
    element('div', { className: 'summary-label', text: label }),
    element('div', { className: 'summary-value', text: value, testId }),
  ]);
}

function renderAuditSummary(report: AuditViewReport): HTMLElement {
  return element('section', { className: 'summary', testId: 'summary' }, [
    summaryItem('Events', count(report.events), 'summary-events'),
    summaryItem('Records', count(report.records), 'summary-records'),
    summaryItem('Time span', formatSpan(report.firstTime, report.lastTime), 'summary-span'),
    summaryItem('Events per minute', formatRate(report.eventsPerMinute), 'summary-rate'),
    summaryItem(`Rotation (max_log_file ${report.maxLogFileMb} MB)`,
      formatMinutes(report.rotationMinutes), 'summary-rotation'),
    summaryItem('Lost records', count(report.lostRecords), 'summary-lost'),
    summaryItem('Skipped lines', count(report.skippedLines), 'summary-skipped'),
  ]);
}

function renderMdatpSummary(report: MdatpViewReport): HTMLElement {
  return element('section', { className: 'summary', testId: 'summary' }, [
    summaryItem('Processes', count(report.processes.length), 'summary-processes'),
    summaryItem('Files scanned', count(report.totalFilesScanned), 'summary-files'),
  ]);
}

function renderSources(report: AuditViewReport | MdatpViewReport): HTMLElement {
  const list = element('ul', { className: 'sources', testId: 'sources' });
  for (const source of report.sources) {
    list.appendChild(element('li', { text: `${source.label} (${formatBytes(source.bytes)})` }));
  }
  return list;
}

function renderSkipped(report: AuditViewReport): HTMLElement | null {
  if (report.skippedSamples.length === 0) return null;
  const list = element('ul', { className: 'skipped' });
  for (const skipped of report.skippedSamples) {
    const link = element('button', {
      className: 'link', testId: 'skipped-line',
      text: `${report.sources[skipped.source]?.label ?? '?'}:${skipped.line}: ${skipped.reason}`,
      attributes: { type: 'button' },
    });
    link.addEventListener('click', () => {
      post({ command: 'openRecord', source: skipped.source, line: skipped.line });
    });
    list.appendChild(element('li', {}, [link]));
  }
  return element('details', {}, [element('summary', { text: 'Skipped lines' }), list]);
}

// ---- charts

function renderCharts(report: AuditViewReport | MdatpViewReport): HTMLElement {
  const topCanvas = element('canvas', { testId: 'chart-top' });
  const section = element('section', { className: 'charts' }, [
    element('div', { className: 'chart' }, [topCanvas]),
  ]);
  let timelineCanvas: HTMLCanvasElement | null = null;
  if (report.kind === 'audit' && report.perMinute.length > 0) {
    timelineCanvas = element('canvas', { testId: 'chart-timeline' });
    section.appendChild(element('div', { className: 'chart' }, [timelineCanvas]));
  }

  // Chart.js measures its parent, so it draws once the section is in the document.
  queueMicrotask(() => {
    const top = report.kind === 'audit'
      ? report.byExe.slice(0, 10).map((row) => ({ label: row.exe, value: row.events }))
      : report.processes.slice(0, 10).map((row) => ({ label: row.path, value: row.filesScanned }));
    const title = report.kind === 'audit' ? 'events by executable' : 'files scanned';
    charts.top = drawTopOffenders(topCanvas, top, title, charts.top);
    if (timelineCanvas && report.kind === 'audit') {
      charts.timeline = drawTimeline(timelineCanvas, report.perMinute, charts.timeline);
    } else {
      charts.timeline?.destroy();
      charts.timeline = undefined;
    }
  });
  return section;
}

// ---- tables

const eventsColumn = <Row extends { events: number }>(): Column<Row> => ({
  id: 'events', title: 'Events', value: (row) => row.events, numeric: true,
  display: (row) => count(row.events),
});

function tableSpec<Row>(
  id: TabId, caption: string, columns: Array<Column<Row>>, rows: Row[],
  rowKey: (row: Row) => string,
): TableSpec<Row> {
  return {
    id, caption, columns, rows, rowKey, view: state.tables[id],
    onViewChange: () => { save(); render(); },
  };
}

function nameToggle(list: 'exes' | 'keys' | 'types' | 'paths') {
  return (name: string, selected: boolean): void => {
    const names = toggleName(state.selection[list], name, selected);
    changeSelection({ ...state.selection, [list]: names });
  };
}

function exeTable(report: AuditViewReport): TableSpec<ExeRow> {
  const spec = tableSpec<ExeRow>('exe', 'Executables', [
    { id: 'exe', title: 'Executable', value: (row) => row.exe,
      display: (row) => (row.deleted ? `${row.exe} (deleted)` : row.exe) },
    eventsColumn<ExeRow>(),
    { id: 'bytes', title: 'Log bytes', value: (row) => row.bytes, numeric: true,
      display: (row) => formatBytes(row.bytes) },
  ], report.byExe, (row) => row.exe);
  const toggle = nameToggle('exes');
  spec.selection = {
    isSelected: (row) => state.selection.exes.includes(row.exe),
    toggle: (row, selected) => toggle(row.exe, selected),
  };
  spec.drillColumn = 'exe';
  spec.onDrill = (row) => {
    update({ drillExe: row.exe });
    requestSamples({ exe: row.exe });
  };
  return spec;
}

function syscallTable(report: AuditViewReport): TableSpec<SyscallRow> {
  return tableSpec<SyscallRow>('syscall', 'Syscalls', [
    { id: 'name', title: 'Syscall', value: (row) => row.name },
    { id: 'number', title: 'Number', value: (row) => row.number, numeric: true },
    { id: 'arch', title: 'Arch', value: (row) => row.arch },
    eventsColumn<SyscallRow>(),
  ], report.bySyscall, (row) => `${row.arch}/${row.number}`);
}

function keyTable(report: AuditViewReport): TableSpec<KeyRow> {
  const spec = tableSpec<KeyRow>('key', 'Keys', [
    { id: 'key', title: 'Key', value: (row) => row.key },
    eventsColumn<KeyRow>(),
  ], report.byKey, (row) => row.key);
  const toggle = nameToggle('keys');
  spec.selection = {
    isSelected: (row) => state.selection.keys.includes(row.key),
    toggle: (row, selected) => toggle(row.key, selected),
  };
  return spec;
}

function typeTable(report: AuditViewReport): TableSpec<TypeRow> {
  const spec = tableSpec<TypeRow>('type', 'Record types', [
    { id: 'type', title: 'Type', value: (row) => row.type },
    { id: 'records', title: 'Records', value: (row) => row.records, numeric: true,
      display: (row) => count(row.records) },
  ], report.byType, (row) => row.type);
  const toggle = nameToggle('types');
  spec.selection = {
    isSelected: (row) => state.selection.types.includes(row.type),
    toggle: (row, selected) => toggle(row.type, selected),
  };
  return spec;
}

function uidTable(report: AuditViewReport): TableSpec<UidRow> {
  return tableSpec<UidRow>('uid', 'Users', [
    { id: 'uid', title: 'uid', value: (row) => row.uid },
    eventsColumn<UidRow>(),
  ], report.byUid, (row) => row.uid);
}

function processTable(report: MdatpViewReport): TableSpec<MdatpRow> {
  const spec = tableSpec<MdatpRow>('process', 'Processes', [
    { id: 'path', title: 'Path', value: (row) => row.path },
    { id: 'name', title: 'Name', value: (row) => row.name },
    { id: 'filesScanned', title: 'Files scanned', value: (row) => row.filesScanned,
      numeric: true, display: (row) => count(row.filesScanned) },
    { id: 'scanTime', title: 'Total scan time', value: (row) => row.scanTime ?? -1,
      numeric: true, display: (row) => (row.scanTime === null ? '' : count(row.scanTime)) },
  ], report.processes, (row) => row.path);
  const toggle = nameToggle('paths');
  spec.selection = {
    isSelected: (row) => state.selection.paths.includes(row.path),
    toggle: (row, selected) => toggle(row.path, selected),
  };
  return spec;
}

const auditTabs: Array<{ id: TabId; title: string }> = [
  { id: 'exe', title: 'Executables' },
  { id: 'syscall', title: 'Syscalls' },
  { id: 'key', title: 'Keys' },
  { id: 'type', title: 'Record types' },
  { id: 'uid', title: 'Users' },
];

function renderTabs(report: AuditViewReport): HTMLElement {
  const bar = element('div', { className: 'tabs', attributes: { role: 'tablist' } });
  for (const tab of auditTabs) {
    const tabButton = element('button', {
      text: tab.title, testId: `tab-${tab.id}`,
      className: tab.id === state.tab ? 'tab active' : 'tab',
      attributes: { type: 'button', role: 'tab', 'aria-selected': String(tab.id === state.tab) },
    });
    tabButton.addEventListener('click', () => update({ tab: tab.id }));
    bar.appendChild(tabButton);
  }

  const container = element('div', { className: 'table-container' });
  const note = report.truncatedRows > 0
    ? `${count(report.truncatedRows)} rows beyond the largest ones are not listed.` : undefined;
  const tab = auditTabs.some((t) => t.id === state.tab) ? state.tab : 'exe';
  if (tab === 'exe') renderTable(container, { ...exeTable(report), note });
  else if (tab === 'syscall') renderTable(container, syscallTable(report));
  else if (tab === 'key') renderTable(container, keyTable(report));
  else if (tab === 'type') renderTable(container, typeTable(report));
  else renderTable(container, uidTable(report));

  return element('section', { className: 'tables' }, [bar, container]);
}

// ---- drill-down

function renderDrill(report: AuditViewReport): HTMLElement | null {
  const exe = state.drillExe;
  if (exe === null) return null;

  const syscalls = report.byExeSyscall.filter((row) => row.exe === exe);
  const chosen = state.selection.exeSyscalls.find((entry) => entry.exe === exe)?.syscalls ?? [];
  const syscallList = element('ul', { className: 'drill-list', testId: 'drill-syscalls' });
  for (const row of syscalls) syscallList.appendChild(drillSyscallItem(row, chosen));

  const keys = report.byExeKey.filter((row) => row.exe === exe);
  const keyList = element('ul', { className: 'drill-list', testId: 'drill-keys' });
  for (const row of keys) keyList.appendChild(drillKeyItem(row));

  const close = button('Close', 'drill-close', () => update({ drillExe: null, samples: null }),
    true);
  const samples = button('Sample records', 'drill-samples', () => requestSamples({ exe }), true);

  return element('section', { className: 'drill', testId: 'drill' }, [
    element('div', { className: 'drill-head' }, [
      element('h2', { text: exe, testId: 'drill-exe' }), samples, close,
    ]),
    element('div', { className: 'drill-columns' }, [
      element('div', {}, [element('h3', { text: 'Syscalls (select to exclude only these)' }),
        syscallList]),
      element('div', {}, [element('h3', { text: 'Keys' }), keyList]),
    ]),
    renderSamples(),
  ]);
}

function drillSyscallItem(row: ExeSyscallRow, chosen: string[]): HTMLElement {
  const box = element('input', {
    testId: 'drill-syscall-select',
    attributes: { type: 'checkbox', 'aria-label': `select ${row.name}` },
  });
  box.checked = chosen.includes(row.name);
  box.addEventListener('change', () => {
    changeSelection(toggleExeSyscall(state.selection, row.exe, row.name, box.checked));
  });
  const link = element('button', {
    className: 'link', text: `${row.name} (${row.arch} ${row.number})`,
    attributes: { type: 'button' },
  });
  link.addEventListener('click', () => requestSamples({ exe: row.exe, syscall: row.name }));
  return element('li', {}, [box, link,
    element('span', { className: 'count', text: count(row.events) })]);
}

function drillKeyItem(row: ExeKeyRow): HTMLElement {
  const link = element('button', {
    className: 'link', text: row.key, attributes: { type: 'button' },
  });
  link.addEventListener('click', () => requestSamples({ exe: row.exe, key: row.key }));
  const events = element('span', { className: 'count', text: count(row.events) });
  return element('li', {}, [link, events]);
}

function requestSamples(query: { exe: string; syscall?: string; key?: string }): void {
  update({ samples: { ...query, samples: null } });
  post({ command: 'requestSamples', ...query });
}

function renderSamples(): HTMLElement | null {
  const view = state.samples;
  if (!view) return null;
  const scope = [view.syscall, view.key].filter(Boolean).join(', ');
  const heading = element('h3', { text: `Sample records${scope ? ` (${scope})` : ''}` });
  if (view.samples === null) {
    const loading = element('p', { text: 'Loading…' });
    return element('div', { className: 'samples' }, [heading, loading]);
  }

  const list = element('ol', { className: 'samples-list', testId: 'samples' });
  for (const sample of view.samples) {
    const source = state.report?.sources[sample.source]?.label ?? '?';
    const link = element('button', {
      className: 'record', testId: 'sample-record', attributes: { type: 'button' },
    }, [
      element('span', { className: 'where', text: `${source}:${sample.line}` }),
      element('code', { text: sample.text }),
    ]);
    link.addEventListener('click', () => {
      post({ command: 'openRecord', source: sample.source, line: sample.line });
    });
    list.appendChild(element('li', {}, [link]));
  }
  if (view.samples.length === 0) list.appendChild(element('li', { text: 'No records found.' }));
  return element('div', { className: 'samples' }, [heading, list]);
}

// ---- preview

function renderPreview(): HTMLElement {
  const section = element('section', { className: 'preview', testId: 'preview' }, [
    element('h2', { text: 'Proposed exclusions' }),
  ]);

  if (selectionSize(state.selection) === 0) {
    section.appendChild(element('p', {
      className: 'hint', testId: 'preview-empty',
      text: 'Select rows (executables, an executable\u2019s syscalls, keys or record types) '
        + 'to propose exclusion rules.',
    }));
    return section;
  }

  const clearButton = button('Clear selection', 'clear-selection',
    () => changeSelection(emptySelection()), true);
  section.appendChild(element('p', {
    className: 'hint', testId: 'selection-size',
    text: `${selectionSize(state.selection)} selected`,
  }, [clearButton]));

  const preview = state.preview;
  if (!preview) {
    section.appendChild(element('p', { text: 'Computing rules and their impact…' }));
    return section;
  }

  const rulesText = preview.rules.map((rule) => rule.rule).join('\n');
  section.appendChild(element('pre', { className: 'rules', testId: 'preview-rules',
    text: rulesText }));
  if (state.previewPending) section.classList.add('stale');

  const removed = preview.eventsBefore > 0
    ? (100 * preview.eventsRemoved) / preview.eventsBefore : 0;
  const share = `${count(preview.eventsRemoved)} of ${count(preview.eventsBefore)} `
    + `(${removed.toFixed(1)}%)`;
  const impact = element('dl', { className: 'impact', testId: 'preview-impact' });
  if (state.report?.kind === 'mdatp') {
    impact.append(
      element('dt', { text: 'Files scanned by these processes' }),
      element('dd', { testId: 'impact-events', text: share }),
    );
  } else {
    impact.append(
      element('dt', { text: 'Events removed' }),
      element('dd', { testId: 'impact-events', text: share }),
      element('dt', { text: 'Log bytes removed' }),
      element('dd', { testId: 'impact-bytes', text: formatBytes(preview.bytesRemoved) }),
      element('dt', { text: 'Rotation interval' }),
      element('dd', { testId: 'impact-rotation',
        text: `${formatMinutes(preview.rotationMinutesBefore)} \u2192 `
          + formatMinutes(preview.rotationMinutesAfter) }),
    );
  }
  section.appendChild(impact);

  const warnings = preview.rules.flatMap((rule) => rule.warnings);
  if (warnings.length > 0) {
    const list = element('ul', { className: 'warnings', testId: 'preview-warnings' });
    for (const warning of new Set(warnings)) list.appendChild(element('li', { text: warning }));
    section.appendChild(list);
  }
  if (preview.notes.length > 0) {
    const list = element('ul', { className: 'notes', testId: 'preview-notes' });
    for (const note of preview.notes) list.appendChild(element('li', { text: note }));
    section.appendChild(list);
  }
  if (preview.refused.length > 0) {
    const list = element('ul', { className: 'refused', testId: 'preview-refused' });
    for (const item of preview.refused) {
      list.appendChild(element('li', { text: `${item.name}: ${item.reason}` }));
    }
    section.appendChild(list);
  }

  const isAudit = state.report?.kind === 'audit';
  const actions = element('div', { className: 'actions' }, [
    isAudit ? button('Insert into rules file', 'insert-rules',
      () => post({ command: 'insertRules' })) : null,
    button('Copy', 'copy-rules', () => post({ command: 'copyRules' }), !isAudit ? false : true),
    button('Open as new document', 'open-rules', () => post({ command: 'openRules' }), true),
  ]);
  if (preview.rules.length === 0) {
    for (const node of actions.querySelectorAll('button')) node.disabled = true;
  }
  section.appendChild(actions);
  return section;
}

// ---- page

function renderBanners(): HTMLElement[] {
  const banners: HTMLElement[] = [];
  if (state.progress !== null) {
    const bar = element('progress', { testId: 'progress',
      attributes: { max: '100', value: String(state.progress) } });
    banners.push(element('div', { className: 'banner progress' }, [
      element('span', { text: `Reading the log: ${state.progress.toFixed(0)}%`,
        testId: 'progress-text' }),
      bar,
    ]));
  }
  if (state.logChanged) {
    banners.push(element('div', { className: 'banner changed', testId: 'log-changed' }, [
      element('span', { text: 'The log has changed since it was analysed.' }),
      button('Refresh', 'refresh', () => {
        update({ logChanged: false });
        post({ command: 'refresh' });
      }),
    ]));
  }
  if (state.error !== null) {
    banners.push(element('div', { className: 'banner error', testId: 'error',
      text: state.error }));
  }
  return banners;
}

function renderMaxLogFile(): HTMLElement {
  const input = element('input', {
    testId: 'max-log-file',
    attributes: { type: 'number', min: '1', max: '100000', step: '1',
      'aria-label': 'max_log_file in MB' },
  });
  input.value = String(state.maxLogFileMb);
  input.addEventListener('change', () => {
    const megabytes = Number.parseInt(input.value, 10);
    if (!Number.isInteger(megabytes) || megabytes < 1 || megabytes > 100000) return;
    update({ maxLogFileMb: megabytes });
    post({ command: 'setMaxLogFile', megabytes });
  });
  return element('label', { className: 'max-log-file', text: 'max_log_file (MB) ' }, [input]);
}

/** The banners alone: progress arrives every percent and must not rebuild the tables. */
function renderBannerArea(): void {
  const area = document.getElementById('banners');
  if (area) area.replaceChildren(...renderBanners());
}

function render(): void {
  const page = document.getElementById('root');
  if (!page) return;
  clear(page);
  const banners = element('div', { attributes: { id: 'banners' } });
  const root = element('div');
  page.append(banners, root);
  renderBannerArea();

  const report = state.report;
  if (!report) {
    if (state.progress === null && state.error === null) {
      root.appendChild(element('p', { className: 'hint', text: 'Waiting for the analysis…' }));
    }
    return;
  }

  const heading = element('header', {}, [
    element('h1', { text: report.kind === 'audit' ? 'Audit log noise' : 'mdatp scan noise' }),
    report.kind === 'audit' ? renderMaxLogFile() : null,
  ]);
  root.append(heading, renderSources(report));

  if (report.kind === 'audit') {
    root.append(renderAuditSummary(report));
    const skipped = renderSkipped(report);
    if (skipped) root.append(skipped);
  } else {
    root.append(renderMdatpSummary(report));
  }

  const main = element('div', { className: 'layout' });
  const left = element('div', { className: 'main-column' });
  left.appendChild(renderCharts(report));
  if (report.kind === 'audit') {
    left.appendChild(renderTabs(report));
    const drill = renderDrill(report);
    if (drill) left.appendChild(drill);
  } else {
    const container = element('div', { className: 'table-container' });
    renderTable(container, processTable(report));
    left.appendChild(element('section', { className: 'tables' }, [container]));
  }
  main.append(left, renderPreview());
  root.appendChild(main);
}

function receive(message: ExtensionMessage): void {
  switch (message.command) {
    case 'progress': {
      const hadBanner = state.progress !== null || state.error !== null;
      state = { ...state, progress: message.percent >= 100 ? null : message.percent, error: null };
      save();
      if (hadBanner && state.report) renderBannerArea();
      else render();
      break;
    }
    case 'report':
      update({
        report: message.report, files: message.files, progress: null, error: null,
        maxLogFileMb: message.report.kind === 'audit'
          ? message.report.maxLogFileMb : state.maxLogFileMb,
      });
      break;
    case 'preview':
      update({ preview: message.preview, previewPending: false });
      break;
    case 'samples':
      if (state.samples && state.samples.exe === message.exe
        && state.samples.syscall === message.syscall && state.samples.key === message.key) {
        update({ samples: { ...state.samples, samples: message.samples } });
      }
      break;
    case 'logChanged':
      update({ logChanged: true });
      break;
    case 'error':
      update({ error: message.message, progress: null });
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<ExtensionMessage>) => {
  const message = event.data;
  if (typeof message === 'object' && message !== null && typeof message.command === 'string') {
    receive(message);
  }
});

render();
post({ command: 'ready' });
// A restored selection is re-sent so the extension recomputes its preview after a reload.
if (selectionSize(state.selection) > 0) {
  post({ command: 'selectionChanged', selection: state.selection });
}
