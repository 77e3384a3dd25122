package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading level: the Flesch-Kincaid grade of a text, for tests that hold
// what a 14-year-old reads (lexicon reasons, the plain-words summary) to
// grade 8 or below. It lives in test code because nothing in a report
// depends on it; the tests that need it share this file.

// fleschKincaid returns the Flesch-Kincaid grade level of text:
//
//	0.39 × words/sentences + 11.8 × syllables/words − 15.59
//
// with words, sentences and syllables counted by readingCounts. A text
// without words has grade 0.
func fleschKincaid(text string) float64 {
	words, sentences, syllables := readingCounts(text)
	if words == 0 {
		return 0
	}
	return 0.39*float64(words)/float64(sentences) + 11.8*float64(syllables)/float64(words) - 15.59
}

// readingCounts counts the words, sentences and syllables of text. A word
// is a run of letters and digits, joined by inner apostrophes and hyphens
// ("don't" and "crime-ridden" are one word each, as a reader sees them). A
// sentence ends at a run of '.', '!' or '?' that follows a word and is
// followed by a space, a closing quotation mark or bracket, or the end of
// the text, unless a lower-case word follows, so "the U.S. spent" and
// "6.8" end none; a line break ends a sentence too (a headline has no
// stop), and so does the end of the text. A number counts one syllable: this errs low
// for long numbers, which are rare in prose.
func readingCounts(text string) (words, sentences, syllables int) {
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			words++
			syllables += wordSyllables(word.String())
			word.Reset()
		}
	}
	open := false // words since the last sentence end
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		next, _ := utf8.DecodeRuneInString(text[i+size:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || word.Len() > 0 && unicode.Is(unicode.Mn, r):
			word.WriteRune(r)
			open = true
		case word.Len() > 0 && isWordJoiner(r) && (unicode.IsLetter(next) || unicode.IsDigit(next)):
			word.WriteRune(r)
		case word.Len() > 0 && (r == '.' || r == ',') && unicode.IsDigit(next) && unicode.IsDigit(lastRune(word.String())):
			word.WriteRune(r) // "6.8", "1,000"
		case word.Len() > 0 && r == '.' && unicode.IsLetter(next) && isInitials(word.String()):
			word.WriteRune(r) // "U.S", "F.B.I"
		default:
			flush()
			if r == '\n' && open {
				sentences++ // a line without a stop, such as a headline, is a sentence
				open = false
			}
			if strings.ContainsRune(".!?", r) && open {
				j := i + size
				for j < len(text) && strings.ContainsRune(".!?", rune(text[j])) {
					j++
				}
				after, _ := utf8.DecodeRuneInString(text[j:])
				// A stop ends a sentence before a space, a closing mark or the
				// end of the text, but not before a word in lower case ("the
				// U.S. spent").
				k := j
				for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
					k++
				}
				following, _ := utf8.DecodeRuneInString(text[k:])
				lower := k > j && unicode.IsLower(following)
				if !lower && (j == len(text) || unicode.IsSpace(after) || strings.ContainsRune(`"'”’)]`, after)) {
					sentences++
					open = false
				}
				i = j
				continue
			}
		}
		i += size
	}
	flush()
	if open {
		sentences++
	}
	return words, sentences, syllables
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// isInitials reports whether w is a capital letter, or capitals joined by
// dots ("U", "U.S"): the start of an abbreviation such as "U.S.".
func isInitials(w string) bool {
	for i, r := range w {
		if i%2 == 0 && !unicode.IsUpper(r) || i%2 == 1 && r != '.' {
			return false
		}
	}
	return w != ""
}

func isWordJoiner(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || r == '‐' || r == '‑'
}

// wordSyllables counts the syllables of one word; parts joined by hyphens
// are counted apart and added.
func wordSyllables(word string) int {
	n := 0
	for _, part := range strings.FieldsFunc(word, func(r rune) bool { return r == '-' || r == '‐' || r == '‑' }) {
		n += partSyllables(part)
	}
	return max(n, 1)
}

