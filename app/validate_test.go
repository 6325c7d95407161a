package app

import (
	"strings"
	"testing"
)

func TestValidUSCC(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"913304024877934U6H", true},
		{"91330902874095RC42", true},
		{"913304024877934U6J", false}, // wrong check character
		{"913304024877934U6", false},  // 17 characters
		{"91330402487793IU6H", false}, // I is outside the alphabet
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidUSCC(tt.code); got != tt.want {
			t.Errorf("ValidUSCC(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
	if got := NormalizeUSCC(" ９１３３０４０２４８７７９３４ｕ６ｈ "); got != "913304024877934U6H" {
		t.Errorf("NormalizeUSCC folded to %q", got)
	}
	if c := USCCCheckChar("913304024877934U6"); c != 'H' {
		t.Errorf("USCCCheckChar = %q, want H", c)
	}
}

func validOrg() *Org {
	return &Org{Name: "宁波测试压铸有限公司", USCC: "913304024877934U6H", Type: OrgSME, Region: "330206", Industry: "3392",
		Tier: TierSpecialized, Founded: 2010, Employees: 120, RevenueWan: 8000, RDRatio: 0.04, Certifications: []string{"ISO9001"}}
}

func fieldsOf(err error) []string {
	e, ok := err.(*Error)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestOrgValidate(t *testing.T) {
	tests := []struct {
		name      string
		change    func(o *Org)
		wantField string // "" for valid
	}{
		{"valid", func(o *Org) {}, ""},
		{"no name", func(o *Org) { o.Name = "  " }, "name"},
		{"name too long in runes", func(o *Org) { o.Name = strings.Repeat("企", MaxNameRunes+1) }, "name"},
		{"name at the limit", func(o *Org) { o.Name = strings.Repeat("企", MaxNameRunes) }, ""},
		{"bad uscc", func(o *Org) { o.USCC = "913304024877934U6J" }, "uscc"},
		{"sme needs uscc", func(o *Org) { o.USCC = "" }, "uscc"},
		{"investor without uscc", func(o *Org) { o.USCC, o.Type, o.Tier = "", OrgInvestor, "" }, ""},
		{"unknown type", func(o *Org) { o.Type = "bank" }, "orgType"},
		{"unknown region", func(o *Org) { o.Region = "339999" }, "region"},
		{"unknown industry", func(o *Org) { o.Industry = "9999" }, "industry"},
		{"section industry", func(o *Org) { o.Industry = "C" }, ""},
		{"bad tier", func(o *Org) { o.Tier = "giant" }, "tier"},
		{"negative employees", func(o *Org) { o.Employees = -1 }, "employees"},
		{"negative revenue", func(o *Org) { o.RevenueWan = -5 }, "revenueWan"},
		{"rd ratio over 1", func(o *Org) { o.RDRatio = 1.5 }, "rdRatio"},
		{"control character", func(o *Org) { o.Description = "a\x00b" }, "description"},
		{"empty certification", func(o *Org) { o.Certifications = []string{""} }, "certifications[0]"},
		{"bad contact email", func(o *Org) { o.Contact = &Contact{Email: "nope"} }, "contact.email"},
		{"bad contact phone", func(o *Org) { o.Contact = &Contact{Phone: "12345"} }, "contact.phone"},
		{"landline contact", func(o *Org) { o.Contact = &Contact{Phone: "0574-86881234"} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOrg()
			tt.change(o)
			o.Normalize()
			err := o.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			if got := fieldsOf(err); len(got) == 0 || got[0] != tt.wantField {
				t.Fatalf("got fields %v (%v), want %q first", got, err, tt.wantField)
			}
		})
	}
}

func TestListingValidate(t *testing.T) {
	capability := func() *Listing {
		return &Listing{Kind: KindCapability, Title: "铝合金压铸件加工", Processes: []string{"压铸"}, Industries: []string{"3392"},
			Capacity: &Amount{Value: 200, Unit: "万件", Per: "year"}, Certifications: []string{"ＩＡＴＦ 16949"}}
	}
	tests := []struct {
		name      string
		make      func() *Listing
		wantField string
	}{
		{"valid capability", capability, ""},
		{"unknown kind", func() *Listing { l := capability(); l.Kind = "offer"; return l }, "kind"},
		{"field of another kind", func() *Listing { l := capability(); l.AmountWan = 100; return l }, "amountWan"},
		{"title too long", func() *Listing { l := capability(); l.Title = strings.Repeat("铸", MaxTitleRunes+1); return l }, "title"},
		{"bad industry in list", func() *Listing { l := capability(); l.Industries = []string{"3392", "77777"}; return l }, "industries[1]"},
		{"negative capacity", func() *Listing { l := capability(); l.Capacity.Value = -1; return l }, "capacity.value"},
		{"bad period", func() *Listing { l := capability(); l.Capacity.Per = "week"; return l }, "capacity.per"},
		{"need deadline", func() *Listing {
			return &Listing{Kind: KindNeed, Title: "采购", Industry: "3670", Deadline: "2027-02-30"}
		}, "deadline"},
		{"trl range", func() *Listing { return &Listing{Kind: KindTech, Title: "成果", TRL: 10} }, "trl"},
		{"ticket order", func() *Listing {
			return &Listing{Kind: KindInvestor, Title: "偏好", TicketMinWan: 500, TicketMaxWan: 100}
		}, "ticketMaxWan"},
		{"financing needs amount", func() *Listing { return &Listing{Kind: KindFinancing, Title: "融资", Stage: "A"} }, "amountWan"},
		{"bad stage", func() *Listing { return &Listing{Kind: KindFinancing, Title: "融资", AmountWan: 10, Stage: "D"} }, "stage"},
		{"hard field of another kind", func() *Listing { l := capability(); l.Hard = []string{"ticketMinWan"}; return l }, "hard[0]"},
		{"awarded capability", func() *Listing { l := capability(); l.Status = StatusAwarded; return l }, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.make()
			l.Normalize()
			err := l.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				if l.Certifications[0] != "IATF16949" {
					t.Errorf("certification normalised to %q", l.Certifications[0])
				}
				return
			}
			found := false
			for _, f := range fieldsOf(err) {
				found = found || f == tt.wantField
			}
			if !found {
				t.Fatalf("got fields %v (%v), want %q among them", fieldsOf(err), err, tt.wantField)
			}
		})
	}
}

