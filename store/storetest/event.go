package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching/schedule"
)

// newEvent returns an open event of org with two slots.
func newEvent(orgID string) *app.Event {
	day := time.Date(2027, 3, 2, 0, 0, 0, 0, app.EventZone)
	at := func(h, m int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UTC()
	}
	return &app.Event{
		ID: app.NewID(), OrgID: orgID, Title: "宁波汽车零部件洽谈会", Venue: "宁波国际会议中心",
		Days:     []string{"2027-03-02"},
		Sessions: []app.Session{{ID: "d1am", Name: "上午场", Day: "2027-03-02"}},
		Slots: []app.EventSlot{
			{ID: "s1", Session: "d1am", Start: at(9, 0), End: at(9, 20), Tables: 20},
			{ID: "s2", Session: "d1am", Start: at(9, 20), End: at(9, 40), Tables: 10},
		},
		MeetingMinutes: 20, RegistrationOpens: t0, RegistrationCloses: t0.Add(24 * time.Hour),
		ParticipantTypes: []app.OrgType{app.OrgSME, app.OrgEnterprise},
		Pairs:            []app.TypePair{{A: app.OrgEnterprise, B: app.OrgSME}},
		MaxMeetings:      8, Status: app.EventOpen, CreatedAt: t0, UpdatedAt: t0,
	}
}

// sameJSON fails unless got and want encode to the same JSON.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s:\ngot  %s\nwant %s", what, g, w)
	}
}

func testEvents(t *testing.T, s app.Store) {
	ctx := t.Context()
	org := MustCreateOrg(t, s, newOrg("组织方", "330212", ""))
	e := newEvent(org.ID)
	if err := s.CreateEvent(ctx, e); err != nil {
		t.Fatalf("CreateEvent: %v", err)
	}
	WantError(t, s.CreateEvent(ctx, e), app.ECONFLICT, "id")
	got, err := s.FindEvent(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindEvent", got, e)
	e.Status, e.Title = app.EventClosed, "宁波汽车零部件洽谈会（第二期）"
	if err := s.UpdateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, err = s.FindEvent(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "after UpdateEvent", got, e)
	other := newEvent(app.NewID())
	if err := s.CreateEvent(ctx, other); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    app.EventFilter
		want int
	}{
		{app.EventFilter{}, 2},
		{app.EventFilter{OrgID: org.ID}, 1},
		{app.EventFilter{Statuses: []app.EventStatus{app.EventOpen}}, 1},
		{app.EventFilter{Statuses: []app.EventStatus{app.EventDraft}}, 0},
	} {
		es, err := s.ListEvents(ctx, tc.f, app.Page{})
		if err != nil || len(es) != tc.want {
			t.Errorf("ListEvents(%+v) = %d events, %v; want %d", tc.f, len(es), err, tc.want)
		}
	}
	_, err = s.FindEvent(ctx, app.NewID())
	WantError(t, err, app.ENOTFOUND, "")
	_, err = s.FindEvent(ctx, "not-an-id")
	WantError(t, err, app.ENOTFOUND, "")
	WantError(t, s.UpdateEvent(ctx, newEvent(org.ID)), app.ENOTFOUND, "")
}

