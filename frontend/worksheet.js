// worksheet.js: a printable worksheet for one event (#/events/{id}/worksheet).
//
// Two copies: the student copy (the default) and the teacher copy
// (?copy=teacher). Both have, on page 1 (and more when there are more than
// three outlets, two per page), the articles side by side with numbered
// lines and no highlights, then the questions with lines to write on. The
// teacher copy adds, after a page break, the answer key: per outlet the
// words Slant flags in its own voice with the reason and alternatives, the
// passages only it carries, and whom it quotes. The student copy leaves the
// key out of the page altogether, so that no print setting can show it.
//
// Lines are broken here, by characters, so that line numbers are the same
// on screen and on paper; the sheet keeps a paper width on screen. Each
// numbered line is one row of number and text that a page break cannot
// split. Blind mode, when on for the event, holds here too.
//
// A running class exercise is scored against the answer lists Slant kept
// when it started, while the key here is made from what Slant flags now.
// After the class word list changes the two can differ: the teacher copy
// asks for the event's exercises and says so above the key (on paper too,
// since it is as true there), naming each open exercise whose lists no
// longer match (answers_match_current). The student copy asks nothing.

import * as api from "./api.js";
import { h, formatDate } from "./dom.js";
import { loadEvent } from "./event.js";
import { category } from "./lexicon.js";
import { isBlind, blindOrder, replacements, maskTree } from "./blind.js";
import { main, render, loading, failure, notFound, plural } from "./page.js";
import { paragraphs, byteConverter } from "./text.js";

// Characters per line for 1, 2 and 3 columns: what fits the print widths
// in style.css with room to spare.
const WIDTH = { 1: 80, 2: 44, 3: 29 };

export async function worksheetView(id, current, { teacherCopy = false } = {}) {
  loading("Preparing the worksheet…");
  let data;
  try {
    data = await loadEvent(id);
  } catch (err) {
    if (!current()) return;
    if (err.status === 404) notFound("No such event", "It may have been deleted.");
    else failure(err, () => worksheetView(id, current));
    return;
  }
  if (!current()) return;
  // After the event, not beside it: a Slant with a token asks for it once.
  const exercises = teacherCopy ? await classExercises(id) : null;
  if (!current()) return;
  drawWorksheet(data.ev, data.cmp, teacherCopy, exercises);
}

/** classExercises is {list} of the event's exercises, or {error} when
 * they could not be read (the key is drawn anyway). */
async function classExercises(id) {
  try {
    return { list: ((await api.listExercises(id)) || {}).exercises || [] };
  } catch (err) {
    return { error: err };
  }
}

/** mismatchedCodes are the codes of the open class exercises that count
 * other words than the key shows. */
function mismatchedCodes(exercises) {
  return exercises && exercises.list
    ? exercises.list.filter((x) => x.open && x.answers_match_current === false).map((x) => x.code)
    : [];
}

/** keyMismatch is the notice above the key when an open class exercise
 * counts other words than the key shows, a screen-only line when the
 * exercises could not be read, or null. */
function keyMismatch(exercises) {
  if (!exercises) return null;
  if (exercises.error) {
    return h("p", { class: "hint screen-only", id: "ws-key-unchecked",
      text: `Slant could not check this key against your class exercises: ${exercises.error.message}` });
  }
  const codes = mismatchedCodes(exercises);
  if (!codes.length) return null;
  const one = codes.length === 1;
  return h("div", { class: "ws-key-mismatch", id: "ws-key-mismatch", role: "note" },
    h("p", {}, h("strong", { text: one ? "This key does not match your class exercise." : "This key does not match your class exercises." })),
    h("p", {}, `Class ${one ? "exercise" : "exercises"} `, codes.map((c, i) => [i ? (i === codes.length - 1 ? " and " : ", ") : "",
      h("span", { class: "code-inline", text: c })]),
    ` started before the word list changed. Students' checks in ${one ? "it" : "them"} count the words Slant flagged then. ` +
    "This key shows the words Slant flags now. To have the two match, start a new exercise."));
}

/** wrapLines breaks a paragraph into lines of at most width characters,
 * at spaces (a longer word gets a line of its own). Each line is
 * {text, start}, start being its UTF-16 index in the paragraph. */
