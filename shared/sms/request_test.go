package sms

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func validRequest() Request {
	return Request{SdkAppID: "1400000001", SignName: "腾讯云", TemplateID: "123", Phones: []string{"+8613800138000"}}
}

func TestValidate(t *testing.T) {
	many := make([]string, MaxPhones+1)
	for i := range many {
		many[i] = fmt.Sprintf("+86138%08d", i)
	}
	cases := []struct {
		name   string
		change func(*Request)
		want   string // substring of the error, "" for valid
	}{
		{"valid", func(*Request) {}, ""},
		{"200 phones", func(r *Request) { r.Phones = many[:MaxPhones] }, ""},
		{"international without signature", func(r *Request) { r.Phones = []string{"+85291234567"}; r.SignName = "" }, ""},
		{"no app", func(r *Request) { r.SdkAppID = "" }, "SMS_SDK_APP_ID"},
		{"no template", func(r *Request) { r.TemplateID = "" }, "SMS_TEMPLATE_ID"},
		{"no phones", func(r *Request) { r.Phones = nil }, "no phone numbers"},
		{"201 phones", func(r *Request) { r.Phones = many }, "201 phone numbers"},
		{"not E.164", func(r *Request) { r.Phones = []string{"13800138000"} }, "phone 138****8000 is not E.164"},
		{"duplicate", func(r *Request) { r.Phones = []string{"+8613800138000", "+8613800138000"} }, "+86138****8000 appears twice"},
		{"mixed", func(r *Request) { r.Phones = []string{"+8613800138000", "+85291234567"} }, "separate batches"},
		{"mainland without signature", func(r *Request) { r.SignName = "" }, "SMS_SIGN_NAME"},
		{"long session context", func(r *Request) { r.SessionContext = strings.Repeat("x", 513) }, "SessionContext is 513 bytes"},
		{"many bad numbers named briefly", func(r *Request) { r.Phones = []string{"1", "2", "3", "4", "5"} }, "2 more bad phone numbers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := validRequest()
			c.change(&r)
			err := r.Validate()
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to mention %q", err, c.want)
			}
			if !errors.Is(err, ErrInvalidRequest) || ClassOf(err) != Fatal || CodeOf(err) != CodeInvalidRequest {
				t.Fatalf("error %v: want ErrInvalidRequest, Fatal, %s", err, CodeInvalidRequest)
			}
			if strings.Contains(err.Error(), "13800138000") {
				t.Fatalf("error shows a phone number unmasked: %v", err)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+8613800138000": "+86138****8000",
		"+85291234567":   "+85****4567",
		"13800138000":    "138****8000",
		"123":            "****",
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// numberSet must find exactly the repeats a map finds, in the room Validate
// gives it and past it (a request over MaxPhones).
func TestNumberSetMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 199, 200, 256, 257, 1000} {
		var room [512]uint64
		set := newNumberSet(room[:], n)
		seen := map[string]bool{}
		for i := range n {
			// Few distinct values, so that repeats are common; both
			// mainland and international lengths.
			p := fmt.Sprintf("+86139%08d", rng.IntN(n))
			if i%3 == 0 {
				p = fmt.Sprintf("+1%d", 2000000000+rng.IntN(n))
			}
			if got, want := set.add(p), !seen[p]; got != want {
				t.Fatalf("n=%d: add(%s) = %v, a map says %v", n, p, got, want)
			}
			seen[p] = true
		}
	}
}
