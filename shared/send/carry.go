package send

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
)

// inWindow reports whether a batch may start at t: inside the send window
// and not within WindowMargin of its end.
func (r *run) inWindow(t time.Time) bool {
	return r.window.Contains(t) && r.window.Contains(t.Add(r.s.o.WindowMargin))
}

// deferLimit parks a job that met a limit lifting by itself. Rows of the
// refused calls are still open; the rows after them that did finish are
// carried (saved beside the parts) so that the resume reports them without
// sending them again, and sends the open ones.
func (r *run) deferLimit(ctx context.Context, until time.Time, code string, now time.Time) (Status, error) {
	ctx = context.WithoutCancel(ctx)
	if rows := r.tr.carry(); len(rows) > 0 {
		key := r.prefix + ".parts/carry-" + strconv.Itoa(r.st.Runs) + ".json"
		b, err := json.Marshal(rows)
		if err != nil {
			return StatusRunning, fmt.Errorf("encode carried rows: %w", err)
		}
		if err := r.s.o.Bucket.WriteAll(ctx, key, b, blob.WriterOptions{ContentType: "application/json"}); err != nil {
			return StatusRunning, fmt.Errorf("write carried rows: %w", err)
		}
		r.st.Carry = key
	}
	r.st.NextAttempt = until
	r.st.Deferral = code
	r.log.Info("send-sms: deferred by a limit that lifts by itself", "code", code, "next_attempt", until,
		"open_rows", r.tr.pendingRows())
	return r.suspend(ctx, StatusDeferred, now)
}

// loadCarry reads the rows a deferred run finished past its watermark.
func (r *run) loadCarry(ctx context.Context) (map[int]Result, error) {
	if r.st.Carry == "" {
		return nil, nil
	}
	b, err := r.s.o.Bucket.ReadAll(ctx, r.st.Carry)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, fmt.Errorf("%w: carried rows %s are gone", ErrBadState, r.st.Carry)
	}
	if err != nil {
		return nil, fmt.Errorf("read carried rows: %w", err)
	}
	var rows []Result
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("%w: carried rows: %v", ErrBadState, err)
	}
	m := make(map[int]Result, len(rows))
	for _, res := range rows {
		if res.Row > r.st.Watermark {
			m[res.Row] = res
		}
	}
	return m, nil
}
