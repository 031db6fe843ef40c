package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"

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

// runDemo uploads the example campaign, waits for its job and prints the summary.
func (e *emulator) runDemo(ctx context.Context) error {
	if _, ok := e.fns.get(fnSendSMS); !ok {
		return errors.New("send-sms 没有编译（缺少 functions/send-sms）；示例活动需要全部三个函数")
	}
	key := "uploads/" + demoName + ".csv"
	done := e.trig.await(key)
	if err := uploadDemo(e.lay, e.baseURL); err != nil {
		return fmt.Errorf("上传示例活动：%w", err)
	}
	fmt.Fprintf(e.out, "示例活动：已上传 %s 和 %s.json，等待 send-sms…\n", key, demoName)
	var res host.Result
	select {
	case res = <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if res.Err != nil {
		return fmt.Errorf("send-sms 失败：%w", res.Err)
	}
	// The job's summary block is printed by the job watch as for every job.
	result := filepath.Join(e.lay.reports(), demoName, "latest.json")
	if l, err := send.ReadLatest(ctx, e.bucket, demoName); err == nil {
		result = filepath.Join(e.lay.bucket(), filepath.FromSlash(l.Result))
	}
	fmt.Fprintf(e.out, "报告：%s\n", result)
	e.demoFunnel(ctx)
	fmt.Fprintf(e.out, "在浏览器中打开上面的链接（或 %s?c=%s）即可用 get-scheme 试跑 H5 页面\n", e.baseURL, demoName)
	return nil
}
