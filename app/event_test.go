package app

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func validEvent() *Event {
	day := time.Date(2027, 3, 2, 0, 0, 0, 0, EventZone)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	return &Event{
		Title: "洽谈会", Venue: "宁波", Days: []string{"2027-03-02"},
		Sessions: []Session{{ID: "am", Name: "上午场", Day: "2027-03-02"}},
		Slots: []EventSlot{
			{ID: "s1", Session: "am", Start: at(9, 0), End: at(9, 20), Tables: 3},
			{ID: "s2", Session: "am", Start: at(9, 20), End: at(9, 40), Tables: 1},
		},
		MeetingMinutes: 20, RegistrationOpens: day.AddDate(0, 0, -30), RegistrationCloses: day.AddDate(0, 0, -1),
		ParticipantTypes: []OrgType{OrgSME, OrgEnterprise},
		Pairs:            []TypePair{{A: OrgEnterprise, B: OrgSME}},
	}
}

func TestEventValidate(t *testing.T) {
	if err := validEvent().Validate(); err != nil {
		t.Fatalf("valid event: %v", err)
	}
	cases := []struct {
		name  string
		edit  func(e *Event)
		field string
	}{
		{"no title", func(e *Event) { e.Title = "" }, "title"},
		{"no venue nor link", func(e *Event) { e.Venue = "" }, "venue"},
		{"link without host", func(e *Event) { e.OnlineURL = "https://" }, "onlineUrl"},
		{"no tables", func(e *Event) { e.Slots[1].Tables = 0 }, "slots[1].tables"},
		{"overlap", func(e *Event) { e.Slots[1].Start = e.Slots[0].Start.Add(10 * time.Minute) }, "slots[1].start"},
		{"slot on another day", func(e *Event) {
			e.Slots[1].Start, e.Slots[1].End = e.Slots[1].Start.AddDate(0, 0, 1), e.Slots[1].End.AddDate(0, 0, 1)
		}, "slots[1].start"},
		{"slot across midnight", func(e *Event) {
			e.Slots[1].Start = time.Date(2027, 3, 2, 23, 50, 0, 0, EventZone)
			e.Slots[1].End = e.Slots[1].Start.Add(20 * time.Minute)
		}, "slots[1].start"},
		{"slot shorter than a meeting", func(e *Event) { e.Slots[0].End = e.Slots[0].Start.Add(10 * time.Minute) }, "slots[0].end"},
		{"unknown session", func(e *Event) { e.Slots[0].Session = "pm" }, "slots[0].session"},
		{"duplicate slot id", func(e *Event) { e.Slots[1].ID = "s1" }, "slots[1].id"},
		{"session on no day", func(e *Event) { e.Sessions[0].Day = "2027-03-03" }, "sessions[0].day"},
		{"bad day", func(e *Event) { e.Days = []string{"3/2/2027"} }, "days[0]"},
		{"registration after the event", func(e *Event) { e.RegistrationCloses = e.Slots[1].End }, "registrationCloses"},
		{"requests close after the start", func(e *Event) { x := e.Slots[1].End; e.RequestsClose = &x }, "requestsClose"},
		{"pair outside the types", func(e *Event) { e.Pairs = []TypePair{{A: OrgInvestor, B: OrgSME}} }, "pairs[0].a"},
		{"no types", func(e *Event) { e.ParticipantTypes = nil }, "participantTypes"},
		{"negative cap", func(e *Event) { e.MaxRequests = -1 }, "maxRequests"},
		{"meeting too short", func(e *Event) { e.MeetingMinutes = 1 }, "meetingMinutes"},
		{"overlap named in input order", func(e *Event) {
			e.Slots[0], e.Slots[1] = e.Slots[1], e.Slots[0]
			e.Slots[0].Start = e.Slots[1].Start.Add(10 * time.Minute)
			e.Slots[0].End = e.Slots[0].Start.Add(20 * time.Minute)
		}, "slots[0].start"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := validEvent()
			tc.edit(e)
			e.Normalize()
			err := e.Validate()
			ae, ok := err.(*Error)
			if !ok || ae.Code != EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			if !slices.ContainsFunc(ae.Fields, func(f FieldError) bool { return f.Field == tc.field }) {
				t.Errorf("fields %+v do not name %s", ae.Fields, tc.field)
			}
		})
	}
}

func TestMayMeet(t *testing.T) {
	e := validEvent()
	if !e.MayMeet(OrgSME, OrgEnterprise) || !e.MayMeet(OrgEnterprise, OrgSME) || e.MayMeet(OrgSME, OrgSME) {
		t.Error("pairs enterprise↔sme misread")
	}
	e.Pairs = nil
	if !e.MayMeet(OrgSME, OrgSME) {
		t.Error("without pairs anyone meets anyone")
	}
}