// syllableExceptions are words the rules below get wrong, with their
// syllable counts as a pronouncing dictionary gives them.
var syllableExceptions = map[string]int{
	"people": 2, "every": 2, "everyone": 3, "everything": 3, "everybody": 4, "business": 2,
	"different": 3, "evening": 2, "interest": 2, "interesting": 3, "family": 3, "several": 3,
	"area": 3, "areas": 3, "idea": 3, "ideas": 3, "being": 2, "doing": 2, "going": 2, "seeing": 2,
	"agreeing": 3, "science": 2, "scientist": 3, "scientists": 3, "scientific": 4, "quiet": 2,
	"diet": 2, "lion": 2, "riot": 2, "riots": 2, "create": 2, "creates": 2, "created": 3,
	"react": 2, "reacts": 2, "reality": 4, "real": 1, "really": 2, "naive": 2, "cruel": 2,
	"cruelty": 3, "fuel": 2, "dual": 2, "lie": 1, "lies": 1, "lied": 1, "dying": 2, "lying": 2,
	"tying": 2, "hour": 1, "hours": 1, "our": 1, "ours": 1, "choir": 1, "someone": 2,
	"somewhere": 2, "something": 2, "sometimes": 2, "machine": 2, "police": 2, "unique": 2,
	"technique": 2, "techniques": 2, "colleague": 2, "colleagues": 2, "league": 1, "queue": 1,
	"vague": 1, "plague": 1, "rogue": 1, "fatigue": 2, "tongue": 1, "recipe": 3, "acne": 2,
	"apostrophe": 4, "cafe": 2, "hyperbole": 4, "epitome": 4, "karate": 3, "maybe": 2,
	"anyone": 3, "ongoing": 3, "cooperate": 4, "coordinate": 4, "reelection": 4, "wednesday": 2,
	"iron": 2, "realise": 3, "realize": 3, "realised": 3, "realized": 3, "poetry": 3,
	"ruin": 2, "ruined": 2, "ruins": 2, "prior": 2, "fiery": 3, "review": 2, "reviews": 2,
	"alien": 3, "aliens": 3, "jihadist": 3, "jihadists": 3, "islamist": 3, "islamists": 3,
	"zionist": 3, "enthusiasm": 5, "behavior": 3, "behaviour": 3, "soldier": 2, "soldiers": 2,
	"reuters": 2, "whatever": 3, "whoever": 3, "however": 3, "forever": 3, "everyday": 3,
	"statewide": 2, "nationwide": 3, "lifetime": 2, "homeland": 2, "elsewhere": 2, "therefore": 2,
	"welfare": 2, "likewise": 2, "otherwise": 3, "somehow": 2, "sometime": 2, "useful": 2,
	"truly": 2, "duly": 2, "wholly": 2, "anyway": 3, "hyena": 3, "hygiene": 2, "everywhere": 3,
	"beings": 2, "peoples": 2, "quietly": 3, "catastrophe": 4, "creation": 3, "creative": 3,
	"creator": 3, "creators": 3, "recreation": 4, "theater": 3, "theatre": 3, "theaters": 3, "theatres": 3,
}

// syllableSuffixes are endings added to a word that ends in a silent e
// ("hope" + "less"); they are counted apart so that the e stays silent.
var syllableSuffixes = []struct {
	suffix    string
	syllables int
}{
	{"lessness", 2}, {"lessly", 2}, {"fully", 2}, {"ments", 1}, {"ment", 1},
	{"less", 1}, {"ness", 1}, {"ful", 1}, {"ly", 1},
}

// partSyllables counts the syllables of a word without hyphens.
func partSyllables(part string) int {
	if strings.Contains(part, ".") && isInitials(part) {
		return len(strings.ReplaceAll(part, ".", "")) // "U.S": read letter by letter
	}
	if strings.ContainsAny(part, ".,") {
		return 1 // a number such as "6.8"
	}
	if n := len(part); n >= 2 && n <= 3 && strings.ToUpper(part) == part && strings.IndexFunc(part, unicode.IsLetter) >= 0 {
		return n // an abbreviation, read letter by letter: "FBI", "US"
	}
	w := strings.ToLower(strings.ReplaceAll(part, "’", "'"))
	w = strings.TrimSuffix(w, "'s")
	extra := 0
	if stem, ok := strings.CutSuffix(w, "n't"); ok {
		w = stem
		if w != "" && !isVowelRune(rune(w[len(w)-1])) {
			extra = 1 // "isn't", "didn't"; but "don't", "can't", "won't"
		}
	}
	w = strings.ReplaceAll(w, "'", "")
	if w == "" {
		return max(extra, 1)
	}
	if n, ok := syllableExceptions[w]; ok {
		return n + extra
	}
	if digitsOnly(w) {
		return 1
	}
	for _, sf := range syllableSuffixes {
		if stem, ok := strings.CutSuffix(w, sf.suffix); ok && len(stem) > 2 && strings.HasSuffix(stem, "e") && !strings.HasSuffix(stem, "ee") {
			return partSyllables(stem) + sf.syllables + extra
		}
	}
	return stemSyllables(w) + extra
}

