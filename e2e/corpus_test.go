package e2e

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/cli"
	"slant/desk"
	"slant/internal/synthetic"
	"slant/internal/testdb"
	"slant/models"
)

// A researcher's corpus in and out, whole: ids and extra fields survive,
// the exit status says what happened, and the CSV comes with its
// codebook and README.txt. Each test runs on SQLite and, when
// SLANT_TEST_POSTGRES_URL is set, on PostgreSQL.

// mainCLI runs slant as main does and returns the exit status, stdout and
// stderr.
func mainCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	vars := map[string]string{"SLANT_LOG_LEVEL": "warn"}
	for k, v := range env {
		vars[k] = v
	}
	var stdout, stderr bytes.Buffer
	code := cli.Main(t.Context(), args, func(k string) string { return vars[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// corpusLines are a researcher's records: ids, extra fields, and (line 4)
// one that is bad.
const corpusLines = `{"id":"a-1","event":"Flood","outlet":"Daily Bugle","text":"Thugs looted the flooded hellhole, residents said.","section":"Local","stance":"right","wordcount":8}
{"id":"a-2","event":"Flood","outlet":"The Planet","text":"Shops in the flooded district were looted, residents said.","section":"Local","stance":"left","wordcount":9}
{"id":"a-3","event":"Budget","outlet":"Daily Bugle","text":"The council passed the budget on Tuesday.","section":"Politics","stance":"right","wordcount":7}
{"id":"a-4","event":"Budget","outlet":"The Planet","text":"A bad line.","authors":["A","B"]}
`

func TestImportExitStatus(t *testing.T) {
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		env := testdb.Env(cfg)
		dir := t.TempDir()
		write := func(name, content string) string {
			p := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
			return p
		}
		good := write("good.jsonl", strings.Join(strings.Split(corpusLines, "\n")[:3], "\n")+"\n")
		mixed := write("mixed.jsonl", corpusLines)
		bad := write("bad.jsonl", "not json\n{\"event\":\"E\"}\n")
		empty := write("empty.jsonl", "\n\n")

		code, _, errOut := mainCLI(t, env, "import", mixed, "--mode", "strict")
		assert.Equal(t, 1, code, "strict with a bad line: nothing stored")
		assert.Contains(t, errOut, mixed+`:4: field "authors" is a list`)
		assert.Contains(t, errOut, "refused, nothing stored")

		code, out, errOut := mainCLI(t, env, "import", mixed)
		assert.Equal(t, 2, code, "some lines left out, the rest stored")
		assert.Contains(t, out, "3 articles added")
		assert.Contains(t, errOut, ":4: ")
		assert.Contains(t, errOut, "stored in part: 1 bad line left out")

		code, out, _ = mainCLI(t, env, "import", good)
		assert.Equal(t, 0, code, "every line skipped as a duplicate")
		assert.Contains(t, out, "0 articles added, 3 articles skipped as duplicates (3 of them by an id already stored: nothing was updated)")

		code, _, errOut = mainCLI(t, env, "import", bad)
		assert.Equal(t, 1, code, "every line bad: nothing stored")
		assert.Contains(t, errOut, "every line is bad, 2 bad lines in all")

		code, _, errOut = mainCLI(t, env, "import", empty)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "holds no records")

		code, _, errOut = mainCLI(t, env, "import")
		assert.Equal(t, 64, code, "called wrongly")
		assert.Contains(t, errOut, "exit status (every command):")
		code, _, _ = mainCLI(t, env, "import", good, "--encoding", "klingon")
		assert.Equal(t, 64, code, "an unknown encoding is a mistake in the call")
		code, _, _ = mainCLI(t, env, "frobnicate")
		assert.Equal(t, 64, code)
		code, _, _ = mainCLI(t, env, "import", filepath.Join(dir, "missing.jsonl"))
		assert.Equal(t, 1, code, "a file that cannot be read")

		code, out, _ = mainCLI(t, nil, "help")
		assert.Equal(t, 0, code)
		assert.Contains(t, out, "2   done in part")

		// --quiet says nothing; --report says everything.
		report := filepath.Join(dir, "report.json")
		code, out, errOut = mainCLI(t, env, "import", mixed, "--quiet", "--report", report)
		assert.Equal(t, 2, code)
		assert.Empty(t, out)
		assert.Empty(t, errOut)
		var got struct {
			ExitStatus int                `json:"exit_status"`
			Stored     bool               `json:"stored"`
			Added      int                `json:"added"`
			BadLines   int                `json:"bad_lines"`
			Lines      []desk.LineOutcome `json:"lines"`
		}
		data, err := os.ReadFile(report)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &got), string(data))
		assert.Equal(t, 2, got.ExitStatus)
		assert.True(t, got.Stored)
		assert.Equal(t, 1, got.BadLines)
		require.Len(t, got.Lines, 4)
		for i, o := range got.Lines[:3] {
			assert.Equal(t, i+1, o.Line)
			assert.Equal(t, desk.OutcomeDuplicate, o.Outcome)
			assert.Equal(t, fmt.Sprintf("a-%d", i+1), o.ID)
		}
		assert.Equal(t, desk.OutcomeBad, got.Lines[3].Outcome)
		assert.Contains(t, got.Lines[3].Reason, "is a list")

		// A refused import's report says nothing was stored, line by line.
		code, _, _ = mainCLI(t, env, "import", write("new.jsonl", `{"id":"n-1","event":"New","outlet":"O","text":"A new text."}`+"\n"+"oops\n"), "--mode", "strict", "--report", report)
		assert.Equal(t, 1, code)
		data, err = os.ReadFile(report)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &got))
		assert.False(t, got.Stored)
		assert.Equal(t, desk.OutcomeRefused, got.Lines[0].Outcome)
		assert.Zero(t, got.Added)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			assert.False(t, strings.HasPrefix(e.Name(), "."), "no spool or temporary file left behind: %s", e.Name())
		}
	})
}

