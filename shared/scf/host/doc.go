// Package host is the platform side of the SCF Go1 runtime protocol: it starts a
// built function binary the way SCF does, talks net/rpc to it, enforces the
// invocation deadline and keeps a pool of reusable instances, so tests and the local
// emulator run the real binary instead of calling the handler in-process.
package host
