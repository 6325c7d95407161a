// Package vocab normalises the words manufacturers use for processes (工艺),
// materials and quantities, so that records written by different firms can
// be compared: 压铸, 压力铸造 and 高压铸造 are one process; 6061铝合金 is an
// aluminium alloy; 5万件/月 is 600,000 件 a year.
//
// The tables are general manufacturing vocabulary of the platform's users,
// kept by hand. The package imports only the standard library, so any other
// package (matching, search) can use it without an import cycle.
package vocab

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// processGroups are wordings of one process concept; the first is the
// concept's canonical name. English and mixed wordings are lower case
// (Fold lower-cases before lookup).
var processGroups = [][]string{
	// casting (铸造)
	{"压铸", "压力铸造", "高压铸造", "压铸成型", "压铸加工", "die casting", "diecasting"},
	{"低压铸造", "low pressure casting"},
	{"重力铸造", "gravity casting"},
	{"真空压铸", "vacuum die casting"},
	{"砂型铸造", "砂铸", "翻砂", "翻砂铸造", "树脂砂铸造", "粘土砂铸造", "sand casting"},
	{"熔模铸造", "精密铸造", "失蜡铸造", "investment casting", "lost wax casting"},
	{"消失模铸造", "消失模", "lost foam casting"},
	{"离心铸造", "centrifugal casting"},
	{"浸渗", "真空浸渗", "浸渗处理", "含浸", "impregnation"},
	{"板栅铸造", "铸板", "连铸连轧板栅", "板栅制造"},
	// forging and forming (锻造、成形)
	{"锻造", "锻压", "forging"},
	{"模锻", "热模锻", "热锻", "闭式模锻", "die forging", "hot forging"},
	{"冷锻", "冷挤压", "冷成形", "冷成型", "cold forging", "cold extrusion"},
	{"冷镦", "冷镦成型", "多工位冷镦", "冷镦成形", "cold heading"},
	{"搓丝", "滚丝", "螺纹滚压", "滚压螺纹", "thread rolling"},
	{"冲压", "冲压成型", "五金冲压", "冲压加工", "stamping"},
	{"旋压", "spinning"},
	{"粉末冶金", "powder metallurgy"},
	// machining (机加工)
	{"数控加工", "cnc加工", "cnc", "精密机加工", "机加工", "机械加工", "精密加工", "数控机加工", "cnc machining", "machining"},
	{"五轴加工", "5轴加工", "五轴联动加工", "五轴cnc", "5轴cnc", "5-axis machining"},
	{"车削", "车加工", "数控车削", "数控车", "turning"},
	{"铣削", "铣加工", "数控铣", "milling"},
	{"钻孔", "钻削", "drilling"},
	{"磨削", "磨加工", "精密磨削", "grinding"},
	{"研磨", "精密研磨", "密封面研磨", "lapping"},
	{"超精加工", "超精研", "油石超精", "superfinishing"},
	{"珩磨", "honing"},
	{"滚齿", "齿轮滚切", "滚齿加工", "hobbing", "gear hobbing"},
	{"磨齿", "gear grinding"},
	{"电火花加工", "电火花", "edm放电加工", "放电加工", "电脉冲加工", "edm"},
	{"线切割", "慢走丝", "慢走丝线切割", "快走丝", "中走丝", "电火花线切割", "wire edm", "wire cutting"},
	{"激光切割", "laser cutting"},
	{"去毛刺", "deburring"},
	{"动平衡", "动平衡校正", "转子动平衡", "dynamic balancing"},
	// heat treatment (热处理)
	{"热处理", "heat treatment"},
	{"调质", "调质处理", "淬火回火", "淬火+回火", "quenching and tempering"},
	{"渗碳", "渗碳淬火", "carburizing"},
	{"渗氮", "氮化", "nitriding"},
	{"感应淬火", "高频淬火", "induction hardening"},
	// surface treatment (表面处理)
	{"抛丸", "抛丸清理", "喷丸", "喷丸处理", "shot blasting", "shot peening"},
	{"喷砂", "sandblasting", "sand blasting"},
	{"抛光", "抛光处理", "镜面抛光", "polishing"},
	{"电镀", "表面电镀", "镀层处理", "electroplating", "plating"},
	{"阳极氧化", "阳极氧化处理", "硬质氧化", "硬质阳极氧化", "anodizing", "anodising"},
	{"粉末喷涂", "静电喷涂", "喷粉", "喷塑", "powder coating"},
	{"喷漆", "喷油", "表面喷涂", "喷涂", "painting", "spray painting"},
	{"电泳", "电泳涂装", "e-coating"},
	{"达克罗", "dacromet"},
	{"防腐涂装", "重防腐涂装", "海洋防腐", "防腐处理", "anti-corrosion coating"},
	// joining (焊接、装配)
	{"焊接", "welding"},
	{"机器人焊接", "自动化焊接", "自动焊接", "robotic welding"},
	{"激光焊接", "laser welding"},
	{"超声波焊接", "超声波熔接", "超声焊接", "ultrasonic welding"},
	{"堆焊", "硬面堆焊", "密封面堆焊", "cladding", "hardfacing"},
	{"钎焊", "brazing"},
	{"车架焊接", "车架机器人焊接", "车架焊接成型"},
	{"触头焊接", "银点焊接", "银触点钎焊", "触点焊接"},
	{"装配", "组装", "总装", "装配加工", "assembly"},
	{"钢结构制作", "钢结构加工", "大型钢结构加工", "钢结构预制", "steel structure fabrication"},
	// plastics and rubber (塑料、橡胶)
	{"注塑", "注射成型", "注塑成型", "注射成形", "注塑加工", "injection molding", "injection moulding"},
	{"双色注塑", "双料注塑", "2k注塑", "双色成型", "two-shot molding"},
	{"洁净注塑", "无尘注塑", "十万级洁净注塑", "cleanroom molding"},
	{"包胶", "双色包胶", "手柄包胶", "overmolding"},
	{"挤出", "挤出成型", "挤塑", "精密挤出", "导管挤出", "extrusion"},
	{"吹塑", "吹塑成型", "blow molding"},
	{"造粒", "改性造粒", "挤出造粒", "pelletizing"},
	{"流延", "挤出流延", "流延成膜", "cast film"},
	{"硫化", "vulcanization"},
	// moulds (模具)
	{"模具设计", "开模设计", "模具开发", "开模", "mold design"},
	{"试模", "试模验证", "模具调试", "mold trial"},
	// electronics (电子)
	{"smt贴片", "smt", "表面贴装", "贴片加工", "贴片", "surface mount"},
	{"dip插件", "插件焊接", "插件", "波峰焊", "through-hole assembly", "wave soldering"},
	{"回流焊", "reflow soldering"},
	{"aoi检测", "aoi", "自动光学检测", "automated optical inspection"},
	{"pcb制板", "线路板制造", "电路板打样", "pcb制造", "pcb fabrication"},
	{"封装测试", "封测", "packaging and testing"},
	{"封装", "芯片封装", "packaging"},
	{"固晶", "die bond", "粘片", "die bonding"},
	{"引线键合", "wire bonding", "键合", "打线"},
	{"晶圆测试", "cp测试", "芯片测试", "wafer test"},
	{"晶圆制造", "流片", "前道工艺", "wafer fabrication"},
	{"mems工艺", "mems制造", "微机电加工", "mems fabrication"},
	{"标定", "传感器标定", "温度标定", "校准", "calibration"},
	{"老化测试", "高温老化", "burn-in测试", "老化试验", "burn-in"},
	{"emc测试", "电磁兼容测试", "emc整改", "emc testing"},
	{"灌封", "电子灌封", "灌胶", "potting"},
	{"绕线", "定子绕线", "电机绕线", "coil winding"},
	// batteries and photovoltaics (电池、光伏)
	{"极片涂布", "正负极涂布", "涂布", "electrode coating"},
	{"卷绕", "电芯卷绕", "卷绕工艺", "cell winding"},
	{"化成", "化成分容", "化成工艺", "formation"},
	{"pack组装", "电池包组装", "pack", "battery pack assembly"},
	{"涂板", "和膏涂板", "铅膏涂板", "grid pasting"},
	{"串焊", "电池片串焊", "自动串焊", "stringing"},
	{"层压", "真空层压", "组件层压", "lamination"},
	{"装框", "组件装框", "边框装配", "framing"},
	{"el检测", "电致发光检测", "隐裂检测", "el testing"},
	// textiles and leather (纺织、皮革)
	{"喷水织造", "水织", "喷水织机织造", "water jet weaving"},
	{"喷气织造", "气织", "喷气织机织造", "air jet weaving"},
	{"整经", "分条整经", "整经工序", "warping"},
	{"经编", "经编织造", "经编编织", "warp knitting"},
	{"加弹", "dty加弹", "假捻变形", "texturing"},
	{"定型", "热定型", "拉幅定型", "heat setting"},
	{"染色", "匹染", "染色加工", "dyeing"},
	{"印花", "数码印花", "圆网印花", "平网印花", "printing"},
	{"功能整理", "三防整理", "防水整理", "功能性整理", "functional finishing"},
	{"磨毛", "起绒", "拉毛", "brushing", "raising"},
	{"鞣制", "制革", "皮革鞣制", "tanning"},
	{"片皮", "剖层", "片皮加工", "splitting"},
	{"涂饰", "表面涂饰", "皮革涂饰", "leather finishing"},
	// chemicals and materials (化工、材料)
	{"聚合", "悬浮聚合", "乳液聚合", "polymerization"},
	{"氟化", "氟化反应", "液相氟化", "fluorination"},
	{"精馏", "精馏提纯", "蒸馏提纯", "提纯", "distillation", "purification"},
	{"有机合成", "化学合成", "合成工艺", "organic synthesis"},
	{"烧结", "ptfe烧结", "模压烧结", "sintering"},
	{"电晕处理", "表面电晕", "电晕", "corona treatment"},
	{"分切", "薄膜分切", "分条", "slitting"},
	{"灭菌", "环氧乙烷灭菌", "eo灭菌", "辐照灭菌", "sterilization"},
	// software and services (软件、服务)
	{"软件开发", "定制开发", "二次开发", "software development"},
	{"硬件开发", "终端开发", "嵌入式开发", "embedded development"},
	{"系统集成", "集成实施", "项目实施", "system integration"},
	{"平台部署", "物联网平台部署", "云平台搭建", "platform deployment"},
	{"运维", "运维服务", "驻场运维", "operation and maintenance"},
	// testing (检测)
	{"气密性测试", "密封性测试", "气密检测", "气密测试", "leak testing"},
	{"压力测试", "水压试验", "耐压试验", "pressure testing"},
	{"整车测试", "整车检测", "路试", "vehicle testing"},
}

