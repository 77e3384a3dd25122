package evaluation

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
)

// Dataset names one labelled public corpus in the shared eval folder.
type Dataset string

// The datasets, in the order results are reported.
const (
	Basil    Dataset = "basil"
	Babe     Dataset = "babe"
	WNC      Dataset = "wnc"
	AllSides Dataset = "allsides"
	// FramingGVFC and FramingSemEval are labelled with policy frames.
	FramingGVFC    Dataset = "framing_gvfc"
	FramingSemEval Dataset = "framing_semeval23"
)

// AllDatasets returns every dataset in report order.
func AllDatasets() []Dataset {
	return []Dataset{Basil, Babe, WNC, AllSides, FramingGVFC, FramingSemEval}
}

// ParseDatasets reads a comma-separated list such as "babe,basil" and
// returns the datasets in report order without repeats; "" or "all"
// means every dataset.
func ParseDatasets(list string) ([]Dataset, error) {
	list = strings.TrimSpace(list)
	if list == "" || list == "all" {
		return AllDatasets(), nil
	}
	want := map[Dataset]bool{}
	for _, name := range strings.Split(list, ",") {
		ds := Dataset(strings.ToLower(strings.TrimSpace(name)))
		if !slices.Contains(AllDatasets(), ds) {
			return nil, fmt.Errorf("unknown dataset %q (want one of %s)", name, datasetNames())
		}
		want[ds] = true
	}
	var out []Dataset
	for _, ds := range AllDatasets() {
		if want[ds] {
			out = append(out, ds)
		}
	}
	return out, nil
}

func datasetNames() string {
	names := make([]string, 0, len(AllDatasets()))
	for _, ds := range AllDatasets() {
		names = append(names, string(ds))
	}
	return strings.Join(names, ", ")
}

// Split selects a half of every dataset, so the lexicon can be tuned on one
// half and reported on the other. A record belongs to SplitDev when the
// 64-bit FNV-1a hash of its unit id is even and to SplitTest when it is
// odd; the unit is the record id, except for BASIL, where it is the event
// id so that an event's three articles stay together. The assignment
// depends only on the ids, never on the order or number of records.
//
// The framing datasets are the exception: every record of their shared
// copies has an even hash (the shared folder holds one half of each
// corpus, the other being kept back), so they are split by the parity of
// the hash's next bit instead (framingSplitBit), which divides them about
// evenly (324 and 326 GVFC headlines, 124 and 139 SemEval articles).
type Split string

// framingSplitBit is the bit of the FNV-1a hash that splits the framing
// datasets; bit 0 splits the others.
const framingSplitBit = 1

// The splits.
const (
	SplitAll  Split = "all"
	SplitDev  Split = "dev"
	SplitTest Split = "test"
)

// ParseSplit reads "dev", "test" or "all" ("" means all).
func ParseSplit(s string) (Split, error) {
	switch Split(strings.ToLower(strings.TrimSpace(s))) {
	case "", SplitAll:
		return SplitAll, nil
	case SplitDev:
		return SplitDev, nil
	case SplitTest:
		return SplitTest, nil
	}
	return "", fmt.Errorf("unknown split %q (want dev, test or all)", s)
}

// Contains reports whether the record with this unit id is in the split.
func (s Split) Contains(id string) bool { return s.containsAt(id, 0) }

// containsAt splits on the given bit of the hash: dev when it is 0.
func (s Split) containsAt(id string, bit uint) bool {
	if s == SplitAll || s == "" {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	even := (h.Sum64()>>bit)%2 == 0
	return even == (s == SplitDev)
}

// Select keeps the records of the split, then the first limit of them per
// dataset (limit 0 keeps all). Order is kept.
func (d Data) Select(s Split, limit int) Data {
	return Data{
		Basil:    pick(d.Basil, s, 0, limit, func(a BasilArticle) string { return a.Event }),
		Babe:     pick(d.Babe, s, 0, limit, func(b BabeSentence) string { return b.ID }),
		WNC:      pick(d.WNC, s, 0, limit, func(p WNCPair) string { return p.ID }),
		AllSides: pick(d.AllSides, s, 0, limit, func(a AllSidesStory) string { return a.ID }),
		GVFC:     pick(d.GVFC, s, framingSplitBit, limit, func(h GVFCHeadline) string { return h.ID }),
		SemEval:  pick(d.SemEval, s, framingSplitBit, limit, func(a SemEvalArticle) string { return a.ID }),
	}
}

func pick[T any](recs []T, s Split, bit uint, limit int, unit func(T) string) []T {
	if recs == nil {
		return nil
	}
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		if limit > 0 && len(out) == limit {
			break
		}
		if s.containsAt(unit(r), bit) {
			out = append(out, r)
		}
	}
	return out
}
