package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// Language is the language an article's text was found to be written in.
type Language struct {
	// Code is the ISO 639-1 code ("en", "es"), or "" when the text is too
	// short, or too mixed, to tell.
	Code string
	// Name is the language's English name ("Spanish"), "" with no code.
	// A text in a script other than Latin whose language is uncertain has
	// the code "und-" and the script ("und-Cyrl") and a name that says so.
	Name string
}

// English reports whether the text was found to be English, or could not
// be told apart (Code ""): Slant's word lists are English, so only a text
// found to be in another language is left unscored.
func (l Language) English() bool { return l.Code == "" || l.Code == "en" }

// Limits of the language check.
const (
	// languageSample is how much of a text the check reads, in bytes: the
	// start of an article says its language as well as the whole, and
	// the cost stays the same for any length.
	languageSample = 4096
	// languageMinLetters is the fewest letters a sample needs before its
	// language is told; a shorter text is left as unknown (and scored).
	languageMinLetters = 120
	// englishShare is the share of a sample's words that are common
	// English function words above which the text is English without
	// more ado. English news prose runs at about 20 to 30 %, other
	// languages in the Latin script below 3 %.
	englishShare = 0.12
)

// englishWords are common English words that are not words of the other
// languages in the Latin script that a teacher is likely to paste ("is"
// and "was" are Dutch, "will" German, "on" French, "a" and "in" many).
var englishWords = map[string]bool{
	"the": true, "and": true, "of": true, "to": true, "that": true, "with": true, "for": true,
	"this": true, "have": true, "has": true, "from": true, "by": true, "it": true, "its": true,
	"said": true, "which": true, "were": true, "would": true, "their": true, "they": true,
	"been": true, "not": true, "but": true, "who": true, "after": true, "about": true,
}

// DetectLanguage tells the language of an article's text (title and body,
// as the reader sees them), deterministically: the same text always gets
// the same answer. It reads the first languageSample bytes. A sample that
// is mostly English function words is English at once; otherwise the
// trigram model of whatlanggo (84 languages) decides, and only a reliable
// answer (confidence above 0.8, which an exact tie between two languages
// never reaches) names a language. An unreliable answer for a text in a
// script other than Latin is still not English: it is "und-" and the
// script's ISO 15924 code ("und-Cyrl", a language written in Cyrillic).
// A sample with fewer than languageMinLetters letters, or an unreliable
// answer in the Latin script, is unknown.
func DetectLanguage(text string) Language {
	sample := text
	if len(sample) > languageSample {
		cut := languageSample
		for cut > 0 && !utf8.RuneStart(sample[cut]) {
			cut--
		}
		sample = sample[:cut]
	}
	letters, words, common := 0, 0, 0
	for _, w := range strings.FieldsFunc(sample, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		words++
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if englishWords[strings.ToLower(w)] {
			common++
		}
	}
	if letters < languageMinLetters {
		return Language{}
	}
	if float64(common) >= englishShare*float64(words) {
		return LanguageOf("en")
	}
	info := whatlanggo.Detect(sample)
	switch {
	case info.Script == nil:
		return Language{}
	case info.IsReliable() && info.Lang >= 0:
		code := info.Lang.Iso6391()
		if code == "" {
			// A language without a two-letter code: its three-letter one.
			code = info.Lang.Iso6393()
		}
		return LanguageOf(code)
	case info.Script != unicode.Latin && scriptCodes[info.Script] != "":
		return LanguageOf("und-" + scriptCodes[info.Script])
	}
	return Language{}
}

// scriptCodes are the ISO 15924 codes of the scripts in which whatlanggo
// weighs several languages (in the others it names one at once).
var scriptCodes = map[*unicode.RangeTable]string{
	unicode.Cyrillic: "Cyrl", unicode.Arabic: "Arab", unicode.Devanagari: "Deva",
	unicode.Hebrew: "Hebr", unicode.Ethiopic: "Ethi",
}

// scriptNames name those scripts.
var scriptNames = map[string]string{
	"Cyrl": "Cyrillic", "Arab": "Arabic", "Deva": "Devanagari", "Hebr": "Hebrew", "Ethi": "Ethiopic",
}

// LanguageOf is the Language of a code DetectLanguage gave (as stored with
// an article): its name, or none for "" and a code it does not know.
func LanguageOf(code string) Language {
	if code == "" {
		return Language{}
	}
	if script, ok := strings.CutPrefix(code, "und-"); ok {
		if name := scriptNames[script]; name != "" {
			return Language{Code: code, Name: "a language written in " + name}
		}
		return Language{Code: code}
	}
	return Language{Code: code, Name: languageNames[code]}
}

// languageNames maps the two- and three-letter codes of whatlanggo's
// languages to their names, the first language of a code winning, so that
// a code always gets the same name.
var languageNames = func() map[string]string {
	names := map[string]string{}
	for lang := whatlanggo.Lang(0); int(lang) < len(whatlanggo.Langs); lang++ {
		name := whatlanggo.Langs[lang]
		for _, code := range []string{lang.Iso6391(), lang.Iso6393()} {
			if _, taken := names[code]; code != "" && !taken {
				names[code] = name
			}
		}
	}
	return names
}()