// materialClasses map material grades and wordings to a material class:
// a need for 铝合金 is met by ADC12 or 6061. A wording belongs to a class
// when it contains one of the class's markers (after Fold); grade prefixes
// are matched at the start.
var materialClasses = []struct {
	class    string
	contains []string
	prefixes []string
}{
	{"铝合金", []string{"铝合金", "铝材", "aluminium", "aluminum", "alsi"}, []string{"adc", "a380", "a356", "6061", "6063", "6082", "7075", "5052", "zl1"}},
	{"不锈钢", []string{"不锈钢", "stainless"}, []string{"304", "316", "201", "sus"}},
	{"球墨铸铁", []string{"球墨铸铁", "球铁", "ductile"}, []string{"qt"}},
	{"灰铸铁", []string{"灰铸铁", "灰铁"}, []string{"ht"}},
	{"铸钢", []string{"铸钢"}, []string{"zg"}},
	{"轴承钢", []string{"轴承钢"}, []string{"gcr", "g20cr", "suj"}},
	{"模具钢", []string{"模具钢"}, []string{"s136", "nak80", "718", "p20", "h13", "skd", "cr12"}},
	{"合金钢", []string{"合金钢", "合金结构钢", "铬钼钢"}, []string{"42crmo", "40cr", "20crmnti", "scm", "ml40cr", "10b21", "35crmo", "20cr"}},
	{"碳钢", []string{"碳钢", "碳素钢"}, []string{"45#", "q235", "q345", "q355", "ml08", "swrch"}},
	{"铜合金", []string{"黄铜", "紫铜", "青铜", "铜合金", "brass", "copper"}, []string{"hpb", "h62", "h59", "c36"}},
	{"钛合金", []string{"钛合金", "titanium"}, []string{"tc4", "ta2"}},
	{"工程塑料", []string{"工程塑料", "尼龙", "聚碳酸酯", "pom", "pbt", "peek"}, []string{"pa6", "pa66", "pc/abs", "pc"}},
	{"通用塑料", []string{"聚丙烯", "聚乙烯", "pvc"}, []string{"pp", "pe", "abs", "ps"}},
	{"涤纶", []string{"涤纶", "聚酯", "polyester"}, []string{"dty", "fdy", "poy"}},
	{"锦纶", []string{"锦纶", "尼龙长丝", "nylon"}, nil},
	{"橡胶", []string{"橡胶", "硅胶", "rubber", "silicone", "tpr", "tpe"}, nil},
	{"含氟材料", []string{"四氟", "含氟", "氟树脂", "ptfe", "pvdf", "fep"}, nil},
}

