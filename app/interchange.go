package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxImportLine is the longest line an import accepts, in bytes.
const MaxImportLine = 1 << 20

// importLine is one decoded line waiting for its batch.
type importLine struct {
	n        int
	org      *Org
	listing  *Listing
	ownerRef string
	existing bool
}

// importer carries the state of one import.
type importer struct {
	s      *Service
	a      *Actor
	run    *ImportRun
	seen   map[string]int  // ref → line where it first appeared, per entity
	orgs   map[string]*Org // orgs of this import by ref (after saving)
	failed map[string]bool // org refs whose line failed
	batch  []*importLine
	// progress, when set, hears of every durable batch.
	progress ImportProgress
	lastLine int
}

// Import reads records in the interchange format (JSON Lines) and creates or
// updates them by ref. Bad lines are reported with their line number and field
// while good lines still import. Every batch is durable once written, so a
// crash loses at most the batch being written, never a reported count.
// Admins only; organisations imported are verified unless a line says
// otherwise, and listings are published unless a line gives a status.
func (s *Service) Import(ctx context.Context, a *Actor, r io.Reader, source string) (*ImportRun, error) {
	return s.ImportWithProgress(ctx, a, r, source, nil)
}

// ImportProgress is told, after each batch is durable in the store, the last
// input line the batch covered and the counts so far: everything up to that
// line is acknowledged.
type ImportProgress func(line int, c ImportCounts)

// ImportWithProgress is Import, reporting each durable batch to progress.
func (s *Service) ImportWithProgress(ctx context.Context, a *Actor, r io.Reader, source string, progress ImportProgress) (*ImportRun, error) {
	if !a.Admin() {
		return nil, errForbidden
	}
	im := &importer{s: s, a: a, progress: progress, seen: map[string]int{}, orgs: map[string]*Org{}, failed: map[string]bool{},
		run: &ImportRun{ID: NewID(), UserID: a.UserID, Source: source, StartedAt: s.now(), Errors: []ImportError{}}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), MaxImportLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		im.run.Counts.Lines++
		im.decode(n, line)
		im.lastLine = n
		if len(im.batch) >= s.Config.ImportBatch {
			if err := im.flush(ctx); err != nil {
				return nil, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			im.fail(n+1, "", "", FieldTooLong, fmt.Sprintf("line is longer than %d bytes; the import stopped here", MaxImportLine))
		} else {
			return nil, err
		}
	}
	if err := im.flush(ctx); err != nil {
		return nil, err
	}
	im.run.FinishedAt = s.now()
	if err := s.Store.CreateImportRun(ctx, im.run); err != nil {
		return nil, err
	}
	return im.run, nil
}

func (im *importer) fail(line int, ref, field, code, msg string) {
	im.run.Counts.Failed++
	im.run.Errors = append(im.run.Errors, ImportError{Line: line, Ref: ref, Field: field, Code: code, Message: msg})
}

func (im *importer) failErr(line int, ref string, err error) {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		im.run.Counts.Failed++
		for _, f := range e.Fields {
			im.run.Errors = append(im.run.Errors, ImportError{Line: line, Ref: ref, Field: f.Field, Code: f.Code, Message: f.Message})
		}
		return
	}
	im.fail(line, ref, "", FieldFormat, ErrorMessage(err))
}

// header is the part of a line every record has.
type header struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
	Org  any    `json:"org"`
}

