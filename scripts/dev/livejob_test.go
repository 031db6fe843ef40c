package main

import (
	"strings"
	"testing"
)

// TestDescribeCSV: the --live confirmation says what will go out and what
// it costs, from the same check the operator can run.
func TestDescribeCSV(t *testing.T) {
	got, dryRun, err := describeCSV("demo/demo.csv", "demo/demo.json", "demo")
	if err != nil || dryRun {
		t.Fatal(dryRun, err)
	}
	for _, want := range []string{"uploads/demo.csv", "【短信跳转示例】", "100002", "16 个号码", "4 行被拒绝", "16 条", "0.72 元"} {
		if !strings.Contains(got, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(livePrompt("1400000001"), "0.0.0.0") {
		t.Error("the prompt does not warn that the functions listen on all interfaces")
	}
}
