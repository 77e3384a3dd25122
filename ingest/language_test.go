package ingest

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/demo"
	"slant/internal/workspace"
)

// Paragraphs written for this test (an invented council vote, told in
// several languages), long enough for an article's first lines.
var foreignTexts = []struct{ code, text string }{
	{"es", "El concejo municipal de Halvern votó el martes por la noche, por cinco votos contra cuatro, cerrar el campamento de tiendas " +
		"que hay bajo el puente de la calle Ashby antes del 30 de abril. La alcaldesa dijo que el nuevo albergue tendrá ciento veinte camas " +
		"y que abrirá sus puertas a mediados de abril. Los vecinos de la orilla del río siguieron el debate hasta la medianoche."},
	{"fr", "Le conseil municipal de Halvern a voté mardi soir, par cinq voix contre quatre, la fermeture du campement installé sous le pont " +
		"de la rue Ashby avant le 30 avril. La maire a expliqué que le nouveau foyer comptera cent vingt lits et qu'il ouvrira ses portes " +
		"à la mi-avril. Les habitants du quartier ont suivi les débats jusqu'à minuit."},
	{"de", "Der Stadtrat von Halvern hat am Dienstagabend mit fünf zu vier Stimmen beschlossen, das Zeltlager unter der Brücke in der " +
		"Ashby Street bis zum 30. April zu räumen. Die Bürgermeisterin sagte, die neue Unterkunft werde hundertzwanzig Betten haben und " +
		"Mitte April öffnen. Die Anwohner verfolgten die Sitzung bis Mitternacht."},
	{"it", "Il consiglio comunale di Halvern ha votato martedì sera, con cinque voti contro quattro, la chiusura dell'accampamento di tende " +
		"sotto il ponte di Ashby Street entro il 30 aprile. La sindaca ha detto che il nuovo dormitorio avrà centoventi letti e aprirà a " +
		"metà aprile. Gli abitanti del quartiere hanno seguito la seduta fino a mezzanotte."},
	{"pt", "A câmara municipal de Halvern votou na terça-feira à noite, por cinco votos contra quatro, o encerramento do acampamento de " +
		"tendas debaixo da ponte da rua Ashby até 30 de abril. A presidente da câmara disse que o novo abrigo terá cento e vinte camas e " +
		"que abrirá em meados de abril. Os moradores acompanharam a sessão até à meia-noite."},
	{"nl", "De gemeenteraad van Halvern heeft dinsdagavond met vijf tegen vier stemmen besloten het tentenkamp onder de brug aan de " +
		"Ashbystraat voor 30 april te sluiten. De burgemeester zei dat de nieuwe opvang honderdtwintig bedden krijgt en half april " +
		"opengaat. Buurtbewoners volgden het debat tot middernacht."},
	{"pl", "Rada miejska Halvern zagłosowała we wtorek wieczorem, pięcioma głosami przeciwko czterem, za likwidacją obozowiska namiotów " +
		"pod mostem przy ulicy Ashby do 30 kwietnia. Burmistrz powiedziała, że nowe schronisko będzie miało sto dwadzieścia łóżek i zostanie " +
		"otwarte w połowie kwietnia. Mieszkańcy śledzili obrady do północy."},
	{"und-Cyrl", "Городской совет Халверна во вторник вечером пятью голосами против четырёх решил закрыть палаточный лагерь под мостом на " +
		"улице Эшби до тридцатого апреля. Мэр сказала, что в новом приюте будет сто двадцать коек и что он откроется в середине апреля. " +
		"Жители района следили за заседанием до полуночи."},
}

func TestDetectLanguage(t *testing.T) {
	ev, err := demo.Load()
	require.NoError(t, err)
	for _, a := range ev.Articles {
		got := DetectLanguage(a.Title + "\n\n" + a.Text)
		assert.Equal(t, Language{Code: "en", Name: "English"}, got, a.Outlet)
	}
	for _, f := range foreignTexts {
		// A headline in English above it changes nothing.
		for _, text := range []string{f.text, "Council votes to close the camp\n\n" + f.text} {
			got := DetectLanguage(text)
			assert.Equal(t, f.code, got.Code, f.code)
			assert.False(t, got.English(), f.code)
			assert.NotEmpty(t, got.Name, f.code)
			assert.Equal(t, got, LanguageOf(got.Code), "what is stored reads back the same")
		}
	}
	assert.Equal(t, "Spanish", DetectLanguage(foreignTexts[0].text).Name)
	// Cyrillic, whose languages are close, with no reliable name: still
	// not English.
	assert.Equal(t, Language{Code: "und-Cyrl", Name: "a language written in Cyrillic"}, DetectLanguage(foreignTexts[7].text))
	assert.Equal(t, Language{}, LanguageOf(""))
	assert.Equal(t, "Russian", LanguageOf("ru").Name)

	// Too short to tell: unknown, and so scored.
	for _, short := range []string{"", "   ", "Hola.", "El concejo votó cerrar el campamento.", "12 345 678 -- !!"} {
		got := DetectLanguage(short)
		assert.Equal(t, Language{}, got, short)
		assert.True(t, got.English())
	}

	// An English report quoting a sentence in Spanish stays English.
	quoted := "The mayor, who spoke in Spanish at the meeting, said: \"Vamos a abrir el albergue en abril y nadie quedará en la calle.\" " +
		"Her opponents said that the plan was rushed and that the council had not consulted the people who live by the river."
	assert.Equal(t, "en", DetectLanguage(quoted).Code)

	// Only the start is read: a long text costs what its first 4 KB cost,
	// and a cut never splits a character.
	long := strings.Repeat(foreignTexts[7].text+" ", 200)
	assert.False(t, DetectLanguage(long).English())
	assert.Equal(t, DetectLanguage(long), DetectLanguage(long[:languageSample+1]))
}

