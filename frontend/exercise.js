// exercise.js: "Spot the loaded words", a class exercise on one event.
//
//   exercisePanel(ev)       on the event page: the teacher starts an exercise
//                           (blind or not), sees its class code and link,
//                           reveals the outlets, opens the results, ends it
//   studentView(code)       #/x/CODE: the articles without highlights; the
//                           student picks words and checks them against Slant
//   resultsView(code)       #/x/CODE/results: the class's picks as a heat-map
//                           on the text, with Slant's flags outlined and the
//                           agreement figures in plain words
//
// Students need no account and give no name: the page makes a random key
// (crypto.getRandomValues) for each exercise and keeps it, with the
// student's picks, in sessionStorage, so it lasts as long as the tab.

import * as api from "./api.js";
import { h, clear, append, formatDate, capitalize } from "./dom.js";
import { renderWords, renderBody } from "./text.js";
import { category } from "./lexicon.js";
import { main, render, loading, failure, notFound, showError, busy, plural, fixed, nextRoute } from "./page.js";

const CODE_RE = /^[A-Z2-9]{6}$/;

/** normalizeCode turns what a student typed into a code, or "". */
export function normalizeCode(raw) {
  const c = String(raw || "").toUpperCase().replace(/[^A-Z0-9]/g, "");
  return CODE_RE.test(c) ? c : "";
}

function studentLink(code) {
  return `${location.origin}${location.pathname}#/x/${code}`;
}

// ---- the teacher's panel on the event page ----------------------------------------

/**
 * exercisePanel is the teacher's part of the event page. opts: open (show
 * the panel at once), freshCode (an exercise just started, to point out)
 * and onBlindExercise(ex), called instead of refreshing the list when a
 * blind exercise has been started.
 */
export function exercisePanel(ev, opts = {}) {
  const list = h("div", { class: "exercise-list", id: "exercise-list", "aria-live": "polite" });
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const blindBox = h("input", { type: "checkbox", id: "exercise-blind", name: "blind", checked: true });
  const form = h("form", { class: "exercise-form", id: "exercise-form", novalidate: true },
    h("label", { class: "check" }, blindBox,
      " Blind: hide the outlets' names from students until you reveal them"),
    h("button", { type: "submit", class: "button primary", id: "start-exercise", text: "Start an exercise" }),
    error);
  let loaded = false;
  const body = h("div", { class: "exercise-body", id: "exercise-body", hidden: !opts.open },
    h("p", { class: "exercise-about", text:
      "Students open the link or type the class code on Slant's home page. They read the reports without highlights, " +
      "pick the words they find loaded, then check their picks against Slant's. You see the whole class's picks on the text. " +
      "No names, no accounts." }),
    form,
    list);
  const opener = h("button", {
    type: "button", class: "disclose", id: "exercise-open", "aria-expanded": String(!!opts.open), "aria-controls": "exercise-body",
    on: {
      click: () => {
        const open = opener.getAttribute("aria-expanded") !== "true";
        opener.setAttribute("aria-expanded", String(open));
        body.hidden = !open;
        label.textContent = open ? "Hide" : "Show";
        if (open && !loaded) {
          loaded = true;
          fillList(ev, list);
        }
      },
    },
  });
  const label = h("span", { class: "disclose-text", text: opts.open ? "Hide" : "Show" });
  opener.append(label, h("span", { class: "visually-hidden", text: " the class exercise" }));
  const pointOut = (code) => {
    const card = list.querySelector(`.exercise-card[data-code="${code}"]`);
    if (!card) return;
    card.scrollIntoView({ block: "nearest" });
    card.querySelector(".class-code").focus({ preventScroll: true });
  };
  if (opts.open) {
    loaded = true;
    fillList(ev, list, opts.freshCode ? { code: opts.freshCode } : null).then(() => {
      if (opts.freshCode) pointOut(opts.freshCode);
    });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    const button = form.querySelector("button[type=submit]");
    await busy(button, "Starting…", async () => {
      try {
        const ex = await api.createExercise(ev.id, blindBox.checked);
        if (ex.blind && opts.onBlindExercise) {
          await opts.onBlindExercise(ex);
          return;
        }
        loaded = true;
        await fillList(ev, list, ex);
        pointOut(ex.code);
      } catch (err) {
        showError(error, `The exercise could not be started: ${err.message}`);
      }
    });
  });

  return h("section", { class: "exercise-panel", "aria-labelledby": "exercise-heading" },
    h("div", { class: "exercise-head" },
      h("div", {},
        h("h3", { id: "exercise-heading", text: "Class exercise: spot the loaded words" }),
        h("p", { class: "gist", text: "Students pick the loaded words themselves, then compare with Slant and the class." })),
      opener),
    body);
}

async function fillList(ev, list, fresh) {
  let exercises;
  try {
    exercises = ((await api.listExercises(ev.id)) || {}).exercises || [];
  } catch (err) {
    clear(list).append(h("p", { class: "error", text: `The exercises could not be loaded: ${err.message}` }));
    return;
  }
  if (fresh && fresh.event_id && !exercises.some((x) => x.code === fresh.code)) exercises.unshift(fresh);
  exercises.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  clear(list);
  if (!exercises.length) {
    list.append(h("p", { class: "empty", text: "No exercise on this event yet." }));
    return;
  }
  list.append(...exercises.map((ex) => exerciseCard(ev, ex, list, fresh && ex.code === fresh.code)));
}