var (
	loadOnce sync.Once
	// wording (folded) → canonical concept (folded)
	processOf map[string]string
	// canonical concept → display name (the first wording as written)
	processName map[string]string
	// every wording, longest first, for scanning text
	processWordings []string
)

func load() {
	loadOnce.Do(func() {
		processOf = map[string]string{}
		processName = map[string]string{}
		for _, g := range processGroups {
			canon := Fold(g[0])
			processName[canon] = g[0]
			for _, w := range g {
				f := Fold(w)
				if _, dup := processOf[f]; !dup {
					processOf[f] = canon
					processWordings = append(processWordings, f)
				}
			}
		}
		sort.SliceStable(processWordings, func(i, j int) bool {
			return utf8.RuneCountInString(processWordings[i]) > utf8.RuneCountInString(processWordings[j])
		})
	})
}

// Fold normalises a wording for comparison: full-width forms to half-width,
// lower case, and no spaces, hyphens or dots between CJK characters and
// Latin letters or digits ("ＣＮＣ 加工" → "cnc加工").
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevSpace := false
	for _, r := range s {
		switch {
		case r == 0x3000:
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		}
		r = unicode.ToLower(r)
		if unicode.IsSpace(r) {
			prevSpace = true
			continue
		}
		if prevSpace && b.Len() > 0 {
			// keep one space between two Latin words ("wire edm"), drop it
			// next to CJK ("ＣＮＣ 加工")
			last, _ := utf8.DecodeLastRuneInString(b.String())
			if isLatin(last) && isLatin(r) {
				b.WriteByte(' ')
			}
		}
		prevSpace = false
		b.WriteRune(r)
	}
	return b.String()
}

