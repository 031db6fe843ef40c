package cos

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Multipart upload settings. Memory held by one upload is about
// PartSize × (Concurrency + 1), 24 MiB here, whatever the object size.
const (
	DefaultPartSize    = 8 << 20
	DefaultConcurrency = 2
	// MinPartSize is S3's smallest part (but the last).
	MinPartSize = 5 << 20
	// maxParts is S3's limit of parts in one upload.
	maxParts = 10000
)

// abortTimeout bounds the abort of a failed upload, which runs even when the
// caller's context is done.
const abortTimeout = 30 * time.Second

// UploadOptions qualify an Upload.
type UploadOptions struct {
	ContentType string
	// PartSize and Concurrency override the defaults above when positive.
	PartSize    int64
	Concurrency int
}

// Upload streams r into key: one PutObject when r holds less than a part,
// a multipart upload otherwise (aborted if r, a part or ctx fails, so no
// partial object ever appears). It returns the new object's ETag.
//
// This is what feature/s3/manager's Uploader did for us (parts of
// PartSize read in turn, Concurrency of them in flight, no checksums), done
// here so that no function links the S3 service client.
func (c *Client) Upload(ctx context.Context, key string, r io.Reader, o UploadOptions) (string, error) {
	const op = "Upload"
	partSize := int64(DefaultPartSize)
	if o.PartSize > 0 {
		partSize = o.PartSize
	}
	concurrency := DefaultConcurrency
	if o.Concurrency > 0 {
		concurrency = o.Concurrency
	}
	if partSize < MinPartSize {
		return "", &Error{Op: op, Bucket: c.bucket, Key: key, Err: fmt.Errorf("part size must be at least %d bytes", MinPartSize)}
	}
	// The first part grows with what the reader holds, so that a small
	// object (a progress file, a summary) costs its size, not a whole part.
	first, err := io.ReadAll(io.LimitReader(r, partSize))
	if err != nil {
		return "", MapError(op, c.bucket, key, fmt.Errorf("read upload data failed: %w", err))
	}
	if int64(len(first)) < partSize {
		resp, err := c.put(ctx, key, first, PutOptions{ContentType: o.ContentType})
		if err != nil {
			return "", MapError(op, c.bucket, key, err)
		}
		return unquoteETag(resp.Header.Get("ETag")), nil
	}
	mu := &multipart{c: c, key: key, partSize: partSize, concurrency: concurrency}
	etag, err := mu.run(ctx, r, first, o.ContentType)
	return etag, MapError(op, c.bucket, key, err)
}

// multipart is one multipart upload in progress.
type multipart struct {
	c           *Client
	key         string
	partSize    int64
	concurrency int
	id          string

	mu    sync.Mutex
	err   error // the first failure; later parts are skipped
	parts []completedPart
}

type completedPart struct {
	ETag       string
	PartNumber int
}

type part struct {
	num int
	buf []byte
}

func (m *multipart) fail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err == nil {
		m.err = err
	}
}

func (m *multipart) failed() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

