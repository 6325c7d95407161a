package search

import (
	"slices"
	"strings"
)

// This file holds the package's hand-kept vocabulary: domain words for the
// segmenter, the query-time synonym table, query stop words and a small
// traditional → simplified character map. The lists are general manufacturing
// and policy vocabulary of the platform's users, not tuned to any test query.

// domainTerms are industry, process, material, certification and policy words
// that gse's general dictionary lacks or ranks too low to keep whole.
var domainTerms = []string{
	// policy and programmes
	"专精特新", "小巨人", "专精特新小巨人", "隐形冠军", "单项冠军", "创新型中小企业", "培育库",
	"龙头企业", "链主企业", "高新技术企业", "科技型中小企业", "产业链", "供应链", "协作配套",
	"科技成果", "成果转化", "技术转让", "技术许可", "合作开发", "联合攻关", "股权融资", "债权融资",
	"天使轮", "种子轮", "可转债", "投前估值", "流动资金",
	// casting, forging, forming
	"压铸", "压铸件", "压力铸造", "高压铸造", "低压铸造", "重力铸造", "真空压铸", "半固态压铸",
	"砂型铸造", "树脂砂铸造", "消失模", "消失模铸造", "熔模铸造", "精密铸造", "离心铸造", "铸件",
	"铝压铸件", "铝合金压铸件", "压铸模具", "压铸模", "球墨铸铁", "球铁", "灰铸铁", "铸铁件",
	"锻造", "锻件", "精密锻件", "模锻", "热锻", "冷锻", "温锻", "自由锻", "冷镦", "热镦", "粉末冶金",
	"冲压", "冲压件", "冲压模具", "级进模", "连续模", "拉伸模", "钣金", "折弯", "旋压", "辊压",
	"真空浸渗", "浸渗",
	// machining
	"数控加工", "CNC加工", "精密机加工", "机加工", "机械加工", "精密加工", "车削", "铣削", "磨削",
	"钻削", "镗削", "车铣复合", "五轴加工", "加工中心", "数控车床", "线切割", "慢走丝", "快走丝",
	"电火花", "电火花加工", "激光切割", "激光焊接", "激光加工", "去毛刺", "抛光", "研磨", "珩磨",
	"攻丝", "滚齿", "插齿", "磨齿", "剃齿", "开模", "试模", "模具设计",
	// joining, heat and surface treatment
	"焊接", "氩弧焊", "机器人焊接", "自动化焊接", "点焊", "钎焊", "摩擦焊", "热处理", "淬火", "回火",
	"渗碳", "渗氮", "调质", "感应淬火", "表面处理", "电镀", "镀锌", "镀镍", "镀铬", "阳极氧化",
	"硬质阳极氧化", "喷涂", "粉末喷涂", "静电喷涂", "喷塑", "喷漆", "电泳", "电泳涂装", "达克罗",
	"发黑", "钝化", "喷砂", "抛丸",
	// plastics and rubber
	"注塑", "注塑件", "注塑机", "注塑模具", "注射成型", "注塑成型", "注射模具", "塑料模具", "塑胶模具",
	"双色注塑", "嵌件注塑", "吹塑", "挤出", "吸塑", "模压", "硫化", "塑胶件", "塑料件", "改性塑料",
	// electronics
	"SMT", "SMT贴片", "表面贴装", "回流焊", "波峰焊", "插件", "PCBA", "印制电路板", "线路板",
	"电路板", "多层板", "HDI", "柔性电路板", "封装测试", "封测", "晶圆", "芯片封装", "功率器件",
	"功率半导体", "功率模块", "碳化硅", "氮化镓", "IGBT", "MOSFET", "传感器", "压力传感器",
	"温度传感器", "位移传感器", "MEMS", "银烧结",
	// textiles and leather
	"经编", "纬编", "针织", "织造", "经编面料", "针织面料", "化纤面料", "涤纶面料", "锦纶面料",
	"印染", "染整", "染色", "印花", "数码印花", "定型", "磨毛", "拉毛", "涂层", "复合面料",
	"皮革", "鞣制", "制革", "牛皮", "合成革", "超纤革",
	// chemicals and materials
	"含氟聚合物", "氟树脂", "氟橡胶", "聚四氟乙烯", "PTFE", "PVDF", "FEP", "含氟精细化学品",
	"氟化工", "含氟中间体", "电子级", "提纯", "精馏", "光伏胶膜", "EVA胶膜", "POE胶膜", "封装胶膜",
	"头层皮", "二层皮", "头层牛皮", "皮料", "羊皮", "猪皮",
	"铝合金", "不锈钢", "碳钢", "合金钢", "轴承钢", "模具钢", "硬质合金", "黄铜", "紫铜", "青铜",
	"工程塑料", "尼龙", "聚碳酸酯", "ABS",
	// machinery and parts
	"轴承", "滚动轴承", "滚珠轴承", "深沟球轴承", "圆锥滚子轴承", "调心轴承", "滑动轴承",
	"减速机", "减速器", "齿轮减速机", "行星减速机", "蜗轮蜗杆", "齿轮箱", "变速箱", "齿轮",
	"水泵", "离心泵", "潜水泵", "屏蔽泵", "管道泵", "阀门", "工业阀门", "水暖阀门", "球阀", "蝶阀",
	"闸阀", "截止阀", "止回阀", "调节阀", "安全阀", "电磁阀", "铜阀门", "气动元件", "气缸",
	"气动阀", "紧固件", "螺栓", "螺母", "螺钉", "螺丝", "垫圈", "标准件", "非标件", "精密零部件",
	"机械零部件", "精密机械零部件", "非标零部件", "低压电器", "断路器", "接触器", "继电器",
	"配电箱", "开关柜", "五金工具", "手工具", "手动工具", "电动工具", "扳手", "钳子", "螺丝刀",
	"电钻", "角磨机", "电锤", "园林工具",
	// energy and vehicles
	"新能源", "新能源汽车", "电动汽车", "电驱", "电驱壳体", "电机壳体", "电池壳体", "制动系统",
	"制动器", "刹车片", "制动盘", "汽车零部件", "光伏", "光伏组件", "光伏逆变器", "逆变器",
	"储能", "储能变流器", "太阳能电池", "锂电池", "锂离子电池", "动力电池", "储能电池", "电芯",
	"PACK", "电池包", "铅蓄电池", "铅酸电池", "蓄电池", "电动自行车", "电动车", "助动车",
	"船用配套设备", "船舶配套", "甲板机械", "海洋工程装备", "海工装备", "海上风电",
	// medical
	"医疗器械", "医疗设备", "医用耗材", "监护仪", "医疗诊断", "体外诊断", "注射器", "输液器",
	"一次性医疗器械",
	// software and IoT
	"工业软件", "工业互联网", "工业物联网", "物联网", "MES", "制造执行系统", "ERP", "PLM", "SCADA",
	"数字孪生", "边缘计算", "机器视觉", "智能制造", "数字化车间",
	// longer words that begin with a shorter synonym-table term and mean
	// something else (轮毂电机 is not 轮毂 + 电机); a query keeps them whole
	"电脑绣花", "电脑横机", "电缆桥架", "轮毂电机", "聚乙烯醇", "聚丙烯酰胺",
	"聚丙烯腈", "醋酸乙烯", "硫酸铵", "硫酸铜", "硫酸镍", "硫酸亚铁", "硝酸铵", "硝酸钾",
	// certifications
	"IATF16949", "ISO9001", "ISO14001", "ISO45001", "ISO13485", "AS9100", "OEKO-TEX", "GRS",
}

