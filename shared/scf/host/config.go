package host

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Defaults follow the SCF console defaults where SCF has one.
const (
	DefaultTimeout      = 3 * time.Second
	DefaultMemoryMB     = 128
	DefaultMaxInstances = 8
	DefaultStartTimeout = 10 * time.Second
	DefaultNamespace    = "default"
	DefaultRegion       = "ap-guangzhou"
	DefaultVersion      = "$LATEST"

	// MaxTimeout is SCF's ceiling for "async execution" functions; ordinary ones stop at 900 s.
	MaxTimeout = 24 * time.Hour
	// MaxSyncPayload and MaxAsyncPayload are SCF's event size limits (6 MB sync, 128 KB async).
	MaxSyncPayload  = 6 << 20
	MaxAsyncPayload = 128 << 10
)

// Config describes one function as SCF would run it.
type Config struct {
	// Name is the function name: SCF_FUNCTIONNAME, FunctionName in every request,
	// and the prefix of forwarded output lines.
	Name string
	// Binary is the built function executable (the "handler" of a Go1 function).
	Binary string
	// Dir is the working directory; default the binary's directory, as SCF runs
	// the function from the unpacked zip root.
	Dir string
	// Env holds the function's environment variables. They are applied after the
	// built-ins, so they may override them (the emulator injects TENCENTCLOUD_SECRETID
	// and friends this way, which SCF itself does from the execution role).
	Env map[string]string

	Timeout      time.Duration // per invocation; default DefaultTimeout
	MemoryMB     int           // 64–3072; default DefaultMemoryMB (reported, not enforced)
	MaxInstances int           // concurrent instances; default DefaultMaxInstances
	StartTimeout time.Duration // process start to first Ping answer; default DefaultStartTimeout

	Namespace string // default DefaultNamespace
	Region    string // default DefaultRegion
	Version   string // default DefaultVersion
	AppID     string // TencentcloudAppID in requests, optional
	Uin       string // TencentcloudUin in requests, optional

	// Stdout and Stderr receive the function's output, one "[name#n] " prefixed
	// line per write; nil discards it. What the function wrote before it
	// answered has been written here when Invoke returns (on Linux, macOS and
	// the BSDs, where a pipe can say how much it holds).
	Stdout, Stderr io.Writer
	// Logger receives one record per invocation and per async attempt; nil uses slog.Default.
	Logger *slog.Logger
}

// withDefaults validates c and fills the zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.Name == "" {
		return c, fmt.Errorf("%w: Name is empty", ErrInvalidConfig)
	}
	if c.Binary == "" {
		return c, fmt.Errorf("%w: Binary of %s is empty", ErrInvalidConfig, c.Name)
	}
	bin, err := filepath.Abs(c.Binary)
	if err != nil {
		return c, fmt.Errorf("%w: Binary %q: %w", ErrInvalidConfig, c.Binary, err)
	}
	fi, err := os.Stat(bin)
	if err != nil {
		return c, fmt.Errorf("%w: Binary of %s: %w (build it first)", ErrInvalidConfig, c.Name, err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return c, fmt.Errorf("%w: Binary %s is not an executable file", ErrInvalidConfig, bin)
	}
	c.Binary = bin
	if c.Dir == "" {
		c.Dir = filepath.Dir(bin)
	}
	switch {
	case c.Timeout == 0:
		c.Timeout = DefaultTimeout
	case c.Timeout < 0 || c.Timeout > MaxTimeout:
		return c, fmt.Errorf("%w: Timeout %s of %s is outside (0, %s]", ErrInvalidConfig, c.Timeout, c.Name, MaxTimeout)
	}
	switch {
	case c.MemoryMB == 0:
		c.MemoryMB = DefaultMemoryMB
	case c.MemoryMB < 64 || c.MemoryMB > 3072:
		return c, fmt.Errorf("%w: MemoryMB %d of %s is outside 64–3072", ErrInvalidConfig, c.MemoryMB, c.Name)
	}
	switch {
	case c.MaxInstances == 0:
		c.MaxInstances = DefaultMaxInstances
	case c.MaxInstances < 0:
		return c, fmt.Errorf("%w: MaxInstances %d of %s is negative", ErrInvalidConfig, c.MaxInstances, c.Name)
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = DefaultStartTimeout
	}
	c.Namespace = orDefault(c.Namespace, DefaultNamespace)
	c.Region = orDefault(c.Region, DefaultRegion)
	c.Version = orDefault(c.Version, DefaultVersion)
	if c.Stdout == nil {
		c.Stdout = io.Discard
	}
	if c.Stderr == nil {
		c.Stderr = io.Discard
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}

// processEnv is the environment of a new instance: SCF's built-ins, then c.Env.
// The host's own environment is not inherited (only PATH), so a function that
// works locally only because of a developer's shell variable fails here as on SCF.
func (c Config) processEnv(port int) []string {
	mem := strconv.Itoa(c.MemoryMB)
	vars := map[string]string{
		"PATH":                 os.Getenv("PATH"),
		"TZ":                   "UTC", // SCF runs in UTC unless the function sets TZ
		"_LAMBDA_SERVER_PORT":  strconv.Itoa(port),
		"TENCENTCLOUD_RUNENV":  "SCF",
		"TENCENTCLOUD_REGION":  c.Region,
		"TENCENTCLOUD_APPID":   c.AppID,
		"TENCENTCLOUD_UIN":     c.Uin,
		"SCF_RUNTIME":          "Go1",
		"SCF_FUNCTIONNAME":     c.Name,
		"SCF_FUNCTIONVERSION":  c.Version,
		"SCF_NAMESPACE":        c.Namespace,
		"SCF_MEMORY_SIZE":      mem,
		"SCF_TIMEOUT":          strconv.Itoa(int(c.Timeout.Round(time.Second) / time.Second)),
		"USER_CODE_ROOT":       c.Dir,
		"FUNCTION_NAME":        c.Name, // read by scf-go-lib's functioncontext at init
		"FUNCTION_MEMORY_SIZE": mem,
		"FUNCTION_VERSION":     c.Version,
		// Every instance runs on this one machine, so a file is shared by all
		// of them (unlike SCF's per-instance /tmp); config reads this before
		// refusing a bolt:///tmp store. SCF reserves the SCF_ prefix, so no
		// deployed function can claim it.
		"SCF_LOCAL_HOST": "1",
	}
	for k, v := range c.Env {
		vars[k] = v
	}
	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
