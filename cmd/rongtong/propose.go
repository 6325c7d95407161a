package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching"
	"github.com/rongtong/rongtong/matching/propose"
)

// proposePairing records a proposal of the batch job as a pairing in the
// proposed state, made by the system: the record proposed for is side A,
// the proposed organisation's best-fitting listing (or the organisation
// itself when none fits) side B. An ECONFLICT answer (the record already has
// an open pairing with the organisation) makes the job skip the proposal.
func proposePairing(ctx context.Context, svc *app.Service, p propose.Proposal) error {
	target := app.RecordRef{Kind: "org", ID: p.OrgID}
	if p.ListingID != "" {
		target = app.RecordRef{Kind: string(p.ListingKind), ID: p.ListingID}
	}
	_, err := svc.ProposePairing(ctx, app.SystemActor(), app.ProposeInput{Origin: app.OriginEngine, Score: p.Score,
		Source: app.RecordRef{Kind: string(p.RecordKind), ID: p.RecordID}, Target: target})
	return err
}

// proposalsThisWeek counts the engine's proposals an organisation received
// in the last seven days, which the batch job takes off its weekly capacity.
func proposalsThisWeek(ctx context.Context, svc *app.Service, orgID string) (int, error) {
	return svc.ProposalsReceived(ctx, orgID)
}

// proposeOptions returns the options of a batch run that records its
// proposals as pairings through the service.
func proposeOptions(svc *app.Service, m app.Matcher) propose.Options {
	return propose.Options{Store: svc.Store, Matcher: m, Clock: svc.Clock,
		Existing: func(ctx context.Context, orgID string) (int, error) { return proposalsThisWeek(ctx, svc, orgID) },
		Create:   func(ctx context.Context, p propose.Proposal) error { return proposePairing(ctx, svc, p) }}
}

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

	o := proposeOptions(svc, matching.New(svc.Store, ix, mcfg))
	o.PerRecord, o.Capacity, o.MinScore, o.Lang = *perRecord, *capacity, *minScore, *lang
	if *dryRun {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		o.Create = func(_ context.Context, p propose.Proposal) error { return enc.Encode(p) }
	}
	stats, err := propose.Run(ctx, o)
	if err != nil {
		return err
	}
	logProposals(svc.Log, stats)
	if !*dryRun {
		fmt.Fprintf(stdout, "%d open records, %d proposals (%d recorded, %d already paired), total score %.2f\n",
			stats.Records, stats.Chosen, stats.Created, stats.Skipped, stats.Weight)
	}
	return nil
}

// runWeeklyProposals runs the batch proposals with the defaults once in the
// ISO week: the store's job record of the week keeps a second run (another
// node, a restart) from proposing again. A failed run is logged and waits
// for the next week; the week's claim is not given back, so that a run that
// failed half-way is not repeated on top of what it recorded.
func runWeeklyProposals(ctx context.Context, svc *app.Service, week string) {
	if svc.Matcher == nil {
		return
	}
	first, err := svc.Store.ClaimJob(ctx, "propose/"+week, svc.Clock().UTC())
	if err != nil || !first {
		if err != nil {
			svc.Log.ErrorContext(ctx, "propose: claim the week", "week", week, "err", err)
		}
		return
	}
	stats, err := propose.Run(ctx, proposeOptions(svc, svc.Matcher))
	if err != nil {
		svc.Log.ErrorContext(ctx, "propose: weekly run", "week", week, "err", err)
		return
	}
	logProposals(svc.Log, stats)
}

// logProposals logs what a batch run did.
func logProposals(log *slog.Logger, stats propose.Stats) {
	log.Info("propose: done", "records", stats.Records, "candidates", stats.Edges, "organisations", stats.Orgs,
		"proposals", stats.Chosen, "created", stats.Created, "skipped", stats.Skipped,
		"score", stats.Weight, "top_score", stats.TopWeight, "busiest", stats.Busiest, "top_busiest", stats.TopBusiest,
		"candidate_seconds", stats.CandidateSeconds, "solve_seconds", stats.SolveSeconds)
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