// synonymGroups are words that mean the same thing to a buyer. At query time
// a word of a group also searches for the group's other words, at a lower
// weight (see expandSynonyms). English and mixed spellings are lower case.
var synonymGroups = append([][]string{
	// processes
	{"压铸", "压力铸造", "高压铸造", "die casting", "diecasting"},
	{"数控加工", "cnc加工", "cnc", "精密机加工", "机加工", "机械加工", "cnc machining", "machining"},
	{"注塑", "注射成型", "注塑成型", "注射成形", "injection molding", "injection moulding"},
	{"冲压", "冲压成型", "stamping"},
	{"锻造", "锻压", "forging"},
	{"焊接", "welding"},
	{"热处理", "heat treatment"},
	{"电镀", "plating", "electroplating"},
	{"阳极氧化", "anodizing", "anodising"},
	{"喷涂", "涂装", "喷漆", "coating", "painting"},
	{"粉末喷涂", "喷粉", "静电喷涂", "喷塑", "powder coating"},
	{"线切割", "慢走丝", "wire edm", "电火花线切割"},
	{"激光切割", "laser cutting"},
	{"表面贴装", "smt贴片", "smt", "贴片"},
	{"装配", "组装", "总装", "装配加工", "assembly"},
	{"砂型铸造", "翻砂", "sand casting"},
	{"熔模铸造", "精密铸造", "失蜡铸造", "investment casting", "precision casting"},
	{"抛光", "polishing"},
	{"车削", "车加工", "turning"},
	{"铣削", "铣加工", "milling"},
	{"磨削", "磨加工", "grinding"},
	{"钻孔", "钻削", "drilling"},
	{"五轴加工", "5轴加工", "五轴cnc", "5轴cnc", "5-axis machining"},
	{"电火花", "电火花加工", "edm"},
	{"去毛刺", "deburring"},
	{"喷砂", "sandblasting", "sand blasting"},
	{"抛丸", "抛丸清理", "shot blasting"},
	{"挤出", "挤出成型", "挤塑", "extrusion"},
	{"吹塑", "吹塑成型", "blow molding"},
	{"回流焊", "reflow soldering", "reflow"},
	{"波峰焊", "wave soldering"},
	{"老化测试", "老化试验", "burn-in", "burn in"},
	{"检测", "测试", "检验", "testing", "inspection"},
	{"后整理", "finishing"},
	{"针织", "knitting"},
	{"织造", "weaving"},
	{"经编", "经编织造", "warp knitting"},
	{"涂层", "涂布", "coating process"},
	{"复合", "贴合", "lamination"},
	{"染色", "dyeing"},
	{"印花", "textile printing", "fabric printing"},
	// products
	{"压铸件", "压铸零件", "die castings"},
	{"铝压铸件", "铝合金压铸件", "压铸铝件", "aluminum die castings"},
	{"注塑模具", "注射模具", "注塑模", "塑料模具", "塑胶模具", "injection mold", "injection mould"},
	{"冲压模具", "冲模", "五金模具", "stamping die"},
	{"级进模", "连续模", "progressive die"},
	{"压铸模具", "压铸模", "die casting mold", "die casting die"},
	{"模具", "mold", "mould"},
	{"注塑件", "塑料件", "塑胶件", "塑料零件", "注塑制品", "plastic parts"},
	{"注塑机", "注射成型机", "injection molding machine"},
	{"球墨铸铁件", "球铁件", "球墨铸铁", "球铁", "ductile iron castings", "ductile iron"},
	{"铸件", "铸造件", "castings", "casting"},
	{"锻件", "锻造件", "forgings"},
	{"轴承", "bearing", "bearings"},
	{"滚动轴承", "滚珠轴承", "球轴承", "深沟球轴承", "ball bearing", "ball bearings", "rolling bearing"},
	{"减速机", "减速器", "齿轮减速机", "齿轮箱", "变速箱", "gearbox", "gear box", "reducer", "gear reducer", "speed reducer"},
	{"齿轮", "gear", "gears"},
	{"水泵", "泵", "pump", "pumps", "water pump"},
	{"离心泵", "centrifugal pump"},
	{"潜水泵", "潜水电泵", "submersible pump"},
	{"阀门", "阀", "valve", "valves"},
	{"工业阀门", "industrial valve", "industrial valves"},
	{"蝶阀", "butterfly valve"},
	{"球阀", "ball valve"},
	{"闸阀", "gate valve"},
	{"截止阀", "globe valve"},
	{"止回阀", "单向阀", "check valve"},
	{"铜阀门", "黄铜阀门", "铜阀", "brass valve"},
	{"水暖阀门", "卫浴阀门", "水龙头", "plumbing valve"},
	{"气动元件", "气动元器件", "气动件", "pneumatic components", "pneumatic"},
	{"气缸", "cylinder", "pneumatic cylinder"},
	{"电磁阀", "solenoid valve"},
	{"紧固件", "标准件", "fastener", "fasteners"},
	{"螺栓", "bolt", "bolts"},
	{"螺母", "螺帽", "nut", "nuts"},
	{"螺钉", "螺丝", "screw", "screws"},
	{"精密机械零部件", "精密零部件", "精密零件", "机械零部件", "机械零件", "precision parts", "machined parts"},
	{"低压电器", "低压开关", "low voltage electrical", "low-voltage apparatus"},
	{"断路器", "空气开关", "circuit breaker"},
	{"接触器", "contactor"},
	{"继电器", "relay"},
	{"光伏组件", "太阳能电池板", "太阳能板", "光伏板", "太阳能组件", "solar panel", "solar module", "pv module"},
	{"光伏", "太阳能", "太阳能电池", "photovoltaic", "pv", "solar"},
	{"光伏逆变器", "太阳能逆变器", "solar inverter", "pv inverter"},
	{"逆变器", "inverter"},
	{"光伏胶膜", "封装胶膜", "eva胶膜", "poe胶膜", "encapsulant film", "solar encapsulant", "eva film", "poe film"},
	{"锂离子电池", "锂电池", "锂电", "lithium battery", "li-ion battery", "lithium-ion battery"},
	{"电池包", "pack组装", "battery pack"},
	{"铅蓄电池", "铅酸电池", "铅酸蓄电池", "lead-acid battery", "lead acid battery"},
	{"五金工具", "手工具", "手动工具", "hand tools", "hand tool"},
	{"电动工具", "power tools", "power tool"},
	{"扳手", "wrench", "spanner"},
	{"钳子", "pliers"},
	{"化纤面料", "化纤布", "化纤织物", "synthetic fabric"},
	{"涤纶", "聚酯纤维", "polyester"},
	{"涤纶面料", "涤纶布", "涤纶织物", "polyester fabric"},
	{"经编面料", "经编布", "经编织物", "warp knitted fabric"},
	{"针织面料", "针织布", "knitted fabric"},
	{"印染", "染整", "染整加工", "printing and dyeing", "dyeing and finishing"},
	{"皮革", "真皮", "皮料", "leather"},
	{"头层皮", "头层牛皮", "头层革", "top grain leather", "full grain leather"},
	{"牛皮", "牛皮革", "cowhide"},
	{"鞣制", "制革", "tanning"},
	{"含氟聚合物", "氟聚合物", "氟树脂", "氟塑料", "fluoropolymer", "fluoropolymers"},
	{"聚四氟乙烯", "ptfe", "特氟龙", "teflon"},
	{"含氟精细化学品", "氟精细化学品", "含氟中间体", "fluorochemicals", "fluorine chemicals"},
	{"医疗诊断监护设备", "医疗设备", "医疗仪器", "medical equipment", "medical device"},
	{"监护仪", "监护设备", "patient monitor"},
	{"医用耗材", "医疗耗材", "一次性医疗器械", "medical consumables", "medical disposables"},
	{"导管", "医用导管", "catheter", "catheters"},
	{"注射器", "syringe", "syringes"},
	{"输液器", "infusion set"},
	{"功率半导体器件", "功率半导体", "功率器件", "power semiconductor", "power semiconductors", "power devices"},
	{"二极管", "diode", "diodes"},
	{"晶闸管", "可控硅", "thyristor"},
	{"集成电路封装测试", "集成电路封测", "芯片封测", "封装测试", "封测", "osat", "ic packaging", "chip packaging", "semiconductor packaging"},
	{"集成电路", "芯片", "ic", "chip", "chips"},
	{"印制电路板", "印刷电路板", "印刷线路板", "线路板", "电路板", "pcb", "printed circuit board", "pcb board"},
	{"柔性电路板", "软板", "fpc", "flexible printed circuit"},
	{"pcba", "电路板组装", "pcb assembly"},
	{"传感器", "敏感元件", "sensor", "sensors", "sensing element", "transducer"},
	{"工业软件", "industrial software"},
	{"制造执行系统", "mes", "manufacturing execution system"},
	{"企业资源计划", "erp"},
	{"产品生命周期管理", "plm"},
	{"数据采集与监控", "scada"},
	{"工业物联网", "工业互联网", "iiot", "industrial iot", "industrial internet"},
	{"设备联网", "设备互联", "数据采集", "machine connectivity", "data acquisition"},
	{"边缘网关", "物联网网关", "edge gateway", "iot gateway"},
	{"物联网", "iot"},
	{"电动自行车", "电动车", "电瓶车", "电单车", "e-bike", "ebike", "electric bicycle"},
	{"新能源汽车", "电动汽车", "新能源车", "ev", "electric vehicle"},
	{"汽车零部件", "汽车配件", "汽配", "auto parts", "automotive parts"},
	{"汽车制动系统零部件", "制动系统零部件", "刹车系统", "制动零部件", "brake parts"},
	{"制动器", "刹车", "brake", "brakes"},
	{"制动卡钳", "刹车卡钳", "卡钳", "brake caliper"},
	{"制动盘", "刹车盘", "brake disc", "brake rotor"},
	{"刹车片", "制动片", "制动衬片", "brake pad", "brake pads"},
	{"电驱壳体", "电机壳体", "电驱动壳体", "motor housing", "e-drive housing"},
	{"电池壳体", "电池箱体", "battery housing", "battery enclosure"},
	{"船用配套设备", "船舶配套", "船用设备", "marine equipment"},
	{"海洋工程装备", "海工装备", "海洋装备", "海工", "offshore equipment", "offshore engineering"},
	{"海上风电", "offshore wind"},
	{"铝合金", "铝", "aluminum", "aluminium"},
	{"不锈钢", "stainless steel"},
	// policy
	{"专精特新", "专精特新企业"},
	{"小巨人", "专精特新小巨人", "little giant"},
	{"隐形冠军", "单项冠军", "hidden champion"},
}, tradeSynonyms...)