function exerciseCard(ev, ex, list, isNew) {
  const link = studentLink(ex.code);
  const state = ex.blind ? (ex.revealed ? "Blind, outlets now revealed" : "Blind: outlet names hidden") : "Outlet names shown";
  const started = formatDate(ex.created_at);
  const open = ex.open !== false;
  const until = open && ex.expires_at ? formatDate(ex.expires_at) : "";
  const life = open
    ? (until ? ` · the code works until ${until}` : "")
    : ex.ended_at ? ` · ended ${formatDate(ex.ended_at)}: the code no longer works` : " · too old: the code no longer works";
  const card = h("div", { class: `exercise-card${isNew ? " new" : ""}${open ? "" : " over"}`, dataset: { code: ex.code } },
    h("div", { class: "code-box" },
      h("p", { class: "class-code-label", id: `code-${ex.code}-label`, text: "Class code" }),
      h("p", {
        class: "class-code", tabindex: "-1", "aria-labelledby": `code-${ex.code}-label code-${ex.code}-value`,
      }, h("span", { id: `code-${ex.code}-value`, text: ex.code }))),
    h("div", { class: "code-info" },
      h("p", { class: "code-link" }, "Students open ",
        h("a", { href: `#/x/${ex.code}`, class: "student-link", text: link }),
        " or type the code on Slant's home page."),
      h("p", { class: "code-state" }, state, started ? ` · started ${started}` : "", life),
      ex.answers_match_current === false
        ? h("p", { class: "exercise-stale", text: "Started before the word list changed. Students' checks here count the words Slant flagged then; " +
            "this page and the worksheet's key show the words Slant flags now." })
        : null,
      h("p", { class: "code-actions" },
        h("a", { class: "button primary", href: `#/x/${ex.code}/results`, text: "Show class results" }),
        ex.blind && !ex.revealed
          ? h("button", {
              type: "button", class: "button reveal-exercise",
              on: {
                click: async (e) => {
                  await busy(e.currentTarget, "Revealing…", async () => {
                    try {
                      await api.revealExercise(ex.code);
                      await fillList(ev, list);
                    } catch (err) {
                      window.alert(`The outlets could not be revealed: ${err.message}`);
                    }
                  });
                },
              },
              text: "Reveal outlets",
            })
          : null,
        open
          ? h("button", {
              type: "button", class: "button end-exercise",
              on: {
                click: async (e) => {
                  if (!window.confirm(`End the exercise ${ex.code}? Students can no longer open it or check picks; the class's results stay.`)) return;
                  await busy(e.currentTarget, "Ending…", async () => {
                    try {
                      await api.endExercise(ex.code);
                      await fillList(ev, list);
                    } catch (err) {
                      window.alert(`The exercise could not be ended: ${err.message}`);
                    }
                  });
                },
              },
              text: "End exercise",
            })
          : null,
        h("button", {
          type: "button", class: "button danger subtle delete-exercise",
          on: {
            click: async () => {
              if (!window.confirm(`Delete the exercise ${ex.code}? The class's picks are deleted with it.`)) return;
              try {
                await api.deleteExercise(ex.code);
                await fillList(ev, list);
              } catch (err) {
                window.alert(`The exercise could not be deleted: ${err.message}`);
              }
            },
          },
          text: "Delete",
        }))));
  return card;
}

// ---- the student's page --------------------------------------------------------------
//
// One honest try: each report can be checked once, since the check shows
// Slant's own list. The page keeps each check's answer with the picks, so
// that a reload shows it again (and the words stay locked) instead of
// offering a second try the server would refuse. Checking a report with no
// picks asks first. Nothing here links to the teacher's views.

const STORE = "slant.exercise.";

/** studentStore is this tab's record of one exercise: the random student
 * key, the picks per article ({articleId: [[start, end], ...]}) and the
 * answers of the checks made ({articleId: result}). */
function studentStore(code) {
  let data = null;
  try {
    data = JSON.parse(sessionStorage.getItem(STORE + code) || "null");
  } catch {
    data = null;
  }
  if (!data || typeof data.student !== "string" || !/^[0-9a-f]{32}$/.test(data.student)) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    data = { student: [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(""), picks: {}, checked: {} };
  }
  if (!data.picks || typeof data.picks !== "object") data.picks = {};
  if (!data.checked || typeof data.checked !== "object") data.checked = {};
  const save = () => {
    try {
      sessionStorage.setItem(STORE + code, JSON.stringify(data));
    } catch {
      // Without storage the picks last until the page is left.
    }
  };
  save();
  return { data, save };
}

const JOIN = { href: "#/join", text: "Try another class code" };

export async function studentView(code, current) {
  loading("Opening the exercise…");
  let ex;
  try {
    ex = await api.getExercise(code);
  } catch (err) {
    if (!current()) return;
    if (err.status === 404) {
      notFound("No exercise with that code",
        `There is no class exercise “${code}”. Check the code with your teacher.`, JOIN);
    } else if (err.status === 410) {
      notFound("This exercise is over", capitalize(err.message), JOIN);
    } else failure(err, () => studentView(code, current), JOIN);
    return;
  }
  if (!current()) return;
  drawStudent(ex, current);
}

function outletLabel(a) {
  return a.outlet && a.outlet.name ? a.outlet.name : a.label || "Outlet";
}

