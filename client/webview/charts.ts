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
  return label.length > 28 ? `\u2026${label.slice(-27)}` : label;
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

/**
 * Minutes without events are absent from the report; a line drawn straight across the gap
 * would show events that never happened. A zero is put at each edge of a gap.
 */
export function timelinePoints(minutes: ReadonlyArray<{ minute: number; events: number }>):
  Array<{ x: number; y: number }> {
  const points: Array<{ x: number; y: number }> = [];
  const sorted = [...minutes].sort((a, b) => a.minute - b.minute);
  sorted.forEach((entry, index) => {
    const previous = sorted[index - 1];
    if (previous && entry.minute - previous.minute > 60) {
      points.push({ x: previous.minute + 60, y: 0 });
      if (entry.minute - previous.minute > 120) points.push({ x: entry.minute - 60, y: 0 });
    }
    points.push({ x: entry.minute, y: entry.events });
  });
  return points;
}

function minuteLabel(seconds: number, spanSeconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  // Within a day the time says enough; over longer spans the date matters more.
  return spanSeconds <= 86400 ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

export function drawTimeline(
  canvas: HTMLCanvasElement, minutes: Array<{ minute: number; events: number }>,
  previous?: Chart,
): Chart {
  previous?.destroy();
  const { grid } = commonOptions();
  const colour = themeColour('--vscode-charts-orange', '#d18616');
  const points = timelinePoints(minutes);
  const span = points.length > 0 ? points[points.length - 1].x - points[0].x : 0;
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [{
        label: 'events per minute (UTC)',
        data: points,
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: points.length > 60 ? 0 : 2,
        fill: false,
      }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      plugins: {
        tooltip: { callbacks: { title: (items) => minuteLabel(items[0]?.parsed.x ?? 0, span) } },
      },
      scales: {
        x: {
          type: 'linear',
          // A minute of room on each side: a one-minute log still gets a readable axis.
          min: points.length > 0 ? points[0].x - 60 : undefined,
          max: points.length > 0 ? points[points.length - 1].x + 60 : undefined,
          grid: { color: grid },
          ticks: {
            maxTicksLimit: 8,
            stepSize: span < 600 ? 60 : undefined,
            callback: (value) => minuteLabel(Number(value), span),
          },
        },
        y: { grid: { color: grid }, beginAtZero: true },
      },
    },
  });
}
