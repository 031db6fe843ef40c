// Package scf translates Tencent Cloud SCF events into plain Go values: Function
// URL and legacy API Gateway events into *http.Request (and an http.Handler's
// answer into the integrated-response JSON), COS trigger records into
// ObjectCreated values, and timer events into TimerEvent. It holds no business
// logic: the http.Handler is the seam, as in net/http.
package scf
