// text.js: turn an article's text and its report into DOM nodes.
//
// The analysis reports positions as BYTE offsets into the UTF-8 text, while
// JavaScript strings index UTF-16 code units. byteOffsets() walks the string
// once, code point by code point, and records for every UTF-8 byte offset the
// UTF-16 index where that code point starts; a finding's [start, end) in bytes
// then maps to [map[start], map[end]) in the string. Curly quotes (3 bytes, 1
// unit), accents (2 bytes, 1 unit) and emoji (4 bytes, 2 units) all line up.

/**
 * byteOffsets returns an Int32Array m of length (UTF-8 byte length + 1) with
 * m[b] = the UTF-16 index of the code point that holds byte b, and
 * m[byteLength] = str.length.
 */
export function byteOffsets(str) {
  // First pass: the UTF-8 length, so the array is allocated once.
  let bytes = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length &&
             (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point above U+FFFF
      i++;
    } else bytes += 3; // the rest of the BMP; a lone surrogate is U+FFFD in Go
  }
  const map = new Int32Array(bytes + 1);
  let b = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    let n;
    const start = i;
    if (c < 0x80) n = 1;
    else if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length &&
             (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n = 4;
      i++;
    } else n = 3;
    for (let k = 0; k < n; k++) map[b + k] = start;
    b += n;
  }
  map[bytes] = str.length;
  return map;
}

/** byteConverter returns a function from a UTF-8 byte offset to a UTF-16 index. */
export function byteConverter(str) {
  const map = byteOffsets(str);
  const last = map.length - 1;
  return (byteOffset) => {
    const b = Math.trunc(Number(byteOffset));
    if (!Number.isFinite(b) || b <= 0) return 0;
    if (b >= last) return map[last];
    return map[b];
  };
}

/**
 * toRanges converts spans with byte offsets to {start, end, index, item} in
 * UTF-16 indexes, drops empty ones, sorts them by start and removes overlaps
 * (the earlier span wins; on a tie, the longer one).
 */
export function toRanges(str, spans, conv = byteConverter(str)) {
  const out = [];
  (spans || []).forEach((item, index) => {
    const start = conv(item.start);
    const end = conv(item.end);
    if (end > start) out.push({ start, end, index, item });
  });
  out.sort((a, b) => a.start - b.start || b.end - a.end || a.index - b.index);
  const kept = [];
  let reach = -1;
  for (const r of out) {
    if (r.start < reach) continue;
    kept.push(r);
    reach = r.end;
  }
  return kept;
}

/** paragraphs returns the [start, end) UTF-16 ranges of the text's paragraphs:
 * runs of text between blank lines, without their outer whitespace. */
export function paragraphs(str) {
  const out = [];
  const sep = /\r?\n[ \t\f\v\u00a0]*(?:\r?\n[ \t\f\v\u00a0]*)+/g;
  let from = 0;
  const push = (a, b) => {
    while (a < b && /\s/.test(str[a])) a++;
    while (b > a && /\s/.test(str[b - 1])) b--;
    if (b > a) out.push([a, b]);
  };
  let m;
  while ((m = sep.exec(str)) !== null) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, str.length);
  return out;
}

/** appendText adds text to parent, turning single line breaks into <br>. */
function appendText(parent, text) {
  if (!text) return;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (i > 0) parent.appendChild(document.createElement("br"));
    if (line) parent.appendChild(document.createTextNode(line));
  });
}

/**
 * Points are elements set between characters rather than around them: the
 * start and end of a sentence the language model judged (see renderBody's
 * sentences). A points list is {list: [{at, end, node}], i}, sorted by at
 * (an end before a start at the same place); the text is rendered strictly
 * left to right, so one moving index i places each point once, in the
 * deepest element that holds the text at its place: a start point opens
 * the stretch of text after it, an end point closes the one before it.
 */

/** pointDue tells whether point p goes before the text at index x (a start
 * at x belongs to the text from x on, an end at x to the text before x). */
function pointDue(p, x) {
  return p.at < x || (p.at === x && p.end);
}

/** flushPoints appends every point due before index x. */
function flushPoints(parent, pts, x, all = false) {
  if (!pts) return;
  while (pts.i < pts.list.length && (pointDue(pts.list[pts.i], x) || (all && pts.list[pts.i].at <= x))) {
    parent.appendChild(pts.list[pts.i++].node);
  }
}

