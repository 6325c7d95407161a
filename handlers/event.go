package handlers

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"mime"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
)

// eventRoutes are matchmaking events (洽谈会): the events, registration,
// meeting requests, the scheduler, agendas and the day itself.
type eventRoutes struct{ s *server }

// Register adds the routes.
func (h *eventRoutes) Register(r fiber.Router) {
	auth := h.s.requireAuth
	r.Post("/events", auth, h.create)
	r.Get("/events", auth, h.list)
	r.Get("/events/:id", auth, h.get)
	r.Put("/events/:id", auth, h.update)
	r.Post("/events/:id/status", auth, h.setStatus)

	r.Post("/events/:id/participants", auth, h.register)
	r.Get("/events/:id/participants", auth, h.participants)
	r.Post("/events/:id/participants/import", auth, h.importParticipants)
	r.Get("/events/:id/participants/:pid", auth, h.participant)
	r.Put("/events/:id/participants/:pid", auth, h.updateParticipant)
	r.Post("/events/:id/participants/:pid/decision", auth, h.decide)
	r.Post("/events/:id/participants/:pid/checkin", auth, h.checkIn)
	r.Get("/events/:id/participants/:pid/agenda", auth, h.agenda)
	r.Get("/events/:id/participants/:pid/agenda.html", auth, h.agendaHTML)
	r.Get("/events/:id/participants/:pid/agenda.ics", h.s.optionalAuth, h.agendaICS)

	r.Post("/events/:id/requests", auth, h.sendRequest)
	r.Get("/events/:id/requests", auth, h.requests)
	r.Post("/events/:id/requests/:rid/answer", auth, h.answer)
	r.Post("/events/:id/requests/:rid/priority", auth, h.priority)
	r.Post("/events/:id/recommendations", auth, h.recommend)

	r.Post("/events/:id/schedule/run", auth, h.run)
	r.Get("/events/:id/schedule", auth, h.schedule)
	r.Post("/events/:id/schedule/moves", auth, h.move)
	r.Post("/events/:id/schedule/publish", auth, h.publish)
	r.Get("/events/:id/agenda", auth, h.eventAgenda)
	r.Get("/events/:id/agenda.html", auth, h.eventAgendaHTML)

	r.Post("/events/:id/meetings/:mid/outcome", auth, h.outcome)
	r.Post("/events/:id/meetings/:mid/rating", auth, h.rate)
	r.Get("/events/:id/results", auth, h.results)
}

// EventStatusRequest is the body of POST /events/:id/status.
type EventStatusRequest struct {
	Status app.EventStatus `json:"status"`
}

// RegisterRequest is the body of POST /events/:id/participants.
type RegisterRequest struct {
	// OrgID is the organisation to register; "" for the caller's own.
	OrgID string `json:"orgId,omitempty"`
}

// DecisionRequest is the body of POST /events/:id/participants/:pid/decision.
type DecisionRequest struct {
	Status app.ParticipantStatus `json:"status"`
}

// CheckInRequest is the body of POST /events/:id/participants/:pid/checkin.
type CheckInRequest struct {
	CheckedIn *bool `json:"checkedIn"`
}

// AnswerRequest is the body of POST /events/:id/requests/:rid/answer.
type AnswerRequest struct {
	Status app.RequestStatus `json:"status"`
}

// PriorityRequest is the body of POST /events/:id/requests/:rid/priority.
type PriorityRequest struct {
	Priority *int `json:"priority"`
}