// TestDetectLanguageIsDeterministic runs every sample many times, at once.
func TestDetectLanguageIsDeterministic(t *testing.T) {
	texts := []string{"Council votes to close the camp."}
	for _, f := range foreignTexts {
		texts = append(texts, f.text, f.text[:len(f.text)/3])
	}
	for _, text := range texts {
		want := DetectLanguage(text)
		results := make(chan Language, 16)
		for range 16 {
			go func() { results <- DetectLanguage(text) }()
		}
		for range 16 {
			assert.Equal(t, want, <-results)
		}
	}
}

// TestDetectLanguageOnEnglishNews measures the check on the English news
// of ../shared (the seeds and the evaluation sets): no article may be
// taken for another language. Sentences (BABE) are shorter than any
// article; their share of wrong answers is logged, not held.
func TestDetectLanguageOnEnglishNews(t *testing.T) {
	dir := workspace.Require(t, "eval")
	var texts []string
	for _, name := range []string{"outlet-a_t4k3-news.txt", "outlet-b_newszed.txt"} {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(dir), "seeds", name))
		require.NoError(t, err)
		texts = append(texts, Clean(string(data)).Text)
	}
	for _, set := range []struct{ file, field string }{
		{"basil.jsonl", "text"}, {"framing_semeval23.jsonl", "text"}, {"framing_gvfc.jsonl", "lead"},
	} {
		eachRecord(t, filepath.Join(dir, set.file), func(rec map[string]any) {
			if s, ok := rec[set.field].(string); ok {
				texts = append(texts, s)
			}
		})
	}
	eachRecord(t, filepath.Join(dir, "allsides.jsonl"), func(rec map[string]any) {
		arts, _ := rec["articles"].([]any)
		for _, a := range arts {
			if m, ok := a.(map[string]any); ok {
				title, _ := m["title"].(string)
				text, _ := m["text"].(string)
				texts = append(texts, title+"\n\n"+text)
			}
		}
	})
	wrong, unknown, fast := 0, 0, 0
	for _, text := range texts {
		got := DetectLanguage(text)
		switch {
		case got.Code == "":
			unknown++
		case got.Code != "en":
			wrong++
			t.Errorf("taken for %s: %.120q", got.Name, text)
		}
		if englishFast(text) {
			fast++
		}
	}
	t.Logf("%d English texts: %d taken for another language, %d too short to tell, %d told by the common words alone", len(texts), wrong, unknown, fast)

	var sentences, sentWrong int
	eachRecord(t, filepath.Join(dir, "babe.jsonl"), func(rec map[string]any) {
		s, _ := rec["text"].(string)
		sentences++
		if !DetectLanguage(s).English() {
			sentWrong++
		}
	})
	t.Logf("%d BABE sentences: %d taken for another language (%.2f %%)", sentences, sentWrong, 100*float64(sentWrong)/float64(max(sentences, 1)))
}

// englishFast reports whether DetectLanguage decides text by the common
// English words alone.
func englishFast(text string) bool {
	sample := text
	if len(sample) > languageSample {
		sample = sample[:languageSample]
	}
	words, common := 0, 0
	for _, w := range strings.Fields(strings.ToLower(sample)) {
		words++
		if englishWords[strings.Trim(w, `.,;:!?"'()“”‘’`)] {
			common++
		}
	}
	return words > 0 && float64(common) >= englishShare*float64(words)
}

func eachRecord(t *testing.T, path string, fn func(map[string]any)) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		fn(rec)
	}
	require.NoError(t, sc.Err())
}

// BenchmarkDetectLanguage: an English article is told by its common words
// in one pass over its first 4 KB; another language takes the trigram
// model.
func BenchmarkDetectLanguage(b *testing.B) {
	ev, err := demo.Load()
	require.NoError(b, err)
	for _, bench := range []struct{ name, text string }{
		{"english", ev.Articles[1].Text},
		{"spanish", strings.Repeat(foreignTexts[0].text+" ", 12)},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.SetBytes(int64(min(len(bench.text), languageSample)))
			for b.Loop() {
				DetectLanguage(bench.text)
			}
		})
	}
}