/** appendPlain adds str[a, b) with the points that fall in it. */
function appendPlain(parent, str, a, b, pts) {
  let cursor = a;
  if (pts) {
    while (pts.i < pts.list.length && pointDue(pts.list[pts.i], b)) {
      const p = pts.list[pts.i++];
      const at = Math.max(cursor, Math.min(p.at, b));
      appendText(parent, str.slice(cursor, at));
      parent.appendChild(p.node);
      cursor = at;
    }
  }
  appendText(parent, str.slice(cursor, b));
}

/**
 * appendMarked adds str[a, b) to parent, wrapping each finding range that
 * lies in it in the element that makeMark(range, text) returns. Points never
 * go inside a mark: one that would is set after it.
 */
function appendMarked(parent, str, a, b, findings, makeMark, pts) {
  let cursor = a;
  for (const f of findings) {
    if (f.end <= a || f.start >= b) continue;
    const s = Math.max(f.start, a);
    const e = Math.min(f.end, b);
    if (s > cursor) appendPlain(parent, str, cursor, s, pts);
    if (pts) flushPoints(parent, pts, s, true);
    const mark = makeMark(f, str.slice(s, e));
    appendText(mark, str.slice(s, e));
    parent.appendChild(mark);
    if (pts) flushPoints(parent, pts, e);
    cursor = e;
  }
  if (b > cursor) appendPlain(parent, str, cursor, b, pts);
}

/**
 * localRanges clips ranges to the paragraph [ps, pe), widens each piece so
 * that it never splits a finding, and merges pieces that then overlap. Each
 * piece is {start, end, range} with range the first range it came from.
 */
function localRanges(ranges, findings, ps, pe) {
  const out = [];
  for (const r of ranges) {
    if (r.end <= ps || r.start >= pe) continue;
    let s = Math.max(r.start, ps);
    let e = Math.min(r.end, pe);
    for (const f of findings) {
      if (f.start < s && f.end > s) s = Math.max(ps, f.start);
      if (f.start < e && f.end > e) e = Math.min(pe, f.end);
    }
    const last = out[out.length - 1];
    if (last && s < last.end) last.end = Math.max(last.end, e);
    else out.push({ start: s, end: e, range: r });
  }
  return out;
}

/**
 * appendQuoted adds str[a, b) to parent with the quotations that lie in it
 * (clipped to [a, b)) wrapped in <span class="quote">, and findings marked.
 */
function appendQuoted(parent, str, a, b, quotes, findings, makeMark, pts) {
  let cursor = a;
  for (const q of quotes) {
    if (q.end <= a || q.start >= b) continue;
    const s = Math.max(q.start, a);
    const e = Math.min(q.end, b);
    if (s > cursor) appendMarked(parent, str, cursor, s, findings, makeMark, pts);
    const span = document.createElement("span");
    span.className = "quote";
    appendMarked(span, str, s, e, findings, makeMark, pts);
    parent.appendChild(span);
    cursor = e;
  }
  if (b > cursor) appendMarked(parent, str, cursor, b, findings, makeMark, pts);
}

/**
 * sentencePoints turns sentences (byte spans) into the points list of
 * renderBody: each sentence is clipped to the paragraphs it covers (its
 * outer whitespace dropped) and widened so that neither end falls inside a
 * finding; make(range) gives its {start, end} nodes.
 */
function sentencePoints(str, spans, make, conv, paras, findings) {
  const list = [];
  for (const r of toRanges(str, spans, conv)) {
    const inside = paras.filter(([ps, pe]) => pe > r.start && ps < r.end);
    if (!inside.length) continue;
    let s = Math.max(r.start, inside[0][0]);
    let e = Math.min(r.end, inside[inside.length - 1][1]);
    for (const f of findings) {
      if (f.start < s && f.end > s) s = f.start;
      if (f.start < e && f.end > e) e = f.end;
    }
    if (e <= s) continue;
    const nodes = make({ ...r, start: s, end: e });
    if (!nodes) continue;
    list.push({ at: s, end: false, node: nodes.start, seq: list.length });
    list.push({ at: e, end: true, node: nodes.end, seq: list.length });
  }
  list.sort((x, y) => x.at - y.at || (x.end === y.end ? x.seq - y.seq : x.end ? -1 : 1));
  return { list, i: 0 };
}

