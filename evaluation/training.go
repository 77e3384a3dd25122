package evaluation

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"slant/analysis"
)

// The sentence model's training data: licence-clean only. The Wiki
// Neutrality Corpus pairs (MIT) teach the sentence model; word lists
// published under the MIT licence teach its word model. BABE (AGPL, and
// the test set), CheckThat (non-commercial) and the propaganda corpus (no
// licence) are never read here.

// TrainingFile is one file the sentence model was trained on.
type TrainingFile struct {
	Path    string `json:"path"` // relative to the shared folder
	SHA256  string `json:"sha256"`
	Licence string `json:"licence"`
	// Use says what was taken from the file.
	Use string `json:"use"`
}

// wordListFiles are the MIT-licensed word lists whose words are the word
// model's loaded examples, and how each line is read.
var wordListFiles = []struct {
	path, licence, use string
	// minValence, when set, keeps a VADER line only when its mean valence
	// is at least this strong either way.
	minValence float64
}{
	{"lexicons/recasens2013/npov_lexicon.txt", "MIT (Pryzant et al.'s redistribution)", "every word: the NPOV bias lexicon of Recasens et al. 2013", 0},
	{"lexicons/recasens2013/hedges_hyland2005.txt", "MIT (Pryzant et al.'s redistribution)", "every word: hedges (Hyland 2005)", 0},
	{"lexicons/recasens2013/factives_hooper1975.txt", "MIT (Pryzant et al.'s redistribution)", "every word: factive verbs (Hooper 1975)", 0},
	{"lexicons/recasens2013/assertives_hooper1975.txt", "MIT (Pryzant et al.'s redistribution)", "every word: assertive verbs (Hooper 1975)", 0},
	{"lexicons/recasens2013/implicatives_karttunen1971.txt", "MIT (Pryzant et al.'s redistribution)", "every word: implicative verbs (Karttunen 1971)", 0},
	{"lexicons/vader/vader_lexicon.txt", "MIT", "words whose mean valence is at least 1.5 either way (VADER, Hutto and Gilbert 2014)", 1.5},
}

// wncFile is the training pairs' file in the shared folder.
const wncFile = "eval/wnc.jsonl"

// LoadTrainingSet reads the sentence model's training data from the shared
// folder: the WNC pairs and the word lists, each file's SHA-256 recorded
// as the set's provenance.
func LoadTrainingSet(sharedDir string) (analysis.TrainingSet, []TrainingFile, error) {
	return LoadTrainingSetWith(sharedDir, "")
}

// LoadTrainingSetWith is LoadTrainingSet with the WNC pairs read from
// wncPath instead of the shared folder's eval/wnc.jsonl ("" for that
// one): `slant eval --data DIR` trains its cross-fitted models on the
// DIR/wnc.jsonl it scores. The word lists always come from the shared
// folder.
func LoadTrainingSetWith(sharedDir, wncPath string) (analysis.TrainingSet, []TrainingFile, error) {
	var files []TrainingFile
	read := func(path string) ([]byte, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("load training data: %w", err)
		}
		return data, nil
	}
	wncName := wncFile
	if wncPath == "" {
		wncPath = filepath.Join(sharedDir, wncFile)
	} else {
		wncName = wncPath
	}
	data, err := read(wncPath)
	if err != nil {
		return analysis.TrainingSet{}, nil, err
	}
	pairs, err := ReadWNC(bytes.NewReader(data))
	if err != nil {
		return analysis.TrainingSet{}, nil, fmt.Errorf("load training data %s: %w", wncName, err)
	}
	files = append(files, TrainingFile{Path: wncName, SHA256: sha256Hex(data), Licence: "MIT",
		Use: fmt.Sprintf("all %d pairs: the biased sentence a positive example, its neutral edit a negative one", len(pairs))})
	set := analysis.TrainingSet{}
	for _, p := range pairs {
		set.Pairs = append(set.Pairs, analysis.TrainingPair{ID: p.ID, Biased: p.Biased, Neutral: p.Neutral})
	}
	for _, wl := range wordListFiles {
		data, err := read(filepath.Join(sharedDir, wl.path))
		if err != nil {
			return analysis.TrainingSet{}, nil, err
		}
		words, err := readWordList(data, wl.minValence)
		if err != nil {
			return analysis.TrainingSet{}, nil, fmt.Errorf("load training data %s: %w", wl.path, err)
		}
		set.LoadedWords = append(set.LoadedWords, words...)
		files = append(files, TrainingFile{Path: wl.path, SHA256: sha256Hex(data), Licence: wl.licence, Use: fmt.Sprintf("%s (%d words)", wl.use, len(words))})
	}
	set.Provenance = files
	return set, files, nil
}

// readWordList reads one entry a line, the first field, lower case;
// comment lines start with # or ;. With minValence > 0 the line is a
// VADER line (token, mean valence, ...) and weaker words are dropped.
func readWordList(data []byte, minValence float64) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		fields := strings.Fields(line)
		if minValence > 0 {
			// VADER's tokens may hold spaces (emoticons): its columns are
			// tab-separated.
			fields = strings.Split(line, "\t")
			if len(fields) < 2 {
				return nil, fmt.Errorf("line %d: want a word and its valence", n)
			}
			v, err := strconv.ParseFloat(fields[1], 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: valence: %w", n, err)
			}
			if v < minValence && v > -minValence {
				continue
			}
		}
		out = append(out, strings.ToLower(fields[0]))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// CrossFitFolds is how many models the WNC model figures are cross-fitted
// with: each pair is scored by the model trained on the other folds.
const CrossFitFolds = 5

// crossFitFold assigns a pair to a fold by its id alone (FNV-1a of
// "fold:" and the id, so that folds cut across the dev and test halves).
func crossFitFold(id string) int {
	h := fnv.New64a()
	h.Write([]byte("fold:" + id))
	return int(h.Sum64() % CrossFitFolds)
}

// CrossFitModels trains one sentence model per fold, with the code and
// settings that made the shipped model, fold k's model on the pairs of the
// other folds. ModelFor returns the model that never saw a pair.
type CrossFitModels struct {
	models []*analysis.SentenceModel
}

// TrainCrossFit trains the fold models with lex (the analyzer's lexicon).
func TrainCrossFit(lex *analysis.Lexicon, set analysis.TrainingSet) (*CrossFitModels, error) {
	trainer, err := analysis.NewSentenceTrainer(lex, set)
	if err != nil {
		return nil, err
	}
	c := &CrossFitModels{}
	for k := range CrossFitFolds {
		m, err := trainer.Train(func(i int) bool { return crossFitFold(set.Pairs[i].ID) != k })
		if err != nil {
			return nil, fmt.Errorf("cross-fit fold %d: %w", k, err)
		}
		c.models = append(c.models, m)
	}
	return c, nil
}

// ModelFor returns the model not trained on the pair with this id.
func (c *CrossFitModels) ModelFor(id string) *analysis.SentenceModel {
	return c.models[crossFitFold(id)]
}
