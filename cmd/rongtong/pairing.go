package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/mail"
	"github.com/rongtong/rongtong/matching"
)

// PairingSettings configure the pairing workflow: its limits, the timer of
// its jobs and the SMTP server that sends the inbox's e-mail copies (none
// when smtp_host is empty).
type PairingSettings struct {
	PairingExpiryDays     int      `yaml:"pairing_expiry_days"`
	PairingOpenRequestCap int      `yaml:"pairing_open_request_cap"`
	PairingFollowUpDays   int      `yaml:"pairing_follow_up_days"`
	JobsInterval          Duration `yaml:"jobs_interval"`
	SMTPHost              string   `yaml:"smtp_host"`
	SMTPPort              int      `yaml:"smtp_port"`
	SMTPFrom              string   `yaml:"smtp_from"`
	SMTPUsername          string   `yaml:"smtp_username"`
	SMTPPassword          string   `yaml:"smtp_password"`
}

func defaultPairingSettings() PairingSettings {
	d := app.DefaultPairingConfig()
	return PairingSettings{PairingExpiryDays: d.ExpiryDays, PairingOpenRequestCap: d.OpenRequestCap,
		PairingFollowUpDays: d.FollowUpDays, JobsInterval: Duration(time.Hour), SMTPPort: 587}
}

func setInt(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		*p(c) = n
		return nil
	}
}

// pairingConfigKeys are the environment variables of PairingSettings.
var pairingConfigKeys = []configKey{
	{env: "RONGTONG_PAIRING_EXPIRY_DAYS", set: setInt(func(c *Config) *int { return &c.PairingExpiryDays })},
	{env: "RONGTONG_PAIRING_OPEN_REQUEST_CAP", set: setInt(func(c *Config) *int { return &c.PairingOpenRequestCap })},
	{env: "RONGTONG_PAIRING_FOLLOW_UP_DAYS", set: setInt(func(c *Config) *int { return &c.PairingFollowUpDays })},
	{env: "RONGTONG_JOBS_INTERVAL", set: setDuration(func(c *Config) *Duration { return &c.JobsInterval })},
	{env: "RONGTONG_SMTP_HOST", set: setString(func(c *Config) *string { return &c.SMTPHost })},
	{env: "RONGTONG_SMTP_PORT", set: setInt(func(c *Config) *int { return &c.SMTPPort })},
	{env: "RONGTONG_SMTP_FROM", set: setString(func(c *Config) *string { return &c.SMTPFrom })},
	{env: "RONGTONG_SMTP_USERNAME", set: setString(func(c *Config) *string { return &c.SMTPUsername })},
	{env: "RONGTONG_SMTP_PASSWORD", secret: true, set: setString(func(c *Config) *string { return &c.SMTPPassword })},
}

// pairing returns the use cases' pairing limits.
func (p PairingSettings) pairing() app.PairingConfig {
	c := app.DefaultPairingConfig()
	c.ExpiryDays, c.OpenRequestCap, c.FollowUpDays = p.PairingExpiryDays, p.PairingOpenRequestCap, p.PairingFollowUpDays
	return c
}

func (p PairingSettings) smtp() mail.Config {
	return mail.Config{Host: p.SMTPHost, Port: p.SMTPPort, From: p.SMTPFrom, Username: p.SMTPUsername, Password: p.SMTPPassword}
}

// validate checks the settings, naming the key at fault.
func (p PairingSettings) validate() error {
	names := map[string]string{
		"pairing.expiry_days":      "RONGTONG_PAIRING_EXPIRY_DAYS (pairing_expiry_days)",
		"pairing.open_request_cap": "RONGTONG_PAIRING_OPEN_REQUEST_CAP (pairing_open_request_cap)",
		"pairing.follow_up_days":   "RONGTONG_PAIRING_FOLLOW_UP_DAYS (pairing_follow_up_days)",
	}
	var ae *app.Error
	if err := p.pairing().Validate(); errors.As(err, &ae) && len(ae.Fields) > 0 {
		f := ae.Fields[0]
		return fmt.Errorf("%s: %s", names[f.Field], f.Message)
	}
	if p.JobsInterval.D() < time.Minute || p.JobsInterval.D() > 24*time.Hour {
		return errors.New("RONGTONG_JOBS_INTERVAL (jobs_interval): must be between 1m and 24h")
	}
	if p.SMTPHost == "" {
		return nil
	}
	if err := p.smtp().Validate(); err != nil {
		return fmt.Errorf("RONGTONG_SMTP_* (smtp_*): %w", err)
	}
	return nil
}

