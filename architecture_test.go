package main

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportRules checks the layers of ARCHITECTURE.md with `go list`:
// what each package may import. A new import that breaks a rule fails
// here, naming the package and the import.
func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	under := func(path, root string) bool { return path == root || strings.HasPrefix(path, root+"/") }

	// The network, the database and the web framework.
	outside := []string{
		"net", "net/http", "database/sql", "os/exec",
		"gorm.io/gorm", "github.com/mattn/go-sqlite3", "github.com/jackc/pgx/v5",
		"github.com/gin-gonic/gin", "github.com/sashabaranov/go-openai",
	}
	for _, p := range pkgs {
		switch {
		case under(p.path, "slant/analysis"):
			// analysis is pure: text in, report out. Nothing it depends on,
			// however indirectly, talks to a network or a database, and it
			// knows none of the layers above it.
			for _, dep := range p.deps {
				if slices.Contains(outside, dep) || (under(dep, "slant") && !under(dep, "slant/analysis")) {
					t.Errorf("%s depends on %s: analysis stays pure (no network, database, HTTP or other Slant package)", p.path, dep)
				}
			}
		case p.path == "slant/desk":
			// The middle layer stands on analysis, ingest and models only.
			for _, imp := range p.imports {
				if under(imp, "slant") && !slices.Contains([]string{"slant/analysis", "slant/ingest", "slant/models"}, imp) {
					t.Errorf("slant/desk imports %s: the desk imports only analysis, ingest and models", imp)
				}
			}
			for _, dep := range p.deps {
				if dep == "github.com/gin-gonic/gin" || dep == "slant/api" || dep == "slant/cli" {
					t.Errorf("slant/desk depends on %s: the desk never knows HTTP", dep)
				}
			}
		case p.path == "slant/models" || p.path == "slant/ingest":
			for _, imp := range p.imports {
				if under(imp, "slant") {
					t.Errorf("%s imports %s: the store and the intake of outside material are the bottom layer", p.path, imp)
				}
			}
		case p.path == "slant/export":
			for _, dep := range p.deps {
				if dep == "github.com/gin-gonic/gin" || dep == "slant/api" {
					t.Errorf("slant/export depends on %s: exports are files, not HTTP", dep)
				}
			}
		}
		// Only api speaks HTTP through gin, in code and in tests.
		for _, imp := range p.allImports() {
			if under(imp, "github.com/gin-gonic/gin") && p.path != "slant/api" {
				t.Errorf("%s imports %s: only api knows gin", p.path, imp)
			}
		}
		// api is wired by the commands (cli, cmd/...) and driven by the
		// end-to-end tests; nothing else builds on it.
		if slices.Contains(p.imports, "slant/api") && p.path != "slant/cli" && !under(p.path, "slant/cmd") {
			t.Errorf("%s imports slant/api: only the commands wire the API", p.path)
		}
		// The command line is the top: main calls it, the end-to-end tests
		// run it.
		if slices.Contains(p.imports, "slant/cli") && p.path != "slant" {
			t.Errorf("%s imports slant/cli: only main.go calls the command line", p.path)
		}
		if slices.Contains(append(slices.Clone(p.testImports), p.xTestImports...), "slant/cli") && p.path != "slant/e2e" && p.path != "slant" {
			t.Errorf("the tests of %s import slant/cli: only the end-to-end tests run it", p.path)
		}
	}
}

// pkg is one package of the module as `go list` describes it.
type pkg struct {
	path                                     string
	imports, deps, testImports, xTestImports []string
}

// allImports is what the package and its tests import directly.
func (p pkg) allImports() []string {
	return slices.Concat(p.imports, p.testImports, p.xTestImports)
}

// listPackages lists the module's packages with their imports.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	const sep = "\t"
	out, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}}`+sep+`{{join .Imports " "}}`+sep+`{{join .Deps " "}}`+sep+`{{join .TestImports " "}}`+sep+`{{join .XTestImports " "}}`,
		"./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	lines := bufio.NewScanner(bytes.NewReader(out))
	lines.Buffer(make([]byte, 1<<20), 16<<20)
	for lines.Scan() {
		f := strings.Split(lines.Text(), sep)
		if len(f) != 5 {
			t.Fatalf("go list: unexpected line %q", lines.Text())
		}
		pkgs = append(pkgs, pkg{path: f[0], imports: strings.Fields(f[1]), deps: strings.Fields(f[2]),
			testImports: strings.Fields(f[3]), xTestImports: strings.Fields(f[4])})
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}