function drawStudent(ex, current) {
  const store = studentStore(ex.code);
  const articles = ex.articles || [];
  const ev = ex.event || {};
  const date = formatDate(ev.date);
  const total = h("span", { class: "pick-total", text: "0" });
  const overall = h("div", { class: "overall-score", id: "overall-score", "aria-live": "polite" });

  // One question for the whole class of reports: those still to check
  // with no picks in them.
  const ask = h("div", { class: "zero-pick-question", id: "check-all-question", hidden: true });
  const checkAll = h("button", {
    type: "button", class: "button primary", id: "check-all",
    on: {
      click: async () => {
        const cols = [...page.querySelectorAll(".pick-article")];
        const open = cols.filter((col) => !col.isChecked());
        const empty = open.filter((col) => col.pickCount() === 0);
        const go = async () => {
          await busy(checkAll, "Checking…", async () => {
            for (const col of open) {
              if (!(await col.check())) {
                // Said beside the button too: the report's own message
                // may be a long scroll away, on a phone.
                clear(overall).append(h("p", { class: "form-error", role: "alert", text: `${col.label}: ${col.lastError}` }));
                return;
              }
            }
            showOverall(overall, cols.map((col) => col.result()).filter(Boolean));
          });
        };
        if (!open.length) {
          showOverall(overall, cols.map((col) => col.result()).filter(Boolean));
          return;
        }
        if (!empty.length) return go();
        const question = empty.length === open.length
          ? "You picked no words. Check anyway?"
          : `You picked no words in ${plural(empty.length, "report", "reports")} (${empty.map((c) => c.label).join(", ")}). Check anyway?`;
        confirmInline(ask, question, go, checkAll);
      },
    },
    text: "Check all my picks",
  });

  const updateTotal = () => {
    let n = 0;
    for (const list of Object.values(store.data.picks)) n += (list || []).length;
    total.textContent = String(n);
  };

  const n = articles.length;
  const grid = h("section", {
    class: `articles pick-articles cols-${Math.min(n, 6)}${n > 6 ? " cols-many" : ""}`,
    "aria-label": "Reports side by side",
  }, articles.map((a) => pickColumn(ex, a, store, updateTotal)));

  const page = h("div", { class: "exercise-page", dataset: { code: ex.code } },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: JOIN.href, text: "← Another class code" })),
    h("header", { class: "event-head exercise-head-block" },
      h("div", { class: "event-head-text" },
        h("p", { class: "kicker" }, "Class exercise · code ", h("span", { class: "code-inline", text: ex.code })),
        h("h1", { tabindex: "-1", id: "event-title", text: ev.title || "Spot the loaded words" }),
        date ? h("p", { class: "event-date", text: date }) : null,
        ev.description ? h("p", { class: "event-desc", text: ev.description }) : null)),
    ex.open === false
      ? h("p", { class: "notice ended-note", role: "status", text: "This exercise is over: students can no longer open it or check their picks." })
      : null,
    h("section", { class: "card instructions", "aria-labelledby": "how-heading" },
      h("h2", { id: "how-heading", text: "Spot the loaded words" }),
      h("p", { text: "Read each report. Click or tap every word you think is loaded: a word that judges, " +
        "or stirs feelings, where a plain word would just describe. Click it again to let it go." }),
      h("p", { id: "pick-help", class: "keyboard-help", text: "With a keyboard: press Tab to reach a report's words, move from word to word with the arrow keys, " +
        "and press Space or Enter to pick or let go." }),
      h("p", { class: "one-try", text: "You can check each report once. After that, Slant shows you its own list, " +
        "and your picks for that report stay as they are." }),
      h("p", { class: "hint", text: "Nobody sees your name: your picks stay in this browser tab and are sent without it." }),
      ex.blind && !ex.revealed
        ? h("p", { class: "hint blind-note", text: "The outlets' names are hidden for now, so that you judge the words alone." })
        : null),
    h("div", { class: "pick-bar" },
      h("p", { class: "pick-status", role: "status" }, "You have picked ", total, " words."),
      checkAll,
      ask),
    overall,
    grid);

  render(page);
  updateTotal();
  const done = [...page.querySelectorAll(".pick-article")].map((col) => col.result()).filter(Boolean);
  if (done.length === articles.length && done.length) showOverall(overall, done);

  // While the outlets are hidden, look now and then whether the teacher
  // has revealed them, and show the names in place (the picks stay).
  if (ex.blind && !ex.revealed) {
    const timer = setInterval(async () => {
      if (!current() || !page.isConnected) {
        clearInterval(timer);
        return;
      }
      try {
        const now = await api.getExercise(ex.code);
        if (!now.revealed) return;
        clearInterval(timer);
        for (const a of now.articles || []) {
          const col = page.querySelector(`.pick-article[data-article-id="${a.id}"]`);
          if (!col) continue;
          col.querySelector(".outlet-name").textContent = outletLabel(a);
          if (a.outlet && a.outlet.domain) {
            col.querySelector(".outlet").append(h("span", { class: "outlet-domain", text: a.outlet.domain }));
          }
        }
        const note = page.querySelector(".blind-note");
        if (note) note.textContent = "Your teacher has revealed the outlets.";
      } catch {
        // Try again at the next tick.
      }
    }, 20000);
  }
}

/**
 * confirmInline shows a question with "Check anyway" and "Go back" in box,
 * instead of a modal dialog, and runs go on "Check anyway". back gets the
 * focus again on "Go back".
 */
