package matching

import (
	"context"

	"github.com/rongtong/rongtong/app"
)

// Technology (科技成果转化): a technology need and technology listings, and a
// technology and the SMEs that need it (their technology needs) or could
// use it (SMEs of its industries).

func techNeedText(t *app.Listing) string { return queryText(t.Title, t.Description) }

func techText(t *app.Listing) string { return queryText(t.Title, t.Abstract) }

// techNeedToTech ranks technology listings for a technology need: those the
// text search finds and those of the need's industry groups.
func techNeedToTech(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	tn := src.listing
	text, ids, err := e.textHits(ctx, src, techNeedText(tn), string(app.KindTech))
	if err != nil {
		return nil, err
	}
	techs, err := e.listings(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	for _, g := range groups(tn.Industries) {
		more, err := e.listAll(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindTech}, Industry: g,
			Statuses: []app.Status{app.StatusPublished}, VisibleTo: src.vis}, e.cfg.StructuredCandidates)
		if err != nil {
			return nil, err
		}
		techs = append(techs, more...)
	}
	return e.scoreTechPairs(ctx, src, techs, string(app.KindTech), func(t *app.Listing, o *app.Org) (scoredPair, float64, float64) {
		return e.scoreTechnology(tn, t, o, text[t.ID], src)
	})
}

// techToTechNeeds ranks technology needs for a technology.
func techToTechNeeds(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	t := src.listing
	text, ids, err := e.textHits(ctx, src, techText(t), string(app.KindTechNeed))
	if err != nil {
		return nil, err
	}
	tns, err := e.listings(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	for _, g := range groups(t.Industries) {
		more, err := e.listAll(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindTechNeed}, Industry: g,
			Statuses: []app.Status{app.StatusPublished}, VisibleTo: src.vis}, e.cfg.StructuredCandidates)
		if err != nil {
			return nil, err
		}
		tns = append(tns, more...)
	}
	return e.scoreTechPairs(ctx, src, tns, string(app.KindTechNeed), func(tn *app.Listing, _ *app.Org) (scoredPair, float64, float64) {
		return e.scoreTechnology(tn, t, src.org, text[tn.ID], src)
	})
}

// scoreTechPairs scores listings of one kind with their owners, dropping
// repeats, the source's own organisation and candidates below the gate.
func (e *Engine) scoreTechPairs(ctx context.Context, src *source, ls []*app.Listing, kind string,
	score func(l *app.Listing, owner *app.Org) (scoredPair, float64, float64)) ([]*candidate, error) {
	owners, err := e.ownersOf(ctx, src, ls)
	if err != nil {
		return nil, err
	}
	var out []*candidate
	seen := map[string]bool{}
	for _, l := range ls {
		o := owners[l.OrgID]
		if seen[l.ID] || o == nil || string(l.Kind) != kind || l.OrgID == src.org.ID {
			continue
		}
		seen[l.ID] = true
		sp, text, ind := score(l, o)
		if !e.relevant(text, ind) {
			continue
		}
		out = append(out, newCandidate(kind, o, l, sp))
	}
	return out, nil
}

