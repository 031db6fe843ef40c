package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/store"
)

// checkAudience opens the suppression list and the sent ledger that check
// counts against: with live, the deployed store (STORE_URL, FREQUENCY_CAP,
// as send-sms has them); otherwise the emulator's store under dir, if it
// exists. It returns nil (and says why on stderr) when there is none.
func checkAudience(ctx context.Context, m campaign.Manifest, dir string, live bool) (*audience.JobGate, func(), error) {
	u := strings.TrimSpace(os.Getenv("STORE_URL"))
	if !live {
		lay := layout{root: dir}
		if _, err := os.Stat(lay.storeFile()); err != nil {
			fmt.Fprintf(os.Stderr, "没有本地存储 %s：不统计退订和频次（先运行模拟器，或用 --live 读线上名单）\n", lay.storeFile())
			return nil, func() {}, nil
		}
		u = lay.storeURL()
	} else if u == "" {
		return nil, nil, fmt.Errorf("check --live 需要环境变量 STORE_URL（与 send-sms 相同），才能读取退订名单和发送记录")
	}
	c, err := audience.ParseCap(os.Getenv("FREQUENCY_CAP"))
	if err != nil {
		return nil, nil, fmt.Errorf("FREQUENCY_CAP: %w", err)
	}
	st, err := store.Open(ctx, u)
	if err != nil {
		return nil, nil, fmt.Errorf("open STORE_URL: %w", err)
	}
	quiet := slog.New(slog.DiscardHandler)
	g, err := audience.NewGate(audience.New(st, nil), c, quiet).Begin(ctx, audience.Job{
		ID: "check", Campaign: m.CampaignID, Marketing: m.Type == campaign.Marketing,
		RespectOptOuts: m.RespectOptOuts, DryRun: true,
	})
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("读取退订名单和发送记录：%w", err)
	}
	where := "线上 STORE_URL"
	if !live {
		where = u
	}
	// Never the URL itself when live: it may carry a password.
	fmt.Fprintf(os.Stderr, "退订名单和频次：%s（频次上限 %s）\n", where, c)
	return g, func() { st.Close() }, nil
}
