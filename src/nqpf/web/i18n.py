"""Page labels in Chinese (default) and English: headings, status words, the presets' and
methods' names, and why a target has no data."""

LABELS = {
    "title": ("新质生产力观测", "NQPF observatory"),
    "overview": ("总览", "Overview"),
    "ranking": ("排名", "Ranking"),
    "targets": ("目标", "Targets"),
    "ingest": ("导入文章", "Add article"),
    "province": ("省份", "Province"),
    "rank": ("排名", "Rank"),
    "score": ("得分", "Score"),
    "interval": ("排名区间 (5%–95%)", "Rank interval (5–95 %)"),
    "trajectory": ("排名轨迹", "Rank trajectories"),
    "click_hint": ("点击省份查看详情", "Click a province for details"),
    "dimensions": ("维度得分", "Dimension scores"),
    "median": ("全国中位数", "National median"),
    "indicator": ("指标", "Indicator"),
    "value": ("数值", "Value"),
    "documents": ("政策文件", "Documents"),
    "claims": ("报道中的排名", "Rankings in the news"),
    "claims_vs_index": ("文章所说的名次，与本站指数对照", "What articles say, beside this index's rank"),
    "index_rank": ("本站指数名次", "This index's rank"),
    "deadline": ("期限", "Deadline"),
    "status": ("状态", "Status"),
    "progress": ("进度", "Progress"),
    "metric": ("目标内容", "Metric"),
    "comments": ("网友评论", "Comments"),
    "nickname": ("昵称", "Nickname"),
    "comment": ("评论内容", "Comment"),
    "captcha": ("验证码", "Captcha"),
    "captcha_prompt": ("请输入正确验证码", "Enter the captcha answer"),
    "submit": ("提交", "Submit"),
    "no_comments": ("暂无评论", "No comments yet"),
    "original": ("原文(含修复标记)", "Original (repairs marked)"),
    "extracted": ("简体正文(含抽取标记)", "Simplified text (facts marked)"),
    "repairs": ("修复记录", "Repairs"),
    "paste": ("粘贴文章正文", "Paste the article text"),
    "upload": ("或上传文件 (.txt/.html)", "or upload a file (.txt/.html)"),
    "published": ("发布日期 (可选)", "Publication date (optional)"),
    "region": ("地区", "Region"),
    "due_before": ("截止年份不晚于", "Due by (year)"),
    "filter": ("筛选", "Filter"),
    "industry": ("产业", "Industry"),
    "previous": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "msg_posted": ("评论已发布", "Comment posted"),
    "msg_held": ("评论已提交，待审核后显示", "Comment received; it will appear once approved"),
    "msg_captcha": ("验证码错误或已失效，请重试", "Wrong or expired captcha; please try again"),
    "msg_rate": ("评论过于频繁，请稍后再试", "Too many comments; please wait a minute"),
    "msg_length": ("昵称(1–30字)与评论(1–500字)长度不符", "Nickname 1–30 and comment 1–500 characters"),
    "msg_empty": ("没有可导入的内容", "Nothing to ingest"),
    "msg_encoding": ("无法识别文件编码（支持 UTF-8、GBK/GB18030、Big5）",
                     "Unknown file encoding (UTF-8, GBK/GB18030 and Big5 are read)"),
    "language": ("English", "中文"),
    "moderation": ("评论审核", "Moderation"),
    "held": ("待审核", "Held"),
    "visible": ("已发布", "Visible"),
    "approve": ("通过", "approve"),
    "delete": ("删除", "delete"),
    "login": ("管理员登录", "Admin login"),
    "logout": ("退出", "Log out"),
    "admin_token": ("管理令牌", "Admin token"),
    "limit": ("大小上限", "Size limit"),
    "msg_login": ("请先以管理员身份登录", "Please log in as admin first"),
    "msg_login_failed": ("令牌错误", "Wrong token"),
    "msg_logged_out": ("已退出", "Logged out"),
    "msg_token_in_url": ("管理令牌不能放在网址中，请在此登录",
                         "The admin token is not accepted in a URL; log in here"),
    "msg_moderated": ("已处理", "Done"),
    # ---- the index pages
    "compare": ("对比", "Compare"),
    "indicators": ("指标", "Indicators"),
    "preset": ("指标体系", "Framework"),
    "flavour": ("口径", "Measure"),
    "weights": ("赋权方法", "Weights"),
    "year": ("年份", "Year"),
    "apply": ("应用", "Apply"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "full_ranking": ("完整排名", "Full ranking"),
    "top10": ("前十名", "Top ten"),
    "change": ("较上年", "vs last year"),
    "history": ("得分与排名变化", "Score and rank over time"),
    "rank_of": ("名次", "Rank"),
    "rank_among": ("在31个省份中的名次", "Rank among 31"),
    "pillars": ("各维度", "Pillars"),
    "explain": ("得分变化的原因", "Why the score changed"),
    "explain_note": ("按 Shapley 值分解：各项贡献之和等于得分变化。",
                     "Shapley decomposition: the contributions add up to the score change."),
    "contribution": ("贡献", "Contribution"),
    "normalised_from": ("标准化值（起）", "Normalised (from)"),
    "normalised_to": ("标准化值（止）", "Normalised (to)"),
    "dimension": ("维度", "Dimension"),
    "imputed_legend": ("† 插补值：原始数据缺失，由指数计算时填补（线性插值、沿用相邻年份或地区均值）。",
                       "† Imputed: missing in the source data, filled when the index was "
                       "computed (linear interpolation, carried from a neighbouring year, or "
                       "the regional mean)."),
    "imputed_inputs": ("项指标为插补值", "indicators imputed"),
    "pick_provinces": ("选择最多五个省份", "Pick up to five provinces"),
    "none_picked": ("尚未选择省份：请在上方勾选最多五个省份后点击“应用”。",
                    "No province picked yet: tick up to five above and press Apply."),
    "too_many": ("最多对比五个省份，只保留了前五个。", "At most five provinces; the first five are kept."),
    "score_over_time": ("得分", "Score"),
    "rank_over_time": ("排名", "Rank"),
    "definition": ("定义", "Definition"),
    "unit": ("单位", "Unit"),
    "source": ("来源", "Source"),
    "breaks": ("统计口径变化", "Series breaks"),
    "no_breaks": ("无记录", "none recorded"),
    "code": ("指标代码", "Code"),
    "formula": ("计算公式", "Formula"),
    "notes": ("说明", "Notes"),
    "used_in": ("所属指标体系", "Used in"),
    "map": ("分省地图", "Map"),
    "distribution": ("各省分布", "Distribution across provinces"),
    "trend": ("历年走势", "Trend"),
    "no_values": ("该年份没有数据。", "No values for this year."),
    "direction_up": ("越高越好", "higher is better"),
    "direction_down": ("越低越好", "lower is better"),
    "all_indicators": ("全部指标", "All indicators"),
    "group": ("地区", "Region"),
    "empty": ("没有符合条件的结果。", "Nothing matches."),
    "none": ("无", "None"),
    # ---- targets
    "target": ("目标", "Target"),
    "baseline": ("基线", "Baseline"),
    "latest": ("最新值", "Latest"),
    "expected": ("按直线进度应达", "On the straight line"),
    "observations": ("观测值", "Observations"),
    "sources": ("数据来源", "Sources"),
    "date": ("日期", "Date"),
    "panel": ("面板", "panel"),
    "reported_by": ("报道文章", "reported in article"),
    "entered": ("录入", "entered"),
    "why_no_data": ("无数据原因", "Why no data"),
    "straight_line": ("直线进度（基线→目标）", "Straight line (baseline → target)"),
    "article": ("文章", "Article"),
    "document": ("文件", "Document"),
    "issuer": ("发文机关", "Issuer"),
    "number": ("文号", "Number"),
    "kind": ("类型", "Kind"),
    "all_targets": ("全部目标", "All targets"),
    "published_on": ("发布日期", "Published"),
    "script": ("原文字体", "Script"),
    "the_target": ("目标值", "Target value"),
    "chart_of_target": ("观测值与直线进度", "Observations against the straight line"),
}

#: A target's status (tracker.STATUSES) as the pages show it.
STATUS = {"met": ("已达成", "met"), "on track": ("按计划", "on track"),
          "at risk": ("有风险", "at risk"), "missed": ("未达成", "missed"),
          "no data": ("无数据", "no data")}
#: Why a target has no data.
NO_DATA = {"no_metric": ("无匹配的统计指标", "no matching metric"),
           "no_number": ("目标没有具体数值", "no number"),
           "not_reported": ("尚无统计数据报道", "no statistic reported yet")}
#: The presets, measures and weighting methods by name.
PRESET_NAMES = {"three-elements": ("三要素（劳动者·劳动资料·劳动对象）",
                                   "Three elements (labourers, means, objects of labour)"),
                "tech-green-digital": ("科技·绿色·数字", "Technology, green, digital"),
                "innovation": ("科技创新与产业", "Innovation and industry")}
FLAVOUR_NAMES = {"intensity": ("强度（人均、占比）", "Intensity (per capita, shares)"),
                 "scale": ("规模（总量）", "Scale (totals)")}
WEIGHT_NAMES = {"entropy": ("熵权法", "Entropy"), "equal": ("等权", "Equal"),
                "critic": ("CRITIC 法", "CRITIC"), "cv": ("变异系数法", "Coefficient of variation"),
                "pca": ("主成分法", "Principal components")}
#: What a target or an article's quantity is.
KINDS = {"target": ("目标", "target"), "statistic": ("统计", "statistic"),
         "other": ("其他", "other")}
SCRIPTS = {"traditional": ("繁体", "Traditional"), "simplified": ("简体", "Simplified"),
           "mixed": ("繁简混合", "mixed")}

_TABLES = {"status": STATUS, "no_data": NO_DATA, "preset": PRESET_NAMES,
           "flavour": FLAVOUR_NAMES, "weights": WEIGHT_NAMES, "kind": KINDS,
           "script": SCRIPTS}


def name_of(table: str, key: object, lang: str) -> str:
    """A status, reason, preset, measure, method, kind or script in the page's language
    (the key itself when unknown, a dash when missing)."""
    if key is None or key == "":
        return "—"
    pair = _TABLES[table].get(str(key))
    if pair is None:
        return str(key)
    return pair[1] if lang == "en" else pair[0]


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
