package matching

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching/vocab"
)

// catalog is a compact in-memory view of the store's SMEs and their
// published capabilities: what supply matching compares, with process
// wordings already mapped to concepts. A need's industry group can hold
// thousands of SMEs; reading each one's capabilities from the store would
// take a query per SME, so the catalog answers instead. It is derived from
// the store and follows the store's update sequence (app.Store.Changes),
// as the search index does; every Match first catches up.
type catalog struct {
	refreshMu sync.Mutex // one loader at a time
	concepts  concepts

	mu     sync.RWMutex
	loaded bool
	seq    int64
	orgs   map[string]*orgFacts
	caps   map[string]*capFacts
	capsOf map[string][]*capFacts
	// byGroup holds the SMEs of each three-digit industry group in ID
	// order.
	byGroup map[string][]*orgFacts
	loading bool // putOrg appends; load sorts once at the end
}

// orgFacts is what supply matching needs of an SME. Facts are immutable
// (a change replaces them) except caps, which the catalog keeps in step
// with capsOf under its write lock and readers copy under its read lock.
type orgFacts struct {
	id, industry, region string
	tier                 app.Tier
	verified             bool
	certs                []int32 // canonical certifications, interned
	caps                 []*capFacts
}

// capFacts is what supply matching needs of a capability, hot fields
// first.
type capFacts struct {
	capYear    float64 // capacity per year in the base unit; 0 unknown
	capUnit    int32   // base unit (vocab.BaseUnit) of the capacity, interned
	procs      []int32 // process concepts (see concepts) of its list and its text
	hardInd    bool    // its industries served are a hard requirement
	certs      []int32 // canonical certifications, interned
	id, orgID  string
	processes  []string // the concepts as words
	materials  []string
	industries []string // the industries it serves
}

func (c *catalog) newOrgFacts(o *app.Org) *orgFacts {
	return &orgFacts{id: o.ID, industry: o.Industry, region: o.Region, tier: o.Tier, verified: o.Verified,
		certs: c.concepts.certs(o.Certifications)}
}

func (c *catalog) newCapFacts(l *app.Listing) *capFacts {
	f := &capFacts{id: l.ID, orgID: l.OrgID, materials: l.Materials, industries: l.Industries,
		hardInd: isHard(l, "industries"), processes: vocab.Processes(l.Processes)}
	for _, p := range vocab.FindProcesses(l.Title + " " + l.Description) {
		if !slices.Contains(f.processes, p) {
			f.processes = append(f.processes, p)
		}
	}
	f.procs = c.concepts.ids(f.processes)
	f.certs = c.concepts.certs(l.Certifications)
	if cp := l.Capacity; cp != nil && cp.Value > 0 {
		u, scale := vocab.BaseUnit(cp.Unit)
		f.capUnit, f.capYear = c.concepts.unit(u), cp.PerYear()*scale
	}
	return f
}

// concepts interns process concepts, units and certifications as small
// integers, so that comparing a need with thousands of capabilities is
// integer work; a need precomputes which concepts partly match its own
// (see processTable). Units and certifications share the table under
// prefixes that no process concept has.
type concepts struct {
	mu    sync.RWMutex
	id    map[string]int32
	words []string
}

func (cs *concepts) ids(words []string) []int32 {
	out := make([]int32, 0, len(words))
	for _, w := range words {
		cs.mu.RLock()
		id, ok := cs.id[w]
		cs.mu.RUnlock()
		if !ok {
			cs.mu.Lock()
			if id, ok = cs.id[w]; !ok {
				if cs.id == nil {
					cs.id = map[string]int32{}
				}
				id = int32(len(cs.words))
				cs.id[w], cs.words = id, append(cs.words, w)
			}
			cs.mu.Unlock()
		}
		out = append(out, id)
	}
	return out
}

// unit interns a base unit.
func (cs *concepts) unit(u string) int32 { return cs.ids([]string{"\x00unit:" + u})[0] }

// certs interns certifications in canonical form.
func (cs *concepts) certs(xs []string) []int32 {
	keys := make([]string, len(xs))
	for i, x := range xs {
		keys[i] = "\x00cert:" + app.NormalizeCert(x)
	}
	return cs.ids(keys)
}

