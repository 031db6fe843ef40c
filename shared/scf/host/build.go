package host

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Build compiles the main package in dir into the executable out, as the
// project's build does for SCF (CGO disabled, trimmed paths) but for the host's
// OS and architecture, so the result can run here. Tests and the emulator use it
// to get the binary a Pool runs.
func Build(ctx context.Context, dir, out string) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("build %s: %w", dir, err)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", absOut, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s: %w\n%s", dir, err, strings.TrimSpace(output.String()))
	}
	return nil
}