func (im *importer) decode(n int, line []byte) {
	if !utf8.Valid(line) {
		im.fail(n, "", "", FieldFormat, "line is not valid UTF-8")
		return
	}
	var h header
	if err := json.Unmarshal(line, &h); err != nil {
		im.fail(n, "", jsonErrorField(err), FieldFormat, "not a JSON object: "+jsonErrorText(err))
		return
	}
	switch {
	case h.Kind == "":
		im.fail(n, h.Ref, "kind", FieldRequired, "is required")
		return
	case h.Ref == "":
		im.fail(n, "", "ref", FieldRequired, "is required")
		return
	case utf8.RuneCountInString(h.Ref) > 100 || badText(h.Ref) != "":
		im.fail(n, "", "ref", FieldFormat, "must be at most 100 characters of text")
		return
	}
	entity := "listing"
	if h.Kind == "org" {
		entity = "org"
	} else if !Kind(h.Kind).Valid() {
		im.fail(n, h.Ref, "kind", FieldUnknown, "must be one of org, capability, need, tech, technead, investor, financing")
		return
	}
	key := entity + "\x00" + h.Ref
	if first, dup := im.seen[key]; dup {
		im.fail(n, h.Ref, "ref", FieldTaken, fmt.Sprintf("repeats the ref of line %d", first))
		return
	}
	im.seen[key] = n
	if entity == "org" {
		var o Org
		if err := json.Unmarshal(line, &o); err != nil {
			im.failed[h.Ref] = true
			im.fail(n, h.Ref, jsonErrorField(err), FieldFormat, jsonErrorText(err))
			return
		}
		o.Ref = h.Ref
		o.Normalize()
		if err := o.Validate(); err != nil {
			im.failed[h.Ref] = true
			im.failErr(n, h.Ref, err)
			return
		}
		if !im.a.AdminOf(o.Region) {
			im.failed[h.Ref] = true
			im.fail(n, h.Ref, "region", FieldNotAllow, "lies outside your region")
			return
		}
		// Whether a line sets "verified" decides between its value and the default.
		o.Verified = true
		var v struct {
			Verified *bool `json:"verified"`
		}
		if json.Unmarshal(line, &v) == nil && v.Verified != nil {
			o.Verified = *v.Verified
		}
		im.batch = append(im.batch, &importLine{n: n, org: &o})
		return
	}
	ownerRef, ok := h.Org.(string)
	if !ok || ownerRef == "" {
		im.fail(n, h.Ref, "org", FieldRequired, "must be the ref of an organisation")
		return
	}
	// The owner pointer "org" is taken by the wrapper; the fields the server
	// owns (id, orgId, owner) are reset when the listing is resolved.
	var rec struct {
		Listing
		Org json.RawMessage `json:"org"`
	}
	if err := json.Unmarshal(line, &rec); err != nil {
		// The embedded struct's Go name prefixes the path of a type error.
		field := strings.TrimPrefix(jsonErrorField(err), "Listing.")
		im.fail(n, h.Ref, field, FieldFormat, jsonErrorText(err))
		return
	}
	l := rec.Listing
	l.ID, l.OrgID, l.Owner = "", "", OrgSummary{}
	l.Ref = h.Ref
	if l.Status == "" {
		l.Status = StatusPublished
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		im.failErr(n, h.Ref, err)
		return
	}
	if im.failed[ownerRef] {
		im.fail(n, h.Ref, "org", FieldUnknown, fmt.Sprintf("organisation %q failed to import", ownerRef))
		return
	}
	im.batch = append(im.batch, &importLine{n: n, listing: &l, ownerRef: ownerRef})
}

