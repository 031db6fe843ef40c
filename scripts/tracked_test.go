package scripts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxTracked bounds a tracked file: the largest text file in the repository
// is well under it, and a built function or emulator is tens of MB.
const maxTracked = 1 << 20

// Nothing built is committed: no executable (ELF, Mach-O, PE) and nothing
// larger than maxTracked. `go build ./scripts/dev` at the root leaves a
// 25 MB "dev" behind, which got committed once.
func TestNoBuiltFilesTracked(t *testing.T) {
	out, err := exec.Command("git", "-C", "..", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	magics := [][]byte{{0x7f, 'E', 'L', 'F'}, {0xcf, 0xfa, 0xed, 0xfe}, {0xfe, 0xed, 0xfa, 0xcf}, {'M', 'Z'}}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		path := filepath.Join("..", name)
		fi, err := os.Lstat(path)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the work tree, or a symlink
		}
		if fi.Size() > maxTracked {
			t.Errorf("%s is tracked and %d bytes: built or downloaded files stay out of git (.gitignore)", name, fi.Size())
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 4)
		n, _ := f.Read(head)
		f.Close()
		for _, m := range magics {
			if n >= len(m) && bytes.Equal(head[:len(m)], m) && !strings.HasSuffix(name, ".go") {
				t.Errorf("%s is a tracked executable: remove it (git rm --cached) and build it outside the repository", name)
			}
		}
	}
}
