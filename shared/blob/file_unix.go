//go:build linux

package blob

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

const contentTypeXattr = "user.smsjump.content_type"

func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}

// setContentType stores ct on the open file. A filesystem without user
// xattrs is not an error: the type is then guessed on read.
func setContentType(f *os.File, ct string) error {
	err := unix.Fsetxattr(int(f.Fd()), contentTypeXattr, []byte(ct), 0)
	if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) {
		return nil
	}
	return err
}

func getContentType(p string) (string, bool) {
	var buf [256]byte
	n, err := unix.Getxattr(p, contentTypeXattr, buf[:])
	if err != nil || n <= 0 {
		return "", false
	}
	return string(buf[:n]), true
}