function confirmInline(box, question, go, back) {
  const yes = h("button", { type: "button", class: "button primary confirm-yes", text: "Check anyway" });
  const no = h("button", { type: "button", class: "button confirm-no", text: "Go back and pick" });
  const close = () => {
    box.hidden = true;
    clear(box);
  };
  yes.addEventListener("click", async () => {
    close();
    await go();
  });
  no.addEventListener("click", () => {
    close();
    back.focus();
  });
  clear(box).append(h("p", { class: "question", role: "alert", text: question }), h("p", { class: "answers" }, yes, " ", no));
  box.hidden = false;
  yes.focus();
}

function pickColumn(ex, a, store, updateTotal) {
  const text = a.text || "";
  const name = outletLabel(a);
  const picked = new Set((store.data.picks[a.id] || []).map(([s, e]) => `${s}:${e}`));
  let first = true;
  const body = h("div", {
    class: "article-body pick-body", lang: "en", role: "group",
    "aria-label": `Words of the report from ${name}`, "aria-describedby": "pick-help",
  });
  body.append(renderWords(text, (word, start, end) => {
    const on = picked.has(`${start}:${end}`);
    const el = h("span", {
      class: on ? "word picked" : "word", role: "button", tabindex: first ? "0" : "-1", "aria-pressed": String(on),
      dataset: { s: start, e: end },
    }, word);
    first = false;
    return el;
  }));

  const count = h("span", { class: "pick-count", text: "" });
  const result = h("div", { class: "check-result", "aria-live": "polite" });
  const ask = h("div", { class: "zero-pick-question", hidden: true });
  const checkButton = h("button", { type: "button", class: "button check-one", text: "Check my picks" });

  const wordsOf = () => [...body.querySelectorAll(".word")];
  let refused = false; // the server said this report was checked before
  const locked = () => refused || !!store.data.checked[a.id];
  const savePicks = () => {
    store.data.picks[a.id] = wordsOf().filter((w) => w.getAttribute("aria-pressed") === "true")
      .map((w) => [Number(w.dataset.s), Number(w.dataset.e)]);
    store.save();
    const n = store.data.picks[a.id].length;
    count.textContent = `${plural(n, "word", "words")} picked`;
    updateTotal();
  };
  const toggle = (w) => {
    if (locked()) return;
    const on = w.getAttribute("aria-pressed") !== "true";
    w.setAttribute("aria-pressed", String(on));
    w.classList.toggle("picked", on);
    savePicks();
  };
  const moveTo = (w) => {
    for (const x of body.querySelectorAll('.word[tabindex="0"]')) x.tabIndex = -1;
    w.tabIndex = 0;
    w.focus();
  };
  // lock shows that the report has had its one check: the words stop
  // toggling (they stay focusable, to hear each word's outcome) and the
  // button says so.
  const lock = () => {
    col.classList.add("checked");
    body.setAttribute("aria-disabled", "true");
    for (const w of wordsOf()) {
      w.removeAttribute("aria-pressed");
      w.setAttribute("aria-disabled", "true");
    }
    checkButton.disabled = true;
    checkButton.textContent = "Checked";
  };

  body.addEventListener("click", (e) => {
    const w = e.target.closest && e.target.closest(".word");
    if (!w) return;
    if (w.tabIndex !== 0) {
      for (const x of body.querySelectorAll('.word[tabindex="0"]')) x.tabIndex = -1;
      w.tabIndex = 0;
    }
    toggle(w);
  });
  body.addEventListener("keydown", (e) => {
    const w = e.target.closest && e.target.closest(".word");
    if (!w) return;
    if (e.key === " " || e.key === "Enter") {
      e.preventDefault();
      toggle(w);
      return;
    }
    const all = wordsOf();
    const i = all.indexOf(w);
    let j = -1;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") j = Math.min(all.length - 1, i + 1);
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") j = Math.max(0, i - 1);
    else if (e.key === "Home") j = 0;
    else if (e.key === "End") j = all.length - 1;
    if (j < 0) return;
    e.preventDefault();
    moveTo(all[j]);
  });

  const col = h("article", {
    class: "article pick-article", "aria-labelledby": `pick-${a.id}-title`, dataset: { articleId: a.id },
  },
    h("header", { class: "article-head" },
      h("p", { class: "outlet" },
        h("span", { class: "outlet-name", text: name }),
        a.outlet && a.outlet.domain ? h("span", { class: "outlet-domain", text: a.outlet.domain }) : null),
      h("h3", { class: "article-title", id: `pick-${a.id}-title`, text: a.title || "(no headline)" })),
    body,
    h("footer", { class: "pick-foot" },
      h("p", { class: "pick-actions" }, checkButton, " ", count),
      ask,
      result));

  col.label = name;
  col.isChecked = locked;
  col.pickCount = () => (store.data.picks[a.id] || []).length;
  col.result = () => store.data.checked[a.id] || null;
  col.check = async () => {
    if (locked()) return store.data.checked[a.id] || null;
    savePicks();
    const picks = (store.data.picks[a.id] || []).map(([start, end]) => ({ start, end }));
    try {
      const res = await withRetry(() => api.submitPicks(ex.code, { student: store.data.student, article_id: a.id, picks }));
      store.data.checked[a.id] = res;
      store.save();
      showResult(body, result, res);
      lock();
      return res;
    } catch (err) {
      let message = `Your picks could not be checked: ${err.message}`;
      if (err.status === 409 && /already checked/.test(err.message)) {
        message = "You already checked this report: your first check is the one that counts.";
        refused = true;
        lock();
      } else if (err.status === 409 || err.status === 410 || err.status === 404) {
        message = capitalize(err.message);
      }
      clear(result).append(h("p", { class: "form-error", role: "alert", text: message }));
      col.lastError = message;
      return null;
    }
  };
  // busy gives the button back its text when it is done; a report that
  // has had its check is locked again after it.
  const checkNow = async () => {
    await busy(checkButton, "Checking…", () => col.check());
    if (locked()) lock();
  };
  checkButton.addEventListener("click", () => {
    if (locked()) return;
    if (col.pickCount() === 0) {
      confirmInline(ask, "You picked no words. Check anyway?", checkNow, checkButton);
      return;
    }
    checkNow();
  });
  savePicks();
  if (store.data.checked[a.id]) {
    showResult(body, result, store.data.checked[a.id]);
    lock();
  }
  return col;
}

