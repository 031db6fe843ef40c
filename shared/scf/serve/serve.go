// Package serve runs a function inside SCF's Go1 runtime: it speaks the
// runtime's protocol (net/rpc with gob, service "Function", methods Ping and
// Invoke, scf-go-lib's message types) and calls a Handler per invocation.
//
// It replaces scf-go-lib's cloudfunction.Start, which registers its service
// with net/rpc.Register. Register finds methods by reflection, and net/rpc
// pulls in html/template; either stops the linker from dropping unused
// methods anywhere in the binary, which made each function about twice its
// size. encoding/gob, 0.24 MB more of each, is replaced by a codec for just
// the protocol's messages (gob.go). The host tests run the same invocations
// against this server and against scf-go-lib's own Start and require the
// same answers.
package serve

import (
	"context"
	"log"
	"net"
	"os"
)

// Handler is an invocation handler in the shape of scf-go-lib's
// cloudfunction.Handler: the raw event in, the raw result out.
type Handler interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Start listens where the runtime expects (0.0.0.0:$_LAMBDA_SERVER_PORT,
// or a random port when unset, as scf-go-lib does) and serves h. It does not
// return.
func Start(h Handler) {
	ln, err := net.Listen("tcp", "0.0.0.0:"+os.Getenv("_LAMBDA_SERVER_PORT"))
	if err != nil {
		log.Fatal(err)
	}
	Serve(ln, h)
	log.Fatal("accept should not have returned")
}

// Serve accepts runtime connections on ln until it fails, serving each on
// its own goroutine.
func Serve(ln net.Listener, h Handler) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Print("rpc.Serve: accept:", err.Error())
			return
		}
		go serveConn(conn, h)
	}
}