func testParticipantsAndRequests(t *testing.T, s app.Store) {
	ctx := t.Context()
	e := newEvent(app.NewID())
	if err := s.CreateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	var ps []*app.Participant
	for i, name := range []string{"甲", "乙", "丙"} {
		o := MustCreateOrg(t, s, newOrg(name, "330206", ""))
		p := &app.Participant{ID: app.NewID(), EventID: e.ID, OrgID: o.ID, Org: o.Summary(), Status: app.ParticipantPending,
			FeedToken: "tok" + name, CreatedAt: t0, UpdatedAt: t0}
		if i == 0 {
			p.Status = app.ParticipantApproved
		}
		if err := s.CreateParticipant(ctx, p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	dup := *ps[0]
	dup.ID = app.NewID()
	WantError(t, s.CreateParticipant(ctx, &dup), app.ECONFLICT, "orgId")
	at := t0.Add(time.Hour)
	ps[1].Status, ps[1].Unavailable, ps[1].CheckedInAt = app.ParticipantApproved, []string{"s2"}, &at
	if err := s.UpdateParticipant(ctx, ps[1]); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindParticipant(ctx, ps[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindParticipant", got, ps[1])
	approved, err := s.ListParticipants(ctx, app.ParticipantFilter{EventID: e.ID, Statuses: []app.ParticipantStatus{app.ParticipantApproved}}, app.Page{})
	if err != nil || len(approved) != 2 {
		t.Errorf("approved participants: %d, %v; want 2", len(approved), err)
	}
	one, err := s.ListParticipants(ctx, app.ParticipantFilter{EventID: e.ID, OrgID: ps[2].OrgID}, app.Page{})
	if err != nil || len(one) != 1 || one[0].ID != ps[2].ID {
		t.Errorf("participant of an organisation: %v, %v", one, err)
	}
	page, err := s.ListParticipants(ctx, app.ParticipantFilter{EventID: e.ID}, app.Page{Limit: 2, After: ps[0].ID})
	if err != nil || len(page) != 2 || page[0].ID != ps[1].ID {
		t.Errorf("second page: %v, %v", page, err)
	}

	r := &app.MeetingRequest{ID: app.NewID(), EventID: e.ID, FromID: ps[0].ID, ToID: ps[1].ID, Message: "希望洽谈", Status: app.RequestPending, CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateMeetingRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	again := *r
	again.ID = app.NewID()
	WantError(t, s.CreateMeetingRequest(ctx, &again), app.ECONFLICT, "toId")
	back := &app.MeetingRequest{ID: app.NewID(), EventID: e.ID, FromID: ps[1].ID, ToID: ps[0].ID, Status: app.RequestPending, CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateMeetingRequest(ctx, back); err != nil {
		t.Fatalf("the reverse request: %v", err)
	}
	r.Status, r.Priority = app.RequestAccepted, 2
	if err := s.UpdateMeetingRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	gotR, err := s.FindMeetingRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindMeetingRequest", gotR, r)
	for _, tc := range []struct {
		f    app.RequestFilter
		want int
	}{
		{app.RequestFilter{EventID: e.ID}, 2},
		{app.RequestFilter{EventID: e.ID, ParticipantID: ps[1].ID}, 2},
		{app.RequestFilter{EventID: e.ID, ParticipantID: ps[2].ID}, 0},
		{app.RequestFilter{EventID: e.ID, Statuses: []app.RequestStatus{app.RequestAccepted}}, 1},
	} {
		rs, err := s.ListMeetingRequests(ctx, tc.f, app.Page{})
		if err != nil || len(rs) != tc.want {
			t.Errorf("ListMeetingRequests(%+v) = %d, %v; want %d", tc.f, len(rs), err, tc.want)
		}
	}
	_, err = s.FindMeetingRequest(ctx, app.NewID())
	WantError(t, err, app.ENOTFOUND, "")
}

func testSchedules(t *testing.T, s app.Store) {
	ctx := t.Context()
	id := app.NewID()
	_, err := s.FindSchedule(ctx, id)
	WantError(t, err, app.ENOTFOUND, "")
	sc := &app.Schedule{EventID: id, Draft: &app.Plan{
		Problem: schedule.Problem{Slots: []schedule.Slot{{ID: "s1", Start: t0, End: t0.Add(20 * time.Minute), Session: "d1am", Tables: 2}},
			Participants: []schedule.Participant{{ID: "p1", MaxMeetings: 3}, {ID: "p2", Unavailable: []string{"s1"}}},
			Requests:     []schedule.Request{{ID: "r1", A: "p1", B: "p2", Weight: 2.5}}},
		Unscheduled: []app.UnscheduledRequest{{Request: "r1", A: "p1", B: "p2", Reason: schedule.ReasonNoCommonSlot}},
		Stats:       schedule.Stats{UpperBound: 0}, Seed: 3, RunAt: t0,
	}}
	if err := s.SaveSchedule(ctx, sc); err != nil {
		t.Fatal(err)
	}
	if sc.Version != 1 {
		t.Errorf("version after the first save %d, want 1", sc.Version)
	}
	stale := *sc
	stale.Version = 0
	WantError(t, s.SaveSchedule(ctx, &stale), app.ECONFLICT, "")
	sc.Published = []app.Meeting{{ID: app.NewID(), Request: "r1", A: "p1", B: "p2", Slot: "s1", Table: 1, Status: app.MeetingScheduled, Sequence: 2,
		Ratings: []app.Rating{{ParticipantID: "p1", Stars: 5, Comment: "好", FollowUp: true, At: t0}}, Updated: t0}}
	pub := t0.Add(time.Hour)
	sc.PublishedAt = &pub
	if err := s.SaveSchedule(ctx, sc); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindSchedule(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "FindSchedule", got, sc)

	// Of two saves of the same version, exactly one succeeds.
	base, err := s.FindSchedule(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			c := *base
			errs[i] = s.SaveSchedule(ctx, &c)
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch app.ErrorCode(err) {
		case "":
			ok++
		case app.ECONFLICT:
		default:
			t.Errorf("concurrent save: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of 4 concurrent saves of one version succeeded, want 1", ok)
	}
}
