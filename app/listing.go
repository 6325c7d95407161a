package app

import (
	"regexp"
	"time"
)

// Kind is the kind of a listing.
type Kind string

// Listing kinds, as in the interchange format.
const (
	KindCapability Kind = "capability" // what an SME can make or do (协作配套能力)
	KindNeed       Kind = "need"       // a lead enterprise's supply-chain need (配套需求)
	KindTech       Kind = "tech"       // a technology-transfer listing (科技成果)
	KindTechNeed   Kind = "technead"   // an SME's technology need (技术需求)
	KindInvestor   Kind = "investor"   // an investor's preferences (投资偏好)
	KindFinancing  Kind = "financing"  // an SME's financing need (融资需求)
)

// Kinds lists every listing kind.
var Kinds = []Kind{KindCapability, KindNeed, KindTech, KindTechNeed, KindInvestor, KindFinancing}

// Valid reports whether k is a known listing kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// OwnerTypes returns the organisation types that may publish listings of kind k.
func (k Kind) OwnerTypes() []OrgType {
	switch k {
	case KindCapability, KindTechNeed, KindFinancing:
		return []OrgType{OrgSME}
	case KindNeed:
		return []OrgType{OrgEnterprise}
	case KindTech:
		return []OrgType{OrgInstitution, OrgSME}
	case KindInvestor:
		return []OrgType{OrgInvestor}
	}
	return nil
}

// Status is where a listing is in its lifecycle: draft → published → closed;
// a need may instead end awarded.
type Status string

// Listing statuses.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusClosed    Status = "closed"
	StatusAwarded   Status = "awarded"
)

// Statuses lists every status.
var Statuses = []Status{StatusDraft, StatusPublished, StatusClosed, StatusAwarded}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// NextStatuses returns the statuses a listing of kind k may move to from s.
func (s Status) NextStatuses(k Kind) []Status {
	switch s {
	case StatusDraft:
		return []Status{StatusPublished, StatusClosed}
	case StatusPublished:
		if k == KindNeed {
			return []Status{StatusDraft, StatusClosed, StatusAwarded}
		}
		return []Status{StatusDraft, StatusClosed}
	case StatusClosed:
		return []Status{StatusPublished}
	}
	return nil
}

// Amount is a quantity or capacity with its unit and period.
type Amount struct {
	Value float64 `json:"value" bson:"value"`
	Unit  string  `json:"unit" bson:"unit"`
	Per   string  `json:"per,omitempty" bson:"per,omitempty"` // year or month
}

// PerYear returns the amount scaled to one year.
func (a *Amount) PerYear() float64 {
	if a == nil {
		return 0
	}
	if a.Per == "month" {
		return a.Value * 12
	}
	return a.Value
}