// scoreTechnology scores technology t of organisation to against
// technology need tn, with their text relevance; it returns the score and,
// for the candidate gate, the text relevance and industry proximity.
func (e *Engine) scoreTechnology(tn, t *app.Listing, to *app.Org, text float64, src *source) (scoredPair, float64, float64) {
	k := &card{explain: true}
	k.put(pText, text, reason(ReasonText, "score", round(text, 2)))
	ind, level, code := bestIndustry(tn.Industries, t.Industries)
	k.put(pIndustry, ind, reason(ReasonIndustry, "code", code, "level", level))
	if len(tn.Industries) > 0 && !anyCovered(t.Industries, tn.Industries) {
		k.report(isHard(tn, "industries"), reason(ReasonIndustryOutside, "codes", tn.Industries))
	}
	// A technology's industries describe it; they restrict only when hard.
	if isHard(t, "industries") && len(t.Industries) > 0 && !anyCovered(tn.Industries, t.Industries) {
		k.report(true, reason(ReasonIndustryOutside, "codes", t.Industries))
	}
	switch {
	case tn.BudgetWan <= 0 || t.PriceWan <= 0:
		k.put(pBudget, 0.5, nil)
	case t.PriceWan <= tn.BudgetWan:
		k.put(pBudget, 1, reason(ReasonBudget, "price", t.PriceWan, "budget", tn.BudgetWan))
	default:
		k.put(pBudget, 0.5*tn.BudgetWan/t.PriceWan, nil)
		k.report(isHard(tn, "budgetWan"), reason(ReasonBudgetOver, "price", t.PriceWan, "budget", tn.BudgetWan))
	}
	if t.TRL > 0 {
		k.put(pTRL, float64(t.TRL)/9, reason(ReasonTRL, "trl", t.TRL))
	}
	if to.Verified {
		k.put(pVerified, 1, reason(ReasonVerified))
	}
	// The candidate's answers count: the technology's owner, or the
	// technology need's when the technology is the source.
	if src.listing == t {
		k.putResponsiveness(src, tn.OrgID)
	} else {
		k.putResponsiveness(src, to.ID)
	}
	if src.listing != tn && pastDeadline(tn.Deadline, src) {
		k.report(isHard(tn, "deadline"), reason(ReasonDeadlinePassed, "deadline", tn.Deadline))
	}
	return k.total(e.weights[ViewTechnology]), text, ind
}

// techToOrgs ranks SMEs that could use a technology: the SMEs of its
// industries and those the text search finds.
func techToOrgs(ctx context.Context, e *Engine, src *source) ([]*candidate, error) {
	t := src.listing
	text, ids, err := e.textHits(ctx, src, techText(t), "org")
	if err != nil {
		return nil, err
	}
	byID, err := e.orgsByID(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	orgs := make([]*app.Org, 0, len(byID))
	for _, id := range ids {
		if o := byID[id]; o != nil {
			orgs = append(orgs, o)
		}
	}
	for _, g := range groups(t.Industries) {
		more, err := e.listOrgs(ctx, app.OrgFilter{Type: app.OrgSME, Industry: g, VisibleTo: src.vis}, e.cfg.StructuredCandidates)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, more...)
	}
	var out []*candidate
	seen := map[string]bool{}
	for _, o := range orgs {
		if seen[o.ID] || o.Type != app.OrgSME || o.ID == src.org.ID {
			continue
		}
		seen[o.ID] = true
		k := &card{explain: true}
		tx := text[o.ID]
		k.put(pText, tx, reason(ReasonText, "score", round(tx, 2)))
		ind, level, code := bestIndustry(t.Industries, []string{o.Industry})
		k.put(pIndustry, ind, reason(ReasonIndustry, "code", code, "level", level))
		if isHard(t, "industries") && len(t.Industries) > 0 && !coveredBy(o.Industry, t.Industries) {
			k.report(true, reason(ReasonIndustryOutside, "codes", t.Industries))
		}
		if v, level := regionProximity(o.Region, src.org.Region); v > 0 {
			k.put(pRegion, v, reason(ReasonNear, "region", o.Region, "level", level))
		}
		if o.Tier != "" && o.Tier != app.TierNone {
			k.put(pTier, tierValue(o.Tier), reason(ReasonTier, "tier", string(o.Tier)))
		}
		if o.Verified {
			k.put(pVerified, 1, reason(ReasonVerified))
		}
		k.putResponsiveness(src, o.ID)
		if !e.relevant(tx, ind) {
			continue
		}
		out = append(out, newCandidate("org", o, nil, k.total(e.weights[ViewAdoption])))
	}
	return out, nil
}

// groups returns the distinct three-digit groups of codes (broader codes
// as they are).
func groups(codes []string) []string {
	var out []string
	for _, c := range codes {
		g := group(c)
		if g == "" {
			continue
		}
		dup := false
		for _, x := range out {
			dup = dup || x == g
		}
		if !dup {
			out = append(out, g)
		}
	}
	return out
}

// anyCovered reports whether some code of as lies under (or over) some code
// of bs.
func anyCovered(as, bs []string) bool {
	for _, a := range as {
		for _, b := range bs {
			if v, _, _ := industryProximity(a, b); v >= 1 {
				return true
			}
		}
	}
	return false
}
