package handlers

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// operation documents one route of the API for the OpenAPI document. Paths
// are relative to /api/v1 and written as registered with Fiber.
type operation struct {
	method, path string
	summary      string
	auth         authLevel
	query        []string // query parameter names, described in queryDocs
	body         any      // a value of the request body's type; nil for none
	bodyType     string   // a media type other than application/json
	status       int      // the success status
	resp         any      // a value of the response body's type; nil for none
	list         bool     // the response is a page of resp items
	respType     string   // a media type other than application/json
}

type authLevel int

const (
	public   authLevel = iota // no token needed or read
	optional                  // anonymous callers see public records
	required                  // a valid access token is needed
)

// operations is the route table of the document. TestOpenAPICoversRoutes
// fails when a registered route is missing here.
var operations = []operation{
	{method: "GET", path: "/openapi.json", summary: "This document", auth: public, status: 200, resp: map[string]any{}},

	{method: "POST", path: "/auth/register", summary: "Create an account", auth: public, body: app.RegisterInput{}, status: 201, resp: app.User{}},
	{method: "POST", path: "/auth/login", summary: "Log in with an e-mail address or mobile number and a password (rate limited)", auth: public, body: LoginRequest{}, status: 200, resp: TokenResponse{}},
	{method: "POST", path: "/auth/refresh", summary: "Exchange a refresh token for a new pair; a reused token ends the whole login", auth: public, body: RefreshRequest{}, status: 200, resp: TokenResponse{}},
	{method: "POST", path: "/auth/logout", summary: "End the login a refresh token belongs to", auth: public, body: RefreshRequest{}, status: 204},
	{method: "GET", path: "/auth/me", summary: "The caller's account and organisation", auth: required, status: 200, resp: MeResponse{}},
	{method: "POST", path: "/auth/password", summary: "Change the password; ends every other login and starts a new one", auth: required, body: PasswordRequest{}, status: 200, resp: TokenResponse{}},

	{method: "POST", path: "/orgs", summary: "Create the caller's organisation (admins: any organisation)", auth: required, body: app.Org{}, status: 201, resp: app.Org{}},
	{method: "GET", path: "/orgs", summary: "List organisations the caller may see; sensitive fields only for members and admins", auth: optional,
		query: []string{"type", "region", "industry", "tier", "verified", "ref", "limit", "cursor"}, status: 200, resp: app.Org{}, list: true},
	{method: "POST", path: "/orgs/join", summary: "Join an organisation with an invitation code", auth: required, body: JoinRequest{}, status: 200, resp: app.Org{}},
	{method: "GET", path: "/orgs/:id", summary: "An organisation", auth: optional, status: 200, resp: app.Org{}},
	{method: "PUT", path: "/orgs/:id", summary: "Replace an organisation's profile (owners and admins)", auth: required, body: app.Org{}, status: 200, resp: app.Org{}},
	{method: "DELETE", path: "/orgs/:id", summary: "Delete an organisation with its listings (owners and admins)", auth: required, status: 204},
	{method: "POST", path: "/orgs/:id/verify", summary: "Verify or withdraw verification (admins)", auth: required, body: VerifyRequest{}, status: 200, resp: app.Org{}},
	{method: "POST", path: "/orgs/:id/invites", summary: "Make an invitation code (owners and admins)", auth: required, status: 201, resp: app.Invite{}},
	{method: "GET", path: "/orgs/:id/members", summary: "List members (members and admins)", auth: required, status: 200, resp: app.User{}, list: true},
	{method: "PUT", path: "/orgs/:id/members/:userId", summary: "Change a member's right (owners and admins)", auth: required, body: MemberRequest{}, status: 204},
	{method: "DELETE", path: "/orgs/:id/members/:userId", summary: "Remove a member (owners and admins) or leave", auth: required, status: 204},

	{method: "POST", path: "/listings", summary: "Create a listing of any kind for the caller's organisation (or orgId)", auth: required, query: []string{"orgId"}, body: app.Listing{}, status: 201, resp: app.Listing{}},
	{method: "GET", path: "/listings", summary: "List listings the caller may see; financing valuations only for members, admins and verified investors", auth: optional,
		query: []string{"kind", "org", "ref", "industry", "region", "tier", "status", "limit", "cursor"}, status: 200, resp: app.Listing{}, list: true},
	{method: "GET", path: "/listings/:id", summary: "A listing", auth: optional, status: 200, resp: app.Listing{}},
	{method: "PUT", path: "/listings/:id", summary: "Replace a listing (members and admins)", auth: required, body: app.Listing{}, status: 200, resp: app.Listing{}},
	{method: "DELETE", path: "/listings/:id", summary: "Delete a listing (members and admins)", auth: required, status: 204},
	{method: "POST", path: "/listings/:id/status", summary: "Move a listing through its lifecycle; 409 lists the allowed statuses", auth: required, body: StatusRequest{}, status: 200, resp: app.Listing{}},

	{method: "GET", path: "/ref/industries", summary: "GB/T 4754-2017 industries: all, or the children of ?parent=", auth: public, query: []string{"parent"}, status: 200, resp: ref.Industry{}, list: true},
	{method: "GET", path: "/ref/regions", summary: "行政区划 regions: all, or the children of ?parent=", auth: public, query: []string{"parent"}, status: 200, resp: ref.Region{}, list: true},

	{method: "GET", path: "/search", summary: "Full-text search over organisations and listings with facets; visibility as in the list endpoints", auth: optional,
		query: []string{"q", "kind", "industry", "region", "tier", "cert", "status", "sort", "limit", "cursor"}, status: 200, resp: app.SearchResult{}},
	{method: "GET", path: "/search/suggest", summary: "Complete organisation names, products and industry names as the user types", auth: optional,
		query: []string{"q", "limit"}, status: 200, resp: SuggestResponse{}},
	{method: "GET", path: "/matches", summary: "Ranked candidates for a record with score, score parts and reasons (members of its organisation and admins in scope; page size default 20)", auth: required,
		query: []string{"from", "target", "limit", "cursor", "lang"}, status: 200, resp: app.MatchResult{}},

	{method: "POST", path: "/admin/import", summary: "Import JSON Lines in the interchange format (admins); bad lines are reported, good ones imported", auth: required, bodyType: "ndjson", status: 200, resp: app.ImportRun{}},
	{method: "GET", path: "/admin/imports", summary: "Import reports, newest first (admins)", auth: required, query: []string{"limit", "cursor"}, status: 200, resp: app.ImportRun{}, list: true},
	{method: "GET", path: "/admin/imports/:id", summary: "An import report (admins)", auth: required, status: 200, resp: app.ImportRun{}},
	{method: "GET", path: "/admin/users", summary: "List accounts (admins without a region scope)", auth: required, query: []string{"role", "org", "q", "limit", "cursor"}, status: 200, resp: app.User{}, list: true},
	{method: "PUT", path: "/admin/users/:id", summary: "Set an account's role, region scope or disabled flag; absent fields stay (admins without a region scope)", auth: required, body: app.UserUpdate{}, status: 200, resp: app.User{}},
	{method: "GET", path: "/export", summary: "Stream what the caller may see in the interchange format (JSON Lines)", auth: required, query: []string{"region", "industry", "kind", "orgs"}, status: 200, respType: "ndjson"},

	// The cultivation database (培育库): indicators are for the organisation's members and admins in scope only.
	{method: "GET", path: "/orgs/:id/indicators", summary: "An organisation's yearly indicators with derived figures (亩均税收, output per tce, R&D ratio, growth), oldest first (members and admins in scope)", auth: required, status: 200, resp: app.IndicatorYear{}, list: true},
	{method: "GET", path: "/orgs/:id/indicators/:year", summary: "One year's indicators with derived figures (members and admins in scope)", auth: required, status: 200, resp: app.IndicatorYear{}},
	{method: "PUT", path: "/orgs/:id/indicators/:year", summary: "Create or replace one year's indicators (owners and admins in scope); money in 万元, shares in percent 0–100, the year not in the future", auth: required, body: app.Indicator{}, status: 200, resp: app.IndicatorYear{}},
	{method: "GET", path: "/orgs/:id/eligibility", summary: "The tier the latest indicators meet and each criterion of the next tier with its gap in zh-CN and en (members and admins in scope)", auth: required, status: 200, resp: app.Eligibility{}},
	{method: "GET", path: "/orgs/:id/cultivation", summary: "The organisation's cultivation membership: level, since, office (members and admins in scope; 404 if not a member)", auth: required, status: 200, resp: app.Membership{}},
	{method: "PUT", path: "/orgs/:id/cultivation", summary: "Enter the organisation into the cultivation database or change its entry (admins in scope)", auth: required, body: app.Membership{}, status: 200, resp: app.Membership{}},
	{method: "GET", path: "/admin/indicators/template", summary: "The indicator workbook template (.xlsx; Chinese headers, English in the second row) (admins)", auth: required, status: 200, respType: "xlsx"},
	{method: "POST", path: "/admin/indicators/import", summary: "Import yearly indicators from a workbook, organisations named by USCC; bad rows are reported by row and field, good rows kept, unchanged rows not written (admins; scoped admins their region)", auth: required, query: []string{"format"}, bodyType: "xlsx", status: 200, resp: app.IndicatorImport{}},
	{method: "GET", path: "/admin/indicators/export", summary: "The cultivated organisations of a filter with latest indicators, derived figures and tiers as a workbook (admins, within their region)", auth: required, query: []string{"region", "industry", "tier", "year"}, status: 200, respType: "xlsx"},
	{method: "GET", path: "/admin/dashboard", summary: "The government dashboard: counts by city, county, industry and tier, indicator trends, policy targets with progress and the pairing funnel; with format=csv or xlsx one chart's data (admins, within their region)", auth: required, query: []string{"region", "year", "format", "chart"}, status: 200, resp: app.Dashboard{}},
	// Matchmaking events (洽谈会).
	{method: "POST", path: "/events", summary: "Create a draft event (organizers and admins)", auth: required, body: app.Event{}, status: 201, resp: app.Event{}},
	{method: "GET", path: "/events", summary: "Events the caller may see: all but other organizers' drafts", auth: required, query: []string{"eventStatus", "limit", "cursor"}, status: 200, resp: app.Event{}, list: true},
	{method: "GET", path: "/events/:id", summary: "An event", auth: required, status: 200, resp: app.Event{}},
	{method: "PUT", path: "/events/:id", summary: "Replace an event's days, sessions, slots, rules and caps (organizer)", auth: required, body: app.Event{}, status: 200, resp: app.Event{}},
	{method: "POST", path: "/events/:id/status", summary: "Move an event along draft → open → closed → finished; 409 lists the allowed statuses", auth: required, body: EventStatusRequest{}, status: 200, resp: app.Event{}},
	{method: "POST", path: "/events/:id/participants", summary: "Register the caller's organisation (pending approval), or any organisation for the organizer (approved)", auth: required, body: RegisterRequest{}, status: 201, resp: app.Participant{}},
	{method: "GET", path: "/events/:id/participants", summary: "Participants: all for the organizer, the approved ones with matching scores for approved participants; q searches names", auth: required, query: []string{"q", "participantStatus", "limit", "cursor"}, status: 200, resp: app.Participant{}, list: true},
	{method: "POST", path: "/events/:id/participants/import", summary: "Register organisations from an .xlsx or .csv file by uscc or ref (organizer); bad rows are reported, good ones registered", auth: required, bodyType: "upload", status: 200, resp: app.ParticipantImport{}},
	{method: "GET", path: "/events/:id/participants/:pid", summary: "A participant", auth: required, status: 200, resp: app.Participant{}},
	{method: "PUT", path: "/events/:id/participants/:pid", summary: "Set a participant's listings, unavailable slots and note (its members and the organizer)", auth: required, body: app.ParticipantInput{}, status: 200, resp: app.Participant{}},
	{method: "POST", path: "/events/:id/participants/:pid/decision", summary: "Approve or reject a registration (organizer)", auth: required, body: DecisionRequest{}, status: 200, resp: app.Participant{}},
	{method: "POST", path: "/events/:id/participants/:pid/checkin", summary: "Check a participant in on the day, or undo it (organizer)", auth: required, body: CheckInRequest{}, status: 200, resp: app.Participant{}},
	{method: "GET", path: "/events/:id/participants/:pid/agenda", summary: "A participant's published agenda (its members, the organizer, admins)", auth: required, status: 200, resp: app.Agenda{}},
	{method: "GET", path: "/events/:id/participants/:pid/agenda.html", summary: "A participant's printable agenda", auth: required, status: 200, respType: "text/html"},
	{method: "GET", path: "/events/:id/participants/:pid/agenda.ics", summary: "A participant's iCalendar feed (RFC 5545); calendar clients pass the participant's feed token", auth: optional, query: []string{"token"}, status: 200, respType: "text/calendar"},
	{method: "POST", path: "/events/:id/requests", summary: "Ask an approved participant for a meeting (caps, who-can-meet rules, no duplicates)", auth: required, body: app.RequestInput{}, status: 201, resp: app.MeetingRequest{}},
	{method: "GET", path: "/events/:id/requests", summary: "Meeting requests: all for the organizer, those sent or received for a participant", auth: required, query: []string{"participant", "requestStatus", "limit", "cursor"}, status: 200, resp: app.MeetingRequest{}, list: true},
	{method: "POST", path: "/events/:id/requests/:rid/answer", summary: "Accept or decline a meeting request (the participant asked, or the organizer)", auth: required, body: AnswerRequest{}, status: 200, resp: app.MeetingRequest{}},
	{method: "POST", path: "/events/:id/requests/:rid/priority", summary: "Set the organizer's priority (0–3) of a request", auth: required, body: PriorityRequest{}, status: 200, resp: app.MeetingRequest{}},
	{method: "POST", path: "/events/:id/recommendations", summary: "Add the matching engine's recommended meetings at a lower weight (organizer)", auth: required, body: app.RecommendInput{}, status: 200, resp: app.MeetingRequest{}, list: true},
	{method: "POST", path: "/events/:id/schedule/run", summary: "Run the scheduler on the accepted requests into a draft, keeping published meetings unless asked (organizer)", auth: required, body: app.RunInput{}, status: 200, resp: app.Schedule{}},
	{method: "GET", path: "/events/:id/schedule", summary: "The draft (with stats, bound, gap and reasons) and the published schedule (organizer)", auth: required, status: 200, resp: app.Schedule{}},
	{method: "POST", path: "/events/:id/schedule/moves", summary: "Move a draft meeting by hand; 409 names the rule it would break (organizer)", auth: required, body: app.MoveInput{}, status: 200, resp: app.Schedule{}},
	{method: "POST", path: "/events/:id/schedule/publish", summary: "Publish the draft: moved meetings get a new SEQUENCE, dropped ones are cancelled (organizer)", auth: required, status: 200, resp: app.Schedule{}},
	{method: "GET", path: "/events/:id/agenda", summary: "Every published meeting of the event (organizer)", auth: required, status: 200, resp: app.Agenda{}},
	{method: "GET", path: "/events/:id/agenda.html", summary: "The event's printable agenda (organizer)", auth: required, status: 200, respType: "text/html"},
	{method: "POST", path: "/events/:id/meetings/:mid/outcome", summary: "Mark a meeting held or missed (organizer)", auth: required, body: app.OutcomeInput{}, status: 200, resp: app.Meeting{}},
	{method: "POST", path: "/events/:id/meetings/:mid/rating", summary: "Rate a meeting after it ends: 1–5 stars, a comment and follow-up intent (either side)", auth: required, body: app.RatingInput{}, status: 200, resp: app.Meeting{}},
	{method: "GET", path: "/events/:id/results", summary: "Meetings held, no-shows, ratings and follow-ups (organizer)", auth: required, status: 200, resp: app.EventResults{}},
	{method: "POST", path: "/pairings", summary: "Ask for a pairing from a match: the source record is the caller's organisation's; counts against its cap of open requests", auth: required, body: app.ProposeInput{}, status: 201, resp: PairingView{}},
	{method: "GET", path: "/pairings", summary: "Pairings of the caller's organisation (admins: with a party in their scope), newest first", auth: required,
		query: []string{"status", "kind", "region", "limit", "cursor"}, status: 200, resp: app.Pairing{}, list: true},
	{method: "GET", path: "/pairings/:id", summary: "A pairing with its history and the moves the caller may make (its sides and admins in scope)", auth: required, status: 200, resp: PairingView{}},
	{method: "POST", path: "/pairings/:id/transitions", summary: "Move a pairing on; 409 lists the moves the caller may make (allowed)", auth: required, body: app.TransitionInput{}, status: 200, resp: PairingView{}},
	{method: "GET", path: "/inbox", summary: "The caller's notifications, newest first", auth: required, query: []string{"unread", "limit", "cursor"}, status: 200, resp: app.Notification{}, list: true},
	{method: "GET", path: "/inbox/unread", summary: "How many of the caller's notifications are unread", auth: required, status: 200, resp: UnreadResponse{}},
	{method: "POST", path: "/inbox/read", summary: "Mark notifications read (all when ids is empty)", auth: required, body: ReadRequest{}, status: 200, resp: ReadResponse{}},
}