const overlaps = (a, b) => a.start < b.end && b.start < a.end;

/** GLOSS says what each kind of loaded word is in words a 14-year-old
 * uses, after the category's name on the student's card. */
const GLOSS = {
  "dehumanising": "talks about people as if they were animals or things",
  "emotional-appeal": "tells you how to feel",
  "euphemism": "a soft word that hides something harsh",
  "fear-and-threat": "war or danger words that make you afraid",
  "insinuation": "hints at something shady without saying it",
  "intensifier-absolute": "turns up the volume or claims to be sure",
  "judgement": "the writer's own opinion",
  "loaded-action-verb": "a verb that judges what someone did",
  "loaded-verb-of-saying": "a word for how someone spoke that takes sides",
  "partisan-label": "a word one political side uses",
  "pejorative-label": "a name that insults",
  "presupposition": "treats something as true without showing it",
  "puffery": "praise from the writer",
  "ridicule": "makes fun of someone",
  "sensationalism": "makes things sound bigger or scarier",
  "weasel-attribution": "a vague source, like \"some say\"",
};

/** studentAlternative turns the blanks of a suggested wording, such as
 * "what (named person) calls" or "experts (name who said so)", into
 * square-bracketed hints a student reads as something to fill in: no
 * lexicon placeholder is shown as it is written. */
export function studentAlternative(text) {
  return String(text || "")
    .replace(/\((?:named )?source\)/g, "[who said it]")
    .replace(/\(named ([^()]+?)s\)/g, "[the $1s' names]")
    .replace(/\(named ([^()]+)\)/g, "[the $1's name]")
    .replace(/\(name\)/g, "[a name]")
    .replace(/\(([^()]+)\)/g, "[$1]");
}

/** withRetry tries fn again, a little later each time, while the server
 * says too many requests: a whole class checking at once from one school
 * address can meet the rate limit. */
async function withRetry(fn, tries = 4) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (err.status !== 429 || i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 800 * i + Math.random() * 700));
    }
  }
}

/**
 * scoreWords says a check's outcome the way a student talks: "You found 5
 * of the 8 words Slant flags." and "2 of your picks are not on Slant's
 * list: talk about them with your class." (the second only when there are
 * such picks). No percentages, no precision or recall.
 */
export function scoreWords(found, total, extra) {
  let first;
  if (!total) first = "Slant found no loaded words here. Did you?";
  else if (total === 1) first = found ? "You found the one word Slant flags." : "You did not find the one word Slant flags.";
  else if (found === total) first = `You found all ${total} words Slant flags.`;
  else if (!found) first = `You found none of the ${total} words Slant flags.`;
  else first = `You found ${found} of the ${total} words Slant flags.`;
  const second = extra
    ? `${extra === 1 ? "1 of your picks is" : `${extra} of your picks are`} not on Slant's list: ` +
      `talk about ${extra === 1 ? "it" : "them"} with your class.`
    : "";
  return [first, second];
}

/** scoreLines shows scoreWords' two sentences: the first with the count
 * beside it (when Slant flags anything), the second, if any, under it. */
function scoreLines(found, total, extra) {
  const [first, second] = scoreWords(found, total, extra);
  return [
    h("p", { class: "score-line" },
      total ? h("span", { class: "score-big", "aria-hidden": "true", text: `${found} of ${total}` }) : null,
      h("span", { class: "score-words", text: first })),
    second ? h("p", { class: "score-sub", text: second }) : null,
  ];
}

/** showResult marks the words of the text with the check's outcome and
 * lists it under the article. */
