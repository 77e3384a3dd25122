package e2e

// The LLM browser tests drive the event page's optional second opinion
// from a language model in headless Chromium, against the real server and
// a fake OpenAI-compatible model server (llm/llmtest) on
// 127.0.0.1: asking the model (with the admin token), its sentence bars
// and their popover, the agreed facts, blind mode, and the ways it can
// fail, each of which leaves the word-list highlights as they were. Like
// the other browser tests they need Chromium, and they write screenshots
// at 1440 and 375 px into $SLANT_TEST_OUTPUT (or a temp dir).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"slant/llm"
	"slant/llm/llmtest"
)

const llmTestModel = "fake:1b"

// llmEnv is the server environment for a model at fake.
func llmEnv(fake *llmtest.Server, more map[string]string) map[string]string {
	env := map[string]string{
		"SLANT_LLM_BASE_URL":    strings.TrimSuffix(fake.URL, "/v1"),
		"SLANT_LLM_MODEL":       llmTestModel,
		"SLANT_LLM_MAX_RETRIES": "0",
	}
	for k, v := range more {
		env[k] = v
	}
	return env
}

// loadedWord is a word the demo's word lists flag in an outlet's own
// voice, with the first neutral alternative the lexicon gives.
type loadedWord struct {
	text, alternative string
}

// demoModel answers like a careful model that reads the demo event: a
// sentence with words the word lists flag in the outlet's own voice is
// word choice and labelling (weak with one, moderate with two) or, with
// three or more, sensationalism (strong), with a rewrite that puts the
// neutral alternatives in; one sentence without a listed word is opinion
// as fact; every other sentence is neutral reporting. The
// agreed facts are four facts all three reports share.
func demoModel(demo map[string]demoArticle) llmtest.Responder {
	seen := map[string]bool{}
	var words []loadedWord
	for _, a := range demo {
		for _, f := range a.Own {
			key := strings.ToLower(f.Text)
			if seen[key] || len(key) < 4 {
				continue
			}
			seen[key] = true
			alt := ""
			if len(f.Alternatives) > 0 {
				alt = f.Alternatives[0]
			}
			words = append(words, loadedWord{f.Text, alt})
		}
	}
	// Longest first, so that "tax-and-spend" is replaced before "spend".
	sort.Slice(words, func(i, j int) bool { return len(words[i].text) > len(words[j].text) })

	judge := llmtest.Judge(func(text string) llmtest.Verdict {
		var found []string
		rewrite := text
		for _, w := range words {
			re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(w.text) + `\b`)
			if !re.MatchString(rewrite) {
				continue
			}
			found = append(found, w.text)
			alt := w.alternative
			if alt == "" || strings.HasPrefix(strings.ToLower(alt), "drop") {
				alt = ""
			}
			rewrite = re.ReplaceAllLiteralString(rewrite, alt)
		}
		rewrite = strings.Join(strings.Fields(rewrite), " ")
		switch n := len(found); {
		case n == 0 && strings.Contains(text, "never the real obstacle"):
			// A judgement no listed word shows, and no rewrite of the one
			// sentence helps.
			return llmtest.Verdict{Type: "opinion_as_fact", Strength: 0.7,
				Explanation: "It states the writer's own reading of the council's motives as a fact."}
		case n == 0:
			return llmtest.Verdict{Type: "none", Explanation: "States what happened and who said it."}
		case n >= 3:
			return llmtest.Verdict{Type: "sensationalism", Strength: 0.9,
				Explanation: fmt.Sprintf("It piles up dramatic words (“%s”) that make the vote sound like a scandal.", strings.Join(found, "”, “")),
				Rewrite:     rewrite}
		default:
			return llmtest.Verdict{Type: "word_choice_labelling", Strength: 0.35 + 0.25*float64(n-1),
				Explanation: fmt.Sprintf("“%s” judges the people or the plan instead of describing them.", strings.Join(found, "”, “")),
				Rewrite:     rewrite}
		}
	})
	return func(r llmtest.Request) llmtest.Response {
		if outlets := r.Outlets(); outlets != nil {
			b, _ := json.Marshal(map[string]any{
				"summary": "On Tuesday the Halvern City Council voted 5-4 to close the encampment at Wendle Flats by April 30 " +
					"and to turn a former textile warehouse on Quarry Road into a 120-bed shelter.",
				"facts": []map[string]any{
					{"text": "The council voted 5-4 on Tuesday.", "outlets": outlets},
					{"text": "The camp at Wendle Flats, under the Ashby Street bridge, is to close by April 30.", "outlets": outlets},
					{"text": "A former textile warehouse on Quarry Road becomes a 120-bed shelter.", "outlets": outlets},
					{"text": "Running the shelter is put at $2.1 million a year.", "outlets": outlets},
				},
			})
			return llmtest.Reply(string(b))
		}
		return judge(r)
	}
}