/**
 * renderBody returns a fragment of <p> elements for the article text, with
 * quotations wrapped in <span class="quote"> and findings in the elements
 * that makeMark(range, text) makes (range.index is the finding's index in the
 * report, range.item the finding itself). Every piece of text is a text node.
 *
 * passages (optional) are more byte ranges to wrap, such as the passages only
 * this outlet carries: each paragraph's share of a passage goes into the
 * element makePassage(range, first) makes, where first is true for the first
 * piece of that passage. They nest outermost: a passage holds quotations and
 * findings, a quotation cut by a passage's edge becomes two, and a passage is
 * widened rather than split a finding, so every finding stays one mark.
 *
 * sentences (optional) are {spans, make}: byte spans of sentences (such as
 * those a language model judged) and make(range), which returns the
 * {start, end} nodes to set where the sentence begins and ends (or null to
 * skip it). They are points, not wrappers, so they nest with everything
 * above: a start or end lands inside whatever passage or quotation holds
 * that place in the text, never inside a finding, and the text's words and
 * marks are exactly what they are without them.
 */
export function renderBody(str, findings, quotes, makeMark, passages, makePassage, sentences) {
  const conv = byteConverter(str);
  const fr = toRanges(str, findings, conv);
  const qr = toRanges(str, quotes, conv);
  const pr = makePassage ? toRanges(str, passages, conv) : [];
  const paras = paragraphs(str);
  const pts = sentences && sentences.make && (sentences.spans || []).length
    ? sentencePoints(str, sentences.spans, sentences.make, conv, paras, fr)
    : null;
  const started = new Set();
  const frag = document.createDocumentFragment();
  for (const [ps, pe] of paras) {
    const p = document.createElement("p");
    const local = localRanges(qr, fr, ps, pe);
    let cursor = ps;
    for (const piece of localRanges(pr, fr, ps, pe)) {
      if (!/\S/.test(str.slice(piece.start, piece.end))) continue;
      if (piece.start > cursor) appendQuoted(p, str, cursor, piece.start, local, fr, makeMark, pts);
      const first = !started.has(piece.range.index);
      started.add(piece.range.index);
      const el = makePassage(piece.range, first);
      appendQuoted(el, str, piece.start, piece.end, local, fr, makeMark, pts);
      p.appendChild(el);
      cursor = piece.end;
    }
    if (pe > cursor) appendQuoted(p, str, cursor, pe, local, fr, makeMark, pts);
    // A point the text did not place (it cannot happen with clipped
    // sentences, but nothing may be lost) closes its paragraph.
    flushPoints(p, pts, pe, true);
    frag.appendChild(p);
  }
  return frag;
}

/** renderInline is renderBody for one line (a headline): no paragraphs. */
export function renderInline(str, findings, makeMark) {
  const frag = document.createDocumentFragment();
  appendMarked(frag, str, 0, str.length, toRanges(str, findings), makeMark);
  return frag;
}

/**
 * utf16ToBytes returns an Int32Array m of length str.length + 1 with m[i] =
 * the UTF-8 byte offset of UTF-16 index i: the inverse of byteOffsets, for
 * sending positions the reader chose back to the server. The second half of
 * a surrogate pair gets the offset of the pair's end.
 */
export function utf16ToBytes(str) {
  const map = new Int32Array(str.length + 1);
  let b = 0;
  for (let i = 0; i < str.length; i++) {
    map[i] = b;
    const c = str.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length &&
             (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      b += 4;
      map[++i] = b;
    } else b += 3;
  }
  map[str.length] = b;
  return map;
}

// A word: letters and digits, joined by inner apostrophes, hyphens and
// dots ("Halvern's", "tax-and-spend", "p.m", "6.8"), and by commas
// between digits ("1,200"), as the server's analysis.WordSpans joins them.
const WORD = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+|(?<=\p{N}),\p{N}+)*/gu;

/**
 * words returns the words of str[a, b) as UTF-16 ranges [{start, end}].
 */
export function words(str, a = 0, b = str.length) {
  const out = [];
  const part = str.slice(a, b);
  for (const m of part.matchAll(WORD)) {
    out.push({ start: a + m.index, end: a + m.index + m[0].length });
  }
  return out;
}

/**
 * renderWords returns a fragment of <p> elements for the text, with every
 * word in the element makeWord(text, byteStart, byteEnd) makes, and the
 * spaces and punctuation between words as text.
 */
export function renderWords(str, makeWord) {
  const bytes = utf16ToBytes(str);
  const frag = document.createDocumentFragment();
  for (const [ps, pe] of paragraphs(str)) {
    const p = document.createElement("p");
    let cursor = ps;
    for (const w of words(str, ps, pe)) {
      if (w.start > cursor) appendText(p, str.slice(cursor, w.start));
      p.appendChild(makeWord(str.slice(w.start, w.end), bytes[w.start], bytes[w.end]));
      cursor = w.end;
    }
    if (pe > cursor) appendText(p, str.slice(cursor, pe));
    frag.appendChild(p);
  }
  return frag;
}
