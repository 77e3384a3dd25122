package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sync"
)

// analysisRevision names what the analysis code makes of its data. Bump
// it whenever a change to the code (not to the data, which is hashed)
// changes any report: the analysis version changes with it, so reports
// stored by the older code are seen as stale and made again.
// TestAnalysisVersionFollowsOutput fails when the golden reports change
// while the version stays the same.
const analysisRevision = 4

// dataVersion names the analysis's embedded data other than the lexicon
// and the sentence model, which name themselves: the frame cues and their
// near words, the label concepts, the subjectivity cues and the word
// vectors, with the code's revision. A change to any of them changes every
// report's analysis version.
var dataVersion = sync.OnceValue(func() string {
	h := sha256.New()
	fmt.Fprintf(h, "revision %d\n", analysisRevision)
	for _, fsys := range []fs.FS{builtinFramesFS, builtinLabelsFS, builtinSubjectivityFS} {
		hashFiles(h, fsys)
	}
	fmt.Fprintf(h, "vectors %d\n", len(builtinVectorData))
	h.Write(builtinVectorData)
	return hex.EncodeToString(h.Sum(nil))[:8]
})

// hashFiles writes every file of fsys, by name in sorted order, into h.
// The file systems are embedded, so a read cannot fail.
func hashFiles(h interface{ Write([]byte) (int, error) }, fsys fs.FS) {
	var names []string
	_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return nil
	})
	slices.Sort(names)
	for _, name := range names {
		data, _ := fs.ReadFile(fsys, name)
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
}
