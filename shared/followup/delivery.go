package followup

import (
	"bufio"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/excelcsv"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/send"
)

// deliveryHeader is the first line of delivery.csv: result.csv's columns,
// then what happened after sending.
var deliveryHeader = "row,phone,state,reason,code,serial_no,delivery,delivery_code,delivered_at,opened,jumped,arrived\r\n"

// Delivery states of a sent row.
const (
	DeliveryDelivered   = "delivered"
	DeliveryFailed      = "failed"
	DeliveryNotReported = "not_reported"
)

var beijing = time.FixedZone("CST", 8*3600)

type deliveryWriter struct {
	buf  *bufio.Writer
	line []byte
}

func newDeliveryWriter(buf *bufio.Writer) *deliveryWriter {
	buf.WriteString(excelcsv.BOM)
	buf.WriteString(deliveryHeader)
	return &deliveryWriter{buf: buf}
}

func (w *deliveryWriter) row(r send.Result, rc receipt.Receipt, has bool, c funnel.Counts) error {
	b := w.line[:0]
	b = strconv.AppendInt(b, int64(r.Row), 10)
	for _, s := range []string{r.Phone, r.State, r.Reason, r.Code, r.SerialNo} {
		b = append(b, ',')
		b = excelcsv.AppendField(b, s)
	}
	status, code, at := "", "", ""
	switch {
	case r.State != send.StateSent:
	case !has:
		status = DeliveryNotReported
	case rc.Delivered:
		status, code = DeliveryDelivered, rc.Code
	default:
		status, code = DeliveryFailed, rc.Code
	}
	if has && !rc.At.IsZero() {
		at = rc.At.In(beijing).Format("2006-01-02 15:04:05")
	}
	for _, s := range []string{status, code, at} {
		b = append(b, ',')
		b = excelcsv.AppendField(b, s)
	}
	for _, n := range []int64{c[funnel.Opened], c.Jumped(), c[funnel.Arrived]} {
		b = append(b, ',')
		b = strconv.AppendInt(b, n, 10)
	}
	b = append(b, '\r', '\n')
	w.line = b
	_, err := w.buf.Write(b)
	return err
}
