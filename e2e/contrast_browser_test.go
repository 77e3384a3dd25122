package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// contrastJS measures, for every visible element that holds text of its
// own, the WCAG 2 contrast ratio of its text colour against the background
// it is drawn on: the element's own background or, when that is
// transparent, the nearest ancestor's, with translucent layers blended in
// order. It returns the elements below AA (4.5:1, or 3:1 for large text:
// 24 px, or 18.66 px bold).
const contrastJS = `(() => {
  const parse = (c) => { const m = c.match(/[\d.]+/g) || ["0","0","0","0"]; return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const blend = (top, bottom) => { const a = top[3]; return [0,1,2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1); };
  const lum = (c) => { const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg;
  };
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
    if (!own || el.closest("svg")) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || style.display === "none" || box.width === 0 || box.height === 0 || +style.opacity === 0) continue;
    const bg = background(el);
    const fg = blend(parse(style.color), bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = +style.fontWeight >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    checked++;
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(el.tagName.toLowerCase() + "." + String(el.className) + " " + JSON.stringify(el.textContent.trim().slice(0, 30)) + " " + ratio.toFixed(2) + ":1");
    }
  }
  return JSON.stringify({checked, failures: failures.slice(0, 25)});
})()`

// TestBrowserContrast checks WCAG AA contrast on the demo event page with
// every highlight category, the quotations, the legend and the summary
// visible, at 1440 px and at 375 px.
func TestBrowserContrast(t *testing.T) {
	b := newPageBrowser(t, nil)
	b.open("#/", `document.querySelector("a[href^='#/events/']") !== null`)
	href := b.text("event link", `document.querySelector("a[href^='#/events/']").getAttribute("href")`)
	b.open(href, `document.querySelectorAll("mark").length > 10`)

	// The measure must catch a pale grey on white (2.0:1) before its
	// silence means anything.
	b.check("plant a probe", `(() => {
	  const p = document.createElement("p");
	  p.id = "pale-probe"; p.textContent = "pale probe text"; p.style.setProperty("color", "#aaaaaa");
	  document.querySelector("main").append(p);
	  return true;
	})()`)
	planted := b.text("measure with the probe", contrastJS)
	b.check("remove the probe", `(document.getElementById("pale-probe").remove(), true)`)
	if !strings.Contains(planted, "pale probe text") {
		t.Fatalf("the contrast measure missed a pale grey probe: %s", planted)
	}

	for _, width := range []int64{1440, 375} {
		b.viewport(width)
		var got struct {
			Checked  int      `json:"checked"`
			Failures []string `json:"failures"`
		}
		if err := json.Unmarshal([]byte(b.text("contrast", contrastJS)), &got); err != nil {
			t.Fatal(err)
		}
		if got.Checked < 100 {
			t.Fatalf("at %d px only %d text elements were measured", width, got.Checked)
		}
		if len(got.Failures) > 0 {
			t.Errorf("at %d px, %d text elements are below WCAG AA contrast:\n  %s", width, len(got.Failures), strings.Join(got.Failures, "\n  "))
		}
		t.Logf("at %d px: %d text elements measured", width, got.Checked)
	}
}
