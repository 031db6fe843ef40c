package main

import (
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/campaign"
)

// TestApprovalsKeepFirstText: manifests found in uploads/ at start-up cannot
// re-approve a template id with another text, as the SMS console cannot.
func TestApprovalsKeepFirstText(t *testing.T) {
	a := newApprovals()
	first := campaign.Manifest{TemplateID: "100009", TemplateText: "{1}您好，活动已开始", SignName: "示例"}
	if err := a.add(first); err != nil {
		t.Fatal(err)
	}
	if err := a.add(first); err != nil {
		t.Fatalf("same text again: %v", err)
	}
	changed := first
	changed.TemplateText = "{1}您好，活动已结束"
	err := a.add(changed)
	if err == nil || !strings.Contains(err.Error(), "模板 100009") || !strings.Contains(err.Error(), "活动已结束") {
		t.Fatalf("changed text: %v, want an error naming template 100009 and the declared text", err)
	}
	if got := a.templates["100009"].Text; got != first.TemplateText {
		t.Fatalf("approved text %q, want the first %q", got, first.TemplateText)
	}
}
