package report

import (
	"sort"
	"time"
)

// Funnel is funnel.json. Counts add up: Delivered + DeliveryFailed +
// NotReported = Sent.
type Funnel struct {
	Campaign  string    `json:"campaign"`
	JobID     string    `json:"job_id"`
	Upload    string    `json:"upload"`
	Generated time.Time `json:"generated"`
	// Settled: the receipt window is over; the numbers will not change.
	Settled bool `json:"settled"`

	Rows           int   `json:"rows"`
	Sent           int   `json:"sent"`
	Delivered      int   `json:"delivered"`
	DeliveryFailed int   `json:"delivery_failed"`
	NotReported    int   `json:"not_reported"`
	Opened         int64 `json:"opened"`
	Jumped         int64 `json:"jumped"`
	Arrived        int64 `json:"arrived"`
	Rates          Rates `json:"rates"`

	// DeliveryFailures counts failed receipts by the carrier's status.
	DeliveryFailures map[string]int `json:"delivery_failures"`
	// NotSent counts rows that were never sent, by reason (from the job).
	NotSent map[string]int `json:"not_sent_by_reason"`
	// Events are every page event's total (jump, launch, button…).
	Events      map[string]int64 `json:"events"`
	OpensByHour []Hour           `json:"opens_by_hour"`
	Platforms   []Platform       `json:"platforms"`
	// PersonalCodes: rows with a personal code that was opened.
	PersonalOpened int          `json:"personal_rows_opened"`
	Receipts       ReceiptStats `json:"receipts"`
}

// Rates are shares, 0–1, of the previous step (delivered of sent, opened of
// delivered — or of sent before any receipt —, jumped of opened, arrived
// of jumped).
type Rates struct {
	Delivered float64 `json:"delivered"`
	Opened    float64 `json:"opened"`
	Jumped    float64 `json:"jumped"`
	Arrived   float64 `json:"arrived"`
}

// Hour is one hour of opens, Beijing time.
type Hour struct {
	Start  time.Time `json:"start"`
	Opened int64     `json:"opened"`
	Jumped int64     `json:"jumped"`
}

// Platform is opens and jumps of one class of visitor.
type Platform struct {
	Name   string `json:"name"`
	Opened int64  `json:"opened"`
	Jumped int64  `json:"jumped"`
}

// ReceiptStats say what happened to the receipts of this job.
type ReceiptStats struct {
	Matched    int `json:"matched"`
	Duplicates int `json:"duplicates"` // a second receipt for a number: ignored
	Late       int `json:"late"`       // after the receipt window: ignored
}

// Fill computes the rates and NotReported, and sorts the lists.
func (f *Funnel) Fill() {
	f.NotReported = max(f.Sent-f.Delivered-f.DeliveryFailed, 0)
	f.Rates = Rates{
		Delivered: share(int64(f.Delivered), int64(f.Sent)),
		Jumped:    share(f.Jumped, f.Opened),
		Arrived:   share(f.Arrived, f.Jumped),
	}
	if f.Delivered > 0 {
		f.Rates.Opened = share(f.Opened, int64(f.Delivered))
	} else {
		f.Rates.Opened = share(f.Opened, int64(f.Sent))
	}
	sort.Slice(f.OpensByHour, func(i, j int) bool { return f.OpensByHour[i].Start.Before(f.OpensByHour[j].Start) })
}

func share(a, b int64) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}
