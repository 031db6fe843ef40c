package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/scf/host"
	"github.com/smsjump/smsjump/shared/send"
)

// The example campaign: 20 recipients, four of them rejected (an invalid
// number, a landline, a duplicate, a name too long for the template).
var (
	//go:embed demo/demo.csv
	demoCSV []byte
	//go:embed demo/demo.json
	demoManifest []byte
)

const (
	demoName = "demo"
	// demoShippedBase is the link base written in demo/demo.json; the
	// emulator replaces it with its own when --port is not 8080.
	demoShippedBase = "http://127.0.0.1:8080/"
)

// demoManifestFor returns the demo manifest with its links on baseURL.
func demoManifestFor(baseURL string) []byte {
	return bytes.ReplaceAll(demoManifest, []byte(demoShippedBase), []byte(baseURL))
}

// parseDemoManifest reads the demo manifest as send-sms will.
func parseDemoManifest(baseURL string) (campaign.Manifest, error) {
	return campaign.ParseManifest(bytes.NewReader(demoManifestFor(baseURL)), campaign.Defaults{
		SDKAppID: sandboxSdkAppID, SignName: sandboxSignName, TemplateID: sandboxTemplateID, LinkBaseURL: baseURL,
	})
}

// uploadDemo puts the manifest, then the CSV, into uploads/, each appearing
// whole (written aside and renamed), the manifest first so the job finds it.
func uploadDemo(lay layout, baseURL string) error {
	if err := writeAtomic(filepath.Join(lay.uploads(), demoName+".json"), demoManifestFor(baseURL)); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(lay.uploads(), demoName+".csv"), demoCSV)
}

func writeAtomic(path string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// jobReport is what a job wrote under reports/<name>/.
type jobReport struct {
	name     string
	summary  json.RawMessage // summary.json, nil while the job is not done
	progress json.RawMessage // progress.json
}

// readJobReport reads reports/<name>/summary.json or, failing that, progress.json.
func readJobReport(ctx context.Context, b *blob.Bucket, name string) (jobReport, error) {
	r := jobReport{name: name}
	var err error
	r.summary, err = b.ReadAll(ctx, "reports/"+name+"/summary.json")
	if err == nil {
		return r, nil
	}
	if !errors.Is(err, blob.ErrNotFound) {
		return r, err
	}
	r.progress, err = b.ReadAll(ctx, "reports/"+name+"/progress.json")
	if errors.Is(err, blob.ErrNotFound) {
		return r, fmt.Errorf("no job %q: neither reports/%s/summary.json nor progress.json exists (was uploads/%s.csv uploaded?)", name, name, name)
	}
	return r, err
}

// print shows the report as indented JSON.
func (r jobReport) print(w io.Writer) {
	raw, what := r.summary, "summary"
	if raw == nil {
		raw, what = r.progress, "progress (job not finished)"
	}
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "  ", "  ") != nil {
		buf.Reset()
		buf.Write(raw)
	}
	fmt.Fprintf(w, "job %s — %s:\n  %s\n", r.name, what, strings.TrimSpace(buf.String()))
}

// runDemo uploads the example campaign, waits for its job and prints the summary.
func (e *emulator) runDemo(ctx context.Context) error {
	if _, ok := e.fns.get(fnSendSMS); !ok {
		return errors.New("send-sms is not built (functions/send-sms missing); the demo needs all three functions")
	}
	key := "uploads/" + demoName + ".csv"
	done := e.trig.await(key)
	if err := uploadDemo(e.lay, e.baseURL); err != nil {
		return fmt.Errorf("upload demo: %w", err)
	}
	fmt.Fprintf(e.out, "demo: uploaded %s and %s.json; waiting for send-sms…\n", key, demoName)
	var res host.Result
	select {
	case res = <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if res.Err != nil {
		return fmt.Errorf("send-sms failed: %w", res.Err)
	}
	rep, err := readJobReport(ctx, e.bucket, demoName)
	if err != nil {
		return err
	}
	rep.print(e.out)
	result := filepath.Join(e.lay.reports(), demoName, "latest.json")
	if l, err := send.ReadLatest(ctx, e.bucket, demoName); err == nil {
		result = filepath.Join(e.lay.root, "bucket", filepath.FromSlash(l.Result))
	}
	fmt.Fprintf(e.out, "report: %s\n", result)
	fmt.Fprintf(e.out, "open a link above in a browser (or %s?c=%s) to run the page against get-scheme\n", e.baseURL, demoName)
	return nil
}
