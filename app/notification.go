package app

import (
	"context"
	"strings"
	"time"
)

// NotificationKind says what an inbox entry is about.
type NotificationKind string

// Notification kinds.
const (
	NotifyPairing  NotificationKind = "pairing"  // a pairing moved on
	NotifyDigest   NotificationKind = "digest"   // the weekly digest of new matches
	NotifyFollowUp NotificationKind = "followup" // how did the agreement go?
)

// Notification is one entry of a user's in-app inbox (消息). Its texts are
// kept in both languages the UI speaks.
type Notification struct {
	ID        string           `json:"id" bson:"_id"`
	UserID    string           `json:"userId" bson:"userId"`
	Kind      NotificationKind `json:"kind" bson:"kind"`
	PairingID string           `json:"pairingId,omitempty" bson:"pairingId,omitempty"`
	Status    PairingStatus    `json:"status,omitempty" bson:"status,omitempty"`
	Title     string           `json:"title" bson:"title"`
	Body      string           `json:"body" bson:"body"`
	TitleEn   string           `json:"titleEn" bson:"titleEn"`
	BodyEn    string           `json:"bodyEn" bson:"bodyEn"`
	CreatedAt time.Time        `json:"createdAt" bson:"createdAt"`
	ReadAt    *time.Time       `json:"readAt,omitempty" bson:"readAt,omitempty"`
}

// Mail is one e-mail message.
type Mail struct {
	To      []string
	Subject string
	Body    string
}

// Mailer sends e-mail. Send must not wait for the mail server: an
// implementation queues the message and reports delivery failures in its
// own log, so that no use case is slowed or failed by e-mail.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// message is the text of a notification in both languages.
type message struct {
	title, body, titleEn, bodyEn string
}

// notifyOrg puts a message into the inbox of every member of an
// organisation and e-mails those with an address. Failures are logged: a
// notification never fails the change it reports.
func (s *Service) notifyOrg(ctx context.Context, orgID string, kind NotificationKind, p *Pairing, msg message) int {
	members, err := s.Store.ListUsers(ctx, UserFilter{OrgID: orgID}, Page{Limit: MaxPageLimit})
	if err != nil {
		s.Log.ErrorContext(ctx, "notify: list members", "org", orgID, "err", err)
		return 0
	}
	now := s.now()
	var ns []*Notification
	var to []string
	for _, u := range members {
		if u.Disabled {
			continue
		}
		n := &Notification{ID: NewID(), UserID: u.ID, Kind: kind, Title: msg.title, Body: msg.body,
			TitleEn: msg.titleEn, BodyEn: msg.bodyEn, CreatedAt: now}
		if p != nil {
			n.PairingID, n.Status = p.ID, p.Status
		}
		ns = append(ns, n)
		if u.Email != "" {
			to = append(to, u.Email)
		}
	}
	if len(ns) == 0 {
		return 0
	}
	if err := s.Store.CreateNotifications(ctx, ns); err != nil {
		s.Log.ErrorContext(ctx, "notify: store", "org", orgID, "err", err)
		return 0
	}
	s.mail(ctx, to, msg)
	return len(ns)
}

// mail hands a message to the mailer, if one is configured.
func (s *Service) mail(ctx context.Context, to []string, msg message) {
	if s.Mailer == nil || len(to) == 0 {
		return
	}
	m := Mail{To: to, Subject: "【融通】" + msg.title + " / " + msg.titleEn,
		Body: msg.body + "\n\n---\n\n" + msg.bodyEn + "\n"}
	if err := s.Mailer.Send(ctx, m); err != nil {
		s.Log.ErrorContext(ctx, "mail", "to", len(to), "err", err)
	}
}

// Inbox returns the actor's notifications newest first; only the unread
// ones with unread.
func (s *Service) Inbox(ctx context.Context, a *Actor, unread bool, p Page) ([]*Notification, error) {
	if a == nil || a.UserID == "" {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	return s.Store.ListNotifications(ctx, a.UserID, unread, clampPage(p))
}

// UnreadCount counts the actor's unread notifications.
func (s *Service) UnreadCount(ctx context.Context, a *Actor) (int, error) {
	if a == nil || a.UserID == "" {
		return 0, Errorf(EUNAUTHORIZED, "log in first")
	}
	return s.Store.CountUnread(ctx, a.UserID)
}

// MarkRead marks the actor's notifications with these IDs read (all of
// them when ids is empty) and returns how many changed. IDs of other users'
// notifications change nothing.
func (s *Service) MarkRead(ctx context.Context, a *Actor, ids []string) (int, error) {
	if a == nil || a.UserID == "" {
		return 0, Errorf(EUNAUTHORIZED, "log in first")
	}
	var f Fields
	if len(ids) > MaxPageLimit {
		f.Add("ids", FieldTooLong, "must have at most %d items", MaxPageLimit)
	}
	for i, id := range ids {
		if !ValidID(id) {
			f.Add(itemField("ids", i), FieldFormat, "is not a notification ID")
		}
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	return s.Store.MarkRead(ctx, a.UserID, ids, s.now())
}

// statusNames are the pairing statuses as users read them.
var statusNames = map[PairingStatus][2]string{
	PairingProposed:    {"已推荐", "proposed"},
	PairingInterested:  {"有意向", "interested"},
	PairingAccepted:    {"已接受", "accepted"},
	PairingDeclined:    {"已婉拒", "declined"},
	PairingMeeting:     {"洽谈中", "meeting"},
	PairingNegotiating: {"商谈条款", "negotiating"},
	PairingAgreed:      {"已签约", "agreed"},
	PairingClosed:      {"已关闭", "closed"},
	PairingExpired:     {"已过期", "expired"},
	PairingWithdrawn:   {"已撤回", "withdrawn"},
}

// transitionMessage describes a pairing's move to the other side.
func transitionMessage(p *Pairing, ev PairingEvent, from *PairingParty) message {
	st := statusNames[ev.To]
	m := message{
		title:   "对接" + st[0] + "：" + p.A.Record.Title,
		titleEn: "Pairing " + st[1] + ": " + p.A.Record.Title,
		body:    from.Name + " 将对接「" + p.A.Record.Title + " ↔ " + p.B.Record.Title + "」更新为：" + st[0] + "。",
		bodyEn:  from.Name + " moved the pairing \"" + p.A.Record.Title + " ↔ " + p.B.Record.Title + "\" to " + st[1] + ".",
	}
	if ev.By == "" {
		m.body = "对接「" + p.A.Record.Title + " ↔ " + p.B.Record.Title + "」" + st[0] + "。"
		m.bodyEn = "The pairing \"" + p.A.Record.Title + " ↔ " + p.B.Record.Title + "\" is " + st[1] + "."
	}
	if msg := strings.TrimSpace(ev.Message); msg != "" {
		m.body += "\n留言：" + msg
		m.bodyEn += "\nMessage: " + msg
	}
	return m
}