// Listing is any record an organisation publishes: a capability, a need, a
// technology, a technology need, an investor's preferences or a financing need.
// One type holds every kind; Validate rejects fields that do not belong to the
// kind. Field names follow the interchange format.
type Listing struct {
	ID     string     `json:"id" bson:"_id"`
	Ref    string     `json:"ref,omitempty" bson:"ref,omitempty"`
	Kind   Kind       `json:"kind" bson:"kind"`
	OrgID  string     `json:"orgId" bson:"orgId"`
	Owner  OrgSummary `json:"owner" bson:"owner"`
	Status Status     `json:"status" bson:"status"`

	Title       string `json:"title" bson:"title"`
	Description string `json:"description,omitempty" bson:"description,omitempty"`
	Abstract    string `json:"abstract,omitempty" bson:"abstract,omitempty"` // tech

	Industry   string   `json:"industry,omitempty" bson:"industry,omitempty"`     // need
	Industries []string `json:"industries,omitempty" bson:"industries,omitempty"` // capability, tech, technead, investor

	Processes              []string `json:"processes,omitempty" bson:"processes,omitempty"`                           // capability, need
	Materials              []string `json:"materials,omitempty" bson:"materials,omitempty"`                           // capability, need
	Certifications         []string `json:"certifications,omitempty" bson:"certifications,omitempty"`                 // capability
	CertificationsRequired []string `json:"certificationsRequired,omitempty" bson:"certificationsRequired,omitempty"` // need
	Capacity               *Amount  `json:"capacity,omitempty" bson:"capacity,omitempty"`                             // capability
	LeadTimeDays           int      `json:"leadTimeDays,omitempty" bson:"leadTimeDays,omitempty"`                     // capability
	RegionsServed          []string `json:"regionsServed,omitempty" bson:"regionsServed,omitempty"`                   // capability
	Quantity               *Amount  `json:"quantity,omitempty" bson:"quantity,omitempty"`                             // need
	RegionsPreferred       []string `json:"regionsPreferred,omitempty" bson:"regionsPreferred,omitempty"`             // need
	Deadline               string   `json:"deadline,omitempty" bson:"deadline,omitempty"`                             // need, technead: YYYY-MM-DD
	BudgetWan              float64  `json:"budgetWan,omitempty" bson:"budgetWan,omitempty"`                           // need, technead

	IPC           []string `json:"ipc,omitempty" bson:"ipc,omitempty"`                     // tech
	Patents       []string `json:"patents,omitempty" bson:"patents,omitempty"`             // tech
	TRL           int      `json:"trl,omitempty" bson:"trl,omitempty"`                     // tech, 1–9
	TransferModes []string `json:"transferModes,omitempty" bson:"transferModes,omitempty"` // tech
	PriceWan      float64  `json:"priceWan,omitempty" bson:"priceWan,omitempty"`           // tech

	Stages          []string `json:"stages,omitempty" bson:"stages,omitempty"`                   // investor
	TicketMinWan    float64  `json:"ticketMinWan,omitempty" bson:"ticketMinWan,omitempty"`       // investor
	TicketMaxWan    float64  `json:"ticketMaxWan,omitempty" bson:"ticketMaxWan,omitempty"`       // investor
	Regions         []string `json:"regions,omitempty" bson:"regions,omitempty"`                 // investor
	MinRevenueWan   float64  `json:"minRevenueWan,omitempty" bson:"minRevenueWan,omitempty"`     // investor
	Tiers           []Tier   `json:"tiers,omitempty" bson:"tiers,omitempty"`                     // investor
	MinHoldingYears float64  `json:"minHoldingYears,omitempty" bson:"minHoldingYears,omitempty"` // investor

	AmountWan    float64 `json:"amountWan,omitempty" bson:"amountWan,omitempty"`       // financing
	Stage        string  `json:"stage,omitempty" bson:"stage,omitempty"`               // financing
	Instrument   string  `json:"instrument,omitempty" bson:"instrument,omitempty"`     // financing
	ValuationWan float64 `json:"valuationWan,omitempty" bson:"valuationWan,omitempty"` // financing, sensitive
	UseOfFunds   string  `json:"useOfFunds,omitempty" bson:"useOfFunds,omitempty"`     // financing

	// Hard names the fields whose requirement a match must meet rather than
	// merely score on (e.g. "certificationsRequired", "regionsPreferred").
	Hard []string `json:"hard,omitempty" bson:"hard,omitempty"`

	PublishedAt *time.Time `json:"publishedAt,omitempty" bson:"publishedAt,omitempty"`
	CreatedAt   time.Time  `json:"createdAt" bson:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt" bson:"updatedAt"`

	// Seq, IndustryKeys and RegionKeys are as on Org. IndustryKeys cover the
	// listing's industry codes (the owner's for a financing need); RegionKeys
	// cover the owner's region.
	Seq          int64    `json:"-" bson:"seq"`
	IndustryKeys []string `json:"-" bson:"industryKeys,omitempty"`
	RegionKeys   []string `json:"-" bson:"regionKeys,omitempty"`
}

// Visible reports whether a listing can be seen by someone who is neither a
// member of its organisation nor an admin: a published listing of a verified
// organisation. Closed and awarded listings stay with their organisation.
func (l *Listing) Visible() bool {
	return l.Owner.Verified && l.Status == StatusPublished
}

// IndustryCodes returns the industry codes a listing is about.
func (l *Listing) IndustryCodes() []string {
	switch {
	case l.Industry != "":
		return []string{l.Industry}
	case len(l.Industries) > 0:
		return l.Industries
	case l.Kind == KindFinancing && l.Owner.Industry != "":
		return []string{l.Owner.Industry}
	}
	return nil
}

// Text returns the listing's main free text: the abstract of a technology,
// otherwise the description.
func (l *Listing) Text() string {
	if l.Abstract != "" {
		return l.Abstract
	}
	return l.Description
}

// Enumerations of listing fields.
var (
	Stages        = []string{"seed", "angel", "A", "B", "C", "pre-IPO"}
	Instruments   = []string{"equity", "debt", "convertible"}
	TransferModes = []string{"transfer", "license", "equity", "co-develop"}
	Periods       = []string{"year", "month"}
	// HardFields are the fields a listing may mark as hard requirements.
	HardFields = []string{"certificationsRequired", "regionsPreferred", "quantity", "industry",
		"industries", "stages", "ticketMinWan", "ticketMaxWan", "regions", "minRevenueWan", "tiers", "deadline", "budgetWan"}
)

var deadlineRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// kindFields lists, per kind, the kind-specific fields it may carry.
var kindFields = map[Kind]map[string]bool{
	KindCapability: set("processes", "materials", "certifications", "capacity", "leadTimeDays", "industries", "regionsServed"),
	KindNeed:       set("industry", "processes", "materials", "certificationsRequired", "quantity", "regionsPreferred", "deadline", "budgetWan"),
	KindTech:       set("abstract", "industries", "ipc", "patents", "trl", "transferModes", "priceWan"),
	KindTechNeed:   set("industries", "budgetWan", "deadline"),
	KindInvestor:   set("industries", "stages", "ticketMinWan", "ticketMaxWan", "regions", "minRevenueWan", "tiers", "minHoldingYears"),
	KindFinancing:  set("amountWan", "stage", "instrument", "valuationWan", "useOfFunds"),
}

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// presentFields returns the kind-specific fields that hold a value.
func (l *Listing) presentFields() map[string]bool {
	p := map[string]bool{}
	mark := func(name string, ok bool) {
		if ok {
			p[name] = true
		}
	}
	mark("abstract", l.Abstract != "")
	mark("industry", l.Industry != "")
	mark("industries", len(l.Industries) > 0)
	mark("processes", len(l.Processes) > 0)
	mark("materials", len(l.Materials) > 0)
	mark("certifications", len(l.Certifications) > 0)
	mark("certificationsRequired", len(l.CertificationsRequired) > 0)
	mark("capacity", l.Capacity != nil)
	mark("leadTimeDays", l.LeadTimeDays != 0)
	mark("regionsServed", len(l.RegionsServed) > 0)
	mark("quantity", l.Quantity != nil)
	mark("regionsPreferred", len(l.RegionsPreferred) > 0)
	mark("deadline", l.Deadline != "")
	mark("budgetWan", l.BudgetWan != 0)
	mark("ipc", len(l.IPC) > 0)
	mark("patents", len(l.Patents) > 0)
	mark("trl", l.TRL != 0)
	mark("transferModes", len(l.TransferModes) > 0)
	mark("priceWan", l.PriceWan != 0)
	mark("stages", len(l.Stages) > 0)
	mark("ticketMinWan", l.TicketMinWan != 0)
	mark("ticketMaxWan", l.TicketMaxWan != 0)
	mark("regions", len(l.Regions) > 0)
	mark("minRevenueWan", l.MinRevenueWan != 0)
	mark("tiers", len(l.Tiers) > 0)
	mark("minHoldingYears", l.MinHoldingYears != 0)
	mark("amountWan", l.AmountWan != 0)
	mark("stage", l.Stage != "")
	mark("instrument", l.Instrument != "")
	mark("valuationWan", l.ValuationWan != 0)
	mark("useOfFunds", l.UseOfFunds != "")
	return p
}

// Normalize trims text and folds full-width forms in codes and certifications.
// It does not set the derived keys, which need the owner (see SetKeys).
func (l *Listing) Normalize() {
	l.Title = cleanText(l.Title)
	l.Description = cleanText(l.Description)
	l.Abstract = cleanText(l.Abstract)
	l.UseOfFunds = cleanText(l.UseOfFunds)
	l.Industry = FoldWidth(l.Industry)
	l.Industries = foldList(l.Industries)
	l.RegionsServed = foldList(l.RegionsServed)
	l.RegionsPreferred = foldList(l.RegionsPreferred)
	l.Regions = foldList(l.Regions)
	l.Processes = cleanList(l.Processes)
	l.Materials = cleanList(l.Materials)
	l.Certifications = normalizeCerts(l.Certifications)
	l.CertificationsRequired = normalizeCerts(l.CertificationsRequired)
	l.IPC = cleanList(l.IPC)
	l.Patents = cleanList(l.Patents)
	l.Deadline = FoldWidth(l.Deadline)
}

// SetOwner copies the owner's summary onto the listing and fills the derived keys.
func (l *Listing) SetOwner(o *Org) {
	l.OrgID = o.ID
	l.Owner = o.Summary()
	var keys []string
	for _, c := range l.IndustryCodes() {
		keys = appendUnique(keys, IndustryKeys(c)...)
	}
	l.IndustryKeys = keys
	l.RegionKeys = RegionKeys(o.Region)
}

