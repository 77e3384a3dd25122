package demo

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite docs/examples/halvern-corpus.jsonl from the demo articles")

// exampleCorpus is the researcher's quick start file (docs/research.md):
// the demo event's three articles as a corpus is kept, each with an id and
// three fields of the researcher's own coding.
const exampleCorpus = "../docs/examples/halvern-corpus.jsonl"

// corpusCoding is the invented researcher's coding of each outlet: a
// lean, whether the article sits behind a paywall.
var corpusCoding = map[string]struct {
	lean      string
	paywalled bool
}{
	"Riverlands Wire":      {"wire", false},
	"The Halvern Beacon":   {"right", true},
	"The Commons Dispatch": {"left", false},
}

// TestExampleCorpus keeps docs/examples/halvern-corpus.jsonl in step with
// the demo articles (go test ./demo -update rewrites it).
func TestExampleCorpus(t *testing.T) {
	ev := mustLoad(t)
	var b bytes.Buffer
	for i, a := range ev.Articles {
		coding, ok := corpusCoding[a.Outlet]
		if !ok {
			t.Fatalf("no coding for %s", a.Outlet)
		}
		// The fields in the order a researcher's export would have them;
		// encoding/json would sort a map's keys.
		fields := []struct {
			key   string
			value any
		}{
			{"id", fmt.Sprintf("HV-%03d", i+1)},
			{"event", ev.Title},
			{"outlet", a.Outlet},
			{"title", a.Title},
			{"url", a.URL},
			{"published_at", a.PublishedAt.UTC().Format(time.RFC3339)},
			{"lean", coding.lean},
			{"paywalled", coding.paywalled},
			{"wordcount", len(strings.Fields(a.Text))},
			{"text", a.Text},
		}
		b.WriteByte('{')
		for j, f := range fields {
			if j > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(f.key)
			v, err := json.Marshal(f.value)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteString("}\n")
	}
	if *update {
		if err := os.WriteFile(exampleCorpus, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(exampleCorpus)
	if err != nil {
		t.Fatalf("%v (go test ./demo -update writes it)", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("%s is out of step with the demo articles: go test ./demo -update", exampleCorpus)
	}
}
