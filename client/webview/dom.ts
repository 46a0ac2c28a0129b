// Building DOM nodes for the noise view. Log values are attacker-controlled, so text is
// only ever set through textContent, attributes through setAttribute with names from this
// code, and handlers through addEventListener: no HTML string is parsed anywhere.

export interface ElementOptions {
  className?: string;
  text?: string;
  testId?: string;
  title?: string;
  attributes?: Record<string, string>;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: Array<Node | null> = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.testId) node.setAttribute('data-testid', options.testId);
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

export function button(
  label: string, testId: string, onClick: () => void, secondary = false,
): HTMLButtonElement {
  const node = element('button', {
    text: label, testId, className: secondary ? 'secondary' : undefined,
    attributes: { type: 'button' },
  });
  node.addEventListener('click', onClick);
  return node;
}

export function clear(node: Element): void {
  node.replaceChildren();
}

export const countFormat = new Intl.NumberFormat('en-US');

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatMinutes(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes)) return 'never at this rate';
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${minutes.toFixed(minutes < 10 ? 1 : 0)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

export function formatTime(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatSpan(first: number | null, last: number | null): string {
  if (first === null || last === null) return 'unknown';
  const seconds = Math.max(0, last - first);
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  return formatMinutes(seconds / 60);
}
