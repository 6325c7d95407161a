package matching

import (
	"context"
	"slices"
	"sort"

	"github.com/rongtong/rongtong/app"
)

// Financing (融资对接): an SME's financing need and an investor's
// preferences. Both sides choose, so a pair is scored from each side —
// how the need fits the investor's preferences (investor_view) and how the
// investor fits the need (sme_view) — and the two are combined by harmonic
// mean: a pair only one side would want ranks low.

func financingText(f *app.Listing) string { return queryText(f.Title, f.UseOfFunds) }

func investorText(i *app.Listing) string { return queryText(i.Title) }

// financingToInvestors ranks investors' preferences for a financing need:
// every investor (up to structured_candidates), and those the text search
// finds.
func financingToInvestors(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	f := src.listing
	text, ids, err := e.textHits(ctx, src, financingText(f), string(app.KindInvestor))
	if err != nil {
		return nil, err
	}
	found, err := e.listings(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	// Every investor: an investor's industries may be as broad as a
	// section, so which ones cover the SME's industry is for the score to
	// say, not for a filter.
	all, err := e.listAll(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindInvestor},
		Statuses: []app.Status{app.StatusPublished}, VisibleTo: src.vis}, e.cfg.StructuredCandidates)
	if err != nil {
		return nil, err
	}
	invs := append(found, all...)
	owners, err := e.ownersOf(ctx, src, invs)
	if err != nil {
		return nil, err
	}
	var out []*candidate
	seen := map[string]bool{}
	for _, inv := range invs {
		o := owners[inv.OrgID]
		if seen[inv.ID] || o == nil || inv.Kind != app.KindInvestor || inv.OrgID == src.org.ID {
			continue
		}
		seen[inv.ID] = true
		sp := e.scoreFinancing(f, src.org, inv, o, text[inv.ID], src)
		out = append(out, newCandidate(string(app.KindInvestor), o, inv, sp))
	}
	return out, nil
}

// investorToFinancing ranks financing needs for an investor: the needs of
// SMEs in the investor's industries, and those the text search finds.
func investorToFinancing(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	inv := src.listing
	text, ids, err := e.textHits(ctx, src, investorText(inv), string(app.KindFinancing))
	if err != nil {
		return nil, err
	}
	fins, err := e.listings(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	for _, code := range inv.Industries {
		more, err := e.listAll(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindFinancing}, Industry: code,
			Statuses: []app.Status{app.StatusPublished}, VisibleTo: src.vis}, e.cfg.StructuredCandidates)
		if err != nil {
			return nil, err
		}
		fins = append(fins, more...)
	}
	owners, err := e.ownersOf(ctx, src, fins)
	if err != nil {
		return nil, err
	}
	var out []*candidate
	seen := map[string]bool{}
	for _, f := range fins {
		o := owners[f.OrgID]
		if seen[f.ID] || o == nil || f.Kind != app.KindFinancing || f.OrgID == src.org.ID {
			continue
		}
		seen[f.ID] = true
		sp := e.scoreFinancing(f, o, inv, src.org, text[f.ID], src)
		out = append(out, newCandidate(string(app.KindFinancing), o, f, sp))
	}
	return out, nil
}

