// wordlist.js: the class word list (#/wordlist): terms a teacher adds on
// top of the built-in lexicon, each filed under a lexicon category with a
// reason and neutral alternatives. A change makes a new lexicon version;
// the server reads every event again with it the next time it is opened.

import * as api from "./api.js";
import { h, clear, formatDate } from "./dom.js";
import { loadLexicon, categoryList, shortVersion } from "./lexicon.js";
import { render, loading, failure, field, showError, submitting, plural } from "./page.js";

const SEVERITY = { 1: "1 · mild", 2: "2 · moderate", 3: "3 · strong" };

export async function wordListView(current) {
  loading("Loading the class word list…");
  let data;
  try {
    await loadLexicon();
    data = await api.getWordList();
  } catch (err) {
    if (current()) failure(err, () => wordListView(current));
    return;
  }
  if (!current()) return;
  drawWordList(data || {});
}

const splitForms = (s) => s.split(",").map((x) => x.trim()).filter(Boolean);
const splitLines = (s) => s.split(/\n/).map((x) => x.trim()).filter(Boolean);

function drawWordList(data) {
  let entries = data.entries || [];
  const version = h("span", { class: "lexicon-version", id: "wordlist-version", text: shortVersion(data.lexicon_version) });
  version.title = data.lexicon_version || "";
  const status = h("p", { class: "status-note", id: "wordlist-status", role: "status" });
  const listBox = h("div", { class: "wordlist-table-box" });

  const cats = categoryList();
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  // A term Slant's built-in lists have already: the built-in entry, and the
  // choice to use the class's own instead (override) or to change the word.
  const clash = h("div", { class: "builtin-clash", id: "builtin-clash", role: "alert", hidden: true });
  const heading = h("h2", { id: "word-form-heading", text: "Add a word" });
  const submit = h("button", { type: "submit", class: "button primary", text: "Add to the list" });
  const cancel = h("button", { type: "button", class: "button", id: "word-cancel", hidden: true, text: "Cancel" });
  const form = h("form", { id: "word-form", class: "card form", novalidate: true, "aria-labelledby": "word-form-heading" },
    heading,
    field("word-term", "Word or phrase",
      h("input", { id: "word-term", name: "term", required: true, maxlength: "100", autocomplete: "off",
        "aria-describedby": "word-term-hint" }),
      "Slant matches it with its plural and other endings, in any case. Words in brackets at the start or end, as in “(the) elites”, must be there but are not highlighted."),
    field("word-also", "Other forms (optional)",
      h("input", { id: "word-also", name: "also", autocomplete: "off", "aria-describedby": "word-also-hint" }),
      "Spellings or forms the endings do not cover, separated by commas."),
    field("word-category", "Category",
      h("select", { id: "word-category", name: "category", required: true },
        cats.map((c) => h("option", { value: c.name, text: c.label })))),
    field("word-severity", "How strong",
      h("select", { id: "word-severity", name: "severity" },
        [1, 2, 3].map((n) => h("option", { value: String(n), text: SEVERITY[n], selected: n === 2 })),
        h("option", { value: "0", text: "as strong as its category" }))),
    field("word-reason", "Why it is loaded",
      h("textarea", { id: "word-reason", name: "reason", rows: "3", required: true, maxlength: "500",
        "aria-describedby": "word-reason-hint" }),
      "One or two sentences a 14-year-old can follow."),
    field("word-alts", "Neutral alternatives",
      h("textarea", { id: "word-alts", name: "alternatives", rows: "3", "aria-describedby": "word-alts-hint" }),
      "One per line, the best first. The neutral version of a text shows them as advice beside the word."),
    error,
    clash,
    h("p", { class: "form-actions" }, submit, " ", cancel));

  let editing = null; // the entry being edited, or null when adding
  let override = false; // the teacher chose to replace a built-in entry
  const reset = () => {
    editing = null;
    form.reset();
    form.elements.severity.value = "2";
    heading.textContent = "Add a word";
    submit.textContent = "Add to the list";
    cancel.hidden = true;
    error.hidden = true;
    clash.hidden = true;
    override = false;
  };
  const edit = (entry) => {
    editing = entry;
    override = !!entry.override;
    clash.hidden = true;
    form.elements.term.value = entry.term || "";
    form.elements.also.value = (entry.also || []).join(", ");
    form.elements.category.value = entry.category;
    form.elements.severity.value = String(entry.severity ?? 2);
    form.elements.reason.value = entry.reason || "";
    form.elements.alternatives.value = (entry.alternatives || []).join("\n");
    heading.textContent = `Edit “${entry.term}”`;
    submit.textContent = "Save changes";
    cancel.hidden = false;
    error.hidden = true;
    form.scrollIntoView({ block: "nearest" });
    form.elements.term.focus();
  };
  cancel.addEventListener("click", reset);

  const changed = async (message, newVersion) => {
    try {
      const fresh = await api.getWordList();
      entries = fresh.entries || [];
      newVersion = fresh.lexicon_version || newVersion;
    } catch {
      // Keep the list as it was; the message still stands.
    }
    version.textContent = shortVersion(newVersion);
    version.title = newVersion || "";
    fill();
    status.textContent = message;
    loadLexicon(true);
  };

  // showClash shows the built-in entry a term collides with, and a button
  // that sends the entry again, replacing it.
  const showClash = (builtin, message) => {
    clear(clash);
    const sev = SEVERITY[builtin.severity] ? SEVERITY[builtin.severity].replace(/^\d · /, "") : String(builtin.severity);
    clash.append(
      h("p", { class: "clash-head" }, h("strong", { text: `“${builtin.term}” is already in Slant's built-in word lists.` })),
      h("dl", { class: "clash-entry" },
        h("dt", { text: "Category" }), h("dd", { text: `${builtin.category_label || builtin.category} (${sev})` }),
        h("dt", { text: "Why" }), h("dd", { text: builtin.reason }),
        (builtin.alternatives || []).length
          ? [h("dt", { text: "Try instead" }), h("dd", { text: builtin.alternatives.join("; ") })]
          : null),
      h("p", { text: "Your entry would replace this one, with its strength, reason and alternatives, " +
        "in every event on this Slant. Change the word, or replace the built-in entry on purpose." }),
      h("p", { class: "form-actions" },
        h("button", {
          type: "button", class: "button", id: "word-override",
          on: {
            click: () => {
              override = true;
              form.requestSubmit();
            },
          },
          text: "Use my entry instead",
        })));
    clash.title = message || "";
    clash.hidden = false;
    clash.querySelector("button").focus();
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    clash.hidden = true;
    const el = form.elements;
    const entry = {
      category: el.category.value,
      term: el.term.value.trim(),
      also: splitForms(el.also.value),
      reason: el.reason.value.trim(),
      alternatives: splitLines(el.alternatives.value),
      severity: Number(el.severity.value),
      override,
    };
    if (!entry.term) return showError(error, "Write the word or phrase.", el.term);
    if (!entry.reason) return showError(error, "Say why the word is loaded: the class sees this reason.", el.reason);
    await submitting(form, editing ? "Saving…" : "Adding…", async () => {
      try {
        const res = editing ? await api.updateWord(editing.id, entry) : await api.addWord(entry);
        const saved = (res && res.entry) || entry;
        const msg = editing
          ? `Saved “${saved.term}”. Events show the change the next time they are opened.`
          : `Added “${saved.term}”. Events show it the next time they are opened.`;
        reset();
        await changed(msg, res && res.lexicon_version);
      } catch (err) {
        if (err.status === 409 && err.data && err.data.builtin) {
          override = false;
          showClash(err.data.builtin, err.message);
          return;
        }
        showError(error, err.status === 409
          ? `${err.message} Edit that entry instead, or choose another word.`
          : err.message);
      }
    });
  });

  const fill = () => {
    clear(listBox);
    if (!entries.length) {
      listBox.append(h("p", { class: "empty", text: "The class word list is empty. Add a word with the form: " +
        "a word your class keeps meeting in the news that Slant's built-in word lists do not flag." }));
      return;
    }
    const catLabel = new Map(cats.map((c) => [c.name, c.label]));
    listBox.append(h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "The class word list" },
      h("table", { class: "data-table wordlist-table" },
        h("caption", { text: `${plural(entries.length, "word", "words")} on the class list` }),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col", text: "Word" }),
          h("th", { scope: "col", text: "Category" }),
          h("th", { scope: "col", text: "Why" }),
          h("th", { scope: "col", text: "Try instead" }),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
        h("tbody", {}, entries.map((entry) => h("tr", { dataset: { id: entry.id, term: entry.term } },
          h("th", { scope: "row" },
            h("span", { class: "term", text: entry.term }),
            (entry.also || []).length ? h("span", { class: "row-note", text: `also ${entry.also.join(", ")}` }) : null,
            h("span", { class: "row-note", text: entry.severity
              ? `strength ${SEVERITY[entry.severity] || entry.severity}`
              : "strength as its category" }),
            (entry.replaces || []).length
              ? h("span", { class: "row-note replaces-note", text:
                  `replaces the built-in entry ${entry.replaces.map((b) => `“${b.term}”`).join(", ")}` })
              : null),
          h("td", { dataset: { label: "Category" }, text: catLabel.get(entry.category) || entry.category }),
          h("td", { dataset: { label: "Why" } }, entry.reason,
            entry.updated_at ? h("span", { class: "row-note", text: `changed ${formatDate(entry.updated_at)}` }) : null),
          h("td", { dataset: { label: "Try instead" }, text: (entry.alternatives || []).join("; ") || "—" }),
          h("td", { class: "row-actions" },
            h("button", {
              type: "button", class: "button subtle edit-word", "aria-label": `Edit “${entry.term}”`,
              on: { click: () => edit(entry) }, text: "Edit",
            }),
            h("button", {
              type: "button", class: "button danger subtle delete-word", "aria-label": `Delete “${entry.term}”`,
              on: {
                click: async () => {
                  if (!window.confirm(`Take “${entry.term}” off the class word list?`)) return;
                  try {
                    await api.deleteWord(entry.id);
                    if (editing && editing.id === entry.id) reset();
                    await changed(`Removed “${entry.term}”. Events drop its highlights the next time they are opened.`);
                  } catch (err) {
                    status.textContent = `“${entry.term}” could not be removed: ${err.message}`;
                  }
                },
              },
              text: "Delete",
            }))))))));
  };
  fill();

  render(h("div", { class: "wordlist-page" },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/", text: "← All events" })),
    h("section", { class: "intro" },
      h("h1", { tabindex: "-1", text: "Class word list" }),
      h("p", { class: "lede", text: "Words your class wants Slant to flag, on top of its built-in word lists (the lexicon). " +
        "Every event is read again with the list the next time it is opened, and each article says which lexicon version it was read with." }),
      h("p", { class: "version-line", title: "The version of the word lists in use now: the built-in ones with your class's words." },
        "Lexicon in force: ", version)),
    status,
    h("div", { class: "wordlist-layout" },
      h("section", { class: "wordlist-list", "aria-label": "Words on the list" }, listBox),
      form)));
}
