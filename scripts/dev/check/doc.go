// Package check runs the send-sms validation pipeline over a campaign CSV
// without sending anything: the same reader, phone normalisation, duplicate
// detection and template rendering the job uses, producing the would-be
// report and a summary an operator reads before spending money.
package check
