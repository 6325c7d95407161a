package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching"
	"github.com/rongtong/rongtong/matching/propose"
)

// proposePairing records a proposal of the batch job as a pairing in the
// proposed state. The pairing workflow sets it (to its
// Service.ProposePairing) when it is built in; until then a proposal is
// only logged.
var proposePairing func(ctx context.Context, svc *app.Service, p propose.Proposal) error

// proposalsThisWeek counts the proposals an organisation has received this
// week, which the batch job takes off its weekly capacity. The pairing
// workflow sets it; until then every organisation has its full capacity.
var proposalsThisWeek func(ctx context.Context, svc *app.Service, orgID string) (int, error)

func cmdPropose(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs, cfgPath := newFlags("propose")
	dryRun := fs.Bool("dry-run", false, "print the proposals as JSON lines instead of recording them")
	perRecord := fs.Int("per-record", propose.DefaultPerRecord, "most proposals per record")
	capacity := fs.Int("capacity", propose.DefaultCapacity, "most proposals an organisation receives per week")
	minScore := fs.Float64("min-score", propose.DefaultMinScore, "lowest match score (0-100) proposed")
	lang := fs.String("lang", "zh-CN", "language of the reasons: zh-CN or en")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *perRecord < 1 || *capacity < 1 || *minScore <= 0 || *minScore > 100 {
		return fmt.Errorf("usage: rongtong propose [--dry-run] [--per-record N>=1] [--capacity K>=1] [--min-score 0<S<=100]")
	}
	c, err := LoadConfig(*cfgPath, getenv)
	if err != nil {
		return err
	}
	mcfg, err := loadMatchingConfig(c)
	if err != nil {
		return err
	}
	svc, done, err := offline(ctx, *cfgPath, getenv, true)
	if err != nil {
		return err
	}
	defer done()
	ix, err := openIndex(c, svc.Store, svc.Log)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer ix.Close()

	o := propose.Options{Store: svc.Store, Matcher: matching.New(svc.Store, ix, mcfg), Clock: svc.Clock,
		PerRecord: *perRecord, Capacity: *capacity, MinScore: *minScore, Lang: *lang}
	if proposalsThisWeek != nil {
		o.Existing = func(ctx context.Context, orgID string) (int, error) { return proposalsThisWeek(ctx, svc, orgID) }
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	switch {
	case *dryRun:
		o.Create = func(_ context.Context, p propose.Proposal) error { return enc.Encode(p) }
	case proposePairing != nil:
		o.Create = func(ctx context.Context, p propose.Proposal) error { return proposePairing(ctx, svc, p) }
	default:
		svc.Log.Warn("propose: the pairing workflow is not built in; proposals are logged, not recorded")
		o.Create = func(_ context.Context, p propose.Proposal) error {
			svc.Log.Info("proposal", "record", string(p.RecordKind)+":"+p.RecordID, "org", p.OrgID, "score", p.Score)
			return nil
		}
	}
	stats, err := propose.Run(ctx, o)
	if err != nil {
		return err
	}
	svc.Log.Info("propose: done", "records", stats.Records, "candidates", stats.Edges, "organisations", stats.Orgs,
		"proposals", stats.Chosen, "created", stats.Created, "skipped", stats.Skipped,
		"score", stats.Weight, "top_score", stats.TopWeight, "busiest", stats.Busiest, "top_busiest", stats.TopBusiest,
		"candidate_seconds", stats.CandidateSeconds, "solve_seconds", stats.SolveSeconds)
	if !*dryRun {
		fmt.Fprintf(stdout, "%d open records, %d proposals (%d recorded, %d already paired), total score %.2f\n",
			stats.Records, stats.Chosen, stats.Created, stats.Skipped, stats.Weight)
	}
	return nil
}

// loadMatchingConfig reads the matching weights file the configuration
// names, or returns the defaults.
func loadMatchingConfig(c Config) (matching.Config, error) {
	if c.MatchingConfig == "" {
		return matching.DefaultConfig(), nil
	}
	mcfg, err := matching.LoadConfig(c.MatchingConfig)
	if err != nil {
		return mcfg, fmt.Errorf("RONGTONG_MATCHING_CONFIG (matching_config): %w", err)
	}
	return mcfg, nil
}