func (h *eventRoutes) create(c *fiber.Ctx) error {
	var in app.Event
	if err := readJSON(c, &in); err != nil {
		return err
	}
	e, err := h.s.svc.CreateEvent(c.UserContext(), actorOf(c), &in)
	if err != nil {
		return err
	}
	c.Location(APIPrefix + "/events/" + e.ID)
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (h *eventRoutes) list(c *fiber.Ctx) error {
	q, err := parseQuery(c, "status", "limit", "cursor")
	if err != nil {
		return err
	}
	var status []app.EventStatus
	for _, s := range q.list("status") {
		if !validEnum(app.EventStatuses, app.EventStatus(s)) {
			return app.Invalid("status", app.FieldUnknown, "must be one of draft, open, closed, finished")
		}
		status = append(status, app.EventStatus(s))
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	es, err := h.s.svc.ListEvents(c.UserContext(), actorOf(c), status, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(es, p.Limit, func(e *app.Event) string { return e.ID }))
}

func validEnum[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (h *eventRoutes) get(c *fiber.Ctx) error {
	e, err := h.s.svc.GetEvent(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (h *eventRoutes) update(c *fiber.Ctx) error {
	var in app.Event
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.ID != "" && in.ID != c.Params("id") {
		return app.Invalid("id", app.FieldNotAllow, "does not match the event in the path")
	}
	e, err := h.s.svc.UpdateEvent(c.UserContext(), actorOf(c), c.Params("id"), &in)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (h *eventRoutes) setStatus(c *fiber.Ctx) error {
	var in EventStatusRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.Status == "" {
		return app.Invalid("status", app.FieldRequired, "is required")
	}
	e, err := h.s.svc.SetEventStatus(c.UserContext(), actorOf(c), c.Params("id"), in.Status)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (h *eventRoutes) register(c *fiber.Ctx) error {
	var in RegisterRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	p, err := h.s.svc.RegisterParticipant(c.UserContext(), actorOf(c), c.Params("id"), in.OrgID)
	if err != nil {
		return err
	}
	c.Location(APIPrefix + "/events/" + p.EventID + "/participants/" + p.ID)
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (h *eventRoutes) participants(c *fiber.Ctx) error {
	q, err := parseQuery(c, "q", "status", "limit", "cursor")
	if err != nil {
		return err
	}
	text, err := q.str("q")
	if err != nil {
		return err
	}
	var status []app.ParticipantStatus
	for _, s := range q.list("status") {
		if !validEnum(app.ParticipantStatuses, app.ParticipantStatus(s)) {
			return app.Invalid("status", app.FieldUnknown, "must be one of pending, approved, rejected")
		}
		status = append(status, app.ParticipantStatus(s))
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	ps, err := h.s.svc.ListParticipants(c.UserContext(), actorOf(c), c.Params("id"), text, status, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(ps, p.Limit, func(p *app.Participant) string { return p.ID }))
}

// importParticipants reads an .xlsx or .csv file from the form field "file"
// of a multipart upload (or as the whole body) and registers its rows.
func (h *eventRoutes) importParticipants(c *fiber.Ctx) error {
	mt, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	var rows [][]string
	var err error
	switch mt {
	case "multipart/form-data":
		fh, ferr := c.FormFile("file")
		if ferr != nil {
			return badRequest("file", app.FieldRequired, "upload the file in the form field \"file\"")
		}
		f, ferr := fh.Open()
		if ferr != nil {
			return ferr
		}
		defer f.Close()
		rows, err = app.ReadTable(f)
	case "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		rows, err = app.ReadTable(strings.NewReader(string(c.Body())))
	default:
		return errUnsupportedMedia("text/csv, an .xlsx workbook or a multipart/form-data upload in the field \"file\"")
	}
	if err != nil {
		return err
	}
	rep, err := h.s.svc.ImportParticipants(c.UserContext(), actorOf(c), c.Params("id"), rows)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

func (h *eventRoutes) participant(c *fiber.Ctx) error {
	p, err := h.s.svc.GetParticipant(c.UserContext(), actorOf(c), c.Params("id"), c.Params("pid"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *eventRoutes) updateParticipant(c *fiber.Ctx) error {
	var in app.ParticipantInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	p, err := h.s.svc.UpdateParticipant(c.UserContext(), actorOf(c), c.Params("id"), c.Params("pid"), in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *eventRoutes) decide(c *fiber.Ctx) error {
	var in DecisionRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.Status == "" {
		return app.Invalid("status", app.FieldRequired, "is required")
	}
	p, err := h.s.svc.DecideParticipant(c.UserContext(), actorOf(c), c.Params("id"), c.Params("pid"), in.Status)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *eventRoutes) checkIn(c *fiber.Ctx) error {
	var in CheckInRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.CheckedIn == nil {
		return app.Invalid("checkedIn", app.FieldRequired, "is required")
	}
	p, err := h.s.svc.CheckIn(c.UserContext(), actorOf(c), c.Params("id"), c.Params("pid"), *in.CheckedIn)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (h *eventRoutes) participantAgenda(c *fiber.Ctx, token string) (*app.Agenda, error) {
	return h.s.svc.ParticipantAgenda(c.UserContext(), actorOf(c), c.Params("id"), c.Params("pid"), token)
}

func (h *eventRoutes) agenda(c *fiber.Ctx) error {
	ag, err := h.participantAgenda(c, "")
	if err != nil {
		return err
	}
	return c.JSON(ag)
}

func (h *eventRoutes) agendaHTML(c *fiber.Ctx) error {
	ag, err := h.participantAgenda(c, "")
	if err != nil {
		return err
	}
	return renderAgenda(c, ag)
}

// agendaICS serves a participant's calendar feed to its members, the
// organizer, or a calendar client holding the feed token (?token=).
func (h *eventRoutes) agendaICS(c *fiber.Ctx) error {
	q, err := parseQuery(c, "token")
	if err != nil {
		return err
	}
	token, err := q.str("token")
	if err != nil {
		return err
	}
	if actorOf(c) == nil && token == "" {
		return app.Errorf(app.EUNAUTHORIZED, "log in or use the calendar link with its token")
	}
	ag, err := h.participantAgenda(c, token)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.SendString(app.ICalendar(ag, h.s.opts.Clock()))
}

func (h *eventRoutes) eventAgenda(c *fiber.Ctx) error {
	ag, err := h.s.svc.EventAgenda(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(ag)
}

func (h *eventRoutes) eventAgendaHTML(c *fiber.Ctx) error {
	ag, err := h.s.svc.EventAgenda(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return renderAgenda(c, ag)
}

func (h *eventRoutes) sendRequest(c *fiber.Ctx) error {
	var in app.RequestInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	r, err := h.s.svc.SendRequest(c.UserContext(), actorOf(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (h *eventRoutes) requests(c *fiber.Ctx) error {
	q, err := parseQuery(c, "participant", "status", "limit", "cursor")
	if err != nil {
		return err
	}
	pid, err := q.str("participant")
	if err != nil {
		return err
	}
	var status []app.RequestStatus
	for _, s := range q.list("status") {
		if !validEnum(app.RequestStatuses, app.RequestStatus(s)) {
			return app.Invalid("status", app.FieldUnknown, "must be one of pending, accepted, declined, expired")
		}
		status = append(status, app.RequestStatus(s))
	}
	p, err := q.page()
	if err != nil {
		return err
	}
	rs, err := h.s.svc.ListRequests(c.UserContext(), actorOf(c), c.Params("id"), pid, status, p)
	if err != nil {
		return err
	}
	return c.JSON(pageOf(rs, p.Limit, func(r *app.MeetingRequest) string { return r.ID }))
}

func (h *eventRoutes) answer(c *fiber.Ctx) error {
	var in AnswerRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.Status == "" {
		return app.Invalid("status", app.FieldRequired, "is required")
	}
	r, err := h.s.svc.AnswerRequest(c.UserContext(), actorOf(c), c.Params("id"), c.Params("rid"), in.Status)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (h *eventRoutes) priority(c *fiber.Ctx) error {
	var in PriorityRequest
	if err := readJSON(c, &in); err != nil {
		return err
	}
	if in.Priority == nil {
		return app.Invalid("priority", app.FieldRequired, "is required")
	}
	r, err := h.s.svc.SetPriority(c.UserContext(), actorOf(c), c.Params("id"), c.Params("rid"), *in.Priority)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (h *eventRoutes) recommend(c *fiber.Ctx) error {
	var in app.RecommendInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	rs, err := h.s.svc.Recommend(c.UserContext(), actorOf(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(listPage[*app.MeetingRequest]{Items: rs})
}

func (h *eventRoutes) run(c *fiber.Ctx) error {
	var in app.RunInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	sc, err := h.s.svc.RunSchedule(c.UserContext(), actorOf(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

func (h *eventRoutes) schedule(c *fiber.Ctx) error {
	sc, err := h.s.svc.GetSchedule(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

func (h *eventRoutes) move(c *fiber.Ctx) error {
	var in app.MoveInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	sc, err := h.s.svc.MoveMeeting(c.UserContext(), actorOf(c), c.Params("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

func (h *eventRoutes) publish(c *fiber.Ctx) error {
	sc, err := h.s.svc.PublishSchedule(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

func (h *eventRoutes) outcome(c *fiber.Ctx) error {
	var in app.OutcomeInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	m, err := h.s.svc.SetOutcome(c.UserContext(), actorOf(c), c.Params("id"), c.Params("mid"), in)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *eventRoutes) rate(c *fiber.Ctx) error {
	var in app.RatingInput
	if err := readJSON(c, &in); err != nil {
		return err
	}
	m, err := h.s.svc.RateMeeting(c.UserContext(), actorOf(c), c.Params("id"), c.Params("mid"), in)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *eventRoutes) results(c *fiber.Ctx) error {
	res, err := h.s.svc.Results(c.UserContext(), actorOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// agendaPage is the printable agenda (日程表), one table of meetings per
// page, with a print stylesheet that drops the screen decoration.
var agendaPage = template.Must(template.New("agenda").Funcs(template.FuncMap{
	"clock": func(t time.Time) string { return t.In(app.EventZone).Format("01-02 15:04") },
	"until": func(t time.Time) string { return t.In(app.EventZone).Format("15:04") },
	"status": func(s app.MeetingStatus) string {
		if s == app.MeetingCancelled {
			return "已取消"
		}
		return "已确认"
	},
}).Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{.Event.Title}} · 洽谈日程</title>
<style>
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.meta { color: #555; margin-bottom: 1em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .4em .6em; text-align: left; }
th { background: #eef2f7; }
tr.cancelled td { color: #999; text-decoration: line-through; }
.empty { color: #777; }
@media print {
  body { margin: 0; font-size: 11pt; }
  th { background: none; }
  tr { page-break-inside: avoid; }
  .noprint { display: none; }
}
</style>
</head>
<body>
<h1>{{.Event.Title}}</h1>
<div class="meta">{{if .Participant}}参会单位：{{.Participant.Org.Name}}<br>{{end}}{{if .Event.Venue}}地点：{{.Event.Venue}}{{else}}线上：{{.Event.OnlineURL}}{{end}}<br>每场洽谈 {{.Event.MeetingMinutes}} 分钟</div>
<p class="noprint"><button id="print" type="button">打印日程</button></p>
{{if .Items}}
<table>
<thead><tr><th>时间</th><th>场次</th><th>桌号</th>{{if .Participant}}<th>洽谈对象</th>{{else}}<th>甲方</th><th>乙方</th>{{end}}<th>状态</th></tr></thead>
<tbody>
{{range .Items}}<tr{{if eq .Status "cancelled"}} class="cancelled"{{end}}><td>{{clock .Start}}–{{until .End}}</td><td>{{.Session}}</td><td>{{.Table}}号桌</td>{{if .Counterpart}}<td>{{.Counterpart.Name}}</td>{{else}}<td>{{.A.Name}}</td><td>{{.B.Name}}</td>{{end}}<td>{{status .Status}}</td></tr>
{{end}}</tbody>
</table>
{{else}}<p class="empty">日程尚未发布。</p>{{end}}
<script>` + agendaScript + `</script>
</body>
</html>
`))

// agendaScript makes the page's print button print; the page's
// Content-Security-Policy allows this script alone, by its hash. Opened
// by the web app in a tab of its own, the app's policy applies instead and
// the app binds the button.
const agendaScript = `document.getElementById("print").addEventListener("click", function () { window.print(); });`

var agendaCSP = func() string {
	sum := sha256.Sum256([]byte(agendaScript))
	return "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
}()

func renderAgenda(c *fiber.Ctx, ag *app.Agenda) error {
	var b strings.Builder
	if err := agendaPage.Execute(&b, ag); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderContentSecurityPolicy, agendaCSP)
	return c.SendString(b.String())
}