func TestImportManyBadLinesCapsTheList(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`{"event":"E","outlet":"O","text":"One good line."}` + "\n")
	for range 250 {
		b.WriteString("not json\n")
	}
	file := filepath.Join(dir, "many.jsonl")
	require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o644))
	report := filepath.Join(dir, "report.json")
	code, _, errOut := mainCLI(t, map[string]string{"DB_PATH": filepath.Join(dir, "slant.db")}, "import", file, "--report", report)
	assert.Equal(t, 2, code)
	assert.Equal(t, desk.MaxLineErrors, strings.Count(errOut, "(left out)"), "the first 100 on the terminal")
	assert.Contains(t, errOut, "… and 150 more bad lines ("+report+" lists them all)")
	data, err := os.ReadFile(report)
	require.NoError(t, err)
	var got struct {
		Lines []desk.LineOutcome `json:"lines"`
	}
	require.NoError(t, json.Unmarshal(data, &got))
	assert.Len(t, got.Lines, 251, "the report has them all")
}

// researcherRows reads a CSV table into a header and rows.
func researcherRows(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, records)
	return records[0], records[1:]
}

// corpusArticlesEnv sets the size of the round trip's generated corpus;
// 1,000 articles unless it says otherwise (the measure is 10,000).
const corpusArticlesEnv = "SLANT_CORPUS_ARTICLES"

