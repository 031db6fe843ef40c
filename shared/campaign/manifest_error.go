package campaign

import (
	"errors"
	"strconv"
	"strings"
)

// ErrInvalidManifest matches every error about the manifest's content, from
// ParseManifest, Validate and NewRenderer: the operator must fix the file.
var ErrInvalidManifest = errors.New("invalid campaign manifest")

// Problem is one thing wrong with a manifest.
type Problem struct {
	// Path is the field, as in the JSON: template_text, params[1].column. Empty for the whole file.
	Path string
	// Message says what is wrong and how to fix it.
	Message string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ManifestError lists every problem found, so one round of editing fixes them all.
type ManifestError struct {
	Problems []Problem
}

func (e *ManifestError) Error() string {
	var b strings.Builder
	b.WriteString("campaign manifest: ")
	if len(e.Problems) == 1 {
		b.WriteString(e.Problems[0].String())
		return b.String()
	}
	b.WriteString(strconv.Itoa(len(e.Problems)))
	b.WriteString(" problems:")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidManifest) true.
func (e *ManifestError) Is(target error) bool { return target == ErrInvalidManifest }

func manifestErr(path, msg string) *ManifestError {
	return &ManifestError{Problems: []Problem{{Path: path, Message: msg}}}
}

// problems collects Problems while validating.
type problems []Problem

func (ps *problems) add(path, msg string) { *ps = append(*ps, Problem{Path: path, Message: msg}) }

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ManifestError{Problems: ps}
}
