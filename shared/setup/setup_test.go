package setup

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
)

// TestStoreErrorHidesPassword: a store that cannot be opened is reported
// with its variable named and its password masked.
func TestStoreErrorHidesPassword(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"STORE_URL": "redis://user:s3cretpw@127.0.0.1:1/0"}[k]
	}, config.NeedStore)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = Store(ctx, cfg, slog.New(slog.DiscardHandler))
	if err == nil {
		t.Fatal("opened a Redis store on a closed port")
	}
	if strings.Contains(err.Error(), "s3cretpw") || !strings.Contains(err.Error(), "STORE_URL") {
		t.Fatalf("error leaks the password or does not name STORE_URL: %v", err)
	}
}