// queryDocs describes the query parameters.
var queryDocs = map[string]map[string]any{
	"limit":             {"description": "page size, 1–200 (default 50)", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": MaxPageLimit}},
	"cursor":            {"description": "the nextCursor of the previous page", "schema": str()},
	"type":              {"description": "organisation type", "schema": enumOf(app.OrgTypes)},
	"region":            {"description": "行政区划 code; matches it and everything under it", "schema": str()},
	"industry":          {"description": "GB/T 4754 code; matches it and everything under it", "schema": str()},
	"tier":              {"description": "cultivation tiers, repeated or comma-separated", "schema": str()},
	"verified":          {"description": "true or false", "schema": map[string]any{"type": "boolean"}},
	"ref":               {"description": "external ID from the interchange format", "schema": str()},
	"kind":              {"description": "listing kinds (on /pairings: pairing kinds supply, financing, technology, collaboration), repeated or comma-separated", "schema": str()},
	"org":               {"description": "organisation ID", "schema": str()},
	"status":            {"description": "listing statuses (on /pairings: pairing statuses), repeated or comma-separated", "schema": str()},
	"orgId":             {"description": "the organisation to create the listing for (admins, or members naming their own)", "schema": str()},
	"parent":            {"description": "the code whose children to list; empty for the top level", "schema": str()},
	"role":              {"description": "account role", "schema": enumOf(app.Roles)},
	"q":                 {"description": "search text (at most 200 characters, taken literally); on /admin/users the start of an e-mail address or mobile number", "schema": str()},
	"cert":              {"description": "certifications that must be held, repeated or comma-separated", "schema": str()},
	"sort":              {"description": "relevance (default) or newest", "schema": map[string]any{"type": "string", "enum": []string{"relevance", "newest"}}},
	"orgs":              {"description": "false leaves organisations out", "schema": map[string]any{"type": "boolean"}},
	"from":              {"description": "the record to match from, <kind>:<id> with kind org or a listing kind", "required": true, "schema": str()},
	"target":            {"description": "the kind of record to rank (org or a listing kind); default per source: need → org, capability → need, financing → investor, investor → financing, technead → tech, tech → technead, org → org", "schema": str()},
	"eventStatus":       {"name": "status", "description": "event statuses, repeated or comma-separated", "schema": str()},
	"participantStatus": {"name": "status", "description": "registration statuses, repeated or comma-separated", "schema": str()},
	"requestStatus":     {"name": "status", "description": "request statuses, repeated or comma-separated", "schema": str()},
	"participant":       {"description": "a participant ID: its requests only", "schema": str()},
	"token":             {"description": "the participant's calendar feed token, for calendar clients that cannot log in", "schema": str()},
	"lang":              {"description": "language of the rendered reasons: zh-CN (default) or en; default from Accept-Language", "schema": map[string]any{"type": "string", "enum": []string{"zh-CN", "en"}}},
	"year":              {"description": "a year (indicators: the latest up to it; dashboard: default last year)", "schema": map[string]any{"type": "integer"}},
	"format":            {"description": "the response format: json (default); the import report also as xlsx; a dashboard chart as csv or xlsx", "schema": map[string]any{"type": "string", "enum": []string{"json", "csv", "xlsx"}}},
	"chart":             {"description": "the dashboard chart to download with format=csv or xlsx", "schema": map[string]any{"type": "string", "enum": app.DashboardCharts}},
	"unread":            {"description": "true lists only unread notifications", "schema": map[string]any{"type": "boolean"}},
}

func str() map[string]any { return map[string]any{"type": "string"} }

func enumOf[T ~string](xs []T) map[string]any {
	vs := make([]string, len(xs))
	for i, x := range xs {
		vs[i] = string(x)
	}
	return map[string]any{"type": "string", "enum": vs}
}

// enums lists the values of the named string types of the domain.
var enums = map[reflect.Type]map[string]any{
	reflect.TypeFor[app.OrgType]():    enumOf(app.OrgTypes),
	reflect.TypeFor[app.Tier]():       enumOf(app.Tiers),
	reflect.TypeFor[app.Kind]():       enumOf(app.Kinds),
	reflect.TypeFor[app.Status]():     enumOf(app.Statuses),
	reflect.TypeFor[app.Role]():       enumOf(app.Roles),
	reflect.TypeFor[app.MemberRole](): enumOf([]app.MemberRole{app.MemberOwner, app.MemberMember}),
	reflect.TypeFor[app.Safety]():     enumOf(app.SafetyStatuses),
	reflect.TypeFor[app.Level]():      enumOf(app.Levels),
	// Matchmaking events.
	reflect.TypeFor[app.EventStatus]():       enumOf(app.EventStatuses),
	reflect.TypeFor[app.ParticipantStatus](): enumOf(app.ParticipantStatuses),
	reflect.TypeFor[app.RequestStatus]():     enumOf(app.RequestStatuses),
	reflect.TypeFor[app.MeetingStatus]():     enumOf([]app.MeetingStatus{app.MeetingScheduled, app.MeetingCancelled}),

	// Pairings.
	reflect.TypeFor[app.PairingStatus](): enumOf(app.PairingStatuses),
	reflect.TypeFor[app.PairingKind]():   enumOf(app.PairingKinds),
	reflect.TypeFor[app.OutcomeKind]():   enumOf(app.OutcomeKinds),
}

var paramRE = regexp.MustCompile(`:([A-Za-z]+)`)

// openAPIPath turns a Fiber path into an OpenAPI one ("/orgs/:id" → "/orgs/{id}").
func openAPIPath(p string) string { return paramRE.ReplaceAllString(p, "{$1}") }

// schemas generates JSON Schemas of Go types into components.schemas.
type schemas map[string]any

func (s schemas) of(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if e, ok := enums[t]; ok {
		return e
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return str()
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": s.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.of(t.Elem())}
	case reflect.Struct:
		name := t.Name()
		if strings.HasSuffix(t.PkgPath(), "/matching/schedule") {
			// The scheduler's types share names with the domain's (Meeting, Participant).
			name = "Schedule" + name
		}
		if name == "" || strings.Contains(name, "[") {
			return s.object(t)
		}
		if _, done := s[name]; !done {
			s[name] = nil // mark before recursing
			s[name] = s.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func (s schemas) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" && f.Anonymous && f.Type.Kind() == reflect.Struct {
			// An embedded struct's fields are the outer object's, as encoding/json has them.
			for k, v := range s.object(f.Type)["properties"].(map[string]any) {
				props[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = s.of(f.Type)
	}
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

// buildOpenAPI renders the OpenAPI 3.1 document of the API.
func buildOpenAPI() ([]byte, error) {
	sc := schemas{}
	sc["Problem"] = sc.object(reflect.TypeFor[Problem]())
	problem := map[string]any{
		"description": "an RFC 9457 problem detail",
		"content":     map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
	}
	ndjson := map[string]any{"schema": map[string]any{"type": "string", "description": "JSON Lines in the interchange format"}}
	paths := map[string]any{}
	for _, op := range operations {
		o := map[string]any{
			"summary":     op.summary,
			"operationId": operationID(op),
		}
		var params []any
		for _, m := range paramRE.FindAllStringSubmatch(op.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": str()})
		}
		for _, q := range op.query {
			p := map[string]any{"name": q, "in": "query"}
			for k, v := range queryDocs[q] {
				p[k] = v
			}
			params = append(params, p)
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		switch {
		case op.bodyType == "ndjson":
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/x-ndjson": ndjson,
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object",
					"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": "application/x-ndjson"}}}},
			}}
		case op.bodyType == "xlsx":
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				mimeXLSX: map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": mimeXLSX}},
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object",
					"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": mimeXLSX}}}},
			}}
		case op.bodyType == "upload":
			file := map[string]any{"schema": map[string]any{"type": "string", "contentEncoding": "binary"}}
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object",
					"properties": map[string]any{"file": map[string]any{"type": "string", "description": ".xlsx or .csv with a uscc or ref column"}}}},
				"text/csv": file,
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": file,
			}}
		case op.body != nil:
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": sc.of(reflect.TypeOf(op.body))}}}
		}
		switch op.auth {
		case public:
			o["security"] = []any{}
		case optional:
			o["security"] = []any{map[string]any{}, map[string]any{"bearer": []string{}}}
		case required:
			o["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		ok := map[string]any{"description": strings.ToLower(httpStatusText(op.status))}
		switch {
		case op.respType == "ndjson":
			ok["content"] = map[string]any{"application/x-ndjson": ndjson}
		case op.respType == "xlsx":
			ok["content"] = map[string]any{mimeXLSX: map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": mimeXLSX}}}
		case op.respType != "":
			ok["content"] = map[string]any{op.respType: map[string]any{"schema": str()}}
		case op.resp != nil:
			schema := sc.of(reflect.TypeOf(op.resp))
			if op.list {
				schema = map[string]any{"type": "object", "required": []string{"items"}, "properties": map[string]any{
					"items":      map[string]any{"type": "array", "items": schema},
					"nextCursor": map[string]any{"type": "string", "description": "absent on the last page"},
				}}
			}
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schema}}
		}
		o["responses"] = map[string]any{strconv.Itoa(op.status): ok, "default": problem}
		p := openAPIPath(op.path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p].(map[string]any)[strings.ToLower(op.method)] = o
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Rongtong 融通 API",
			"version":     "1",
			"description": "Matchmaking for 专精特新 SMEs. Errors are application/problem+json (RFC 9457); lists are cursor-paginated.",
		},
		"servers": []any{map[string]any{"url": APIPrefix}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": map[string]any(sc),
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
			},
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func operationID(op operation) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(op.method))
	for _, part := range strings.FieldsFunc(op.path, func(r rune) bool { return r == '/' || r == '.' || r == '-' }) {
		if strings.HasPrefix(part, ":") {
			part = "by" + strings.ToUpper(part[1:2]) + part[2:]
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func httpStatusText(code int) string { return http.StatusText(code) }

// serveOpenAPI serves the document.
func (s *server) serveOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(s.openapi)
}