func (m *multipart) run(ctx context.Context, r io.Reader, first []byte, contentType string) (string, error) {
	id, err := m.c.createMultipart(ctx, m.key, contentType)
	if err != nil {
		return "", err
	}
	m.id = id
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Buffers circulate between the reader and the part senders: at most
	// concurrency+1 of them exist, one being filled and the rest in flight.
	free := make(chan []byte, m.concurrency+1)
	allocated := 1
	work := make(chan part)
	var wg sync.WaitGroup
	for range m.concurrency {
		wg.Go(func() {
			for p := range work {
				if m.failed() == nil {
					if err := m.sendPart(ctx, p); err != nil {
						m.fail(err)
						cancel()
					}
				}
				// Every buffer holds at least a part (the first may hold
				// more, grown by ReadAll); a part is never longer than that.
				free <- p.buf[:m.partSize]
			}
		})
	}
	work <- part{num: 1, buf: first}
	for num := 2; m.failed() == nil; num++ {
		var buf []byte
		select {
		case buf = <-free:
		default:
			if allocated < m.concurrency+1 {
				allocated++
				buf = make([]byte, m.partSize)
			} else {
				select {
				case buf = <-free:
				case <-ctx.Done():
				}
			}
		}
		if buf == nil {
			m.fail(ctx.Err())
			break
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if num > maxParts {
				m.fail(fmt.Errorf("exceeded total allowed S3 limit MaxUploadParts (%d). Adjust PartSize to fit in this limit", maxParts))
				break
			}
			work <- part{num: num, buf: buf[:n]}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			m.fail(fmt.Errorf("read multipart upload data failed, %w", err))
		}
	}
	close(work)
	wg.Wait()
	if err := m.failed(); err != nil {
		m.abort(ctx)
		return "", err
	}
	etag, err := m.complete(ctx)
	if err != nil {
		m.abort(ctx)
		return "", err
	}
	return etag, nil
}

func (m *multipart) sendPart(ctx context.Context, p part) error {
	const op = "UploadPart"
	resp, err := m.c.do(ctx, &call{
		op: op, method: http.MethodPut, key: m.key,
		query:  [][2]string{{"partNumber", strconv.Itoa(p.num)}, {"uploadId", m.id}, {"x-id", op}},
		header: http.Header{"Content-Type": {"application/octet-stream"}},
		body:   p.buf, unsignedOverTLS: true,
	})
	if err != nil {
		return err
	}
	drain(resp)
	m.mu.Lock()
	m.parts = append(m.parts, completedPart{ETag: resp.Header.Get("ETag"), PartNumber: p.num})
	m.mu.Unlock()
	return nil
}

func (c *Client) createMultipart(ctx context.Context, key, contentType string) (string, error) {
	const op = "CreateMultipartUpload"
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	resp, err := c.do(ctx, &call{op: op, method: http.MethodPost, key: key, query: [][2]string{{"uploads", ""}}, header: h, errorIn200: true})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		UploadID string `xml:"UploadId"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", decodeError(op, err)
	}
	if out.UploadID == "" {
		return "", decodeError(op, errors.New("no UploadId in the answer"))
	}
	return out.UploadID, nil
}

func (m *multipart) complete(ctx context.Context) (string, error) {
	const op = "CompleteMultipartUpload"
	slices.SortFunc(m.parts, func(a, b completedPart) int { return a.PartNumber - b.PartNumber })
	// The document service/s3 sent: no checksums, ETags as S3 gave them.
	var b bytes.Buffer
	b.WriteString(`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	for _, p := range m.parts {
		b.WriteString("<Part><ETag>")
		_ = xml.EscapeText(&b, []byte(p.ETag))
		b.WriteString("</ETag><PartNumber>")
		b.WriteString(strconv.Itoa(p.PartNumber))
		b.WriteString("</PartNumber></Part>")
	}
	b.WriteString("</CompleteMultipartUpload>")
	resp, err := m.c.do(ctx, &call{
		op: op, method: http.MethodPost, key: m.key, query: [][2]string{{"uploadId", m.id}},
		header: http.Header{"Content-Type": {"application/xml"}}, body: b.Bytes(), errorIn200: true,
	})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ ETag string }
	if err := xml.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", decodeError(op, err)
	}
	return unquoteETag(out.ETag), nil
}

// abort frees the parts of a failed upload. It runs after the caller's
// context may have ended (a cancelled upload is the usual reason to abort),
// and its own failure is not reported: the upload failed already, and an
// upload never completed never becomes an object.
func (m *multipart) abort(ctx context.Context) {
	const op = "AbortMultipartUpload"
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
	defer cancel()
	resp, err := m.c.do(ctx, &call{op: op, method: http.MethodDelete, key: m.key,
		query: [][2]string{{"uploadId", m.id}, {"x-id", op}}, errorIn200: true})
	if err == nil {
		drain(resp)
	}
}