// processTable is how well each known concept meets each of a need's
// required concepts (vocab.ProcessMatch), as a dense row per required
// concept indexed by concept ID; concepts interned later meet nothing in
// part.
type processTable struct {
	required []int32
	partial  [][]float32
}

func (cs *concepts) table(required []string) processTable {
	t := processTable{required: cs.ids(required)}
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	for _, r := range required {
		row := make([]float32, len(cs.words))
		for id, w := range cs.words {
			if !strings.HasPrefix(w, "\x00") {
				row[id] = float32(vocab.ProcessMatch(r, w))
			}
		}
		t.partial = append(t.partial, row)
	}
	return t
}

// match returns how well offered concepts meet required one i.
func (t *processTable) match(i int, offered []int32) float64 {
	row := t.partial[i]
	best := float32(0)
	for _, o := range offered {
		if int(o) < len(row) {
			best = max(best, row[o])
		} else if o == t.required[i] {
			best = 1
		}
	}
	return float64(best)
}

// refresh catches up with the store: a full load the first time, then the
// changes since the last refresh.
func (c *catalog) refresh(ctx context.Context, st app.Store) error {
	last, err := st.LastSeq(ctx)
	if err != nil {
		return err
	}
	c.mu.RLock()
	current := c.loaded && c.seq >= last
	c.mu.RUnlock()
	if current {
		return nil
	}
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	c.mu.RLock()
	loaded, seq := c.loaded, c.seq
	c.mu.RUnlock()
	if !loaded {
		return c.load(ctx, st, last)
	}
	for seq < last {
		changes, err := st.Changes(ctx, seq, 500)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			break
		}
		// Read the records first, then apply them under the write lock.
		type update struct {
			c   app.Change
			org *app.Org
			l   *app.Listing
		}
		var ups []update
		for _, ch := range changes {
			u := update{c: ch}
			if !ch.Deleted {
				var err error
				switch ch.Entity {
				case "org":
					u.org, err = st.FindOrg(ctx, ch.ID)
				case "listing":
					u.l, err = st.FindListing(ctx, ch.ID)
				}
				if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
					return err
				}
			}
			ups = append(ups, u)
		}
		c.mu.Lock()
		for _, u := range ups {
			switch u.c.Entity {
			case "org":
				c.removeOrg(u.c.ID)
				if u.org != nil && u.org.Type == app.OrgSME {
					c.putOrg(c.newOrgFacts(u.org))
				}
			case "listing":
				c.removeCap(u.c.ID)
				if u.l != nil && u.l.Kind == app.KindCapability && u.l.Status == app.StatusPublished {
					c.putCap(c.newCapFacts(u.l))
				}
			}
		}
		seq = changes[len(changes)-1].Seq
		c.seq = seq
		c.mu.Unlock()
	}
	return nil
}

// load reads every SME and published capability; the store's sequence
// number read before (last) is where following the changes starts.
func (c *catalog) load(ctx context.Context, st app.Store, last int64) error {
	fresh := &catalog{orgs: map[string]*orgFacts{}, caps: map[string]*capFacts{}, capsOf: map[string][]*capFacts{},
		byGroup: map[string][]*orgFacts{}, loading: true}
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		os, err := st.ListOrgs(ctx, app.OrgFilter{Type: app.OrgSME}, p)
		if err != nil {
			return err
		}
		for _, o := range os {
			fresh.putOrg(c.newOrgFacts(o))
		}
		if len(os) < p.Limit {
			break
		}
		p.After = os[len(os)-1].ID
	}
	p = app.Page{Limit: app.MaxPageLimit}
	for {
		ls, err := st.ListListings(ctx, app.ListingFilter{Kinds: []app.Kind{app.KindCapability}, Statuses: []app.Status{app.StatusPublished}}, p)
		if err != nil {
			return err
		}
		for _, l := range ls {
			fresh.putCap(c.newCapFacts(l))
		}
		if len(ls) < p.Limit {
			break
		}
		p.After = ls[len(ls)-1].ID
	}
	for _, members := range fresh.byGroup {
		slices.SortFunc(members, byOrgID)
	}
	c.mu.Lock()
	c.orgs, c.caps, c.capsOf, c.byGroup = fresh.orgs, fresh.caps, fresh.capsOf, fresh.byGroup
	c.seq, c.loaded = last, true
	c.mu.Unlock()
	return nil
}

func byOrgID(a, b *orgFacts) int { return strings.Compare(a.id, b.id) }

