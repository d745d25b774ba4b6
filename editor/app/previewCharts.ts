/**
 * The preview's charts (chart.js, bundled by Vite): touches per day by
 * channel, each wave's outcome, suppressions by reason, and budget burn
 * against the pacing line. Drawn without animation, so what the panel shows
 * is final at once. Each function returns the Chart so the panel can destroy
 * it before it re-renders.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from "chart.js";
import type { PreviewCampaign } from "./previewTypes.ts";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const PALETTE = ["#0b57d0", "#1a7f37", "#bf8700", "#8250df", "#cf222e", "#1b7c83", "#9a6700", "#6e7781"];
const OUTCOME_COLORS: Record<string, string> = { touched: "#1a7f37", suppressed: "#cf222e", skipped: "#bf8700", cancelled: "#8c959f", pending: "#8250df" };

const FONT = { size: 10 };

function base(stacked: boolean, horizontal = false): ChartConfiguration["options"] {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    ...(horizontal ? { indexAxis: "y" as const } : {}),
    plugins: { legend: { position: "bottom", labels: { boxWidth: 10, font: FONT } }, tooltip: { enabled: true } },
    scales: {
      x: { stacked, ticks: { font: FONT, maxRotation: 0, autoSkip: true }, grid: { display: horizontal } },
      y: { stacked, ticks: { font: FONT, precision: 0 }, beginAtZero: true, grid: { display: !horizontal } },
    },
  };
}

/** A stable colour per channel name (by its place among the sorted names). */
export function channelColor(channel: string, all: readonly string[]): string {
  const i = [...all].sort().indexOf(channel);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length] ?? "#0b57d0";
}

export function touchesByDayChart(canvas: HTMLCanvasElement, c: PreviewCampaign): Chart {
  const channels = Object.keys(c.touches.byChannel).sort();
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: c.touches.byDay.map((d) => d.day.slice(5)),
      datasets: channels.map((ch) => ({ label: ch, data: c.touches.byDay.map((d) => d.byChannel[ch] ?? 0), backgroundColor: channelColor(ch, channels), borderWidth: 0 })),
    },
    options: base(true),
  });
}

export function wavesChart(canvas: HTMLCanvasElement, c: PreviewCampaign): Chart {
  const outcomes = ["touched", "suppressed", "skipped", "cancelled", "pending"] as const;
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: c.waves.map((w) => `wave ${w.wave}: ${w.channels.join("→")}`),
      datasets: outcomes.map((o) => ({ label: o, data: c.waves.map((w) => w[o]), backgroundColor: OUTCOME_COLORS[o] ?? "#888", borderWidth: 0 })),
    },
    options: base(true, true),
  });
}

export function suppressionsChart(canvas: HTMLCanvasElement, c: PreviewCampaign): Chart {
  const reasons = Object.entries(c.suppressions.byReason).sort((a, b) => b[1] - a[1]);
  const options = base(false, true);
  return new Chart(canvas, {
    type: "bar",
    data: { labels: reasons.map(([r]) => r), datasets: [{ label: "suppressed", data: reasons.map(([, n]) => n), backgroundColor: OUTCOME_COLORS["suppressed"] ?? "#cf222e", borderWidth: 0 }] },
    options: { ...options, plugins: { ...options?.plugins, legend: { display: false } } },
  });
}

/** Cumulative benefit spend by day against what pacing allows by the end of each day. */
export function budgetChart(canvas: HTMLCanvasElement, c: PreviewCampaign): Chart | undefined {
  const b = c.budget;
  if (!b) return undefined;
  const hasPacing = b.byDay.some((d) => d.pacingLine !== null);
  return new Chart(canvas, {
    type: "line",
    data: {
      labels: b.byDay.map((d) => d.day.slice(5)),
      datasets: [
        { label: "spent (cumulative)", data: b.byDay.map((d) => d.cumulative), borderColor: "#0b57d0", backgroundColor: "#0b57d0", pointRadius: 0, borderWidth: 2 },
        ...(hasPacing ? [{ label: `pacing line (${b.pacing})`, data: b.byDay.map((d) => d.pacingLine), borderColor: "#8c959f", backgroundColor: "#8c959f", borderDash: [4, 3], pointRadius: 0, borderWidth: 1.5 }] : []),
      ],
    },
    options: base(false),
  });
}