// flush resolves refs against the store, drops unchanged records, and writes
// the batch in one store call.
func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) == 0 {
		return nil
	}
	s := im.s
	var orgRefs, listingRefs []string
	for _, b := range im.batch {
		if b.org != nil {
			orgRefs = append(orgRefs, b.org.Ref)
		} else {
			listingRefs = append(listingRefs, b.listing.Ref)
			if im.orgs[b.ownerRef] == nil {
				orgRefs = append(orgRefs, b.ownerRef)
			}
		}
	}
	existingOrgs, err := s.Store.FindOrgsByRef(ctx, orgRefs)
	if err != nil {
		return err
	}
	existingListings, err := s.Store.FindListingsByRef(ctx, listingRefs)
	if err != nil {
		return err
	}
	now := s.now()
	var orgs []*Org
	var listings []*Listing
	var counts ImportCounts
	for _, b := range im.batch {
		if o := b.org; o != nil {
			old := existingOrgs[o.Ref]
			if old != nil {
				if !im.a.AdminOf(old.Region) {
					im.fail(b.n, o.Ref, "ref", FieldNotAllow, "names an organisation outside your region")
					continue
				}
				o.ID, o.CreatedAt, o.UpdatedAt, o.VerifiedAt = old.ID, old.CreatedAt, old.UpdatedAt, old.VerifiedAt
				switch {
				case !o.Verified:
					o.VerifiedAt = nil
				case old.VerifiedAt == nil:
					o.VerifiedAt = &now
				}
				if sameRecord(old, o) {
					counts.Unchanged++
					im.orgs[o.Ref] = old
					continue
				}
				o.UpdatedAt = now
				counts.Updated++
			} else {
				o.ID, o.CreatedAt, o.UpdatedAt, o.VerifiedAt = NewID(), now, now, nil
				if o.Verified {
					o.VerifiedAt = &now
				}
				counts.Created++
			}
			im.orgs[o.Ref] = o
			orgs = append(orgs, o)
			continue
		}
		l := b.listing
		owner := im.orgs[b.ownerRef]
		if owner == nil {
			owner = existingOrgs[b.ownerRef]
		}
		if owner == nil {
			im.fail(b.n, l.Ref, "org", FieldUnknown, fmt.Sprintf("no organisation has ref %q", b.ownerRef))
			continue
		}
		if !contains(l.Kind.OwnerTypes(), owner.Type) {
			im.fail(b.n, l.Ref, "org", FieldNotAllow, fmt.Sprintf("an organisation of type %s cannot own a %s listing", owner.Type, l.Kind))
			continue
		}
		if !im.a.AdminOf(owner.Region) {
			im.fail(b.n, l.Ref, "org", FieldNotAllow, "names an organisation outside your region")
			continue
		}
		l.SetOwner(owner)
		if old := existingListings[l.Ref]; old != nil {
			if !im.a.AdminOf(old.Owner.Region) {
				// Replacing it would take it from an organisation outside the region.
				im.fail(b.n, l.Ref, "ref", FieldNotAllow, "names a listing outside your region")
				continue
			}
			if old.Kind != l.Kind {
				im.fail(b.n, l.Ref, "kind", FieldNotAllow, fmt.Sprintf("ref %q is a %s listing already", l.Ref, old.Kind))
				continue
			}
			l.ID, l.CreatedAt, l.UpdatedAt, l.PublishedAt = old.ID, old.CreatedAt, old.UpdatedAt, old.PublishedAt
			if sameRecord(old, l) {
				counts.Unchanged++
				continue
			}
			l.UpdatedAt = now
			counts.Updated++
		} else {
			l.ID, l.CreatedAt, l.UpdatedAt = NewID(), now, now
			counts.Created++
		}
		if l.Status == StatusPublished && l.PublishedAt == nil {
			l.PublishedAt = &now
		}
		listings = append(listings, l)
	}
	im.batch = im.batch[:0]
	if len(orgs)+len(listings) > 0 {
		if err := s.Store.SaveBatch(ctx, orgs, listings); err != nil {
			return err
		}
	}
	im.run.Counts.Created += counts.Created
	im.run.Counts.Updated += counts.Updated
	im.run.Counts.Unchanged += counts.Unchanged
	if im.progress != nil {
		im.progress(im.lastLine, im.run.Counts)
	}
	if s.Index != nil {
		for _, o := range orgs {
			s.indexOrg(ctx, o)
		}
		s.indexListings(ctx, listings...)
	}
	return nil
}

// sameRecord reports whether two versions of a record hold the same data.
// The derived keys and the sequence number are not compared: the keys follow
// from the fields, and the store assigns the sequence.
func sameRecord(old, new any) bool {
	a, err1 := json.Marshal(old)
	b, err2 := json.Marshal(new)
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

// jsonErrorField names the field a JSON decoding error is about, if it says.
func jsonErrorField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("must be of type %s, not %s", jsonTypeName(te.Type.Kind().String()), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, se.Error())
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonTypeName(k string) string {
	switch k {
	case "int", "int64", "float64", "uint", "int32":
		return "number"
	case "slice":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return k
}
