package sms

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
)

// The reply buffer is reused by the next call: statuses handed out must
// not share its memory. Without owner's copies, the first call's serial
// numbers and messages read as pieces of the later replies.
func TestStatusesOutliveReplyBuffer(t *testing.T) {
	sb := startSandbox(t, nil)
	tc := newTencent(t, sb.URL(), nil)
	req := batch(3, 0)
	req.Phones = append(req.Phones, "+8612345678901") // refused: a code and message of its own
	req.SessionContext = "job:1"
	first, err := tc.Send(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]Status, len(first))
	for i, st := range first {
		want[i] = Status{Phone: strings.Clone(st.Phone), SerialNo: strings.Clone(st.SerialNo), Code: strings.Clone(st.Code),
			Message: strings.Clone(st.Message), SessionContext: strings.Clone(st.SessionContext),
			IsoCode: strings.Clone(st.IsoCode), Fee: st.Fee}
	}
	for k := range 20 {
		next := batch(4, 1000+10*k)
		next.Phones[3] = "+8612345678901"
		next.SessionContext = "job:" + string(rune('a'+k)) // as long as the first: the buffer fits
		if _, err := tc.Send(context.Background(), next); err != nil {
			t.Fatal(err)
		}
	}
	for i := range want {
		if first[i] != want[i] {
			t.Errorf("status %d changed after later calls:\n got %+v\nwant %+v", i, first[i], want[i])
		}
	}
	if want[3].Code == CodeOK || want[0].SerialNo == "" {
		t.Fatalf("the first reply is not what the test needs: %+v", want)
	}
}

// A caller's Statuses with room receives the answer; without room Send
// allocates. Either way every status is the call's own.
func TestSendAnswersIntoStatuses(t *testing.T) {
	sb := startSandbox(t, nil)
	tc := newTencent(t, sb.URL(), nil)
	room := make([]Status, MaxPhones)
	for k, n := range []int{3, 1, 5} {
		for i := range room { // what an earlier call left must all be overwritten
			room[i] = Status{Phone: "stale", Code: "stale", SerialNo: "stale"}
		}
		req := batch(n, 100*k)
		req.Statuses = room[:0]
		got, err := tc.Send(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n || &got[0] != &room[0] {
			t.Fatalf("call %d: %d statuses, in the caller's slice: %v", k, len(got), &got[0] == &room[0])
		}
		for i, st := range got {
			if st.Phone != req.Phones[i] || st.Code != CodeOK || st.SerialNo == "stale" {
				t.Errorf("call %d status %d: %+v", k, i, st)
			}
		}
	}
	req := batch(4, 900)
	small := make([]Status, 2)
	req.Statuses = small[:0]
	got, err := tc.Send(context.Background(), req)
	if err != nil || len(got) != 4 || small[0] != (Status{}) {
		t.Fatalf("%d statuses, %v; the small slice: %+v", len(got), err, small)
	}
}

// plainWord must agree with a byte-by-byte look at every byte value in
// every position, and on random words.
func TestPlainWord(t *testing.T) {
	plainByte := func(c byte) bool { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\' }
	check := func(b [8]byte) {
		w, want := uint64(0), true
		for i, c := range b {
			w |= uint64(c) << (8 * i)
			want = want && plainByte(c)
		}
		if got := plainWord(w); got != want {
			t.Fatalf("% x: plainWord %v, want %v", b, got, want)
		}
	}
	for c := range 256 {
		for p := range 8 {
			b := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			b[p] = byte(c)
			check(b)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(0x18 + rng.IntN(0x70)) // around the edges, mostly plain
		}
		check(b)
	}
}