func isLatin(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// Process returns the concept a process wording names: the folded canonical
// name of its group, or the folded wording itself when it is in no group.
func Process(w string) string {
	load()
	f := Fold(w)
	if c, ok := processOf[f]; ok {
		return c
	}
	return f
}

// ProcessName returns how a concept returned by Process is written for
// people (压铸, SMT贴片).
func ProcessName(concept string) string {
	load()
	if n, ok := processName[concept]; ok {
		return n
	}
	return concept
}

// Processes returns the concepts of a list of wordings, without repeats,
// in the order given.
func Processes(ws []string) []string {
	var out []string
	for _, w := range ws {
		if c := Process(w); c != "" && !contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// FindProcesses returns the concepts whose wordings occur in free text,
// longest wordings first, each stretch of text counted once (树脂砂铸造 is
// sand casting, not also 铸造).
func FindProcesses(text string) []string {
	load()
	f := Fold(text)
	var out []string
	for _, w := range processWordings {
		if !isCJKWord(w) {
			// Latin wordings (cnc, smt, pack) only as whole words
			if !hasWord(f, w) {
				continue
			}
		} else if !strings.Contains(f, w) {
			continue
		}
		f = strings.ReplaceAll(f, w, "\x00")
		if c := processOf[w]; !contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func isCJKWord(w string) bool {
	for _, r := range w {
		if r >= 0x2E80 {
			return true
		}
	}
	return false
}

// hasWord reports whether w occurs in f not inside a longer Latin word.
func hasWord(f, w string) bool {
	for i := 0; ; {
		j := strings.Index(f[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(f[:start])
		after, _ := utf8.DecodeRuneInString(f[end:])
		if (start == 0 || !isLatin(before)) && (end == len(f) || !isLatin(after)) {
			return true
		}
		i = end
	}
}

// ProcessMatch says how well an offered process concept meets a required
// one: 1 for the same concept, 0.5 when one names a variant of the other
// (机器人焊接 for 焊接, 数控车削 is already 车削), 0 otherwise.
func ProcessMatch(required, offered string) float64 {
	switch {
	case required == "" || offered == "":
		return 0
	case required == offered:
		return 1
	case utf8.RuneCountInString(required) >= 2 && utf8.RuneCountInString(offered) >= 2 &&
		(strings.Contains(offered, required) || strings.Contains(required, offered)):
		return 0.5
	}
	return 0
}

// MaterialClass returns the class a material belongs to (铝合金 for
// ADC12铝合金 or 6061), or "" when none is known.
func MaterialClass(w string) string {
	f := Fold(w)
	for _, c := range materialClasses {
		for _, s := range c.contains {
			if strings.Contains(f, s) {
				return c.class
			}
		}
		for _, p := range c.prefixes {
			if strings.HasPrefix(f, p) {
				return c.class
			}
		}
	}
	return ""
}

// MaterialMatch says how well an offered material meets a required one: 1
// for the same material or when one names the other within it (304不锈钢 for
// 不锈钢), 0.6 for the same class (ADC12 for 6061铝合金), 0 otherwise.
func MaterialMatch(required, offered string) float64 {
	r, o := Fold(required), Fold(offered)
	switch {
	case r == "" || o == "":
		return 0
	case r == o:
		return 1
	case utf8.RuneCountInString(r) >= 2 && utf8.RuneCountInString(o) >= 2 && (strings.Contains(o, r) || strings.Contains(r, o)):
		return 1
	}
	if c := MaterialClass(r); c != "" && c == MaterialClass(o) {
		return 0.6
	}
	return 0
}

// unitScales are multiplier prefixes of Chinese and SI units.
var unitScales = []struct {
	prefix string
	scale  float64
}{
	{"亿", 1e8}, {"万", 1e4}, {"千", 1e3}, {"百", 1e2},
}

// siUnits are units with SI prefixes, base first.
var siUnits = map[string]struct {
	base  string
	scale float64
}{
	"kw": {"w", 1e3}, "mw": {"w", 1e6}, "gw": {"w", 1e9},
	"kwh": {"wh", 1e3}, "mwh": {"wh", 1e6}, "gwh": {"wh", 1e9},
	"kg": {"g", 1e3}, "千克": {"g", 1e3}, "公斤": {"g", 1e3}, "吨": {"g", 1e6}, "t": {"g", 1e6},
}

// BaseUnit splits a unit into its base and a scale: 万件 → (件, 10000),
// MWh → (wh, 1e6), 吨 → (g, 1e6). Values in units with the same base can
// be compared after scaling; different bases cannot.
func BaseUnit(unit string) (string, float64) {
	u := Fold(unit)
	scale := 1.0
	for _, p := range unitScales {
		if rest, ok := strings.CutPrefix(u, p.prefix); ok && rest != "" {
			u, scale = rest, p.scale
			break
		}
	}
	if si, ok := siUnits[u]; ok {
		return si.base, scale * si.scale
	}
	return u, scale
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
