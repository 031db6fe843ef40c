package serve

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"sync"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

// rpcRequest and rpcResponse are net/rpc's Request and Response headers.
// gob matches structs by field name, so these are the same on the wire.
type rpcRequest struct {
	ServiceMethod string
	Seq           uint64
}

type rpcResponse struct {
	ServiceMethod string
	Seq           uint64
	Error         string
}

// codec is net/rpc's gobServerCodec: a gob stream each way (gob.go, not
// encoding/gob), writes buffered and flushed per response.
type codec struct {
	conn io.ReadWriteCloser
	dec  *gobReader
	enc  *gobWriter
	buf  *bufio.Writer
	mu   sync.Mutex // one response at a time
}

func serveConn(conn net.Conn, h Handler) {
	buf := bufio.NewWriter(conn)
	c := &codec{conn: conn, dec: newGobReader(conn), enc: &gobWriter{w: buf}, buf: buf}
	var wg sync.WaitGroup
	// Values are decoded into these and copied out: the reader keeps its
	// field matching for a target it sees again (gobread.go).
	var hdr rpcRequest
	var inv messages.InvokeRequest
	hdrTarget, invTarget := requestTarget(&hdr), invokeTarget(&inv)
	for {
		hdr = rpcRequest{}
		if err := c.dec.decode(hdrTarget); err != nil {
			// EOF is the runtime hanging up; anything else is a stream
			// net/rpc would give up on too.
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				log.Println("rpc:", "rpc: server cannot decode request: "+err.Error())
			}
			break
		}
		req := hdr
		switch req.ServiceMethod {
		case "Function.Ping":
			if err := c.dec.decode(target{}); err != nil { // messages.PingRequest
				c.reply(&req, nil, err.Error())
				continue
			}
			c.reply(&req, &messages.PingResponse{}, "")
		case "Function.Invoke":
			inv = messages.InvokeRequest{}
			if err := c.dec.decode(invTarget); err != nil {
				c.reply(&req, nil, err.Error())
				continue
			}
			arg := inv
			// As net/rpc: each call on its own goroutine, answers in any
			// order, matched by Seq.
			wg.Go(func() {
				var resp messages.InvokeResponse
				invoke(h, &arg, &resp)
				c.reply(&req, &resp, "")
			})
		default:
			_ = c.dec.discard() // the body, to keep the stream in step
			c.reply(&req, nil, unknownMethod(req.ServiceMethod))
		}
	}
	wg.Wait()
	_ = conn.Close()
}

// unknownMethod is net/rpc's error text for a method it has not registered.
func unknownMethod(sm string) string {
	dot := -1
	for i := len(sm) - 1; i >= 0; i-- {
		if sm[i] == '.' {
			dot = i
			break
		}
	}
	switch {
	case dot < 0:
		return "rpc: service/method request ill-formed: " + sm
	case sm[:dot] != "Function":
		return "rpc: can't find service " + sm
	}
	return "rpc: can't find method " + sm
}

func (c *codec) reply(req *rpcRequest, body any, errmsg string) {
	if errmsg != "" {
		body = nil // net/rpc's invalidRequest, an empty struct; clients skip it
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.enc.response(&rpcResponse{ServiceMethod: req.ServiceMethod, Seq: req.Seq, Error: errmsg})
	if err == nil {
		switch b := body.(type) {
		case *messages.PingResponse:
			err = c.enc.ping()
		case *messages.InvokeResponse:
			err = c.enc.invoke(b)
		default:
			err = c.enc.empty()
		}
	}
	if err == nil {
		err = c.buf.Flush()
	}
	if err != nil {
		log.Println("rpc: writing response:", err)
		_ = c.conn.Close()
	}
}
