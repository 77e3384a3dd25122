// chart.js: the loaded-language bars, drawn as plain SVG.
//
// The SVG has no viewBox: bar lengths are percentages of its width and the
// text keeps its normal size, so the chart reads the same at 375 and 1440 px.

import { s, formatIndex } from "./dom.js";

// One outlet's row, top to bottom: its name with the loaded index on the
// right, the index's bar, the thin bar inside quotations, and a small line
// with the figure inside quotations and the model slant. The name line
// holds only the name and one short figure, so the two never meet, at any
// width down to a small phone; the longer figures have their own line.
const ROW = 58;
const TOP = 4;
const NAME_Y = 14;   // baseline of the name and the index
const BAR_Y = 20;    // the own-voice bar, BAR_H high
const BAR_H = 11;
const QUOTED_Y = 34; // the bar inside quotations, QUOTED_H high
const QUOTED_H = 5;
const SUB_Y = 51;    // baseline of the small figures

/**
 * loadedIndexChart draws one row per outlet, in rank order: the outlet's
 * name and its loaded index (own voice) on a line, a solid bar for the
 * index, a thin lighter bar for the same measure inside quotations, and
 * under them the figure inside quotations and the sentence model's slant
 * (beside the index, which stays the ranking: it can be traced to listed
 * words).
 */
export function loadedIndexChart(outlets) {
  const rows = [...outlets].sort((a, b) => (a.rank || 0) - (b.rank || 0));
  const max = Math.max(0, ...rows.map((o) => Math.max(+o.loaded_index || 0, +o.quoted_index || 0)));
  const height = TOP + rows.length * ROW;
  const described = rows
    .map((o) => `${o.outlet}: ${formatIndex(o.loaded_index)} in its own voice, ` +
      `${formatIndex(o.quoted_index)} inside quotations` + modelSlantText(o, ", "))
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
    g.appendChild(s("text", { x: 0, y: y + NAME_Y, class: "chart-label" },
      name.length > 26 ? name.slice(0, 25) + "…" : name,
      name.length > 26 ? s("title", { text: name }) : null));
    g.appendChild(s("text", { x: "100%", y: y + NAME_Y, "text-anchor": "end", class: "chart-value", text: formatIndex(o.loaded_index) }));
    g.appendChild(s("rect", { x: 0, y: y + BAR_Y, width: "100%", height: BAR_H, rx: 3, class: "chart-track" }));
    const own = pct(o.loaded_index);
    if (own > 0) {
      g.appendChild(s("rect", {
        x: 0, y: y + BAR_Y, width: `${own.toFixed(2)}%`, height: BAR_H, rx: 3, class: "chart-bar",
      }, s("title", { text: `${o.outlet}: loaded index ${formatIndex(o.loaded_index)} (own voice)` })));
    }
    const q = pct(o.quoted_index);
    g.appendChild(s("rect", { x: 0, y: y + QUOTED_Y, width: "100%", height: QUOTED_H, rx: 2, class: "chart-track" }));
    if (q > 0) {
      g.appendChild(s("rect", {
        x: 0, y: y + QUOTED_Y, width: `${q.toFixed(2)}%`, height: QUOTED_H, rx: 2, class: "chart-bar-quoted",
      }, s("title", { text: `${o.outlet}: ${formatIndex(o.quoted_index)} inside quotations` })));
    }
    g.appendChild(s("text", { x: 0, y: y + SUB_Y, class: "chart-sub" },
      s("tspan", { class: "chart-quoted-figure", text: `${formatIndex(o.quoted_index)} in quotations` }),
      modelSlantText(o, " · ")));
    svg.appendChild(g);
  });
  return svg;
}

/**
 * modelSlantText is the outlet's model slant, shown beside the loaded index
 * (which stays the ranking), or "" for a comparison made without it.
 */
function modelSlantText(o, sep) {
  const v = Number(o.model_slant);
  return o.model_slant == null || !Number.isFinite(v) ? "" : `${sep}model slant ${v.toFixed(2)}`;
}

const FRAME_ROW = 30; // height of one frame's row: its name, then its bar

/**
 * frameBars draws one outlet's frame shares as horizontal bars, one row per
 * frame: the frame's name and share on a line, the bar under it. rows are
 * {label, value (0..1), stressed, muted, title}; max is the share that fills
 * the width, the same for every outlet so that panels side by side compare.
 * A row's title (its cue words) shows as a tooltip. A frame the outlet
 * stresses is marked "◆" beside its share, not after its name, so that a
 * long name and the share never meet on a phone; the panel's key and the
 * row's title say what the mark means.
 */
export function frameBars(outlet, rows, max, label) {
  const height = rows.length * FRAME_ROW + 2;
  const svg = s("svg", {
    class: "frame-bars", width: "100%", height, role: "img", "aria-label": label,
    dataset: { outlet },
  }, s("title", { text: label }));
  rows.forEach((r, i) => {
    const y = i * FRAME_ROW;
    const g = s("g", { class: "frame-row" + (r.stressed ? " stressed" : "") + (r.muted ? " muted" : "") },
      s("title", { text: r.title || `${r.label}: ${percent(r.value)}` }));
    const name = r.label.length > 30 ? r.label.slice(0, 29) + "…" : r.label;
    g.appendChild(s("text", { x: 0, y: y + 12, class: "frame-label", text: name }));
    g.appendChild(s("text", { x: "100%", y: y + 12, class: "frame-value", "text-anchor": "end" },
      r.stressed ? s("tspan", { class: "frame-stressed-note", text: "◆ " }) : null,
      percent(r.value)));
    g.appendChild(s("rect", { x: 0, y: y + 17, width: "100%", height: 8, rx: 2, class: "frame-track" }));
    const w = max > 0 ? Math.min(1, Math.max(0, r.value / max)) * 100 : 0;
    if (w > 0) {
      g.appendChild(s("rect", {
        x: 0, y: y + 17, width: `${Math.max(w, 0.6).toFixed(2)}%`, height: 8, rx: 2, class: "frame-bar",
      }));
    }
    svg.appendChild(g);
  });
  return svg;
}

/** percent shows a share (0..1) as a whole percentage; "<1%" for a sliver. */
export function percent(v) {
  const x = Number(v) || 0;
  if (x > 0 && x < 0.005) return "<1%";
  return `${Math.round(x * 100)}%`;
}

/**
 * toneScale draws a -1..+1 scale with a dot at value: the tone of an
 * outlet's own voice. label describes it for screen readers.
 */
export function toneScale(value, label) {
  const v = Math.max(-1, Math.min(1, Number(value) || 0));
  const at = `${((v + 1) / 2 * 100).toFixed(2)}%`;
  return s("svg", { class: "tone-scale", width: "100%", height: 30, role: "img", "aria-label": label },
    s("title", { text: label }),
    s("rect", { x: 0, y: 6, width: "100%", height: 6, rx: 3, class: "tone-track" }),
    s("line", { x1: "50%", x2: "50%", y1: 2, y2: 16, class: "tone-zero" }),
    s("circle", { cx: at, cy: 9, r: 6, class: "tone-dot" }),
    s("text", { x: 0, y: 28, class: "tone-end", text: "negative" }),
    s("text", { x: "100%", y: 28, class: "tone-end", "text-anchor": "end", text: "positive" }));
}
