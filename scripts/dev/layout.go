package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

const modulePath = "github.com/smsjump/smsjump"

// layout names the files of one emulator work directory (default ./.smsjump,
// git-ignored).
type layout struct{ root string }

func (l layout) bin() string     { return filepath.Join(l.root, "bin") }
func (l layout) bucket() string  { return filepath.Join(l.root, "bucket") }
func (l layout) uploads() string { return filepath.Join(l.root, "bucket", "uploads") }

// lists are the suppression list's upload folders, triggers like uploads/.
func (l layout) lists() []string {
	return []string{filepath.Join(l.root, "bucket", "suppress"), filepath.Join(l.root, "bucket", "unsuppress")}
}
func (l layout) reports() string         { return filepath.Join(l.root, "bucket", "reports") }
func (l layout) storeFile() string       { return filepath.Join(l.root, "store.db") }
func (l layout) page() string            { return filepath.Join(l.root, "page") }
func (l layout) logFile() string         { return filepath.Join(l.root, "logs", "emulator.log") }
func (l layout) bucketURL() string       { return "file://" + filepath.ToSlash(l.bucket()) }
func (l layout) storeURL() string        { return "bolt://" + filepath.ToSlash(l.storeFile()) }
func (l layout) binary(fn string) string { return filepath.Join(l.bin(), fn) }

func (l layout) create() error {
	for _, d := range append([]string{l.bin(), l.uploads(), l.reports(), l.page(), filepath.Dir(l.logFile())}, l.lists()...) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}
	return nil
}

// findRepo returns dir if given, else the nearest parent of the working
// directory whose go.mod declares this module.
func findRepo(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		if !isRepo(abs) {
			return "", fmt.Errorf("--repo %s: no go.mod of %s there", abs, modulePath)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if isRepo(d) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("not inside the smsjump checkout: run from it, or pass --repo DIR")
		}
	}
}

func isRepo(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && bytes.Contains(b, []byte("module "+modulePath+"\n"))
}