// Validate checks a listing's shape, codes and limits for its kind.
func (l *Listing) Validate() error {
	var f Fields
	if !l.Kind.Valid() {
		f.Add("kind", FieldUnknown, "must be one of capability, need, tech, technead, investor, financing")
		return f.Err()
	}
	if l.Status != "" && !l.Status.Valid() {
		f.Add("status", FieldUnknown, "must be one of draft, published, closed, awarded")
	}
	if l.Status == StatusAwarded && l.Kind != KindNeed {
		f.Add("status", FieldNotAllow, "only a need can be awarded")
	}
	requiredText(&f, "title", l.Title, MaxTitleRunes)
	optionalText(&f, "description", l.Description, MaxDescriptionRunes)
	allowed := kindFields[l.Kind]
	for name := range l.presentFields() {
		if !allowed[name] {
			f.Add(name, FieldNotAllow, "is not a field of a %s listing", l.Kind)
		}
	}
	optionalText(&f, "abstract", l.Abstract, MaxDescriptionRunes)
	industryCode(&f, "industry", l.Industry)
	codeList(&f, "industries", l.Industries, industryCode)
	codeList(&f, "regionsServed", l.RegionsServed, regionCode)
	codeList(&f, "regionsPreferred", l.RegionsPreferred, regionCode)
	codeList(&f, "regions", l.Regions, regionCode)
	textList(&f, "processes", l.Processes, MaxShortRunes)
	textList(&f, "materials", l.Materials, MaxShortRunes)
	textList(&f, "certifications", l.Certifications, MaxShortRunes)
	textList(&f, "certificationsRequired", l.CertificationsRequired, MaxShortRunes)
	textList(&f, "ipc", l.IPC, 30)
	textList(&f, "patents", l.Patents, 30)
	amount(&f, "capacity", l.Capacity)
	amount(&f, "quantity", l.Quantity)
	nonNegInt(&f, "leadTimeDays", l.LeadTimeDays, 3650)
	if l.Deadline != "" {
		if _, err := time.Parse("2006-01-02", l.Deadline); err != nil || !deadlineRE.MatchString(l.Deadline) {
			f.Add("deadline", FieldFormat, "must be a date YYYY-MM-DD")
		}
	}
	nonNeg(&f, "budgetWan", l.BudgetWan, 1e9)
	if l.TRL != 0 && (l.TRL < 1 || l.TRL > 9) {
		f.Add("trl", FieldRange, "must be between 1 and 9")
	}
	enumList(&f, "transferModes", l.TransferModes, TransferModes)
	nonNeg(&f, "priceWan", l.PriceWan, 1e9)
	enumList(&f, "stages", l.Stages, Stages)
	nonNeg(&f, "ticketMinWan", l.TicketMinWan, 1e9)
	nonNeg(&f, "ticketMaxWan", l.TicketMaxWan, 1e9)
	if l.TicketMaxWan != 0 && l.TicketMinWan > l.TicketMaxWan {
		f.Add("ticketMaxWan", FieldRange, "must not be less than ticketMinWan")
	}
	nonNeg(&f, "minRevenueWan", l.MinRevenueWan, 1e12)
	for i, t := range l.Tiers {
		if !t.Valid() {
			f.Add(itemField("tiers", i), FieldUnknown, "must be one of none, innovative, specialized, hidden_champion, little_giant")
		}
	}
	nonNeg(&f, "minHoldingYears", l.MinHoldingYears, 100)
	nonNeg(&f, "amountWan", l.AmountWan, 1e9)
	if l.Stage != "" && !contains(Stages, l.Stage) {
		f.Add("stage", FieldUnknown, "must be one of seed, angel, A, B, C, pre-IPO")
	}
	if l.Instrument != "" && !contains(Instruments, l.Instrument) {
		f.Add("instrument", FieldUnknown, "must be one of equity, debt, convertible")
	}
	nonNeg(&f, "valuationWan", l.ValuationWan, 1e12)
	optionalText(&f, "useOfFunds", l.UseOfFunds, 1000)
	for i, h := range l.Hard {
		if !contains(HardFields, h) || !allowed[h] {
			f.Add(itemField("hard", i), FieldUnknown, "%q is not a field of a %s listing that can be a hard requirement", h, l.Kind)
		}
	}
	if l.Kind == KindFinancing && l.AmountWan == 0 {
		f.Add("amountWan", FieldRequired, "is required for a financing need")
	}
	return f.Err()
}