// stopWords are query words that say nothing about what is sought
// (能做…的厂家, 寻找…供应商); they are dropped from queries that have other words.
var stopWords = map[string]bool{
	"的": true, "了": true, "和": true, "与": true, "及": true, "或": true, "在": true, "有": true,
	"能": true, "能做": true, "可": true, "可以": true, "会": true, "做": true, "找": true, "寻找": true,
	"求": true, "求购": true, "需要": true, "想": true, "要": true, "哪家": true, "哪些": true,
	"哪里": true, "什么": true, "相关": true, "一下": true, "提供": true, "厂家": true, "厂商": true,
	"工厂": true, "厂": true, "企业": true, "公司": true, "供应商": true, "单位": true, "服务": true,
	"承接": true, "专业": true, "我们": true, "我": true, "请": true, "推荐": true, "附近": true,
	"优质": true, "靠谱": true, "一家": true, "家": true, "生产": true, "制造": true, "生产商": true,
	"制造商": true, "供应": true, "采购": true, "合作": true, "具备": true, "具有": true, "拥有": true,
	"认证": true, "通过": true, "资质": true, "持有": true, "带": true, "做过": true, "能力": true,
	"the": true, "a": true, "an": true, "of": true, "and": true, "for": true, "with": true,
	"工艺": true, "要求": true, "配套": true, "产品": true, "业务": true, "类": true, "等": true,
	"各类": true, "各种": true, "用于": true, "加工": true, "定制": true, "一些": true, "哪": true,
	"supplier": true, "suppliers": true, "manufacturer": true, "factory": true,
}