// TestResearchCorpusRoundTrip is the researcher's way through: a
// generated corpus with ids and three extra fields goes in with one
// command (exit 0) and comes back out as CSV with its codebook and
// README.txt; every id comes back once with its fields, and the tables
// join on the ids in Python (pandas when it is installed, the csv module
// otherwise).
func TestResearchCorpusRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the corpus round trip in -short mode")
	}
	n := 1000
	if v := os.Getenv(corpusArticlesEnv); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err, corpusArticlesEnv)
	}
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		env := testdb.Env(cfg)
		dir := t.TempDir()
		corpus := filepath.Join(dir, "corpus.jsonl")
		f, err := os.Create(corpus)
		require.NoError(t, err)
		require.NoError(t, synthetic.WriteJSONL(f, synthetic.Options{Articles: n, Corpus: true}))
		require.NoError(t, f.Close())

		code, out, errOut := mainCLI(t, env, "import", corpus)
		require.Equal(t, 0, code, "%s%s", out, errOut)
		t.Logf("%s", out)
		assert.Contains(t, out, fmt.Sprintf("%d articles added", n))

		results := filepath.Join(dir, "results")
		code, out, errOut = mainCLI(t, env, "export", "--format", "csv", "--out", results)
		require.Equal(t, 0, code, "%s%s", out, errOut)
		for _, name := range []string{"slant-export-articles.csv", "slant-export-findings.csv", "slant-export-codebook.csv", "README.txt"} {
			assert.Contains(t, out, "wrote "+filepath.Join(results, name))
		}
		readme, err := os.ReadFile(filepath.Join(results, "README.txt"))
		require.NoError(t, err)
		for _, want := range []string{"Made by:           Slant " + cli.Version(), "Analysis version:  sha256:", "Command:           slant export --format csv --out " + results, "slant-export-codebook.csv"} {
			assert.Contains(t, string(readme), want)
		}

		head, rows := researcherRows(t, filepath.Join(results, "slant-export-articles.csv"))
		require.Len(t, rows, n)
		col := func(name string) int {
			i := slices.Index(head, name)
			require.GreaterOrEqual(t, i, 0, "no column %s", name)
			return i
		}
		seen := map[string]bool{}
		id, section, stance, wordcount := col("external_id"), col("meta_section"), col("meta_stance"), col("meta_wordcount")
		for _, r := range rows {
			require.False(t, seen[r[id]], "id %s twice", r[id])
			seen[r[id]] = true
			assert.NotEmpty(t, r[section])
			assert.Contains(t, []string{"left", "centre", "right"}, r[stance])
			_, err := strconv.Atoi(r[wordcount])
			assert.NoError(t, err, "wordcount is a number")
		}
		for i := 1; i <= n; i++ {
			require.True(t, seen[fmt.Sprintf("doc-%06d", i)], "doc-%06d came back", i)
		}
		cbHead, cbRows := researcherRows(t, filepath.Join(results, "slant-export-codebook.csv"))
		assert.Equal(t, []string{"column", "table", "type", "meaning"}, cbHead)
		var metaTypes []string
		for _, r := range cbRows {
			if strings.HasPrefix(r[0], "meta_") {
				metaTypes = append(metaTypes, r[0]+":"+r[2])
			}
		}
		assert.Equal(t, []string{"meta_section:string", "meta_stance:string", "meta_wordcount:number"}, metaTypes)

		joinInPython(t, corpus, filepath.Join(results, "slant-export-articles.csv"), n)
	})
}

// pythonJoin joins the researcher's corpus (JSON Lines) with the articles
// table on the ids, as a researcher would: with pandas when it imports,
// otherwise with the csv and json modules. It prints "joined N of M with
// pandas|csv" and the mean loaded index per stance.
const pythonJoin = `
import csv, json, sys
corpus_path, table_path = sys.argv[1], sys.argv[2]
try:
    import pandas as pd
    corpus = pd.read_json(corpus_path, lines=True)
    table = pd.read_csv(table_path)
    joined = corpus.merge(table, left_on="id", right_on="external_id", validate="one_to_one")
    assert (joined["stance"] == joined["meta_stance"]).all()
    assert (joined["wordcount"] == joined["meta_wordcount"]).all()
    print("joined %d of %d with pandas" % (len(joined), len(corpus)))
    print(joined.groupby("stance")["loaded_index"].mean().round(2).to_dict())
except ImportError:
    with open(corpus_path) as f:
        corpus = {r["id"]: r for r in map(json.loads, f)}
    joined = 0
    by_stance = {}
    with open(table_path, newline="") as f:
        for row in csv.DictReader(f):
            mine = corpus[row["external_id"]]
            assert mine["stance"] == row["meta_stance"] and str(mine["wordcount"]) == row["meta_wordcount"]
            by_stance.setdefault(row["meta_stance"], []).append(float(row["loaded_index"]))
            joined += 1
    print("joined %d of %d with csv" % (joined, len(corpus)))
    print({k: round(sum(v) / len(v), 2) for k, v in sorted(by_stance.items())})
`

