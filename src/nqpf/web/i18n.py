"""Page labels in Chinese (default) and English."""

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
    "msg_posted": ("评论已发布", "Comment posted"),
    "msg_held": ("评论已提交，待审核后显示", "Comment received; it will appear once approved"),
    "msg_captcha": ("验证码错误或已失效，请重试", "Wrong or expired captcha; please try again"),
    "msg_rate": ("评论过于频繁，请稍后再试", "Too many comments; please wait a minute"),
    "msg_length": ("昵称(1–30字)与评论(1–500字)长度不符", "Nickname 1–30 and comment 1–500 characters"),
    "msg_empty": ("没有可导入的内容", "Nothing to ingest"),
    "msg_encoding": ("无法识别文件编码（支持 UTF-8、GBK/GB18030、Big5）",
                     "Unknown file encoding (UTF-8, GBK/GB18030 and Big5 are read)"),
    "language": ("English", "中文"),
}


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