// startPairing configures the pairing workflow of a serving process: its
// limits, the e-mail queue, the matching engine's feeds (open requests for
// the congestion discount, past answers for responsiveness) and the timer
// that runs the expiry sweep, the weekly digests and the follow-ups. The
// jobs are idempotent, so a restart or a second node running them at the
// same moment does no harm. stop ends the timer and delivers what is queued.
func startPairing(bg context.Context, c Config, svc *app.Service, eng *matching.Engine, log *slog.Logger) (stop func()) {
	svc.Config.Pairing = c.pairing()
	eng.SetOpenRequests(svc.OpenIncoming)
	eng.SetResponsiveness(svc.Responsiveness)
	var q *mail.Queue
	if c.SMTPHost != "" {
		q = mail.NewQueue(mail.NewSMTP(c.smtp()), 1000, log)
		svc.Mailer = q
	}
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runJobs(ctx, svc, c.JobsInterval.D())
	}()
	return func() {
		cancel()
		<-done
		if q == nil {
			return
		}
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		if err := q.Close(sctx); err != nil {
			log.Error("mail queue", "err", err)
		}
	}
}

// runJobs runs the pairing jobs at start and then every interval until ctx
// ends; the digests at start and then once in each new ISO week (the store's
// job records keep a digest from going out twice, across restarts too). The
// batch proposals run on the timer's first tick of each ISO week, not at
// start, when the index is still warming up.
func runJobs(ctx context.Context, svc *app.Service, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var last string
	for started := false; ; started = true {
		y, w := svc.Clock().UTC().ISOWeek()
		week := fmt.Sprintf("%d-W%02d", y, w)
		svc.RunPairingJobs(ctx, week != last)
		if started {
			runWeeklyProposals(ctx, svc, week)
		}
		last = week
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// demoAsks are the pairing requests the demo starts with: the demo
// enterprise asks the demo SME from its first published need, and the demo
// SME asks the demo investor from its first financing need, so both inboxes
// have something in them.
var demoAsks = []struct {
	from, toRef string
	kind        app.Kind
	message     string
}{
	{"enterprise@demo.rongtong.cn", "demo-sme-0001", app.KindNeed, "演示：贵司的工艺与我们的配套需求相符，盼来厂洽谈。"},
	{"sme@demo.rongtong.cn", "demo-vc-001", app.KindFinancing, "演示：我们正在进行本轮融资，盼与贵机构交流。"},
}

// seedDemoPairings makes the demo's pairing requests; one whose records are
// missing is skipped, one made by an earlier seed is left as it is.
func seedDemoPairings(ctx context.Context, svc *app.Service, stdout io.Writer) error {
	for _, ask := range demoAsks {
		u, err := svc.Store.FindUserByLogin(ctx, ask.from)
		if err != nil {
			return err
		}
		a, err := svc.Actor(ctx, u.ID)
		if err != nil {
			return err
		}
		to, err := svc.Store.FindOrgByRef(ctx, ask.toRef)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		ls, err := svc.Store.ListListings(ctx, app.ListingFilter{OrgID: a.OrgID, Kinds: []app.Kind{ask.kind},
			Statuses: []app.Status{app.StatusPublished}}, app.Page{Limit: 1})
		if err != nil || len(ls) == 0 {
			continue
		}
		p, err := svc.ProposePairing(ctx, a, app.ProposeInput{Source: app.RecordRef{Kind: string(ask.kind), ID: ls[0].ID},
			Target: app.RecordRef{Kind: "org", ID: to.ID}, Message: ask.message})
		switch app.ErrorCode(err) {
		case "":
			fmt.Fprintf(stdout, "pairing %s: %s → %s\n", p.ID, p.A.Name, p.B.Name)
		case app.ECONFLICT:
		default:
			return fmt.Errorf("demo pairing of %s: %w", ask.from, err)
		}
	}
	return nil
}
