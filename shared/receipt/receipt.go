package receipt

import "time"

// Receipt is one delivery report.
type Receipt struct {
	SerialNo  string    `json:"sid"`
	Delivered bool      `json:"ok"`
	Code      string    `json:"code,omitempty"` // the carrier's status, e.g. DELIVRD, UNDELIV, MK:0001
	Detail    string    `json:"detail,omitempty"`
	At        time.Time `json:"at,omitzero"` // when the phone received it (or the carrier gave up)
}

// beijing: the callback's user_receive_time is Beijing time without a zone.
var beijing = time.FixedZone("CST", 8*3600)

// receiveLayout is user_receive_time's format.
const receiveLayout = "2006-01-02 15:04:05"
