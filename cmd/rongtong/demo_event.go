package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rongtong/rongtong/app"
)

// demoEventRefs are the organisations registered for the demo event: the
// demo accounts' own SME, lead enterprise and investor, and more SMEs,
// enterprises and investors of the demo data set (those that exist).
func demoEventRefs() []string {
	refs := []string{"demo-sme-0001", "demo-ent-001", "demo-vc-001"}
	for i := 2; i <= 16; i++ {
		refs = append(refs, fmt.Sprintf("demo-sme-%04d", i))
	}
	for i := 2; i <= 4; i++ {
		refs = append(refs, fmt.Sprintf("demo-ent-%03d", i), fmt.Sprintf("demo-vc-%03d", i))
	}
	return refs
}

// seedDemoEvent adds the demo matchmaking event (洽谈会) of the demo
// organizer, a month from now: its participants approved, meeting requests
// between them accepted, and a published schedule, so that every page of
// the event flow shows something.
func seedDemoEvent(ctx context.Context, svc *app.Service, now time.Time, stdout io.Writer) error {
	organizer, err := svc.Store.FindOrgByRef(ctx, "demo-org-001")
	if err != nil {
		return err
	}
	sys := app.SystemActor()
	e, err := svc.CreateEvent(ctx, sys, demoEvent(organizer.ID, now))
	if err != nil {
		return err
	}
	if e, err = svc.SetEventStatus(ctx, sys, e.ID, app.EventOpen); err != nil {
		return err
	}
	orgs, err := svc.Store.FindOrgsByRef(ctx, demoEventRefs())
	if err != nil {
		return err
	}
	var smes, others []*app.Participant
	for _, ref := range demoEventRefs() {
		o := orgs[ref]
		if o == nil {
			continue
		}
		p, err := svc.RegisterParticipant(ctx, sys, e.ID, o.ID)
		if err != nil {
			return fmt.Errorf("register %s: %w", ref, err)
		}
		if o.Type == app.OrgSME {
			smes = append(smes, p)
		} else {
			others = append(others, p)
		}
	}
	// Each SME asks two of the enterprises and investors; every other
	// request is accepted, the rest wait for an answer.
	n := 0
	for i, s := range smes {
		for k := 0; k < 2 && len(others) > 0; k++ {
			to := others[(i+k)%len(others)]
			r, err := svc.SendRequest(ctx, sys, e.ID, app.RequestInput{FromID: s.ID, ToID: to.ID, Message: "希望就配套合作进一步洽谈。"})
			if err != nil {
				return fmt.Errorf("demo request: %w", err)
			}
			if n++; n%2 == 1 {
				if _, err := svc.AnswerRequest(ctx, sys, e.ID, r.ID, app.RequestAccepted); err != nil {
					return err
				}
			}
		}
	}
	keep := true
	if _, err := svc.RunSchedule(ctx, sys, e.ID, app.RunInput{Seed: 1, BudgetMS: 2000, KeepPublished: &keep}); err != nil {
		return err
	}
	sc, err := svc.PublishSchedule(ctx, sys, e.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "event   %s: %d participants, %d meetings published\n", e.Title, len(smes)+len(others), len(sc.Published))
	return nil
}

// demoEvent is a one-day event in 宁波 a month after now: a morning and an
// afternoon session of 20-minute slots with ten tables (six after lunch).
func demoEvent(orgID string, now time.Time) *app.Event {
	day := now.In(app.EventZone).AddDate(0, 1, 0)
	date := day.Format(time.DateOnly)
	at := func(h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, app.EventZone)
	}
	e := &app.Event{
		OrgID: orgID, Title: "宁波汽车零部件产业链供需对接洽谈会", Venue: "宁波国际会议中心 3 号厅",
		Description:        "龙头企业、投资机构与专精特新中小企业一对一洽谈。",
		Days:               []string{date},
		Sessions:           []app.Session{{ID: "am", Name: "上午场", Day: date}, {ID: "pm", Name: "下午场", Day: date}},
		MeetingMinutes:     20,
		RegistrationOpens:  now.Add(-24 * time.Hour),
		RegistrationCloses: at(0, 0).AddDate(0, 0, -3),
		ParticipantTypes:   []app.OrgType{app.OrgSME, app.OrgEnterprise, app.OrgInvestor},
		Pairs:              []app.TypePair{{A: app.OrgEnterprise, B: app.OrgSME}, {A: app.OrgInvestor, B: app.OrgSME}},
		MaxRequests:        10, MaxMeetings: 8,
	}
	for i := 0; i < 6; i++ {
		e.Slots = append(e.Slots, app.EventSlot{ID: fmt.Sprintf("am%d", i+1), Session: "am", Start: at(9, 20*i), End: at(9, 20*i+20), Tables: 10})
		e.Slots = append(e.Slots, app.EventSlot{ID: fmt.Sprintf("pm%d", i+1), Session: "pm", Start: at(14, 20*i), End: at(14, 20*i+20), Tables: 6})
	}
	return e
}
