package scf

import (
	"bytes"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseCOS(t *testing.T) {
	at := time.Unix(1767225600, 0).UTC()
	tests := []struct {
		file    string
		want    []ObjectCreated
		skipped int // records logged as skipped
	}{
		{
			file: "cos_doc.json",
			want: []ObjectCreated{{
				Bucket: "testpic-1253970026", Region: "ap-chengdu", Key: "testfile", Size: 1029,
				EventName: "cos:ObjectCreated:*", EventTime: time.Unix(1545205770, 0).UTC(),
			}},
		},
		{
			// A real capture: full region in cosRegion, quoted ETag, raw key
			// next to a percent-encoded URL.
			file: "cos_captured.json",
			want: []ObjectCreated{{
				Bucket: "bookshelf-1250000001", Region: "ap-shanghai", Key: "!!!!!!!", Size: 557,
				ETag: `"0d7316832fef232e5dcdcf81f39bfdba"`, EventName: "cos:ObjectCreated:Put",
				EventTime: time.Unix(1649950620, 0).UTC(),
			}},
		},
		{
			file: "cos_merged.json",
			want: []ObjectCreated{
				{Bucket: "campaign-1250000000", Region: "ap-guangzhou", Key: "uploads/a.csv", Size: 2048,
					ETag: `"aaa111"`, EventName: "cos:ObjectCreated:Put", EventTime: at},
				{Bucket: "campaign-1250000000", Region: "ap-guangzhou", Key: "uploads/b.json", Size: 123456789,
					ETag: `"bbb222-3"`, EventName: "cos:ObjectCreated:CompleteMultipartUpload", EventTime: at.Add(time.Minute)},
			},
			skipped: 1,
		},
		{
			file: "cos_key_encoded.json",
			want: []ObjectCreated{{Bucket: "campaign-1250000000", Region: "ap-guangzhou", Key: "uploads/春节.csv",
				Size: 2048, EventName: "cos:ObjectCreated:Put", EventTime: at}},
		},
		{
			file: "cos_key_raw.json",
			want: []ObjectCreated{{Bucket: "campaign-1250000000", Region: "ap-guangzhou", Key: "uploads/春节.csv",
				Size: 2048, EventName: "cos:ObjectCreated:Put", EventTime: at}},
		},
		{
			// The name really contains "%25"; the URL proves it.
			file: "cos_key_literal_percent.json",
			want: []ObjectCreated{{Bucket: "campaign-1250000000", Region: "ap-guangzhou", Key: "uploads/100%25 off.csv",
				Size: 2048, EventName: "cos:ObjectCreated:Put", EventTime: at}},
		},
		{
			// No URL: region from the short code; an unknown code gives "".
			file: "cos_no_url.json",
			want: []ObjectCreated{
				{Bucket: "campaign-1250000000", Region: "ap-chengdu", Key: "uploads/春节.csv",
					Size: 2048, EventName: "cos:ObjectCreated:Put", EventTime: at},
				{Bucket: "campaign-1250000000", Region: "", Key: "uploads/x.csv",
					Size: 2048, EventName: "cos:ObjectCreated:Put", EventTime: at},
			},
		},
		{
			// appid, size and eventTime as other JSON types.
			file: "cos_appid_number.json",
			want: []ObjectCreated{{Bucket: "campaign-1250000000", Region: "ap-guangzhou", Key: "uploads/n.csv",
				Size: 77, EventName: "cos:ObjectCreated:Put", EventTime: at}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			got, err := ParseCOS(readTestdata(t, tt.file), log)
			if err != nil {
				t.Fatalf("ParseCOS: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if n := strings.Count(logs.String(), "skipping COS record"); n != tt.skipped {
				t.Errorf("%d skip log lines, want %d:\n%s", n, tt.skipped, logs.String())
			}
		})
	}
}

func TestParseCOSErrors(t *testing.T) {
	tests := []struct {
		name      string
		raw       []byte
		want      error
		wantIndex int // -1: not a RecordError
	}{
		{"missing key names record 1", readTestdata(t, "cos_missing_key.json"), ErrMalformed, 1},
		{"record of wrong type", []byte(`{"Records":[{"cos":{"cosObject":{"key":"/1/b/k"},"cosBucket":{"name":"b","appid":"1"}},"event":{"eventName":"cos:ObjectCreated:Put"}}, 7]}`), ErrMalformed, 1},
		{"size not a number", []byte(`{"Records":[{"cos":{"cosObject":{"key":"/1/b/k","size":"big"},"cosBucket":{"name":"b","appid":"1"}},"event":{"eventName":"cos:ObjectCreated:Put"}}]}`), ErrMalformed, 0},
		{"no bucket anywhere", []byte(`{"Records":[{"cos":{"cosObject":{"key":"k"}},"event":{"eventName":"cos:ObjectCreated:Put"}}]}`), ErrMalformed, 0},
		{"invalid JSON", []byte(`{"Records":[`), ErrMalformed, -1},
		{"timer event", readTestdata(t, "timer_doc.json"), ErrWrongKind, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCOS(tt.raw, slog.New(slog.DiscardHandler))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var re *RecordError
			if errors.As(err, &re) != (tt.wantIndex >= 0) || (re != nil && re.Index != tt.wantIndex) {
				t.Errorf("err = %v, want record index %d", err, tt.wantIndex)
			}
		})
	}
}

func TestParseCOSEmptyRecords(t *testing.T) {
	got, err := ParseCOS([]byte(`{"Records":[]}`), nil)
	if err != nil || len(got) != 0 {
		t.Errorf("got %v, %v; want no objects and no error", got, err)
	}
}

func TestCOSRegion(t *testing.T) {
	tests := []struct {
		url, cosRegion, short, want string
	}{
		{"http://b-1.cos.ap-chengdu.myqcloud.com/k", "", "cd", "ap-chengdu"},
		{"https://b-1.cos.ap-beijing.tencentcos.cn/k", "", "", "ap-beijing"},
		{"http://b-1.cossh.myqcloud.com/k", "", "", "ap-shanghai"}, // V4-era host
		{"http://b-1.cos.accelerate.myqcloud.com/k", "", "gz", "ap-guangzhou"},
		{"", "ap-nanjing", "nj", "ap-nanjing"},
		{"", "", "sgp", "ap-singapore"},
		{"", "", "ger", "eu-frankfurt"},
		{"", "", "ca", "na-toronto"},
		{"", "", "tj", "ap-beijing-1"},
		{"", "", "CQ", "ap-chongqing"},
		{"", "", "ap-hongkong", "ap-hongkong"},
		{"", "", "mars", ""},
		{"::not a url", "", "bj", "ap-beijing"},
	}
	for _, tt := range tests {
		if got := cosRegion(urlHost(tt.url), tt.cosRegion, "", tt.short); got != tt.want {
			t.Errorf("cosRegion(%q, %q, %q) = %q, want %q", tt.url, tt.cosRegion, tt.short, got, tt.want)
		}
	}
}

func TestDecodeKey(t *testing.T) {
	tests := []struct {
		key, url, want string
	}{
		{"uploads/a.csv", "", "uploads/a.csv"},
		{"uploads/%E6%98%A5.csv", "", "uploads/春.csv"},
		{"uploads/春.csv", "", "uploads/春.csv"},
		{"uploads/100%.csv", "", "uploads/100%.csv"},               // not valid encoding: literal
		{"uploads/%E6%98%A5 春.csv", "", "uploads/%E6%98%A5 春.csv"}, // raw bytes: literal
		{"uploads/a+b.csv", "", "uploads/a+b.csv"},                 // '+' is not a space in a path
		{"a%20b.csv", "http://b-1.cos.ap-guangzhou.myqcloud.com/a%2520b.csv", "a%20b.csv"},
		{"a%20b.csv", "http://b-1.cos.ap-guangzhou.myqcloud.com/a%20b.csv", "a b.csv"},
	}
	for _, tt := range tests {
		if got := decodeKey(tt.key, tt.url); got != tt.want {
			t.Errorf("decodeKey(%q, %q) = %q, want %q", tt.key, tt.url, got, tt.want)
		}
	}
}

func BenchmarkParseCOS(b *testing.B) {
	raw := readTestdata(b, "cos_merged.json")
	log := slog.New(slog.DiscardHandler)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCOS(raw, log); err != nil {
			b.Fatal(err)
		}
	}
}