// llmMarks lists the page's word-list marks, their article, place and
// text, the quotations and "only here" passages, and each body's text: the
// model's bars must leave all of them as they were.
const llmMarks = `JSON.stringify({
	marks: [...document.querySelectorAll(".articles mark.finding")].map((m) =>
		m.closest(".article").dataset.articleId + (m.closest(".article-title") ? ":t" : ":b") + m.dataset.finding + ":" + m.textContent),
	quotes: document.querySelectorAll(".articles .quote").length,
	only: document.querySelectorAll(".articles .only-here").length,
	texts: [...document.querySelectorAll(".articles .article-body")].map((b) => b.textContent),
})`

func TestBrowserLLM(t *testing.T) {
	fake := llmtest.NewServer(t, func(llmtest.Request) llmtest.Response {
		return llmtest.Fail(http.StatusServiceUnavailable, "fake server: not ready yet")
	})
	b := newPageBrowser(t, llmEnv(fake, map[string]string{"SLANT_ADMIN_TOKEN": serveToken}))
	eventID, demo := demoEventAs(t, b.base, serveToken)
	// The model takes a moment over each answer, so that the page shows
	// it reading (and polls) before the results come in.
	answer := demoModel(demo)
	fake.SetResponder(func(r llmtest.Request) llmtest.Response {
		resp := answer(r)
		resp.Delay = 700 * time.Millisecond
		return resp
	})
	beacon := demo["The Halvern Beacon"]

	// Before asking: the model is named, nobody has asked it, and the
	// columns carry only the word lists' marks.
	// The event is the teacher's: the page asks for the token to read it.
	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("token-form")`)
	b.step("give the token",
		chromedp.SendKeys(chromedp.ID("admin-token"), serveToken),
		chromedp.Click(chromedp.CSS(`#token-form button[type="submit"]`)),
	)
	b.poll("the event", `!!document.getElementById("llm-ask") && !!document.querySelector(".articles mark.finding")`)
	b.check("model named", fmt.Sprintf(`document.querySelector("#llm-panel .llm-desc").textContent.startsWith("model %s at 127.0.0.1:")`, llmTestModel))
	b.check("ask button", `document.getElementById("llm-ask").textContent.trim() === "Ask the model"`)
	b.check("not asked yet", `document.getElementById("llm-notice").textContent.includes("has not been asked")`)
	b.check("chips say so", `(() => { const c = [...document.querySelectorAll(".articles .llm-chip")];
		return c.length === 3 && c.every((x) => x.dataset.status === "none" && x.textContent.includes("not asked")); })()`)
	b.check("no bars yet", `document.querySelectorAll(".llm-bar").length === 0 && document.getElementById("llm-toggle") === null`)
	before := b.text("marks before", llmMarks)
	if !strings.Contains(before, `"marks":["`) {
		t.Fatalf("no word-list marks on the page: %s", before)
	}

	// Asking is a write: the token the page keeps for the tab goes with it.
	b.step("ask the model", chromedp.Click(chromedp.ID("llm-ask")))
	b.poll("the model is reading", `document.getElementById("llm-ask").getAttribute("aria-disabled") === "true" &&
		document.querySelectorAll(".articles .llm-chip[data-status='queued'] .llm-spin, .articles .llm-chip[data-status='running'] .llm-spin").length > 0 &&
		document.getElementById("llm-notice").textContent.includes("still reading")`)
	b.check("facts coming", `!!document.querySelector("#llm-facts .llm-working .llm-spin") && document.getElementById("llm-facts").getAttribute("aria-busy") === "true"`)
	b.check("no token asked twice", `!document.getElementById("token-form")`)
	b.step("scroll to the model", chromedp.Evaluate[chromedp.Void](`document.getElementById("llm-panel").scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "llm-reading-1440.png")
	b.poll("the model has read", `document.querySelectorAll(".articles .llm-chip[data-status='done']").length === 3 &&
		document.querySelectorAll("#llm-facts .llm-fact-list li").length === 4 &&
		document.getElementById("llm-ask").getAttribute("aria-disabled") === null`)
	if fake.Count() == 0 {
		t.Fatal("the fake model server was never asked")
	}

	// The word lists' marks, quotations and passages are exactly as before.
	if after := b.text("marks after", llmMarks); after != before {
		t.Errorf("the word-list marks changed when the model's view arrived:\nbefore %s\nafter  %s", before, after)
	}
	b.check("points never inside a mark", `document.querySelectorAll("mark.finding .llm-at, mark.finding .llm-end, mark.finding .llm-bar").length === 0`)
	b.check("bars in the loaded columns", fmt.Sprintf(`document.querySelectorAll('.article[data-article-id="%d"] .article-body .llm-bar').length >= 3`, beacon.ID))
	b.check("one end per bar", `[...document.querySelectorAll(".article-body")].every((body) =>
		body.querySelectorAll(".llm-bar").length === body.querySelectorAll(".llm-end").length)`)
	b.check("bars nest in quotations or passages", `document.querySelectorAll(".only-here .llm-at, .quote .llm-at, .only-here .llm-end, .quote .llm-end").length > 0`)
	b.check("all three strengths", `[1, 2, 3].every((n) => document.querySelector(".llm-bar.llm-s" + n))`)
	b.check("bars labelled and focusable", `[...document.querySelectorAll(".llm-bar")].every((x) => x.tagName === "BUTTON" &&
		x.getAttribute("aria-haspopup") === "dialog" && /^The model's view of the sentence “.+”: .+, (weak|moderate|strong)\.$/.test(x.getAttribute("aria-label")))`)
	checkBarsBeside(b)

	// Each column: its status and how far the model agrees with the word lists.
	b.check("agreement", `[...document.querySelectorAll(".articles .llm-article")].every((x) =>
		/Word lists and model agree on \d+% of sentences/.test(x.textContent) &&
		/both \d+ · only word lists \d+ · only model \d+ · neither \d+/.test(x.textContent) &&
		/(κ = −?\d\.\d\d|κ undefined) · \d+ not judged/.test(x.textContent))`)
	b.check("column provenance", fmt.Sprintf(`[...document.querySelectorAll(".articles .llm-article .llm-prov")].every((p) =>
		p.textContent.includes("model %s") && p.textContent.includes("instructions (prompt) version %s") && p.textContent.includes("judged"))`, llmTestModel, llm.PromptVersion))
	b.check("legend entry", `(() => { const l = document.getElementById("llm-toggle");
		return !!l && l.textContent.includes("the model's view") && l.getAttribute("aria-pressed") === "true"; })()`)

	// The agreed facts, above the columns.
	b.check("facts above the columns", `!!(document.getElementById("llm-facts").compareDocumentPosition(document.querySelector(".articles")) & Node.DOCUMENT_POSITION_FOLLOWING)`)
	b.check("summary", `document.querySelector("#llm-facts .llm-summary").textContent.includes("voted 5-4")`)
	b.check("facts from the outlets", `[...document.querySelectorAll("#llm-facts .llm-fact-list li")].every((li) =>
		li.textContent.includes("— from: Riverlands Wire, The Halvern Beacon, The Commons Dispatch"))`)
	b.check("facts provenance", fmt.Sprintf(`document.querySelector("#llm-facts .llm-prov").textContent.includes("model %s · instructions (prompt) version %s")`, llmTestModel, llm.PromptVersion))
	b.check("no stale note", `!document.querySelector("#llm-facts .llm-stale")`)
	b.check("ready", `document.getElementById("llm-notice").textContent.includes("The model's view is ready")`)
	b.check("ask again", `document.getElementById("llm-ask").textContent.trim() === "Ask the model again"`)
	for _, width := range []int64{1440, 375} {
		b.viewport(width)
		checkContrast(b, fmt.Sprintf("the model's view at %d px", width))
	}
	b.viewport(1440)

	// A bar by keyboard: Enter opens the two readings, Escape goes back.
	b.check("a bar with a rewrite", fmt.Sprintf(`(() => {
		const bar = document.querySelector('.article[data-article-id="%d"] .llm-bar[data-type="word_choice_labelling"]');
		if (!bar) return false;
		bar.id = "test-bar";
		bar.scrollIntoView({ block: "center" });
		return true; })()`, beacon.ID))
	b.step("open a bar with Enter",
		chromedp.Focus(chromedp.ID("test-bar")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("popover")),
	)
	b.check("popover parts", `(() => { const p = document.getElementById("popover");
		const heads = [...p.querySelectorAll(".pop-part h3")].map((x) => x.textContent);
		return p.getAttribute("role") === "dialog" && heads[0] === "Word lists" && heads[1] === "Model"; })()`)
	b.check("popover word lists", `document.querySelectorAll("#popover .pop-wordlists .pop-findings li").length >= 1`)
	b.check("popover type", fmt.Sprintf(`(() => { const m = document.querySelector("#popover .pop-model");
		return m.querySelector(".pop-type-label").textContent === "Word choice and labeling" && m.querySelector(".pop-desc").textContent === %q; })()`,
		llm.TypeWordChoice.Description()))
	b.check("popover explanation", `document.querySelector("#popover .pop-why").textContent.includes("judges the people or the plan")`)
	b.check("popover rewrite", `(() => { const r = document.querySelector("#popover .pop-rewrite");
		return !!r && r.textContent.startsWith("A neutral version:") && r.querySelector("blockquote").textContent.length > 20; })()`)
	b.check("popover provenance", fmt.Sprintf(`document.querySelector("#popover .pop-prov").textContent.includes("model %s · instructions (prompt) version %s · judged")`, llmTestModel, llm.PromptVersion))
	b.check("bar expanded", `document.getElementById("test-bar").getAttribute("aria-expanded") === "true"`)
	b.check("sentence highlighted", `!CSS.highlights || CSS.highlights.has("llm-sentence")`)
	checkContrast(b, "the sentence's popover")
	saveShot(t, b.ctx, b.out, "llm-popover-1440.png")
	b.step("close with Escape", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.ID("popover")))
	b.check("focus back on the bar", `document.activeElement === document.getElementById("test-bar")`)

	// The word lists' own popover still works beside the bars.
	b.step("open a word's popover",
		chromedp.Click(chromedp.CSS(".articles .article-body mark.finding:not(.in-quote)")),
		chromedp.WaitVisible(chromedp.ID("popover")),
	)
	b.check("word popover", `document.getElementById("popover").textContent.includes("Try instead") && !document.querySelector("#popover .pop-model")`)
	b.step("close it", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.ID("popover")))

	// The legend hides and shows the bars.
	b.step("hide the bars", chromedp.Click(chromedp.ID("llm-toggle")))
	b.check("bars hidden", `[...document.querySelectorAll(".llm-bar")].every((x) => getComputedStyle(x).display === "none")`)
	b.step("show the bars", chromedp.Click(chromedp.ID("llm-toggle")))
	b.check("bars shown", `[...document.querySelectorAll(".llm-bar")].every((x) => getComputedStyle(x).display !== "none")`)

	// The neutral version swaps words; the bars follow the text.
	b.step("neutral version on", chromedp.Click(chromedp.ID("neutral-toggle")))
	b.poll("swapped", `document.querySelectorAll(".articles mark.finding.swapped").length > 0`)
	checkBarsBeside(b)
	b.step("neutral version off", chromedp.Click(chromedp.ID("neutral-toggle")))

	b.shots("llm-event")
	b.check("bars beside the text at 1440 again", `document.querySelectorAll(".llm-bar").length > 0`)
	b.step("narrow", chromedp.EmulateViewport(375, 800))
	checkBarsBeside(b)
	b.step("bar in view", chromedp.Evaluate[chromedp.Void](`document.getElementById("test-bar").scrollIntoView({ block: "center" })`))
	b.step("open a bar at 375", chromedp.Click(chromedp.ID("test-bar")), chromedp.WaitVisible(chromedp.ID("popover")))
	b.check("popover fits at 375", `(() => { const r = document.getElementById("popover").getBoundingClientRect();
		return r.left >= 0 && r.right <= window.innerWidth; })()`)
	saveShot(t, b.ctx, b.out, "llm-popover-375.png")
	b.step("close", chromedp.KeyEvent(kb.Escape), chromedp.EmulateViewport(1440, 900))

	// Blind mode: the model's parts name the outlets by their labels too.
	var names []string
	for name, a := range demo {
		names = append(names, name, a.Domain, strings.TrimPrefix(name, "The "))
	}
	leak := fmt.Sprintf(`(() => { const names = %s;
		const texts = [document.body.textContent, document.title];
		for (const el of document.querySelectorAll("*")) for (const a of el.attributes) if (a.name !== "href") texts.push(a.value);
		const all = texts.join(" \n ");
		return names.filter((n) => all.includes(n)); })()`, jsonOf(t, names))
	b.step("blind mode on", chromedp.Click(chromedp.ID("blind-toggle")))
	b.poll("blind", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "true" && document.querySelectorAll(".llm-bar").length > 0`)
	b.check("facts from labels", `[...document.querySelectorAll("#llm-facts .llm-fact-list li")].every((li) =>
		li.textContent.includes("— from: Outlet 1, Outlet 2, Outlet 3"))`)
	b.step("open a bar while blind",
		chromedp.Evaluate[chromedp.Void](`(() => { const bar = document.querySelector(".llm-bar"); bar.id = "blind-bar"; bar.scrollIntoView({ block: "center" }); })()`),
		chromedp.Click(chromedp.ID("blind-bar")),
		chromedp.WaitVisible(chromedp.ID("popover")),
	)
	if got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](leak)); err != nil || len(got) > 0 {
		t.Errorf("blind mode leaks outlet names or domains in the model's parts: %v %v", got, err)
	}
	b.step("close", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.ID("popover")))
	b.step("scroll to the model", chromedp.Evaluate[chromedp.Void](`document.getElementById("llm-panel").scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "llm-blind-1440.png")
	b.step("reveal", chromedp.Click(chromedp.ID("blind-reveal")))
	b.poll("revealed", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "false"`)

	b.noConsoleErrors("status of 401")
	t.Logf("screenshots in %s", b.out)
}

// checkContrast fails the test for text below WCAG AA contrast on the
// page as it is (contrastJS, from the contrast test).
func checkContrast(b *pageBrowser, what string) {
	b.t.Helper()
	var got struct {
		Checked  int      `json:"checked"`
		Failures []string `json:"failures"`
	}
	if err := json.Unmarshal([]byte(b.text("contrast", contrastJS)), &got); err != nil {
		b.t.Fatal(err)
	}
	if len(got.Failures) > 0 {
		b.t.Errorf("%s: %d text elements are below WCAG AA contrast:\n  %s", what, len(got.Failures), strings.Join(got.Failures, "\n  "))
	}
}

// checkBarsBeside checks that every bar sits in its column's left margin,
// within the text's height, at least a line tall, and that no two bars of
// a column overlap.
func checkBarsBeside(b *pageBrowser) {
	b.t.Helper()
	b.poll("bars beside their sentences", `(() => {
		const bodies = [...document.querySelectorAll(".articles .article-body")].filter((x) => x.querySelector(".llm-bar"));
		if (!bodies.length) return false;
		return bodies.every((body) => {
			const box = body.getBoundingClientRect();
			const textLeft = box.left + parseFloat(getComputedStyle(body).paddingLeft);
			const bars = [...body.querySelectorAll(".llm-bar")].map((x) => x.getBoundingClientRect());
			return bars.every((r, i) => r.left >= box.left - 1 && r.right <= textLeft + 1 &&
				r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.height >= 12 &&
				(i === 0 || r.top >= bars[i - 1].bottom - 0.5));
		}); })()`)
}

// TestBrowserLLMFailure: a model that answers with broken JSON, and then
// one whose server fails, leave the word-list highlights as they were and
// say so in words: the notice, each column's status and error, and the
// agreed facts' error.
func TestBrowserLLMFailure(t *testing.T) {
	fake := llmtest.NewServer(t, func(llmtest.Request) llmtest.Response {
		return llmtest.Reply(`{"sentences": [{"id": 0, "type": "word_choice_labelling", "strength": 0.8, "explanation": "cut off`)
	})
	b := newPageBrowser(t, llmEnv(fake, nil))
	eventID, _ := demoEvent(t, b.base)

	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("llm-ask") && !!document.querySelector(".articles mark.finding")`)
	before := b.text("marks before", llmMarks)
	b.step("ask the model", chromedp.Click(chromedp.ID("llm-ask")))
	b.poll("failed", `document.querySelectorAll(".articles .llm-chip[data-status='failed']").length === 3 &&
		!!document.querySelector("#llm-notice.warn") && !!document.querySelector("#llm-facts .llm-facts-error")`)
	b.check("notice verbatim", `document.getElementById("llm-notice").textContent.includes(
		"The model's judgements are missing for 3 of 3 articles: the model's answer did not fit the expected shape and was dropped. The word-list findings stand on their own.")`)
	b.check("column errors in words", `[...document.querySelectorAll(".articles .llm-article-error")].filter((e) =>
		e.textContent.includes("did not fit the expected shape") && e.offsetHeight > 0).length === 3`)
	b.check("facts error", `document.querySelector("#llm-facts .llm-facts-error").textContent.includes("did not fit the expected shape")`)
	checkContrast(b, "the failed model")
	b.check("no bars", `document.querySelectorAll(".llm-bar").length === 0 && document.getElementById("llm-toggle") === null`)
	if after := b.text("marks after", llmMarks); after != before {
		t.Errorf("the word-list marks changed when the model failed:\nbefore %s\nafter  %s", before, after)
	}
	b.step("the word lists still explain",
		chromedp.Click(chromedp.CSS(".articles .article-body mark.finding:not(.in-quote)")),
		chromedp.WaitVisible(chromedp.ID("popover")),
	)
	b.check("word popover", `document.getElementById("popover").textContent.includes("Try instead")`)
	b.step("close it", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.ID("popover")))
	b.shots("llm-failed")

	// Now the model's server itself fails.
	fake.SetResponder(func(llmtest.Request) llmtest.Response {
		return llmtest.Fail(http.StatusInternalServerError, "fake server: out of memory")
	})
	b.step("ask again", chromedp.Click(chromedp.ID("llm-ask")))
	b.poll("failed again", `document.querySelectorAll(".articles .llm-chip[data-status='failed']").length === 3 &&
		!document.getElementById("llm-notice").textContent.includes("did not fit") &&
		document.getElementById("llm-notice").textContent.includes("The word-list findings stand on their own.")`)
	b.check("no server text shown", `!document.body.textContent.includes("out of memory")`)
	t.Logf("the notice after a 500: %s", b.text("notice", `document.getElementById("llm-notice").textContent`))
	if after := b.text("marks after the 500", llmMarks); after != before {
		t.Errorf("the word-list marks changed when the model's server failed:\nbefore %s\nafter  %s", before, after)
	}
	b.check("marks still explained", `document.querySelectorAll(".articles mark.finding[role='button'][tabindex='0']").length > 10`)

	// The page cannot read the model's results at all (its GET fails):
	// it says so in words, and the word lists stay as they are.
	b.step("break the model's results", chromedp.Evaluate[chromedp.Void](`(() => {
		const real = window.fetch;
		window.fetch = (url, init) => /\/llm$/.test(String(url)) && init && init.method === "GET"
			? Promise.resolve(new Response(JSON.stringify({ error: "the database is busy" }),
				{ status: 503, headers: { "Content-Type": "application/json" } }))
			: real(url, init);
	})()`))
	b.step("redraw the page", chromedp.Click(chromedp.ID("blind-toggle")))
	b.poll("blind", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "true"`)
	b.step("and back", chromedp.Click(chromedp.ID("blind-toggle")))
	b.poll("load error shown", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "false" &&
		!!document.querySelector("#llm-notice.warn") &&
		document.getElementById("llm-notice").textContent.includes("could not be loaded (the database is busy)")`)
	if after := b.text("marks after the failed read", llmMarks); after != before {
		t.Errorf("the word-list marks changed when the model's results could not be read:\nbefore %s\nafter  %s", before, after)
	}
	b.noConsoleErrors()
}

// TestBrowserLLMOff: without a model the page says "word lists only" in
// one quiet line and shows nothing else of the model.
func TestBrowserLLMOff(t *testing.T) {
	b := newPageBrowser(t, nil)
	eventID, _ := demoEvent(t, b.base)
	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("llm-off") && !!document.querySelector(".articles mark.finding")`)
	b.check("word lists only", `document.getElementById("llm-off").textContent === "No language model is set up on this server: Slant uses its word lists only"`)
	b.check("nothing else", `!document.getElementById("llm-ask") && !document.getElementById("llm-facts") &&
		!document.getElementById("llm-toggle") && document.querySelectorAll(".llm-bar, .llm-chip").length === 0 &&
		[...document.querySelectorAll(".llm-article")].every((x) => x.hidden)`)
	b.check("quiet", `!document.getElementById("llm-panel").classList.contains("card")`)
	checkContrast(b, "word lists only")
	checkSentencePoints(t, b)
	b.shots("llm-off")
	b.noConsoleErrors()
}

// checkSentencePoints feeds the page's own renderBody (frontend/text.js)
// with sentence spans in byte offsets computed here in Go, over a text with
// 2-, 3- and 4-byte characters, a quotation, a passage, findings and two
// paragraphs, and checks that each sentence's start and end points hold
// exactly the sentence between them (clipped to its paragraphs, widened
// around a finding it would cut), that every finding is still one mark with
// its word, and that the text reads as it did.
func checkSentencePoints(t *testing.T, b *pageBrowser) {
	t.Helper()
	text := "Crème 😀 “The hellhole is here,” said Ann. It was a disaster. Nobody cared.\n\n" +
		"Second paragraph starts. Ends here."
	pos := func(s string) int {
		i := strings.Index(text, s)
		if i < 0 {
			t.Fatalf("%q not in the sample", s)
		}
		return i
	}
	span := func(from, to string) map[string]int {
		return map[string]int{"start": pos(from), "end": pos(to) + len(to)}
	}
	findings := []map[string]int{span("hellhole", "hellhole"), span("disaster", "disaster"), span("Ends", "Ends")}
	quotes := []map[string]int{span("“The", "here,”")}
	passages := []map[string]int{span("said Ann.", "disaster.")}
	nds := pos("nds here.")
	sentences := []map[string]int{
		span("“The", "Ann."),             // starts where the quotation does
		span("It was", "disaster."),      // inside the passage, ends after a finding
		span("Nobody", "starts."),        // runs over the paragraph break
		{"start": nds, "end": len(text)}, // starts inside a finding
	}
	want := []string{"“The hellhole is here,” said Ann.", "It was a disaster.", "Nobody cared.Second paragraph starts.", "Ends here."}
	js := fmt.Sprintf(`(async () => {
		const { renderBody } = await import("/static/text.js");
		const text = %s, findings = %s, quotes = %s, passages = %s, spans = %s;
		const root = document.createElement("div");
		const point = (cls, i) => { const s = document.createElement("span"); s.className = cls; s.dataset.i = i; return s; };
		root.append(renderBody(text, findings, quotes, (r) => { const m = document.createElement("mark"); m.dataset.i = r.index; return m; },
			passages, () => { const s = document.createElement("span"); s.className = "psg"; return s; },
			{ spans, make: (r) => ({ start: point("pt-start", r.index), end: point("pt-end", r.index) }) }));
		document.body.append(root);
		const got = spans.map((_, i) => {
			const a = root.querySelector('.pt-start[data-i="' + i + '"]'), e = root.querySelector('.pt-end[data-i="' + i + '"]');
			if (!a || !e) return "<missing>";
			const r = document.createRange(); r.setStartAfter(a); r.setEndBefore(e); return r.toString();
		});
		const marks = [...root.querySelectorAll("mark")].map((m) => m.dataset.i + ":" + m.textContent);
		const inMarks = root.querySelectorAll("mark .pt-start, mark .pt-end").length;
		const nested = root.querySelectorAll(".quote .pt-start, .psg .pt-start, .psg .pt-end").length;
		const paras = [...root.querySelectorAll("p")].map((p) => p.textContent);
		root.remove();
		return JSON.stringify({ got, marks, inMarks, nested, paras });
	})()`, jsonOf(t, text), jsonOf(t, findings), jsonOf(t, quotes), jsonOf(t, passages), jsonOf(t, sentences))
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("sentence points: %v", err)
	}
	var got struct {
		Got     []string `json:"got"`
		Marks   []string `json:"marks"`
		InMarks int      `json:"inMarks"`
		Nested  int      `json:"nested"`
		Paras   []string `json:"paras"`
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if i >= len(got.Got) || got.Got[i] != w {
			t.Errorf("sentence %d between its points = %q, want %q", i, at(got.Got, i), w)
		}
	}
	if strings.Join(got.Marks, "|") != "0:hellhole|1:disaster|2:Ends" {
		t.Errorf("marks with sentence points = %v, want each finding whole, once", got.Marks)
	}
	if got.InMarks != 0 {
		t.Errorf("%d sentence points inside a mark", got.InMarks)
	}
	if got.Nested < 2 {
		t.Errorf("sentence points did not nest in the quotation and the passage (%d)", got.Nested)
	}
	if strings.Join(got.Paras, "\n\n") != text {
		t.Errorf("the text with sentence points reads %q", got.Paras)
	}
}
