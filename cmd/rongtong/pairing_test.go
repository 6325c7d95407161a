package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/sqlite"
)

func TestPairingConfig(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "smtp-password")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte("pairing_expiry_days: 10\nsmtp_host: smtp.example.cn\nsmtp_from: noreply@example.cn\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if p := c.pairing(); p.ExpiryDays != 14 || p.OpenRequestCap != 20 || p.FollowUpDays != 182 || c.JobsInterval.D() != time.Hour || c.SMTPHost != "" {
		t.Errorf("defaults %+v", c.PairingSettings)
	}
	c, err = LoadConfig(file, env(map[string]string{
		"RONGTONG_PAIRING_OPEN_REQUEST_CAP": "5", "RONGTONG_SMTP_USERNAME": "robot", "RONGTONG_SMTP_PASSWORD_FILE": pw,
		"RONGTONG_SMTP_PORT": "2525", "RONGTONG_JOBS_INTERVAL": "15m",
	}))
	if err != nil {
		t.Fatal(err)
	}
	m := c.smtp()
	if c.pairing().ExpiryDays != 10 || c.pairing().OpenRequestCap != 5 || c.JobsInterval.D() != 15*time.Minute ||
		m.Host != "smtp.example.cn" || m.Port != 2525 || m.Username != "robot" || m.Password != "s3cret" || m.From != "noreply@example.cn" {
		t.Errorf("file and environment: %+v", c.PairingSettings)
	}
	for key, bad := range map[string]map[string]string{
		"RONGTONG_PAIRING_EXPIRY_DAYS":      {"RONGTONG_PAIRING_EXPIRY_DAYS": "0"},
		"RONGTONG_PAIRING_OPEN_REQUEST_CAP": {"RONGTONG_PAIRING_OPEN_REQUEST_CAP": "many"},
		"RONGTONG_PAIRING_FOLLOW_UP_DAYS":   {"RONGTONG_PAIRING_FOLLOW_UP_DAYS": "-3"},
		"RONGTONG_JOBS_INTERVAL":            {"RONGTONG_JOBS_INTERVAL": "1s"},
		"RONGTONG_SMTP_":                    {"RONGTONG_SMTP_HOST": "smtp.example.cn"}, // no sender
		"RONGTONG_SMTP_PASSWORD":            {"RONGTONG_SMTP_PASSWORD": "x", "RONGTONG_SMTP_PASSWORD_FILE": pw},
	} {
		if _, err := LoadConfig("", env(bad)); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%v: %v, want an error naming %s", bad, err, key)
		}
	}
}

// TestSeedDemoPairings: the demo starts with requests in the demo accounts'
// inboxes, and seeding again adds none.
func TestSeedDemoPairings(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var out strings.Builder
	if _, err := seedDemo(ctx, svc, 60, true, &out); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		ps, err := st.ListPairings(ctx, app.PairingFilter{}, app.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	if n := count(); n != len(demoAsks) {
		t.Fatalf("%d demo pairings, want %d:\n%s", n, len(demoAsks), out.String())
	}
	u, err := st.FindUserByLogin(ctx, "sme@demo.rongtong.cn")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := st.CountUnread(ctx, u.ID); err != nil || n != 1 {
		t.Errorf("sme@ has %d unread (%v), want the enterprise's request", n, err)
	}
	if err := seedDemoPairings(ctx, svc, &out); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != len(demoAsks) {
		t.Errorf("seeding again made %d pairings", n)
	}
}
