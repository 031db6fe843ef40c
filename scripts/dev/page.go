package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// errNoNode: the page cannot be built on this machine.
var errNoNode = errors.New("node is not installed")

// buildPage builds static/ into out with the emulator's configuration, running
// `npm ci` first when static/node_modules is missing.
func buildPage(ctx context.Context, repo, out string, env map[string]string, progress io.Writer) error {
	static := filepath.Join(repo, "static")
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("%w: install Node.js 18+ to build the H5 page (https://nodejs.org), or pass --no-page", errNoNode)
	}
	if _, err := os.Stat(filepath.Join(static, "node_modules")); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			return fmt.Errorf("static/node_modules is missing and npm is not installed: install npm, or run `npm ci` in static/ once")
		}
		fmt.Fprintln(progress, "  installing the page's build tools once (npm ci in static/)…")
		if err := run(ctx, static, nil, "npm", "ci", "--no-audit", "--no-fund"); err != nil {
			return err
		}
	}
	vars := os.Environ()
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	return run(ctx, static, vars, "node", "build.mjs", "--out", out)
}

// pageEnv is the page's configuration (static/README.md, Environment).
func pageEnv(appID, originalID, envVersion string) map[string]string {
	env := map[string]string{"SMSJUMP_API_URL": apiPath, "WECHAT_APPID": appID, "WECHAT_ORIGINAL_ID": originalID}
	if envVersion != "" {
		env["WECHAT_ENV_VERSION"] = envVersion
	}
	return env
}

// run runs a command and returns its output in the error when it fails.
func run(ctx context.Context, dir string, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s in %s: %w\n%s", name, strings.Join(args, " "), dir, err, strings.TrimSpace(out.String()))
	}
	return nil
}
