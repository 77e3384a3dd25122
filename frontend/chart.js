// chart.js: the loaded-language bars, drawn as plain SVG.
//
// The SVG has no viewBox: bar lengths are percentages of its width and the
// text keeps its normal size, so the chart reads the same at 375 and 1440 px.

import { s, formatIndex } from "./dom.js";

const ROW = 74;      // height of one outlet's row
const TOP = 4;

/**
 * loadedIndexChart draws one row per outlet, in rank order: the outlet's
 * name and figures on a line, a solid bar for the loaded index (own voice)
 * and a thin, lighter bar for the same measure inside quotations.
 */
export function loadedIndexChart(outlets) {
  const rows = [...outlets].sort((a, b) => (a.rank || 0) - (b.rank || 0));
  const max = Math.max(0, ...rows.map((o) => Math.max(+o.loaded_index || 0, +o.quoted_index || 0)));
  const height = TOP + rows.length * ROW;
  const described = rows
    .map((o) => `${o.outlet}: ${formatIndex(o.loaded_index)} in its own voice, ` +
      `${formatIndex(o.quoted_index)} inside quotations`)
    .join("; ");
  const label = "Loaded-language index per outlet, most loaded first. " + described + ".";
  const svg = s("svg", {
    class: "chart",
    width: "100%",
    height,
    role: "img",
    "aria-label": label,
  }, s("title", { text: label }));

  const pct = (v) => (max > 0 ? Math.max(0, (+v || 0) / max) * 100 : 0);
  rows.forEach((o, i) => {
    const y = TOP + i * ROW;
    const g = s("g", { class: "chart-row" });
    const name = `${o.rank || i + 1}. ${o.outlet}`;
    g.appendChild(s("text", { x: 0, y: y + 15, class: "chart-label" },
      name.length > 30 ? name.slice(0, 29) + "…" : name,
      name.length > 30 ? s("title", { text: name }) : null));
    g.appendChild(s("text", { x: "100%", y: y + 15, class: "chart-value", "text-anchor": "end",
      text: formatIndex(o.loaded_index) }));
    g.appendChild(s("rect", { x: 0, y: y + 22, width: "100%", height: 14, rx: 3, class: "chart-track" }));
    const own = pct(o.loaded_index);
    if (own > 0) {
      g.appendChild(s("rect", {
        x: 0, y: y + 22, width: `${own.toFixed(2)}%`, height: 14, rx: 3, class: "chart-bar",
      }, s("title", { text: `${o.outlet}: loaded index ${formatIndex(o.loaded_index)} (own voice)` })));
    }
    const q = pct(o.quoted_index);
    g.appendChild(s("rect", { x: 0, y: y + 39, width: "100%", height: 6, rx: 2, class: "chart-track" }));
    if (q > 0) {
      g.appendChild(s("rect", {
        x: 0, y: y + 39, width: `${q.toFixed(2)}%`, height: 6, rx: 2, class: "chart-bar-quoted",
      }, s("title", { text: `${o.outlet}: ${formatIndex(o.quoted_index)} inside quotations` })));
    }
    g.appendChild(s("text", { x: 0, y: y + 59, class: "chart-sub",
      text: `inside quotations: ${formatIndex(o.quoted_index)}` }));
    svg.appendChild(g);
  });
  return svg;
}
