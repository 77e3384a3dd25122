package ingest

// work counts what cleaning, extracting or parsing a text does, in units
// of about one byte or one word looked at, and holds the budget of the
// searches that could otherwise grow faster than the text (the repeat
// search in Clean). The loops that carry the work call tick. The count is
// how the tests tell that no input makes the work grow faster than its
// size (linear_test.go): it is the same for the same input on every run,
// whatever the machine is doing. A nil *work counts nothing.
type work struct {
	done int64
}

// tick adds n units of work.
func (w *work) tick(n int) {
	if w != nil {
		w.done += int64(n)
	}
}

// Units of the repeat search's budget: the search may look at
// searchPerByte units for each byte of the text, and at least
// minSearchBudget, so that it is linear in the text whatever the text.
// Real articles use a small part of it (the 1,600 evaluation articles,
// 1.8 MB, spend some 5 units a byte); only text built to defeat the
// indexes (thousands of lines sharing their words) runs out, and then
// loses only the repeats not found yet.
const (
	searchPerByte   = 64
	minSearchBudget = 1 << 20
)

// searchBudget is the repeat search's budget for a text of n bytes.
func searchBudget(n int) int64 {
	return max(minSearchBudget, searchPerByte*int64(n))
}