// stemSyllables counts a lower-case word's vowel groups (y is a vowel
// after a consonant; u after q is not), adds the vowel pairs said as two
// syllables ("media", "actual", "video") and the m of -ism, and takes off
// a silent final e, -ed or -es.
func stemSyllables(w string) int {
	letters := []byte(w) // letters outside ASCII count as consonants
	n := len(letters)
	isVowel := func(i int) bool {
		switch letters[i] {
		case 'a', 'e', 'i', 'o':
			return true
		case 'u':
			return i == 0 || letters[i-1] != 'q'
		case 'y':
			return i > 0 && !isVowelRune(rune(letters[i-1]))
		}
		return false
	}
	count := 0
	for i := range letters {
		if isVowel(i) && (i == 0 || !isVowel(i-1)) {
			count++
		}
	}
	for i := 0; i+1 < n; i++ {
		if isVowel(i) && isVowel(i+1) && splitsVowelPair(w, i) {
			count++
		}
	}
	consonant := func(i int) bool { return i >= 0 && i < n && !isVowel(i) }
	// A final e, or the e of a final -ed or -es, is silent after a
	// consonant, except after a consonant and l ("table", "troubled",
	// "tables"; not "killed", "called"), in -ted and -ded ("wanted") and in
	// -es after a hissing sound ("boxes", "races", "pages").
	afterConsonantL := func(e int) bool {
		return e >= 2 && letters[e-1] == 'l' && consonant(e-2) && !strings.ContainsRune("lrw", rune(letters[e-2]))
	}
	switch {
	case n > 3 && strings.HasSuffix(w, "ed") && consonant(n-3):
		// "hatred", "hundred": an r after a consonant keeps the e.
		afterConsonantR := letters[n-3] == 'r' && consonant(n-4) && letters[n-4] != 'r'
		if !strings.ContainsRune("td", rune(letters[n-3])) && !afterConsonantL(n-2) && !afterConsonantR {
			count--
		}
	case n > 3 && strings.HasSuffix(w, "es") && consonant(n-3):
		stem := w[:n-2]
		hissing := false
		for _, end := range []string{"s", "x", "z", "ch", "sh", "c", "g"} {
			hissing = hissing || strings.HasSuffix(stem, end)
		}
		if !hissing && !afterConsonantL(n-2) {
			count--
		}
	case n > 2 && letters[n-1] == 'e' && consonant(n-2) && !afterConsonantL(n-1):
		count--
	}
	for _, end := range []string{"ism", "isms", "asm", "asms"} {
		if strings.HasSuffix(w, end) {
			count++ // "racism", "sarcasm": the m is a syllable of its own
			break
		}
	}
	return max(count, 1)
}

// splitsVowelPair reports whether the vowels w[i] and w[i+1], which the
// group count took as one sound, are said as two syllables.
func splitsVowelPair(w string, i int) bool {
	pair, before, rest := w[i:i+2], w[:i], w[i:]
	after := func(ends ...string) bool {
		for _, e := range ends {
			if strings.HasSuffix(before, e) {
				return true
			}
		}
		return false
	}
	switch pair {
	case "ia":
		// "media", "India", "negotiate"; but "social", "Christian", "Asia".
		return strings.HasPrefix(rest, "iat") || !after("t", "s", "c", "g", "x")
	case "io", "iu":
		// "radio", "period", "stadium"; but "nation", "region", "million", "opinion".
		return !after("t", "s", "c", "g", "x", "l", "n")
	case "ua":
		return !after("q", "g") // "actual", "usual"; but "language", "guard"
	case "uo":
		return !after("q")
	case "eo":
		if strings.HasPrefix(rest, "eous") && after("t", "c", "g") {
			return false // "righteous", "courageous"
		}
		return !after("g") || strings.HasPrefix(rest, "eog") // "video", "theory", "geography"; but "pigeon"
	case "ii":
		return true
	case "oe":
		return !strings.HasSuffix(w, "oe") && !strings.HasSuffix(w, "oes") && !strings.HasSuffix(w, "oed") // "poem"; but "shoe", "goes"
	case "ie":
		switch {
		case strings.HasPrefix(rest, "ier") || strings.HasPrefix(rest, "iest"):
			return len(before) >= 3 // "easier", "earliest"; but "pier"
		case strings.HasPrefix(rest, "ience") || strings.HasPrefix(rest, "ient"):
			return !after("t", "c") // "audience", "client"; but "patient", "ancient"
		case strings.HasPrefix(rest, "iety"):
			return true // "society", "variety"
		}
	case "ue":
		return strings.HasPrefix(rest, "uen") || strings.HasPrefix(rest, "uel") || strings.HasPrefix(rest, "uet") // "influence", "duel", "duet"
	case "ui":
		return strings.HasPrefix(rest, "uid") || strings.HasPrefix(rest, "uit") && after("t", "n") // "fluid", "intuition"
	case "ea":
		// "ideal"; but "real", "deal", "reveal", "realm" ("create" and
		// "theatre" are exceptions: "beating" and "creature" are not).
		return strings.HasPrefix(rest, "eal") && len(before) > 1 && after("r", "d") && !strings.HasPrefix(rest, "ealm")
	case "oa":
		return before == "c" && strings.HasPrefix(rest, "oali") // "coalition"; but "coal"
	case "yi", "yo":
		return true // "bullying", "denying", "embryo"
	case "ei":
		return strings.HasSuffix(before, "e") // "agreeing", "fleeing"
	}
	return false
}

func isVowelRune(r rune) bool { return strings.ContainsRune("aeiouy", r) }

func digitsOnly(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}
