"""The words renderers put around plan data, in both languages, and text escaping."""

from __future__ import annotations

import re

LABELS = {
    "zh": {
        "title": "运营行动计划", "start": "开始日期", "layers": "规则层", "items": "项",
        "owner": "负责人", "due": "截止", "priority": "优先级", "why": "原因", "done_when": "完成标准",
        "repeats": "重复", "kpis": "关注指标", "depends": "前置事项", "excluded": "已排除的事项",
        "excluded_by": "排除规则", "note": "备注", "id": "编号", "phase": "阶段", "step": "步骤",
        "item": "事项", "horizon": "周期", "status": "状态", "baseline": "基线",
        "summary": "共 {n} 项", "always": "始终适用",
    },
    "en": {
        "title": "Operations action plan", "start": "Start date", "layers": "Rule layers", "items": "items",
        "owner": "Owner", "due": "Due", "priority": "Priority", "why": "Why", "done_when": "Done when",
        "repeats": "Repeats", "kpis": "KPIs to watch", "depends": "Depends on", "excluded": "Excluded items",
        "excluded_by": "excluded by", "note": "Note", "id": "ID", "phase": "Phase", "step": "Step",
        "item": "Item", "horizon": "Horizon", "status": "Status", "baseline": "baseline",
        "summary": "{n} items", "always": "always applies",
    },
}
PRIORITY_NAMES = {
    "zh": {"critical": "紧急", "high": "高", "medium": "中", "low": "低"},
    "en": {"critical": "critical", "high": "high", "medium": "medium", "low": "low"},
}
HORIZON_NAMES = {
    "zh": {"short": "短期（1-3个月）", "mid": "中期（3-12个月）", "long": "长期（1-3年）"},
    "en": {"short": "short (1-3 months)", "mid": "mid (3-12 months)", "long": "long (1-3 years)"},
}
RECURRENCE_NAMES = {
    "zh": {"FREQ=WEEKLY": "每周", "FREQ=MONTHLY": "每月", "FREQ=MONTHLY;INTERVAL=3": "每季度"},
    "en": {"FREQ=WEEKLY": "weekly", "FREQ=MONTHLY": "monthly", "FREQ=MONTHLY;INTERVAL=3": "quarterly"},
}
STATUS = {"zh": ("未开始", "进行中", "已完成"), "en": ("todo", "in progress", "done")}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md(text: str) -> str:
    """Markdown-escaped text: data never becomes markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;")).replace("\r", " ").replace("\n", " ")