// joinInPython runs pythonJoin with every Python found (the one on PATH,
// and the system's, which may have pandas where the other has not), and
// skips when there is none.
func joinInPython(t *testing.T, corpus, table string, n int) {
	t.Helper()
	var pythons []string
	for _, name := range []string{"python3", "/usr/bin/python3"} {
		if p, err := exec.LookPath(name); err == nil && !slices.Contains(pythons, p) {
			pythons = append(pythons, p)
		}
	}
	if len(pythons) == 0 {
		t.Log("no python3: the join in Python is not run")
		return
	}
	for _, py := range pythons {
		out, err := exec.Command(py, "-c", pythonJoin, corpus, table).CombinedOutput()
		require.NoError(t, err, "%s: %s", py, out)
		t.Logf("%s: %s", py, out)
		assert.Regexp(t, fmt.Sprintf(`joined %d of %d with (pandas|csv)`, n, n), string(out))
	}
}

// TestExportIsSafeAndComplete exports imported articles whose fields a
// spreadsheet would run as formulas: safe by default, as stored with
// --csv-raw, with the codebook, README.txt and JSON Lines, on each
// database.
func TestExportIsSafeAndComplete(t *testing.T) {
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		env := testdb.Env(cfg)
		dir := t.TempDir()
		file := filepath.Join(dir, "corpus.jsonl")
		require.NoError(t, os.WriteFile(file, []byte(
			`{"id":"=cmd|' /C calc'!A0","event":"Flood","outlet":"Daily Bugle","title":"@SUM(1+1)","text":"Thugs looted the flooded hellhole.","note":"+44 20 7946 0000","score":-1.5}`+"\n"+
				`{"id":"b-2","event":"Flood","outlet":"The Planet","title":"Shops looted","text":"Shops in the flooded district were looted.","note":"fine"}`+"\n"), 0o644))
		code, out, errOut := mainCLI(t, env, "import", file)
		require.Equal(t, 0, code, "%s%s", out, errOut)

		results := filepath.Join(dir, "results")
		code, _, errOut = mainCLI(t, env, "export", "--format", "csv", "--out", results)
		require.Equal(t, 0, code, errOut)
		head, rows := researcherRows(t, filepath.Join(results, "slant-export-articles.csv"))
		require.Len(t, rows, 2)
		cell := func(row []string, name string) string { return row[slices.Index(head, name)] }
		assert.Equal(t, `'=cmd|' /C calc'!A0`, cell(rows[0], "external_id"))
		assert.Equal(t, "'@SUM(1+1)", cell(rows[0], "title"))
		assert.Equal(t, "'+44 20 7946 0000", cell(rows[0], "meta_note"))
		assert.Equal(t, "-1.5", cell(rows[0], "meta_score"), "a number stays a number")
		assert.Equal(t, "", cell(rows[1], "meta_score"))
		_, findings := researcherRows(t, filepath.Join(results, "slant-export-findings.csv"))
		assert.NotEmpty(t, findings)

		raw := filepath.Join(dir, "raw.csv")
		code, _, errOut = mainCLI(t, env, "export", "--format", "csv", "--csv-raw", "--out", raw)
		require.Equal(t, 0, code, errOut)
		_, rows = researcherRows(t, raw)
		assert.Equal(t, `=cmd|' /C calc'!A0`, cell(rows[0], "external_id"), "--csv-raw: as stored")

		_, codebook := researcherRows(t, filepath.Join(results, "slant-export-codebook.csv"))
		tables := map[string]int{}
		for _, r := range codebook {
			tables[r[1]]++
		}
		assert.Positive(t, tables["categories"])
		assert.Equal(t, 15, tables["frames"])
		readme, err := os.ReadFile(filepath.Join(results, "README.txt"))
		require.NoError(t, err)
		assert.Contains(t, string(readme), "apostrophe")

		code, out, errOut = mainCLI(t, env, "export", "--format", "jsonl")
		require.Equal(t, 0, code, errOut)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 2)
		var first map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
		assert.Equal(t, `=cmd|' /C calc'!A0`, first["external_id"], "JSON is never altered")
		assert.Equal(t, map[string]any{"note": "+44 20 7946 0000", "score": -1.5}, first["metadata"])

		code, _, _ = mainCLI(t, env, "export", "--format", "json", "--csv-raw")
		assert.Equal(t, 64, code, "--csv-raw is for CSV")
	})
}