function showResult(body, box, res) {
  const matches = res.matches || [];
  const misses = res.misses || [];
  const extras = res.extras || [];
  const quoted = res.quoted || [];
  const sc = res.score || {};

  for (const w of body.querySelectorAll(".word")) {
    const span = { start: Number(w.dataset.s), end: Number(w.dataset.e) };
    const picked = w.classList.contains("picked");
    w.classList.remove("res-match", "res-miss", "res-extra", "res-quoted");
    let tag = "";
    if (matches.some((m) => overlaps(m, span))) {
      w.classList.add("res-match");
      tag = picked ? "found" : "part of a word you found";
    } else if (misses.some((m) => overlaps(m, span))) {
      w.classList.add("res-miss");
      tag = "missed: Slant flags it";
    } else if (picked && quoted.some((m) => overlaps(m, span))) {
      w.classList.add("res-quoted");
      tag = "in a quotation: counts neither way";
    } else if (picked && extras.some((m) => overlaps(m, span))) {
      w.classList.add("res-extra");
      tag = "not on Slant's list";
    }
    if (tag) w.setAttribute("aria-label", `${w.textContent}, ${tag}`);
    else w.removeAttribute("aria-label");
  }

  const found = sc.found ?? matches.length;
  const totalFlags = sc.total ?? matches.length + misses.length;
  const extra = sc.extra ?? extras.length;
  const list = (cls, items, item) => h("ul", { class: `result-list ${cls}` }, items.map(item));
  const label = (f) => f.category_label || (f.category ? category(f.category).label : "");
  const gloss = (f) => GLOSS[f.category] ? ` (${GLOSS[f.category]})` : "";
  const why = (f) => [
    h("q", { class: "result-word", text: f.text }),
    label(f) ? h("span", { class: "result-cat", text: ` ${label(f)}${gloss(f)}. ` }) : " ",
    f.reason ? h("span", { class: "result-reason", text: f.reason }) : null,
  ];
  const alt = (f) => {
    const alts = (f.alternatives || []).filter(Boolean);
    return alts.length ? h("span", { class: "result-alt" }, " Try instead: ",
      alts.slice(0, 2).map((x, i) => [i ? " or " : "", h("strong", { text: studentAlternative(x) })]), ".") : null;
  };
  const MANY = 6;
  const missItems = misses.map((f) => h("li", {}, why(f), alt(f)));
  for (const li of missItems.slice(MANY)) li.hidden = true;

  // append from dom.js, not Element.append: it skips the parts that are
  // not there, where Element.append would print "null".
  append(clear(box), [
    h("div", { class: "score-box" }, scoreLines(found, totalFlags, extra)),
    matches.length
      ? h("section", { class: "result-part res-found", dataset: { count: matches.length } },
          h("h4", {}, h("span", { class: "sym", "aria-hidden": "true", text: "✓ " }), `You found (${matches.length})`),
          list("found", matches, (f) => h("li", {}, why(f))))
      : null,
    misses.length
      ? h("section", { class: "result-part res-missed", dataset: { count: misses.length } },
          h("h4", {}, h("span", { class: "sym", "aria-hidden": "true", text: "! " }), `Slant also flags (${misses.length})`),
          h("p", { class: "hint", text: "Slant flags these in the outlet's own voice. They are marked with a dashed line in the text." }),
          h("ul", { class: "result-list missed" }, missItems),
          misses.length > MANY
            ? h("button", {
                type: "button", class: "button subtle more", "aria-expanded": "false",
                on: {
                  click: (e) => {
                    const b = e.currentTarget;
                    const open = b.getAttribute("aria-expanded") !== "true";
                    b.setAttribute("aria-expanded", String(open));
                    for (const li of missItems.slice(MANY)) li.hidden = !open;
                    b.textContent = open ? "Show fewer" : `Show all ${misses.length} words`;
                  },
                },
                text: `Show all ${misses.length} words`,
              })
            : null)
      : null,
    extras.length
      ? h("section", { class: "result-part res-extras", dataset: { count: extra } },
          h("h4", {}, h("span", { class: "sym", "aria-hidden": "true", text: "? " }), `Your other picks (${extras.length})`),
          h("p", { class: "extra-note", text: "These are not on Slant's list. Talk about them with your class: " +
            "a word can be loaded in its place even when no list names it." }),
          list("extras", extras, (f) => h("li", {}, h("q", { class: "result-word", text: f.text }))))
      : null,
    quoted.length
      ? h("section", { class: "result-part res-quotes", dataset: { count: quoted.length } },
          h("h4", {}, h("span", { class: "sym", "aria-hidden": "true", text: "“ ” " }), `In quotations (${quoted.length})`),
          h("p", { class: "hint", text: "These words are inside quotation marks: they are the speaker's words, not the outlet's, " +
            "so they count neither for nor against you. Ask: why did the outlet choose this quotation?" }),
          list("quoted", quoted, (f) => h("li", {}, h("q", { class: "result-word", text: f.text }))))
      : null,
  ]);
}

function showOverall(box, results) {
  let found = 0;
  let total = 0;
  let extra = 0;
  for (const r of results) {
    const sc = r.score || {};
    found += sc.found ?? (r.matches || []).length;
    total += sc.total ?? (r.matches || []).length + (r.misses || []).length;
    extra += sc.extra ?? (r.extras || []).length;
  }
  append(clear(box), [h("div", { class: "card overall" },
    h("h2", { text: "All reports together" }),
    scoreLines(found, total, extra),
    h("p", { class: "hint", text: "Each report's result is under its text." }))]);
}

// ---- the class results ---------------------------------------------------------------------

export async function resultsView(code, current) {
  loading("Loading the class results…");
  let ex;
  let res;
  try {
    // The results first: they are the teacher's and ask for the token;
    // the texts then come with it, also when the exercise is over.
    res = await api.exerciseResults(code);
    ex = await api.getExercise(code);
  } catch (err) {
    if (!current()) return;
    if (err.status === 404) notFound("No exercise with that code", `There is no class exercise “${code}”; it may have ended.`);
    else failure(err, () => resultsView(code, current));
    return;
  }
  if (!current()) return;
  const stale = await answersChanged(res.event_id, code);
  if (!current()) return;
  drawResults(ex, res, stale);
}

