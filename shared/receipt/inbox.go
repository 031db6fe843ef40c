package receipt

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
)

// InboxPrefix holds receipts not yet matched, one object per batch
// (one callback POST or one pull), named by arrival time so they are
// listed oldest first. Objects are written once and deleted once handled.
const InboxPrefix = "receipts/inbox/"

// Inbox is the receipts waiting in the campaign bucket.
type Inbox struct {
	b   *blob.Bucket
	now func() time.Time
}

// NewInbox returns the inbox in b; now is the clock of batch names.
func NewInbox(b *blob.Bucket, now func() time.Time) *Inbox {
	if now == nil {
		now = time.Now
	}
	return &Inbox{b: b, now: now}
}

// Batch is one inbox object.
type Batch struct {
	Key      string
	Arrived  time.Time
	Receipts []Receipt
}

// Put writes rs as one new batch (one object write) and returns its key.
func (in *Inbox) Put(ctx context.Context, source string, rs []Receipt) (string, error) {
	return in.put(ctx, in.now(), source, rs)
}

// Requeue replaces batch b by one holding only keep, with b's arrival time
// (so the unknown-receipt grace period does not start again). The new
// object is written before the old one is deleted: a crash in between
// leaves a duplicate, which matching counts and ignores, never a loss.
func (in *Inbox) Requeue(ctx context.Context, b Batch, keep []Receipt) error {
	if len(keep) > 0 {
		if _, err := in.put(ctx, b.Arrived, "kept", keep); err != nil {
			return err
		}
	}
	return in.Delete(ctx, b.Key)
}

func (in *Inbox) put(ctx context.Context, arrived time.Time, source string, rs []Receipt) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range rs {
		if err := enc.Encode(&rs[i]); err != nil {
			return "", err
		}
	}
	var r [6]byte
	_, _ = rand.Read(r[:])
	key := fmt.Sprintf("%s%019d-%s-%s.jsonl", InboxPrefix, arrived.UnixNano(), source, hex.EncodeToString(r[:]))
	if err := in.b.WriteAll(ctx, key, buf.Bytes(), blob.WriterOptions{ContentType: "application/x-ndjson"}); err != nil {
		return "", fmt.Errorf("receipt: write inbox %s: %w", key, err)
	}
	return key, nil
}

// Batches reads up to max batches, oldest first.
func (in *Inbox) Batches(ctx context.Context, max int) ([]Batch, error) {
	var out []Batch
	for a, err := range in.b.List(ctx, InboxPrefix) {
		if err != nil {
			return nil, fmt.Errorf("receipt: list inbox: %w", err)
		}
		if len(out) >= max {
			break
		}
		b, err := in.read(ctx, a.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func (in *Inbox) read(ctx context.Context, key string) (Batch, error) {
	data, err := in.b.ReadAll(ctx, key)
	if err != nil {
		return Batch{}, fmt.Errorf("receipt: read %s: %w", key, err)
	}
	b := Batch{Key: key}
	name := key[len(InboxPrefix):]
	if len(name) > 19 {
		if ns, err := strconv.ParseInt(name[:19], 10, 64); err == nil {
			b.Arrived = time.Unix(0, ns)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var r Receipt
		if err := dec.Decode(&r); err != nil {
			return Batch{}, fmt.Errorf("receipt: inbox object %s is corrupt: %w", key, err)
		}
		b.Receipts = append(b.Receipts, r)
	}
	return b, nil
}

// Delete removes a handled batch.
func (in *Inbox) Delete(ctx context.Context, key string) error {
	if err := in.b.Delete(ctx, key); err != nil {
		return fmt.Errorf("receipt: delete %s: %w", key, err)
	}
	return nil
}