// tradPairs lists traditional characters, each followed by its simplified
// form; only characters common in company, product and place names.
const tradPairs = "鋁铝鑄铸壓压機机軸轴齒齿輪轮閥阀門门電电氣气設设備备製制業业膠胶產产術术發发開开關关動动" +
	"車车輛辆鋼钢鐵铁銅铜鍛锻熱热處处線线纜缆網网絡络導导體体無无損损測测試试檢检驗验儀仪錶表醫医療疗" +
	"藥药織织紡纺纖纤維维華华東东區区縣县廠厂場场價价質质認认證证標标準准專专項项實实節节環环溫温濕湿" +
	"變变換换頻频數数據据軟软計计統统聯联雲云應应協协鎖锁絲丝釘钉墊垫彈弹減减傳传鏈链條条帶带輥辊滾滚" +
	"針针紗纱層层塗涂鍍镀鋅锌鎳镍鉻铬鈦钛鎂镁鋰锂極极組组裝装訂订單单務务貿贸進进際际國国內内灣湾寧宁" +
	"紹绍臺台興兴麗丽義义烏乌餘余蕭萧錢钱濱滨樂乐嶺岭黃黄巖岩長长鹽盐鄉乡縉缙龍龙鎮镇閘闸冪幂達达邊边" +
	"創创新新資资產产級级體体構构層层廣广濟济寶宝韓韩貨货運运輸输機机簡简個个們们對对時时為为說说問问" +
	"題题現现兩两從从還还來来過过這这裡里後后會会點点種种樣样嗎吗學学習习歲岁經经營营銷销售售換换繼继" +
	"續续義义優优勢势競竞爭争價价額额億亿萬万圓圆園园團团圖图書书報报紙纸張张廳厅腦脑燈灯熱热爐炉鍋锅" +
	"釘钉鑽钻鋸锯錘锤鉗钳刃刃輔辅護护礎础雜杂"

func init() {
	// British and American spellings of mould are both common in Chinese
	// exporters' English.
	for i, g := range synonymGroups {
		for _, t := range g {
			other := strings.ReplaceAll(t, "mould", "mold")
			if other == t {
				other = strings.ReplaceAll(t, "mold", "mould")
			}
			if other != t && !slices.Contains(synonymGroups[i], other) {
				synonymGroups[i] = append(synonymGroups[i], other)
			}
		}
	}
}

var tradToSimp = func() map[rune]rune {
	m := map[rune]rune{}
	rs := []rune(tradPairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}()
