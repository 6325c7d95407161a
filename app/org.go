package app

import (
	"time"
)

// OrgType is what kind of organisation an Org is.
type OrgType string

// Organisation types. OrgEnterprise is a lead enterprise (龙头企业); OrgInstitution
// a university or research institute (高校院所) offering technology.
const (
	OrgSME         OrgType = "sme"
	OrgEnterprise  OrgType = "enterprise"
	OrgInvestor    OrgType = "investor"
	OrgInstitution OrgType = "institution"
	OrgOrganizer   OrgType = "organizer"
)

// OrgTypes lists every organisation type.
var OrgTypes = []OrgType{OrgSME, OrgEnterprise, OrgInvestor, OrgInstitution, OrgOrganizer}

// Valid reports whether t is a known organisation type.
func (t OrgType) Valid() bool {
	for _, v := range OrgTypes {
		if v == t {
			return true
		}
	}
	return false
}

// Tier is an SME's cultivation tier in the 专精特新 ladder.
type Tier string

// Tiers, lowest first: 创新型中小企业, 省级专精特新, 隐形冠军, 国家级专精特新"小巨人".
const (
	TierNone           Tier = "none"
	TierInnovative     Tier = "innovative"
	TierSpecialized    Tier = "specialized"
	TierHiddenChampion Tier = "hidden_champion"
	TierLittleGiant    Tier = "little_giant"
)

// Tiers lists every tier, lowest first.
var Tiers = []Tier{TierNone, TierInnovative, TierSpecialized, TierHiddenChampion, TierLittleGiant}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool {
	for _, v := range Tiers {
		if v == t {
			return true
		}
	}
	return false
}

// Contact is how to reach an organisation; it is a sensitive field.
type Contact struct {
	Name  string `json:"name,omitempty" bson:"name,omitempty"`
	Phone string `json:"phone,omitempty" bson:"phone,omitempty"`
	Email string `json:"email,omitempty" bson:"email,omitempty"`
}

// Org is an organisation: an SME, a lead enterprise, an investor, an institution
// or an event organizer. Its fields follow the interchange format.
type Org struct {
	ID             string   `json:"id" bson:"_id"`
	Ref            string   `json:"ref,omitempty" bson:"ref,omitempty"`
	Name           string   `json:"name" bson:"name"`
	USCC           string   `json:"uscc,omitempty" bson:"uscc,omitempty"`
	Type           OrgType  `json:"orgType" bson:"orgType"`
	Region         string   `json:"region,omitempty" bson:"region,omitempty"`
	Industry       string   `json:"industry,omitempty" bson:"industry,omitempty"`
	Tier           Tier     `json:"tier,omitempty" bson:"tier,omitempty"`
	Founded        int      `json:"founded,omitempty" bson:"founded,omitempty"`
	Employees      int      `json:"employees,omitempty" bson:"employees,omitempty"`
	RevenueWan     float64  `json:"revenueWan,omitempty" bson:"revenueWan,omitempty"`
	RDRatio        float64  `json:"rdRatio,omitempty" bson:"rdRatio,omitempty"`
	Patents        int      `json:"patents,omitempty" bson:"patents,omitempty"`
	Certifications []string `json:"certifications,omitempty" bson:"certifications,omitempty"`
	Products       []string `json:"products,omitempty" bson:"products,omitempty"`
	Description    string   `json:"description,omitempty" bson:"description,omitempty"`
	Website        string   `json:"website,omitempty" bson:"website,omitempty"`
	Contact        *Contact `json:"contact,omitempty" bson:"contact,omitempty"`

	Verified   bool       `json:"verified" bson:"verified"`
	VerifiedAt *time.Time `json:"verifiedAt,omitempty" bson:"verifiedAt,omitempty"`
	CreatedAt  time.Time  `json:"createdAt" bson:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt" bson:"updatedAt"`

	// Seq is the store's update sequence number of the last write, used to
	// keep derived state such as the search index in step. Adapters set it.
	Seq int64 `json:"-" bson:"seq"`
	// RegionKeys and IndustryKeys are the codes and all their ancestors, for
	// prefix filters. The use cases set them before every write.
	RegionKeys   []string `json:"-" bson:"regionKeys,omitempty"`
	IndustryKeys []string `json:"-" bson:"industryKeys,omitempty"`
}