/** answersChanged says whether the exercise's kept answer lists no longer
 * match what the event's articles are flagged with now; false when that
 * cannot be read (the results themselves are right either way). */
async function answersChanged(eventId, code) {
  try {
    const list = ((await api.listExercises(eventId)) || {}).exercises || [];
    const ex = list.find((x) => x.code === code);
    return !!ex && ex.answers_match_current === false;
  } catch {
    return false;
  }
}

/** alphaWords says in plain words what a Krippendorff's alpha means. */
function alphaWords(a) {
  if (a === null || a === undefined) return "Not enough answers yet: it needs at least two students.";
  const x = Number(a);
  if (x >= 0.8) return "Strong agreement.";
  if (x >= 0.667) return "Fair agreement.";
  if (x >= 0.4) return "Some agreement.";
  if (x > 0.05) return "Little agreement: more than chance, but not much.";
  if (x >= -0.05) return "No more agreement than chance.";
  return "Less agreement than chance: the picks pull apart.";
}

function drawResults(ex, res, stale = false) {
  const ev = ex.event || {};
  const students = Number(res.students) || 0;
  const texts = new Map((ex.articles || []).map((a) => [a.id, a]));
  // The columns come in the order the students see them.
  const byId = new Map((res.articles || []).map((r) => [r.article_id, r]));
  const order = (ex.articles || []).map((a) => byId.get(a.id) || { article_id: a.id, label: a.label, tokens: [] });

  // Each figure: its value, what this value says, and one plain line on
  // what the figure means.
  const figure = (id, label, value, words, meaning, digits = 2) => h("div", { class: "agree-figure", id },
    h("dt", { text: label }),
    h("dd", {},
      h("span", { class: "figure-value", text: value === null || value === undefined ? "–" : fixed(value, digits) }),
      h("span", { class: "plain", text: words }),
      h("span", { class: "figure-meaning", text: meaning })));

  const refresh = h("button", {
    type: "button", class: "button", id: "refresh-results",
    on: { click: () => resultsView(ex.code, nextRoute()) },
    text: "Refresh",
  });
  const reveal = ex.blind && !ex.revealed
    ? h("button", {
        type: "button", class: "button", id: "reveal-results",
        on: {
          click: async (e) => {
            await busy(e.currentTarget, "Revealing…", async () => {
              try {
                await api.revealExercise(ex.code);
                await resultsView(ex.code, nextRoute());
              } catch (err) {
                window.alert(`The outlets could not be revealed: ${err.message}`);
              }
            });
          },
        },
        text: "Reveal outlets",
      })
    : null;

  const n = order.length;
  const page = h("div", { class: "results-page", dataset: { code: ex.code } },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" },
      h("a", { href: `#/events/${res.event_id || ev.id}`, text: "← Back to the event" })),
    h("header", { class: "event-head" },
      h("div", { class: "event-head-text" },
        h("p", { class: "kicker" }, "Class results · code ", h("span", { class: "code-inline", text: ex.code })),
        h("h1", { tabindex: "-1", id: "event-title", text: ev.title || "Class results" }),
        h("p", { class: "results-count", id: "results-count", text: students
          ? `${plural(students, "student has", "students have")} sent picks.`
          : "No student has sent picks yet. Students open the exercise and press “Check my picks”." }),
        stale
          ? h("p", { class: "exercise-stale", id: "results-stale", text: "These results count the words Slant flagged when the exercise started. " +
              "The word list has changed since, so the event page and the worksheet's key show other words." })
          : null,
        res.teacher_tries
          ? h("p", { class: "hint", id: "teacher-tries", text: `Your own ${plural(res.teacher_tries, "try", "tries")} (checked with the teacher's token) ${res.teacher_tries === 1 ? "is" : "are"} not counted here.` })
          : null),
      h("p", { class: "results-actions" }, refresh, " ", reveal, " ",
        h("a", { class: "button", href: `#/x/${ex.code}`, text: "Student view" }))),
    h("section", { class: "card agreement", "aria-labelledby": "agree-heading" },
      h("h2", { id: "agree-heading", text: "How much the class agrees" }),
      h("dl", { class: "agree-figures" },
        figure("alpha-students", "Students with each other (alpha)", res.alpha_students, alphaWords(res.alpha_students),
          "Alpha: how often students picked the same words, beyond luck. 1 is all the same, 0 no better than chance."),
        figure("alpha-slant", "Students and Slant together (alpha)", res.alpha_with_slant, alphaWords(res.alpha_with_slant),
          "The same alpha with Slant counted as one more reader."),
        figure("f1-mean", "Students' picks against Slant's (mean F1)", res.slant_f1_mean,
          res.slant_f1_mean === null || res.slant_f1_mean === undefined ? "No answers yet." : "",
          "F1: how close a student's picks come to Slant's list, missed and extra words both counting. " +
          "1 is exactly Slant's words, 0 none of them.")),
      h("p", { class: "agree-explain", text: "Agreement is Krippendorff's alpha over every word of the texts: 1 means full agreement, " +
        "0 means no more than chance, below 0 means the picks pull apart. “Students and Slant together” counts Slant as one more reader. " +
        "Low agreement is a good start for a discussion: which words did the class split on, and why?" })),
    h("div", { class: "heat-legend", "aria-label": "How to read the text" },
      h("span", { class: "heat-key" }, "Picked by: "),
      [1, 2, 3, 4, 5].map((k) => h("span", { class: `heat-swatch heat h-${k}`, "aria-hidden": "true", text: `${k * 20}%` })),
      h("span", { class: "heat-key" }, " of students · "),
      h("span", { class: "heat slant-flag sample-flag", text: "outlined" }),
      h("span", { class: "heat-key" }, " Slant flags it · the small number is how many of the students who checked that report picked the word")),
    h("section", {
      class: `articles results-articles cols-${Math.min(n, 6)}${n > 6 ? " cols-many" : ""}`,
      "aria-label": "The class's picks on the texts",
    }, order.map((r) => resultColumn(texts.get(r.article_id), r))));
  render(page);
}

