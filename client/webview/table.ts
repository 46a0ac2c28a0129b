// A sortable, filterable table with an optional checkbox per row. Sort and filter live in
// TableView so they survive a re-render and are saved with the webview state.
import { element, clear } from './dom';

export interface Column<Row> {
  id: string;
  title: string;
  value: (row: Row) => string | number;
  /** Text shown in the cell; defaults to the value. */
  display?: (row: Row) => string;
  numeric?: boolean;
}

export interface TableView {
  sortColumn: string;
  descending: boolean;
  filter: string;
}

export interface TableSpec<Row> {
  id: string;
  caption: string;
  columns: Array<Column<Row>>;
  rows: Row[];
  rowKey: (row: Row) => string;
  view: TableView;
  /** Present when rows can be selected for exclusion. */
  selection?: {
    isSelected: (row: Row) => boolean;
    toggle: (row: Row, selected: boolean) => void;
  };
  /** Column whose cell becomes a link that opens the row's drill-down. */
  drillColumn?: string;
  onDrill?: (row: Row) => void;
  onViewChange: () => void;
  /** Shown below the table when rows were cut. */
  note?: string;
}

function compareRows<Row>(column: Column<Row>, descending: boolean) {
  return (left: Row, right: Row): number => {
    const a = column.value(left);
    const b = column.value(right);
    const order = typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b));
    return descending ? -order : order;
  };
}

function matchesFilter<Row>(row: Row, columns: Array<Column<Row>>, needle: string): boolean {
  if (!needle) return true;
  return columns.some((column) => String(column.value(row)).toLowerCase().includes(needle));
}

export function visibleRows<Row>(spec: TableSpec<Row>): Row[] {
  const needle = spec.view.filter.trim().toLowerCase();
  const column = spec.columns.find((c) => c.id === spec.view.sortColumn) ?? spec.columns[0];
  return spec.rows
    .filter((row) => matchesFilter(row, spec.columns, needle))
    .sort(compareRows(column, spec.view.descending));
}

function headerCell<Row>(spec: TableSpec<Row>, column: Column<Row>): HTMLTableCellElement {
  const active = spec.view.sortColumn === column.id;
  const arrow = active ? (spec.view.descending ? ' \u25BE' : ' \u25B4') : '';
  const sortButton = element('button', {
    text: column.title + arrow,
    className: 'sort',
    testId: `sort-${spec.id}-${column.id}`,
    attributes: { type: 'button' },
  });
  sortButton.addEventListener('click', () => {
    if (active) spec.view.descending = !spec.view.descending;
    else {
      spec.view.sortColumn = column.id;
      spec.view.descending = column.numeric === true;
    }
    spec.onViewChange();
  });

  const cell = element('th', { className: column.numeric ? 'numeric' : undefined }, [sortButton]);
  const order = active ? (spec.view.descending ? 'descending' : 'ascending') : 'none';
  cell.setAttribute('aria-sort', order);
  return cell;
}

function rowElement<Row>(spec: TableSpec<Row>, row: Row, index: number): HTMLTableRowElement {
  const key = spec.rowKey(row);
  const tr = element('tr', {
    testId: `${spec.id}-row`,
    attributes: { 'data-key': key, 'data-rank': String(index + 1) },
  });

  if (spec.selection) {
    const selected = spec.selection.isSelected(row);
    const box = element('input', {
      testId: 'row-select',
      attributes: { type: 'checkbox', 'aria-label': `select ${key}` },
    });
    box.checked = selected;
    box.addEventListener('change', () => spec.selection?.toggle(row, box.checked));
    tr.appendChild(element('td', { className: 'select' }, [box]));
    if (selected) tr.classList.add('selected');
  }

  for (const column of spec.columns) {
    const text = column.display ? column.display(row) : String(column.value(row));
    const cell = element('td', {
      className: column.numeric ? 'numeric' : 'text',
      testId: `${spec.id}-${column.id}`,
      title: column.numeric ? undefined : text,
    });
    if (column.id === spec.drillColumn && spec.onDrill) {
      const link = element('button', {
        text, className: 'link', testId: `${spec.id}-drill`, attributes: { type: 'button' },
      });
      link.addEventListener('click', () => spec.onDrill?.(row));
      cell.appendChild(link);
    } else {
      cell.textContent = text;
    }
    tr.appendChild(cell);
  }
  return tr;
}

export function renderTable<Row>(container: HTMLElement, spec: TableSpec<Row>): void {
  clear(container);

  const filter = element('input', {
    testId: 'filter-input',
    className: 'filter',
    attributes: { type: 'search', placeholder: `Filter ${spec.caption.toLowerCase()}`,
      'aria-label': `Filter ${spec.caption.toLowerCase()}` },
  });
  filter.value = spec.view.filter;

  const rows = visibleRows(spec);
  const count = element('span', {
    className: 'row-count', testId: `${spec.id}-count`,
    text: `${rows.length} of ${spec.rows.length}`,
  });

  const headRow = element('tr');
  if (spec.selection) headRow.appendChild(element('th', { className: 'select', text: '' }));
  for (const column of spec.columns) headRow.appendChild(headerCell(spec, column));

  const body = element('tbody');
  rows.forEach((row, index) => body.appendChild(rowElement(spec, row, index)));

  const table = element('table', { testId: `table-${spec.id}` }, [
    element('caption', { text: spec.caption }),
    element('thead', {}, [headRow]),
    body,
  ]);

  filter.addEventListener('input', () => {
    spec.view.filter = filter.value;
    spec.onViewChange();
    const again = container.querySelector<HTMLInputElement>('input.filter');
    again?.focus();
    again?.setSelectionRange(filter.value.length, filter.value.length);
  });

  container.append(
    element('div', { className: 'table-tools' }, [filter, count]),
    element('div', { className: 'table-scroll' }, [table]),
  );
  if (spec.note) container.appendChild(element('p', { className: 'note', text: spec.note }));
}