func TestStatusTransitions(t *testing.T) {
	l := &Listing{Kind: KindCapability, Status: StatusDraft}
	if err := checkTransition(l, StatusAwarded); ErrorCode(err) != ECONFLICT {
		t.Fatalf("draft → awarded: got %v, want ECONFLICT", err)
	} else if e := err.(*Error); strings.Join(e.Allowed, ",") != "published,closed" {
		t.Errorf("allowed %v, want published, closed", e.Allowed)
	}
	n := &Listing{Kind: KindNeed, Status: StatusPublished}
	if err := checkTransition(n, StatusAwarded); err != nil {
		t.Errorf("published need → awarded: %v", err)
	}
	c := &Listing{Kind: KindCapability, Status: StatusPublished}
	if err := checkTransition(c, StatusAwarded); err == nil {
		t.Errorf("published capability → awarded allowed")
	}
}

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse 9")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "correct horse 9") || CheckPassword(h, "correct horse 8") {
		t.Fatal("CheckPassword does not tell right from wrong")
	}
	for _, pw := range []string{"short1", "lettersonly", "1234567890", strings.Repeat("a1", 65)} {
		if ValidatePassword("password", pw) == nil {
			t.Errorf("ValidatePassword(%q) accepted", pw)
		}
	}
}

func TestNewIDOrdered(t *testing.T) {
	prev := NewID()
	for i := 0; i < 1000; i++ {
		id := NewID()
		if id <= prev || !ValidID(id) {
			t.Fatalf("NewID %q after %q: not increasing or not valid", id, prev)
		}
		prev = id
	}
}
