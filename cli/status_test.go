package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExitStatuses holds the commands to the exit statuses the README's
// table gives, for the cases a script meets first: asking for help is
// done (0) with the flags on standard output; a file that cannot be read
// as text, or is missing, fails (1) before anything is printed; an export
// from a database that is not there fails without creating it.
func TestExitStatuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		return path
	}
	good := write("good.txt", []byte("The council passed the budget on Monday.\n"))
	notUTF8 := write("latin1.txt", []byte("caf\xe9 owners slammed the plan\n"))
	missingDB := filepath.Join(dir, "typo.db")
	env := map[string]string{"DB_PATH": missingDB, "SLANT_LOG_LEVEL": "warn"}

	tests := []struct {
		name       string
		args       []string
		status     int
		stdout     string // what standard output holds, "" for nothing
		stderr     string
		noDatabase bool
	}{
		{"import help", []string{"import", "--help"}, exitOK, "usage: slant import", "", false},
		{"export help", []string{"export", "-h"}, exitOK, "usage: slant export", "", false},
		{"analyze help", []string{"analyze", "--help"}, exitOK, "usage: slant analyze", "", false},
		{"health help", []string{"health", "--help"}, exitOK, "usage: slant health", "", false},
		{"calibrate help", []string{"calibrate", "--help"}, exitOK, "usage: slant calibrate", "", false},
		{"an unknown flag", []string{"analyze", "--frobnicate", good}, exitUsage, "", "flag provided but not defined", false},
		{"a file not in UTF-8", []string{"analyze", notUTF8}, exitFailed, "", "not UTF-8 text (byte 0xE9 at byte 4)", false},
		{"a missing file after a good one", []string{"analyze", good, filepath.Join(dir, "nothere.txt")}, exitFailed, "", "nothere.txt", false},
		{"a file not in UTF-8 after a good one", []string{"analyze", good, notUTF8}, exitFailed, "", "not UTF-8 text", false},
		{"serve help", []string{"serve", "--help"}, exitOK, "usage: slant serve", "", false},
		{"an export from a database that is not there", []string{"export", "--format", "csv"}, exitFailed, "", "there is no database at", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := Main(t.Context(), tt.args, func(k string) string { return env[k] }, &stdout, &stderr)
			assert.Equal(t, tt.status, status, "stderr: %s", stderr.String())
			if tt.stdout == "" {
				assert.Empty(t, stdout.String(), "nothing printed before the failure")
			} else {
				assert.True(t, strings.HasPrefix(stdout.String(), tt.stdout), stdout.String())
			}
			assert.Contains(t, stderr.String(), tt.stderr)
			if tt.noDatabase {
				assert.NoFileExists(t, missingDB, "an export creates no database")
			}
		})
	}
}

// TestAnalyzeReadsUTF16 reads a UTF-16 file with its byte order mark as
// slant import does: the same findings as the UTF-8 file.
func TestAnalyzeReadsUTF16(t *testing.T) {
	text := "The radical regime slammed its critics.\n"
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range text {
		utf16 = append(utf16, byte(r), 0)
	}
	dir := t.TempDir()
	report := func(data []byte) string {
		path := filepath.Join(dir, "in.txt")
		require.NoError(t, os.WriteFile(path, data, 0o644))
		var stdout, stderr bytes.Buffer
		require.Equal(t, exitOK, Main(t.Context(), []string{"analyze", "--json", path}, func(string) string { return "" }, &stdout, &stderr), stderr.String())
		return stdout.String()
	}
	fromUTF8 := report([]byte(text))
	assert.Contains(t, fromUTF8, `"radical"`)
	assert.Equal(t, fromUTF8, report(utf16))
}
