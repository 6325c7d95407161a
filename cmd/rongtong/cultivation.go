package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/cultivation"
	"github.com/rongtong/rongtong/demo"
)

// loadCultivation reads the tier criteria and policy targets the
// configuration names; empty paths keep the built-in defaults.
func loadCultivation(c Config) (app.Cultivation, error) {
	var out app.Cultivation
	var err error
	if c.TiersConfig != "" {
		if out.Tiers, err = cultivation.LoadTiers(c.TiersConfig); err != nil {
			return out, fmt.Errorf("RONGTONG_TIERS_CONFIG (tiers_config): %w", err)
		}
	}
	if c.TargetsConfig != "" {
		if out.Targets, err = cultivation.LoadTargets(c.TargetsConfig); err != nil {
			return out, fmt.Errorf("RONGTONG_TARGETS_CONFIG (targets_config): %w", err)
		}
	}
	return out, nil
}

// seedIndicators gives the demo's SMEs two or three years of indicators up
// to last year and enters the tiered ones into the cultivation database, so
// the dashboard has something to show.
func seedIndicators(ctx context.Context, svc *app.Service, stdout io.Writer) error {
	sys := app.SystemActor()
	var orgs []*app.Org
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		page, err := svc.Store.ListOrgs(ctx, app.OrgFilter{Type: app.OrgSME}, p)
		if err != nil {
			return err
		}
		orgs = append(orgs, page...)
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1].ID
	}
	rows, ms := demo.Indicators(orgs, svc.Clock().Year()-1)
	rep, err := svc.ImportIndicators(ctx, sys, rows)
	if err != nil {
		return err
	}
	if rep.Failed > 0 {
		return fmt.Errorf("demo indicators: %d rows failed, first: %+v", rep.Failed, rep.Errors[0])
	}
	for _, m := range ms {
		if _, err := svc.PutMembership(ctx, sys, m.OrgID, m); err != nil {
			return fmt.Errorf("demo membership of %s: %w", m.OrgID, err)
		}
	}
	fmt.Fprintf(stdout, "indicators: %d rows created, %d unchanged; %d organisations in the cultivation database\n", rep.Created+rep.Updated, rep.Unchanged, len(ms))
	return nil
}
