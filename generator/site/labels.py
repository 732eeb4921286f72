"""The words of the generated pages, in both languages (the data brings its own)."""

from __future__ import annotations

from generator.kb.model import Text

LANGS = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # sections of the site
    "loop": ("运营闭环", "Operating loop"),
    "roles": ("角色", "Roles"),
    "reference": ("参考", "Reference"),
    "raci": ("RACI 职责矩阵", "RACI matrix"),
    "kpis": ("KPI 指标词典", "KPI dictionary"),
    "step_kpis": ("KPI", "KPIs"),
    "glossary": ("术语表", "Glossary"),
    "templates": ("模板", "Templates"),
    "facts": ("业务事实词汇", "Fact vocabulary"),
    "sources": ("手册来源覆盖", "Source coverage"),
    # headings and field names
    "phase": ("阶段", "Phase"),
    "step": ("步骤", "Step"),
    "steps": ("步骤", "Steps"),
    "purpose": ("目的", "Purpose"),
    "inputs": ("输入", "Inputs"),
    "outputs": ("输出", "Outputs"),
    "flow": ("步骤流程", "Flow of the steps"),
    "depends_on": ("前置步骤", "Comes after"),
    "checklist": ("检查清单", "Checklist"),
    "owner": ("负责人", "Owner"),
    "due": ("期限", "Due"),
    "cadence": ("频率", "Cadence"),
    "done_when": ("完成标准", "Done when"),
    "evidence": ("证据", "Evidence"),
    "domain": ("领域", "Domain"),
    "horizon": ("周期", "Horizon"),
    "role": ("角色", "Role"),
    "letter": ("职责", "Responsibility"),
    "summary": ("概述", "Summary"),
    "responsibilities": ("职责", "Responsibilities"),
    "my_steps": ("我参与的步骤", "Steps I take part in"),
    "my_items": ("我负责的清单项", "Checklist items I own"),
    "none": ("无", "None"),
    "definition": ("定义", "Definition"),
    "formula": ("计算公式", "Formula"),
    "unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "range": ("取值范围", "Range"),
    "thresholds": ("阈值", "Thresholds"),
    "warning": ("预警", "warning"),
    "critical": ("严重", "critical"),
    "used_by": ("使用它的步骤", "Used by the steps"),
    "aliases": ("别名", "Also written as"),
    "see_also": ("另见", "See also"),
    "field": ("字段", "Field"),
    "help": ("填写说明", "What to write"),
    "example": ("示例", "Example"),
    "type": ("类型", "Type"),
    "values": ("可选值", "Allowed values"),
    "value": ("取值", "Value"),
    "label": ("名称", "Label"),
    "required": ("必填", "Required"),
    "derived": ("由规则推导", "Derived by rules"),
    "min": ("最小值", "Minimum"),
    "max": ("最大值", "Maximum"),
    "cited_by": ("引用本节的内容", "Cited by"),
    "not_cited": ("尚无内容引用本节", "Nothing cites this section yet"),
    "implied": ("隐含章节：手册中未展开，由上下文推出",
                "Implied section: not written out in the handbook, inferred from context"),
    "implied_short": ("隐含", "implied"),
    "completion": ("补全", "completion"),
    "completions": ("其中补全", "Completions"),
    "completion_note": ("补全内容：手册没有明写，由团队补全",
                        "Completion: not spelled out in the handbook, added by the team"),
    "day": ("第 {n} 天", "day {n}"),
    "handbook": ("手册", "Handbook"),
    "item": ("清单项", "Checklist item"),
    "kpi": ("KPI", "KPI"),
    "term": ("术语", "Term"),
    "template": ("模板", "Template"),
    "fact": ("事实", "Fact"),
    # the rule catalogue
    "rules": ("规则目录", "Rule catalogue"),
    "when": ("适用条件", "When it applies"),
    "include": ("加入", "Adds"),
    "exclude": ("排除", "Removes"),
    "priority": ("优先级", "Priority"),
    "sets": ("推导事实", "Sets"),
    "defined_in": ("定义位置", "Defined in"),
    "whole_step": ("（整个步骤）", "(the whole step)"),
    # client plans
    "plans": ("客户计划", "Client plans"),
    "client": ("客户", "Client"),
    "start": ("开始日期", "Start date"),
    "layers": ("规则层", "Rule layers"),
    "facts_file": ("事实文件", "Facts file"),
    "items": ("事项", "Items"),
    "urgent": ("紧急或高优先级", "Critical or high"),
    "client_facts": ("业务事实", "Facts about the business"),
    "timeline": ("时间线", "Timeline"),
    "why": ("原因", "Why"),
    "always": ("始终适用", "always applies"),
    "fired": ("触发的规则", "Rules that fired"),
    "excluded": ("已排除的事项", "Excluded items"),
    "excluded_by": ("排除它的规则", "excluded by"),
    "repeats": ("重复", "Repeats"),
    "n_items": ("{n} 项", "{n} items"),
}

_VOCAB: dict[str, tuple[str, str]] = {
    "R": ("执行（R）", "Responsible (R)"),
    "A": ("负责（A）", "Accountable (A)"),
    "C": ("咨询（C）", "Consulted (C)"),
    "I": ("知会（I）", "Informed (I)"),
    "once": ("一次", "once"),
    "weekly": ("每周", "weekly"),
    "monthly": ("每月", "monthly"),
    "quarterly": ("每季度", "quarterly"),
    "short": ("短期（1–3 个月）", "short (1–3 months)"),
    "mid": ("中期（3–12 个月）", "mid (3–12 months)"),
    "long": ("长期（1–3 年）", "long (1–3 years)"),
    "higher_is_better": ("越高越好", "higher is better"),
    "lower_is_better": ("越低越好", "lower is better"),
    "market": ("市场", "market"),
    "strategy": ("战略", "strategy"),
    "product": ("产品", "product"),
    "sales": ("销售", "sales"),
    "marketing": ("营销", "marketing"),
    "supply_chain": ("供应链", "supply chain"),
    "production": ("生产", "production"),
    "quality": ("质量", "quality"),
    "customer_service": ("客户服务", "customer service"),
    "finance": ("财务", "finance"),
    "organization": ("组织", "organisation"),
    "risk": ("风险", "risk"),
    # fact types
    "string": ("文本", "text"),
    "enum": ("单选", "one of the values"),
    "list": ("多选", "any of the values"),
    "bool": ("是/否", "yes or no"),
    "integer": ("整数", "whole number"),
    "number": ("数值", "number"),
    "date": ("日期（YYYY-MM-DD）", "date (YYYY-MM-DD)"),
    "kpis": ("各 KPI 的当前值", "current KPI values"),
}


def label(key: str, lang: str) -> str:
    """The page word `key` in `lang`."""
    zh, en = _LABELS[key]
    return Text(zh, en)(lang)


def vocab(value: str, lang: str) -> str:
    """A value of a stable vocabulary (RACI letter, cadence, horizon, domain) in `lang`;
    unknown values are shown as they are."""
    pair = _VOCAB.get(value)
    return Text(*pair)(lang) if pair else value
