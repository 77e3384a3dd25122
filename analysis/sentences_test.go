package analysis

import (
	"regexp"
	"testing"
)

// multiPeriodRegexp is the expression hasMultiPeriodAbbrev replaces.
var multiPeriodRegexp = regexp.MustCompile(`((?:[\w]\.)+[\w]*\.)`)

func TestHasMultiPeriodAbbrev(t *testing.T) {
	for _, tok := range []string{"U.S.", "U.S", "e.g.", "etc.", "a.", "end..", ".", "..", "F.B.I.", "x.y", "3.14.", "Mr.", "é.é.", "_._."} {
		if got, want := hasMultiPeriodAbbrev(tok), multiPeriodRegexp.MatchString(tok); got != want {
			t.Errorf("hasMultiPeriodAbbrev(%q) = %v, the regexp says %v", tok, got, want)
		}
	}
}

func FuzzHasMultiPeriodAbbrev(f *testing.F) {
	for _, s := range []string{"U.S.", "a..b", "x.y.z", "é.é."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		if got, want := hasMultiPeriodAbbrev(tok), multiPeriodRegexp.MatchString(tok); got != want {
			t.Fatalf("hasMultiPeriodAbbrev(%q) = %v, the regexp says %v", tok, got, want)
		}
	})
}