/** slantRuns joins the words Slant flags that follow each other with one
 * space or hyphen between them into runs of byte ranges. */
function slantRuns(tokens) {
  const runs = [];
  for (const t of [...tokens].filter((x) => x.slant).sort((x, y) => x.start - y.start)) {
    const last = runs[runs.length - 1];
    if (last && t.start - last.end <= 1) last.end = Math.max(last.end, t.end);
    else runs.push({ start: t.start, end: t.end });
  }
  return runs;
}

function resultColumn(a, r) {
  const tokens = r.tokens || [];
  // A word's picks are out of the students who checked this report, not
  // the whole class: some students check only some reports.
  const students = Number(r.students) || 0;
  const name = a.outlet && a.outlet.name ? a.outlet.name : r.label || a.label;
  const body = h("div", { class: "article-body heat-body", lang: "en" });
  // Slant's flags are outlined as whole phrases ("tax-and-spend", "tear
  // down the tent community"), not word by word: renderBody's quotation
  // layer draws the runs, which are then renamed.
  body.append(renderBody(a.text || "", tokens, slantRuns(tokens), (range, text) => {
    const t = range.item;
    const picks = Number(t.picks) || 0;
    const level = students && picks ? Math.max(1, Math.min(5, Math.ceil((picks / students) * 5))) : 0;
    const said = `${text}: picked by ${picks} of ${plural(students, "student", "students")}` +
      (t.slant ? "; Slant flags it" : "");
    return h("span", {
      class: `heat${level ? ` h-${level}` : ""}${t.slant ? " slant-flag" : ""}`,
      title: said, dataset: { picks, slant: t.slant ? "1" : "0" },
    });
  }));
  for (const run of body.querySelectorAll(".quote")) run.className = "slant-run";
  // Each picked word carries its count, seen as a small number and heard
  // as words; the title says it again on hover.
  for (const el of body.querySelectorAll(".heat")) {
    const picks = Number(el.dataset.picks) || 0;
    if (picks) el.append(h("sup", { class: "heat-count", "aria-hidden": "true", text: String(picks) }));
    el.append(h("span", { class: "visually-hidden", text:
      ` (picked by ${picks} of ${students}${el.dataset.slant === "1" ? ", Slant flags it" : ""})` }));
  }

  // The same in a table: the most picked words, and Slant's words nobody picked.
  const byWord = new Map();
  for (const t of tokens) {
    const key = String(t.text || "").toLowerCase();
    const cur = byWord.get(key) || { text: t.text, picks: 0, slant: false };
    cur.picks = Math.max(cur.picks, Number(t.picks) || 0);
    cur.slant = cur.slant || !!t.slant;
    byWord.set(key, cur);
  }
  const rows = [...byWord.values()].filter((w) => w.picks > 0).sort((x, y) => y.picks - x.picks || x.text.localeCompare(y.text));
  const unpicked = [...byWord.values()].filter((w) => !w.picks && w.slant).map((w) => w.text);
  const TOP = 10;

  return h("article", { class: "article result-article", dataset: { articleId: a.id }, "aria-labelledby": `res-${a.id}-title` },
    h("header", { class: "article-head" },
      h("p", { class: "outlet" }, h("span", { class: "outlet-name", text: name })),
      h("h3", { class: "article-title", id: `res-${a.id}-title`, text: a.title || "(no headline)" }),
      h("p", { class: "res-students", text: students
        ? `${plural(students, "student", "students")} checked this report.`
        : "No student has checked this report yet." }),
      (r.headline_flags || []).length
        ? h("p", { class: "headline-flags" }, h("strong", { text: "In the headline: not part of the picking. " }),
            "Slant flags ", (r.headline_flags || []).map((f, i) => [i ? ", " : "", h("q", { text: f.text })]), ".")
        : null),
    body,
    h("footer", { class: "pick-foot" },
      rows.length
        ? h("table", { class: "data-table picks-table" },
            h("caption", { text: "Most picked words" }),
            h("thead", {}, h("tr", {},
              h("th", { scope: "col", text: "Word" }), h("th", { scope: "col", text: "Students" }),
              h("th", { scope: "col", text: "Slant" }))),
            h("tbody", {}, rows.slice(0, TOP).map((w) => h("tr", {},
              h("th", { scope: "row", text: w.text }),
              h("td", { class: "num", text: `${w.picks} of ${students}` }),
              h("td", { text: w.slant ? "flags it" : "—" })))))
        : h("p", { class: "empty", text: "Nobody has picked a word here yet." }),
      unpicked.length
        ? h("p", { class: "unpicked" }, h("strong", { text: "Slant flags, nobody picked: " }),
            unpicked.slice(0, 12).join(", "), unpicked.length > 12 ? ` and ${unpicked.length - 12} more` : "")
        : null));
}
