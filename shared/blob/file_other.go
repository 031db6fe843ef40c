//go:build !linux

package blob

import (
	"io/fs"
	"os"
)

// Without Linux xattrs the content type is guessed from the extension and
// the ETag uses size and mtime only.

func inode(fs.FileInfo) uint64 { return 0 }

func setContentType(*os.File, string) error { return nil }

func getContentType(string) (string, bool) { return "", false }

func setETagFile(*os.File, fileID, string) {}

func setETagPath(string, fileID, string) {}

func getETag(string, fileID) (string, bool) { return "", false }
