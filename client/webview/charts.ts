// The two charts of the noise view, drawn with chart.js on canvas (text on a canvas is
// never parsed as markup). Colours come from the theme's CSS variables so the charts
// follow light, dark and high-contrast themes.
import {
  BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement,
  PointElement, Tooltip, Filler,
} from 'chart.js';

Chart.register(
  BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement,
  PointElement, Tooltip, Filler,
);

export interface BarDatum { label: string; value: number }

function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

function commonOptions() {
  const foreground = themeColour('--vscode-foreground', '#888888');
  const grid = themeColour('--vscode-panel-border', 'rgba(128,128,128,0.3)');
  Chart.defaults.color = foreground;
  Chart.defaults.font.family = themeColour('--vscode-font-family', 'sans-serif');
  return { foreground, grid };
}

/** Long exe paths would squeeze the bars: keep the end, which names the program. */
function shortLabel(label: string): string {
  return label.length > 40 ? `\u2026${label.slice(-39)}` : label;
}

export function drawTopOffenders(
  canvas: HTMLCanvasElement, data: BarDatum[], title: string, previous?: Chart,
): Chart {
  previous?.destroy();
  const { grid } = commonOptions();
  const colour = themeColour('--vscode-charts-blue', '#3794ff');
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.map((d) => shortLabel(d.label)),
      datasets: [{ label: title, data: data.map((d) => d.value), backgroundColor: colour }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        tooltip: { callbacks: { title: (items) => data[items[0]?.dataIndex ?? 0]?.label ?? '' } },
      },
      scales: {
        x: { grid: { color: grid }, beginAtZero: true },
        y: { grid: { display: false } },
      },
    },
  });
}

export function drawTimeline(
  canvas: HTMLCanvasElement, minutes: Array<{ minute: number; events: number }>,
  previous?: Chart,
): Chart {
  previous?.destroy();
  const { grid } = commonOptions();
  const colour = themeColour('--vscode-charts-orange', '#d18616');
  const labels = minutes.map((m) => new Date(m.minute * 1000).toISOString().slice(5, 16)
    .replace('T', ' '));
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [{
        label: 'events per minute',
        data: minutes.map((m) => m.events),
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: minutes.length > 60 ? 0 : 2,
        fill: false,
      }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { grid: { color: grid }, ticks: { maxTicksLimit: 12 } },
        y: { grid: { color: grid }, beginAtZero: true },
      },
    },
  });
}