export function wrapLines(text, width) {
  const lines = [];
  let line = null;
  for (const m of text.matchAll(/\S+/g)) {
    if (line && line.text.length + 1 + m[0].length <= width) line.text += " " + m[0];
    else {
      if (line) lines.push(line);
      line = { text: m[0], start: m.index };
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** groups splits the articles into sheets: all on one when there are at
 * most three, else two per sheet. */
function groups(articles) {
  if (articles.length <= 3) return [articles];
  const out = [];
  for (let i = 0; i < articles.length; i += 2) out.push(articles.slice(i, i + 2));
  return out;
}

function drawWorksheet(ev, cmp, teacherCopy, exercises) {
  // A text in another language is not scored: not on the worksheet either.
  const all = (ev.articles || []).filter((a) => a.scored !== false);
  const blind = isBlind(ev.id);
  const order = blindOrder(ev.id, all);
  const labels = new Map(order.map((x) => [x.article.id, x.label]));
  const articles = blind ? order.map((x) => x.article) : all;
  const nameOf = (a) => (blind ? labels.get(a.id) : (a.outlet && a.outlet.name) || "Unknown outlet");
  const date = formatDate(ev.date);

  let lineNo = 0;
  const sheets = groups(articles).map((group, g) => {
    const k = group.length;
    return h("section", { class: `ws-group ws-cols-${k}`, "aria-label": g ? `Articles, sheet ${g + 1}` : "Articles" },
      group.map((a) => {
        lineNo = 0;
        const lines = h("div", { class: "ws-text", lang: "en" });
        for (const [ps, pe] of paragraphs(a.text || "")) {
          const para = h("p", { class: "ws-para" });
          for (const line of wrapLines((a.text || "").slice(ps, pe), WIDTH[k] || WIDTH[2])) {
            lineNo++;
            para.append(h("span", { class: "ws-line" },
              h("span", { class: `ln${lineNo % 5 === 0 ? " ln5" : ""}`, "aria-hidden": "true", text: String(lineNo) }),
              h("span", { class: "lt", text: line.text })));
          }
          lines.append(para);
        }
        return h("article", { class: "ws-article", dataset: { articleId: a.id } },
          h("p", { class: "ws-outlet", text: nameOf(a) }),
          h("h2", { class: "ws-title", text: a.title || "(no headline)" }),
          lines);
      }));
  });

  const writeLines = (n) => h("div", { class: "ws-write", "aria-hidden": "true" },
    Array.from({ length: n }, () => h("span", { class: "ws-rule" })));
  const questions = h("section", { class: "ws-questions", "aria-labelledby": "ws-q-heading" },
    h("h2", { id: "ws-q-heading", text: "Questions" }),
    h("ol", { class: "ws-q-list" },
      h("li", {},
        h("p", { class: "ws-q" }, h("strong", { text: "Which words would you change? " }),
          "Find three words that judge instead of describe. Write the outlet, the line number and a plainer word."),
        writeLines(4)),
      h("li", {},
        h("p", { class: "ws-q" }, h("strong", { text: "What does one outlet leave out? " }),
          "Find a fact one report gives and another leaves out. Why might that matter to a reader?"),
        writeLines(4)),
      h("li", {},
        h("p", { class: "ws-q" }, h("strong", { text: "Who gets to speak? " }),
          "List the people each outlet quotes. Whose voice is missing, and whose words come first?"),
        writeLines(4))));

  const copyLink = (teacher, text) => h("a", {
    href: `#/events/${ev.id}/worksheet${teacher ? "?copy=teacher" : ""}`, class: "segment-link", id: teacher ? "ws-teacher-copy" : "ws-student-copy",
    "aria-current": teacher === teacherCopy ? "page" : null, text,
  });
  const page = h("div", { class: `worksheet-page ${teacherCopy ? "ws-teacher" : "ws-student"}`, dataset: { eventId: ev.id } },
    h("div", { class: "ws-toolbar screen-only" },
      h("a", { href: `#/events/${ev.id}`, text: "← Back to the event" }),
      h("nav", { class: "ws-copies", "aria-label": "Which copy" },
        copyLink(false, "Student copy"), copyLink(true, "Teacher copy, with the answer key")),
      h("button", {
        type: "button", class: "button primary", id: "print-worksheet", on: { click: () => window.print() },
        text: teacherCopy ? "Print the teacher copy" : "Print the student copy",
      }),
      h("p", { class: "hint", text: teacherCopy
        ? "The teacher copy ends with the answer key, on a page of its own. Students get the student copy."
        : "The student copy has the texts and the questions, and no answers." }),
      // The key comes last, far down the page: a line up here sends the
      // teacher to its notice before printing.
      teacherCopy && mismatchedCodes(exercises).length
        ? h("p", { class: "hint ws-key-pointer", id: "ws-key-pointer",
            text: "The answer key does not match your running class exercise. Read the note above the key before you print." })
        : null,
      h("p", { class: "hint", text: blind
        ? "Blind mode is on for this event: the worksheet names the outlets Outlet 1, 2, 3 …" + (teacherCopy ? " The answer key does too." : "")
        : "Tip: turn on blind mode on the event page first to hide the outlets' names on the sheet." })),
    h("div", { class: "ws-sheet" },
      h("header", { class: "ws-head" },
        h("h1", { tabindex: "-1", id: "ws-heading", text: ev.title || "Worksheet" }),
        h("p", { class: "ws-sub" }, teacherCopy ? "Slant worksheet · teacher copy" : "Slant worksheet", date ? ` · ${date}` : ""),
        h("p", { class: "ws-name", "aria-hidden": "true" },
          h("span", { text: "Name" }), h("span", { class: "ws-blank" }),
          h("span", { text: "Class" }), h("span", { class: "ws-blank short" }))),
      ev.description ? h("p", { class: "ws-desc", text: ev.description }) : null,
      h("p", { class: "ws-instr", text: all.length > 1
        ? `${plural(all.length, "outlet reports", "outlets report")} the same event. Read them side by side, then answer the questions.`
        : "Read the report, then answer the questions." }),
      sheets,
      questions,
      teacherCopy ? answerKey(articles, cmp, nameOf, keyMismatch(exercises)) : null));
  render(page);
  if (blind) maskTree(main, replacements(order));
}

function brief(text, max = 150) {
  const t = String(text || "").replace(/\s+/g, " ").trim();
  return t.length > max ? t.slice(0, max - 1).trimEnd() + "…" : t;
}

function answerKey(articles, cmp, nameOf, mismatch) {
  const content = new Map((((cmp && cmp.content) || {}).outlets || []).map((o) => [o.article_id, o]));
  const units = ((cmp && cmp.content) || {}).units || [];
  const speakers = ((cmp && cmp.sources) || {}).speakers || [];
  const many = articles.length > 1;

  return h("section", { class: "ws-key", "aria-labelledby": "ws-key-heading" },
    h("h2", { id: "ws-key-heading", text: "Answer key" }),
    mismatch,
    h("p", { class: "ws-key-note", text: "For the teacher. Slant's flags are prompts for discussion, not the only right answers: " +
      "a class may well find more, or argue a flag away." }),
    articles.map((a) => {
      const r = a.report || {};
      const lineOf = lineFinder(a.text || "", WIDTH[groups(articles).find((g) => g.includes(a)).length] || WIDTH[2]);
      // The class picks from the text, not the headline: the headline's
      // flags are listed apart, so that the key matches what students can
      // find and what the class results count.
      const own = (r.findings || []).filter((f) => !f.in_quote).map((f) => ({ f, where: `line ${lineOf(f.start)}` }));
      const headline = (r.title_findings || []).filter((f) => !f.in_quote);
      const c = content.get(a.id);
      const only = c && many ? (c.only_here || []).map((i) => units[i]).filter((u) => u && u.text) : [];
      const quoted = speakers
        .map((sp) => ({ sp, use: (sp.uses || []).find((u) => u.article_id === a.id) }))
        .filter((x) => x.use);
      return h("section", { class: "ws-key-outlet", dataset: { articleId: a.id } },
        h("h3", { text: nameOf(a) }),
        h("h4", { text: `Loaded words in its own voice (${own.length})` }),
        own.length
          ? h("table", { class: "ws-key-table" },
              h("thead", {}, h("tr", {},
                h("th", { scope: "col", text: "Word" }), h("th", { scope: "col", text: "Where" }),
                h("th", { scope: "col", text: "Why it is loaded" }), h("th", { scope: "col", text: "Try instead" }))),
              h("tbody", {}, own.map(({ f, where }) => h("tr", {},
                h("th", { scope: "row", text: f.text }),
                h("td", { class: "ws-where", text: where }),
                h("td", {}, h("span", { class: "ws-cat", text: `${category(f.category).label}. ` }), f.reason || ""),
                h("td", { text: (f.alternatives || []).filter(Boolean).slice(0, 2).join("; ") || "leave it out" })))))
          : h("p", { class: "empty", text: "None: Slant's word lists flag no word in this outlet's own voice." }),
        headline.length
          ? h("p", { class: "ws-key-headline" }, h("strong", { text: "In the headline: not part of the picking. " }),
              headline.map((f, i) => [i ? "; " : "", h("q", { text: f.text }), ` (${category(f.category).label})`]), ".")
          : null,
        many ? h("h4", { text: `Only in this outlet (${only.length})` }) : null,
        many
          ? only.length
            ? h("ul", { class: "ws-only" }, only.slice(0, 5).map((u) => h("li", { text: brief(u.text) })),
                only.length > 5 ? h("li", { class: "more", text: `and ${only.length - 5} more` }) : null)
            : h("p", { class: "empty", text: "Nothing: every passage has a match in another outlet." })
          : null,
        h("h4", { text: `Who is quoted (${quoted.length})` }),
        quoted.length
          ? h("ul", { class: "ws-quoted" }, quoted.map(({ sp, use }) => h("li", {},
              h("strong", { text: sp.name }),
              use.role ? `, ${use.role}` : "",
              (use.verbs || []).length ? ` — ${use.verbs.join(", ")}` : "",
              (use.loaded_verbs || []).length ? h("span", { class: "ws-loaded", text: ` (loaded: ${use.loaded_verbs.join(", ")})` }) : null)))
          : h("p", { class: "empty", text: "No named speaker." }));
    }));
}

/** lineFinder maps a byte offset in the text to its worksheet line number,
 * wrapping the text exactly as the sheet does. */
function lineFinder(text, width) {
  const conv = byteConverter(text);
  const starts = []; // the UTF-16 index where each line starts
  for (const [ps, pe] of paragraphs(text)) {
    for (const line of wrapLines(text.slice(ps, pe), width)) starts.push(ps + line.start);
  }
  return (byteOffset) => {
    const idx = conv(byteOffset);
    let n = 0;
    while (n < starts.length && starts[n] <= idx) n++;
    return Math.max(1, n);
  };
}