func (c *catalog) putOrg(f *orgFacts) {
	c.orgs[f.id] = f
	f.caps = c.capsOf[f.id]
	g := group(f.industry)
	if c.loading {
		c.byGroup[g] = append(c.byGroup[g], f)
		return
	}
	// A new slice, so that readers holding the old one keep it whole.
	members := c.byGroup[g]
	i, _ := slices.BinarySearchFunc(members, f, byOrgID)
	c.byGroup[g] = slices.Insert(slices.Clip(members), i, f)
}

func (c *catalog) removeOrg(id string) {
	f := c.orgs[id]
	if f == nil {
		return
	}
	delete(c.orgs, id)
	g := group(f.industry)
	c.byGroup[g] = slices.DeleteFunc(slices.Clone(c.byGroup[g]), func(x *orgFacts) bool { return x.id == id })
}

func (c *catalog) putCap(f *capFacts) {
	c.caps[f.id] = f
	c.capsOf[f.orgID] = append(c.capsOf[f.orgID], f)
	if o := c.orgs[f.orgID]; o != nil {
		o.caps = c.capsOf[f.orgID]
	}
}

func (c *catalog) removeCap(id string) {
	f := c.caps[id]
	if f == nil {
		return
	}
	delete(c.caps, id)
	cs := c.capsOf[f.orgID]
	cs = slices.DeleteFunc(slices.Clone(cs), func(x *capFacts) bool { return x.id == id })
	if len(cs) == 0 {
		delete(c.capsOf, f.orgID)
		cs = nil
	} else {
		c.capsOf[f.orgID] = cs
	}
	if o := c.orgs[f.orgID]; o != nil {
		o.caps = cs
	}
}

// supplyView is what one supply query reads from the catalog: the SMEs
// of the text hits' capabilities, then up to max SMEs near an industry code
// (see industryMembers), each once and as the caller may see them, with
// their capabilities.
func (c *catalog) supplyView(capIDs []string, industry string, vis *app.Visibility, skipOrg string, max int) []orgCaps {
	c.mu.RLock()
	defer c.mu.RUnlock()
	visible := func(o *orgFacts) bool { return vis == nil || o.verified || o.id == vis.OrgID }
	size := len(c.orgs)
	if max > 0 {
		size = min(size, max)
	}
	out := make([]orgCaps, 0, size+len(capIDs))
	hit := map[*orgFacts]bool{}
	for _, id := range capIDs {
		if f := c.caps[id]; f != nil {
			if o := c.orgs[f.orgID]; o != nil && o.id != skipOrg && !hit[o] && visible(o) {
				hit[o] = true
				out = append(out, orgCaps{o, o.caps})
			}
		}
	}
	c.industryMembers(industry, max, func(o *orgFacts) {
		if (len(hit) == 0 || !hit[o]) && o.id != skipOrg && visible(o) {
			out = append(out, orgCaps{o, o.caps})
		}
	})
	return out
}

// orgCaps is an SME with its published capabilities.
type orgCaps struct {
	org  *orgFacts
	caps []*capFacts
}

// industryMembers calls f for up to max SMEs near an industry code,
// nearest first and in ID order within a level: for a class, the SMEs of
// the class and then of the rest of its group; for a group, division or
// section, the SMEs under it. Call with c.mu held.
func (c *catalog) industryMembers(code string, max int, f func(*orgFacts)) {
	if max <= 0 {
		max = len(c.orgs)
	}
	n := 0
	emit := func(o *orgFacts) bool {
		if n >= max {
			return false
		}
		n++
		f(o)
		return true
	}
	switch industryLevel(code) {
	case 0:
	case 4:
		members := c.byGroup[code[:3]]
		for _, o := range members {
			if o.industry == code && !emit(o) {
				return
			}
		}
		for _, o := range members {
			if o.industry != code && !emit(o) {
				return
			}
		}
	case 3:
		for _, o := range c.byGroup[code] {
			if !emit(o) {
				return
			}
		}
	default:
		var groups []string
		for g := range c.byGroup {
			if industryCovers(code, g) {
				groups = append(groups, g)
			}
		}
		slices.Sort(groups)
		for _, g := range groups {
			for _, o := range c.byGroup[g] {
				if !emit(o) {
					return
				}
			}
		}
	}
}
