package check

import (
	"math"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
)

// Summary counts what a run found. Rows = Valid + Rejected, and Rejected is
// the sum of ByReason (duplicates included, under campaign.ReasonDuplicate).
type Summary struct {
	File       string                  `json:"file"`
	CampaignID string                  `json:"campaign_id"`
	Encoding   string                  `json:"encoding,omitempty"`
	Rows       int                     `json:"rows"`
	Valid      int                     `json:"valid"`
	Rejected   int                     `json:"rejected"`
	Duplicates int                     `json:"duplicates"`
	ByReason   map[campaign.Reason]int `json:"rejected_by_reason"`
	Segments   int                     `json:"segments"`
	// BySegments counts valid rows by billed messages per SMS (1, 2, …).
	BySegments map[int]int `json:"valid_by_segments"`
	// OptedOut and Capped are rows the job would leave out (not sent, not
	// billed): on the suppression list, or over FREQUENCY_CAP, as the lists
	// stand at the check; AudienceChecked says whether they were consulted.
	OptedOut        int  `json:"opted_out"`
	Capped          int  `json:"frequency_capped"`
	AudienceChecked bool `json:"audience_checked"`
	// ExcelFloat counts valid rows whose number was exported as 13800138000.0.
	ExcelFloat int `json:"excel_float_numbers"`
	// Calls is the number of SendSms requests the valid rows make (up to 200
	// numbers with identical parameters per call); QPS the rate they go at;
	// SendSeconds the time that takes, ignoring send windows and limits.
	Calls       int     `json:"sendsms_calls"`
	QPS         int     `json:"qps"`
	SendSeconds float64 `json:"estimated_send_seconds"`
	// PricePerSegment and EstimatedCost are in CNY.
	PricePerSegment float64       `json:"price_per_segment"`
	EstimatedCost   float64       `json:"estimated_cost"`
	Bytes           int64         `json:"bytes"`
	Duration        time.Duration `json:"-"`
	DurationMS      int64         `json:"duration_ms"`
}

func (s *Summary) estimateSend(qps int) {
	s.QPS = qps
	if qps > 0 {
		s.SendSeconds = math.Round(float64(s.Calls)/float64(qps)*1000) / 1000
	}
}

func (s *Summary) reject(r campaign.Reason) {
	s.Rejected++
	s.ByReason[r]++
	if r == campaign.ReasonDuplicate {
		s.Duplicates++
	}
}