func TestFoldLine(t *testing.T) {
	for _, line := range []string{
		"SUMMARY:" + strings.Repeat("洽谈", 40),
		"DESCRIPTION:" + strings.Repeat("a", 200),
		"UID:short@rongtong",
		"SUMMARY:" + strings.Repeat("x", 66) + "汉汉汉",
	} {
		folded := foldLine(line)
		if !strings.HasSuffix(folded, "\r\n") {
			t.Fatalf("no CRLF: %q", folded)
		}
		parts := strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n")
		var b strings.Builder
		for i, p := range parts {
			if len(p) > 75 {
				t.Errorf("line of %d octets", len(p))
			}
			if !utf8.ValidString(p) {
				t.Errorf("a character was split: %q", p)
			}
			if i > 0 {
				if !strings.HasPrefix(p, " ") {
					t.Fatalf("continuation without a space: %q", p)
				}
				p = p[1:]
			}
			b.WriteString(p)
		}
		if b.String() != line {
			t.Errorf("unfolded %q, want %q", b.String(), line)
		}
	}
}

func TestICalText(t *testing.T) {
	got := icalText("a,b;c\\d\ne")
	if want := `a\,b\;c\\d\ne`; got != want {
		t.Errorf("icalText = %q, want %q", got, want)
	}
}

func TestMergePublished(t *testing.T) {
	now := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	old := []Meeting{
		{ID: "m1", A: "p1", B: "p2", Slot: "s1", Table: 1, Status: MeetingScheduled, Sequence: 0, Outcome: OutcomeHeld},
		{ID: "m2", A: "p1", B: "p3", Slot: "s2", Table: 1, Status: MeetingScheduled, Sequence: 1},
		{ID: "m3", A: "p2", B: "p3", Slot: "s2", Table: 2, Status: MeetingScheduled, Sequence: 0},
		{ID: "m4", A: "p4", B: "p3", Slot: "s3", Table: 2, Status: MeetingCancelled, Sequence: 3},
	}
	draft := []Meeting{
		{ID: "m1", A: "p1", B: "p2", Slot: "s1", Table: 1},
		{ID: "m2", A: "p1", B: "p3", Slot: "s3", Table: 1},
		{ID: "m5", A: "p2", B: "p4", Slot: "s3", Table: 2},
	}
	got := map[string]Meeting{}
	for _, m := range mergePublished(old, draft, now) {
		if _, dup := got[m.ID]; dup {
			t.Fatalf("meeting %s twice", m.ID)
		}
		got[m.ID] = m
	}
	want := map[string]struct {
		seq    int
		status MeetingStatus
	}{
		"m1": {0, MeetingScheduled}, // unchanged
		"m2": {2, MeetingScheduled}, // moved
		"m3": {1, MeetingCancelled}, // dropped
		"m4": {3, MeetingCancelled}, // stays cancelled
		"m5": {0, MeetingScheduled}, // new
	}
	for id, w := range want {
		if m := got[id]; m.Sequence != w.seq || m.Status != w.status {
			t.Errorf("%s: sequence %d status %s, want %d %s", id, m.Sequence, m.Status, w.seq, w.status)
		}
	}
	if got["m1"].Outcome != OutcomeHeld {
		t.Error("the outcome of a kept meeting was lost")
	}
}

func TestPairRequests(t *testing.T) {
	approved := map[string]*Participant{"a": {}, "b": {}, "c": {}, "d": {}}
	rs := []*MeetingRequest{
		{ID: "r1", FromID: "a", ToID: "b", Status: RequestAccepted},
		{ID: "r2", FromID: "b", ToID: "a", Status: RequestAccepted, Score: 50}, // mutual
		{ID: "r3", FromID: "a", ToID: "c", Status: RequestAccepted, Priority: 2},
		{ID: "r4", FromID: "c", ToID: "d", Status: RequestAccepted, Recommended: true, Score: 80},
		{ID: "r5", FromID: "b", ToID: "d", Status: RequestPending},
		{ID: "r6", FromID: "a", ToID: "x", Status: RequestAccepted}, // x is not approved
	}
	got := pairRequests(rs, approved)
	want := map[string]float64{
		"r1": requestWeight + mutualBonus + 0.5,
		"r3": requestWeight + 2*priorityStep,
		"r4": recommendWeight + 0.8,
	}
	if len(got) != len(want) {
		t.Fatalf("pairs %+v, want %d", got, len(want))
	}
	for _, p := range got {
		if w, ok := want[p.id]; !ok || p.weight != w {
			t.Errorf("%s weight %v, want %v", p.id, p.weight, w)
		}
	}
	if !(want["r1"] > want["r3"] && want["r3"] > want["r4"]) {
		t.Error("a mutual request should weigh most, a recommendation least")
	}
}
