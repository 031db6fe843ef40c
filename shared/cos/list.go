package cos

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"

	smithytime "github.com/aws/smithy-go/time"
)

// MaxListPage is the most keys one listing request returns.
const MaxListPage = 1000

// listResult is the part of ListObjectsV2's answer that ListPage uses.
type listResult struct {
	IsTruncated           bool
	NextContinuationToken string
	Contents              []struct {
		Key          string
		Size         int64
		ETag         string
		LastModified string
	}
}

// ListPage returns up to pageSize objects whose key starts with prefix, in
// key order, starting after token (empty for the first page). next is empty
// after the last page.
func (c *Client) ListPage(ctx context.Context, prefix, token string, pageSize int) (objs []Attrs, next string, err error) {
	const op = "ListObjectsV2"
	if pageSize <= 0 || pageSize > MaxListPage {
		pageSize = MaxListPage
	}
	var q [][2]string
	if token != "" {
		q = append(q, [2]string{"continuation-token", token})
	}
	q = append(q, [2]string{"list-type", "2"}, [2]string{"max-keys", strconv.Itoa(pageSize)})
	if prefix != "" {
		q = append(q, [2]string{"prefix", prefix})
	}
	resp, err := c.do(ctx, &call{op: op, method: http.MethodGet, query: q, readBody: true})
	if err != nil {
		return nil, "", MapError(op, c.bucket, prefix, err)
	}
	defer resp.Body.Close()
	var out listResult
	// An empty answer is an empty listing, as the SDK read it.
	if err := xml.NewDecoder(resp.Body).Decode(&out); err != nil && !errors.Is(err, io.EOF) {
		return nil, "", MapError(op, c.bucket, prefix, decodeError(op, err))
	}
	objs = make([]Attrs, 0, len(out.Contents))
	for _, o := range out.Contents {
		a := Attrs{Key: o.Key, Size: o.Size, ETag: unquoteETag(o.ETag)}
		if o.LastModified != "" {
			// The SDK's parser and its formats: a date it cannot read fails
			// the listing rather than giving a zero time.
			t, err := smithytime.ParseDateTime(o.LastModified)
			if err != nil {
				return nil, "", MapError(op, c.bucket, prefix, decodeError(op, err))
			}
			a.LastModified = t
		}
		objs = append(objs, a)
	}
	if out.IsTruncated {
		next = out.NextContinuationToken
	}
	return objs, next, nil
}