// Summary returns the part of an organisation that is copied onto its listings.
func (o *Org) Summary() OrgSummary {
	return OrgSummary{ID: o.ID, Ref: o.Ref, Name: o.Name, Type: o.Type, Region: o.Region,
		Industry: o.Industry, Tier: o.Tier, Verified: o.Verified}
}

// OrgSummary is an organisation as shown on its listings. Stores keep a copy on
// every listing, refreshed when the organisation changes, so lists can filter by
// the owner's region, tier and verification without a join.
type OrgSummary struct {
	ID       string  `json:"id" bson:"id"`
	Ref      string  `json:"ref,omitempty" bson:"ref,omitempty"`
	Name     string  `json:"name" bson:"name"`
	Type     OrgType `json:"orgType" bson:"orgType"`
	Region   string  `json:"region,omitempty" bson:"region,omitempty"`
	Industry string  `json:"industry,omitempty" bson:"industry,omitempty"`
	Tier     Tier    `json:"tier,omitempty" bson:"tier,omitempty"`
	Verified bool    `json:"verified" bson:"verified"`
}

// Limits on organisation fields, counted in runes.
const (
	MaxNameRunes        = 100
	MaxTitleRunes       = 120
	MaxDescriptionRunes = 5000
	MaxShortRunes       = 60
	MaxListItems        = 50
)

// Validate checks an organisation's shape, codes and limits.
func (o *Org) Validate() error {
	var f Fields
	requiredText(&f, "name", o.Name, MaxNameRunes)
	if !o.Type.Valid() {
		f.Add("orgType", FieldUnknown, "must be one of sme, enterprise, investor, institution, organizer")
	}
	if o.USCC != "" {
		if !ValidUSCC(o.USCC) {
			f.Add("uscc", FieldFormat, "is not a valid 统一社会信用代码 (18 characters with a GB 32100-2015 check character)")
		}
	} else if o.Type == OrgSME || o.Type == OrgEnterprise {
		f.Add("uscc", FieldRequired, "is required for SMEs and enterprises")
	}
	regionCode(&f, "region", o.Region)
	industryCode(&f, "industry", o.Industry)
	if o.Tier != "" && !o.Tier.Valid() {
		f.Add("tier", FieldUnknown, "must be one of none, innovative, specialized, hidden_champion, little_giant")
	}
	if o.Founded != 0 && (o.Founded < 1800 || o.Founded > 2100) {
		f.Add("founded", FieldRange, "must be a year between 1800 and 2100")
	}
	nonNegInt(&f, "employees", o.Employees, 10_000_000)
	nonNeg(&f, "revenueWan", o.RevenueWan, 1e12)
	if o.RDRatio < 0 || o.RDRatio > 1 {
		f.Add("rdRatio", FieldRange, "must be between 0 and 1")
	}
	nonNegInt(&f, "patents", o.Patents, 1_000_000)
	textList(&f, "certifications", o.Certifications, MaxShortRunes)
	textList(&f, "products", o.Products, MaxShortRunes)
	optionalText(&f, "description", o.Description, MaxDescriptionRunes)
	optionalText(&f, "website", o.Website, 200)
	if o.Contact != nil {
		optionalText(&f, "contact.name", o.Contact.Name, MaxShortRunes)
		if o.Contact.Phone != "" && !ValidPhone(o.Contact.Phone) && !validLandline(o.Contact.Phone) {
			f.Add("contact.phone", FieldFormat, "must be a mainland mobile or landline number")
		}
		if o.Contact.Email != "" && !ValidEmail(o.Contact.Email) {
			f.Add("contact.email", FieldFormat, "must be an e-mail address")
		}
	}
	return f.Err()
}

// Normalize trims text, folds full-width characters in codes and
// certifications and fills derived keys. Call it before Validate.
func (o *Org) Normalize() {
	o.Name = cleanText(o.Name)
	if o.USCC != "" {
		o.USCC = NormalizeUSCC(o.USCC)
	}
	o.Region = FoldWidth(o.Region)
	o.Industry = FoldWidth(o.Industry)
	o.Certifications = normalizeCerts(o.Certifications)
	o.Products = cleanList(o.Products)
	o.Description = cleanText(o.Description)
	if o.Type == OrgSME && o.Tier == "" {
		o.Tier = TierNone
	}
	o.RegionKeys = RegionKeys(o.Region)
	o.IndustryKeys = IndustryKeys(o.Industry)
}