// scoreFinancing scores a financing need f of SME sme against investor
// preferences inv of investor io, from both sides.
func (e *Engine) scoreFinancing(f *app.Listing, sme *app.Org, inv *app.Listing, io *app.Org, text float64, src *source) scoredPair {
	iv, sv := &card{explain: true}, &card{explain: true}
	both := func(part int, v float64, why *app.Reason) {
		iv.put(part, v, why)
		sv.put(part, v, why)
	}
	// Violations and unmet requirements are the investor's; they go on one
	// card so they are listed once.
	miss := func(r *app.Reason, field string) { iv.report(isHard(inv, field), r) }

	// Industry: the SME's within the investor's.
	smeInd := f.IndustryCodes()
	if len(smeInd) == 0 && sme.Industry != "" {
		smeInd = []string{sme.Industry}
	}
	switch {
	case len(inv.Industries) == 0:
		both(pIndustry, 1, nil)
	default:
		covered := false
		for _, c := range smeInd {
			covered = covered || coveredBy(c, inv.Industries)
		}
		if covered {
			_, _, code := bestIndustry(inv.Industries, smeInd)
			both(pIndustry, 1, reason(ReasonIndustry, "code", code, "level", "covers"))
		} else {
			v, level, code := bestIndustry(inv.Industries, smeInd)
			var why *app.Reason
			if v > 0 {
				why = reason(ReasonIndustry, "code", code, "level", level)
			}
			both(pIndustry, 0.5*v, why)
			miss(reason(ReasonIndustryOutside, "codes", inv.Industries), "industries")
		}
	}

	// Ticket: the exact range scores; the range widened by the tolerance
	// is what a hard ticket requirement allows.
	a, lo, hi := f.AmountWan, inv.TicketMinWan, inv.TicketMaxWan
	ticket := reason(ReasonTicket, "amount", a, "min", lo, "max", hi)
	switch {
	case a <= 0 || lo == 0 && hi == 0:
		both(pTicket, 0.5, nil)
	case (lo == 0 || a >= lo) && (hi == 0 || a <= hi):
		both(pTicket, 1, ticket)
	default:
		r := 1.0
		if lo > 0 && a < lo {
			r = a / lo
		}
		if hi > 0 && a > hi {
			r = hi / a
		}
		both(pTicket, 0.5*r, nil)
		out := reason(ReasonTicketOutside, "amount", a, "min", lo, "max", hi)
		tol := e.cfg.TicketTolerance
		switch {
		case lo > 0 && a < lo/tol && isHard(inv, "ticketMinWan"), hi > 0 && a > hi*tol && isHard(inv, "ticketMaxWan"):
			iv.report(true, out)
		default:
			iv.report(false, out)
		}
	}

	// Stage.
	switch {
	case len(inv.Stages) == 0:
		both(pStage, 1, nil)
	case f.Stage == "":
		both(pStage, 0.5, nil)
	case slices.Contains(inv.Stages, f.Stage):
		both(pStage, 1, reason(ReasonStage, "stage", f.Stage))
	default:
		both(pStage, 0, nil)
		miss(reason(ReasonStageMismatch, "stage", f.Stage, "stages", inv.Stages), "stages")
	}

	// Region: where the investor invests.
	switch {
	case len(inv.Regions) == 0:
		both(pRegion, 1, nil)
	case inRegions(sme.Region, inv.Regions):
		both(pRegion, 1, reason(ReasonRegion, "region", sme.Region))
	default:
		v, level, _ := nearest(sme.Region, inv.Regions)
		var why *app.Reason
		if v > 0 {
			why = reason(ReasonNear, "region", sme.Region, "level", level)
		}
		both(pRegion, 0.5*v, why)
		miss(reason(ReasonRegionOutside, "regions", inv.Regions), "regions")
	}

	// Tier and revenue, the investor's preferences.
	switch {
	case len(inv.Tiers) == 0:
		iv.put(pTier, 1, nil)
	case slices.Contains(inv.Tiers, sme.Tier):
		iv.put(pTier, 1, reason(ReasonTier, "tier", string(sme.Tier)))
	default:
		iv.put(pTier, 0, nil)
		ts := make([]string, len(inv.Tiers))
		for i, t := range inv.Tiers {
			ts[i] = string(t)
		}
		miss(reason(ReasonTierOutside, "tier", string(sme.Tier), "tiers", ts), "tiers")
	}
	switch {
	case inv.MinRevenueWan <= 0:
		iv.put(pRevenue, 1, nil)
	case sme.RevenueWan >= inv.MinRevenueWan:
		iv.put(pRevenue, 1, reason(ReasonRevenue, "minRevenue", inv.MinRevenueWan))
	default:
		// The revenue itself is the SME's to show; the reason names only
		// the threshold.
		iv.put(pRevenue, 0, nil)
		miss(reason(ReasonRevenueShort, "minRevenue", inv.MinRevenueWan), "minRevenueWan")
	}

	both(pText, text, reason(ReasonText, "score", round(text, 2)))
	if sme.Verified {
		iv.put(pVerified, 1, reason(ReasonVerified))
	}
	if io.Verified {
		sv.put(pVerified, 1, reason(ReasonVerified))
	}
	// Each view weighs the answers of the party it judges.
	iv.putResponsiveness(src, sme.ID)
	sv.putResponsiveness(src, io.ID)

	a1, a2 := iv.total(e.weights[ViewInvestor]), sv.total(e.weights[ViewSME])
	return combine(a1, a2, ViewInvestor, ViewSME)
}

// combine joins two views of a pair: the harmonic mean of the scores, the
// parts of both (named view.part), and their reasons without repeats.
func combine(a, b scoredPair, aName, bName string) scoredPair {
	out := scoredPair{score: harmonic(a.score, b.score), violated: a.violated || b.violated}
	for _, p := range a.parts {
		p.Name = aName + "." + p.Name
		out.parts = append(out.parts, p)
	}
	for _, p := range b.parts {
		p.Name = bName + "." + p.Name
		out.parts = append(out.parts, p)
	}
	// Reasons by the points they add in either view, without repeats.
	type rp struct {
		r      app.Reason
		points float64
	}
	var rs []rp
	points := func(sp scoredPair, r app.Reason) float64 {
		for _, p := range sp.parts {
			if partOf(r.Code) == p.Name {
				return p.Points
			}
		}
		return 0
	}
	seen := map[string]bool{}
	for _, sp := range []scoredPair{a, b} {
		for _, r := range sp.reasons {
			key := r.Code + "|" + paramsKey(r)
			if !seen[key] {
				seen[key] = true
				rs = append(rs, rp{r, points(sp, r)})
			}
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].points > rs[j].points })
	for _, x := range rs {
		out.reasons = append(out.reasons, x.r)
	}
	out.unmet = append(append(out.unmet, a.unmet...), b.unmet...)
	out.violations = append(append(out.violations, a.violations...), b.violations...)
	return out
}

// partOf names the score part a positive reason belongs to.
func partOf(code string) string {
	switch code {
	case ReasonText:
		return PartText
	case ReasonIndustry:
		return PartIndustry
	case ReasonTicket:
		return PartTicket
	case ReasonStage:
		return PartStage
	case ReasonRegion, ReasonNear:
		return PartRegion
	case ReasonTier:
		return PartTier
	case ReasonRevenue:
		return PartRevenue
	case ReasonVerified:
		return PartVerified
	case ReasonResponsive:
		return PartResponsiveness
	}
	return ""
}

func paramsKey(r app.Reason) string {
	keys := make([]string, 0, len(r.Params))
	for k := range r.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += k + "=" + formatParam(k, r.Params[k], true) + ";"
	}
	return s
}
