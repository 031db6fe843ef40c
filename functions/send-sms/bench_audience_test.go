package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/store"
)

const (
	tplMarketID   = "2001"
	tplMarketText = "您好{1}，春季活动已开始，点击 https://h5.example.cn/?c=spring 进入，拒收请回复R"
)

// BenchmarkMillionPersonalAudience is issue 11's load run: 1,000,000
// personalised marketing rows (one call each) against a 1,000,000-number
// suppression list (10,000 of the campaign's numbers on it) and
// FREQUENCY_CAP=1/24h,3/7d with every number already messaged once two days
// ago (1,000,000 numbers in the sent ledger, so every row is looked up and
// allowed). The list and the ledger are loaded once at the job's start.
//
// SMSJUMP_BENCH_ROWS changes the campaign's size; SMSJUMP_BENCH_PAIR=1 also
// runs the same campaign with the lists empty and the cap off, right after,
// so that a shared machine's load shows in both numbers.
func BenchmarkMillionPersonalAudience(b *testing.B) {
	benchGate(b)
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("SMSJUMP_BENCH_ROWS")); err == nil && v >= 10_000 {
		n = v / 10_000 * 10_000
	}
	const listed, overlap = 1_000_000, 10_000
	var csv bytes.Buffer
	csv.WriteString("phone,name\n")
	for i := range n {
		fmt.Fprintf(&csv, "13%09d,用户%d\n", i, i%1000)
	}
	storeURL := "bolt://" + filepath.Join(b.TempDir(), "state.db")
	prepare := func(h *harness) {
		b := h.t
		if err := h.srv.Approve(tplMarketID, smsapi.Template{Text: tplMarketText, Type: smsapi.Marketing}); err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		st, err := store.Open(ctx, storeURL)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		keys := make([]uint64, 0, listed)
		for i := range overlap {
			keys = append(keys, 8613000000000+uint64(i))
		}
		for i := overlap; i < listed; i++ {
			keys = append(keys, 8615000000000+uint64(i))
		}
		past := audience.New(st, func() time.Time { return time.Now().Add(-48 * time.Hour) })
		if _, err := past.List.AddKeys(ctx, keys, audience.SourceUpload, "suppress/big.csv"); err != nil {
			b.Fatal(err)
		}
		rec, err := past.Ledger.Recorder(ctx, "earlier-job", "winter", 0)
		if err != nil {
			b.Fatal(err)
		}
		const per = 5000
		for s := range max(n, listed) / per {
			seg := make([]uint64, per)
			for i := range seg {
				seg[i] = 8613000000000 + uint64(s*per+i)
			}
			if err := rec.Commit(ctx, s, seg); err != nil {
				b.Fatal(err)
			}
		}
	}
	manifest := map[string]any{
		"campaign_id": "spring", "sms_type": "marketing", "template_id": tplMarketID, "template_text": tplMarketText,
		"target": map[string]any{"path": "pages/index/index"},
		"params": []any{map[string]any{"column": "name"}},
	}
	label := fmt.Sprintf("%d personalised marketing, 1,000,000-number suppression list, cap 1/24h,3/7d", n)
	// Sub-benchmarks, so that each run's function process is gone before
	// the next one counts its own.
	b.Run("lists", func(b *testing.B) {
		runCampaignBenchWith(b, label, csv.Bytes(), manifest, map[string]string{"STORE_URL": storeURL, "FREQUENCY_CAP": "1/24h,3/7d"}, prepare)
	})
	if os.Getenv("SMSJUMP_BENCH_PAIR") == "1" {
		b.Run("none", func(b *testing.B) {
			runCampaignBenchWith(b, fmt.Sprintf("%d personalised marketing, empty lists, cap off", n), csv.Bytes(), manifest, nil, func(h *harness) {
				if err := h.srv.Approve(tplMarketID, smsapi.Template{Text: tplMarketText, Type: smsapi.Marketing}); err != nil {
					h.t.Fatal(err)
				}
			})
		})
	}
}
