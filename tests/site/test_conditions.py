"""A rule's `when` in words (the rule catalogue's "when it applies"), in both languages, with
the KB's fact and value labels; `not` reads as a negated comparison that also holds when
the fact is absent."""

from __future__ import annotations

import pytest

from generator.kb.model import KB
from generator.rules.model import All, Any_, Condition, Leaf, Not, condition_from_data
from generator.site.conditions import describe
from generator.site.page import SiteData

COMPLAINTS = {"all": [{"fact": "kpis.complaint_rate", "gt": 0.03},
                      {"fact": "offering", "in": ["service", "both"]}]}


def _both(kb: KB, cond: Condition | None) -> tuple[str, str]:
    return describe(cond, kb, "zh"), describe(cond, kb, "en")


def test_leaves_joined_by_and_use_the_kb_labels(shipped_kb: KB) -> None:
    zh, en = _both(shipped_kb, condition_from_data(COMPLAINTS))
    assert zh == "投诉率（kpis.complaint_rate）大于 0.03，且 提供的是产品还是服务（offering）属于 服务、产品和服务"
    assert en == ("complaint rate (kpis.complaint_rate) is above 0.03 and products or services (offering) "
                  "is one of services, both")


def test_a_rule_without_when_always_applies(shipped_kb: KB) -> None:
    assert _both(shipped_kb, None) == ("始终适用（没有条件）", "always applies (no conditions)")


@pytest.mark.parametrize(("leaf", "zh", "en"), [
    (Leaf("stage", "eq", "growth"), "业务阶段（stage）为 成长期", "business stage (stage) is growth"),
    (Leaf("stage", "ne", "idea"), "业务阶段（stage）不为 构想期", "business stage (stage) is not idea"),
    (Leaf("team_size", "le", 9), "团队人数（team_size）不大于 9", "team size is at most 9"),
    (Leaf("team_size", "ge", 50), "团队人数（team_size）不小于 50", "team size is at least 50"),
    (Leaf("kpis.nps", "lt", 0), "净推荐值（kpis.nps）小于 0", "Net Promoter Score (kpis.nps) is below 0"),
    (Leaf("channels", "contains", "offline_store"), "销售渠道（channels）包含 线下门店",
     "sales channels (channels) includes physical store"),
    (Leaf("risks", "contains_any", ("cash_flow",)), "主要风险（risks）包含 现金流紧张 中的任一项",
     "main risks (risks) includes any of cash-flow strain"),
    (Leaf("industry", "not_in", ("retail", "saas")), "所属行业（industry）不属于 零售、软件即服务（SaaS）",
     "industry is none of retail, software as a service (SaaS)"),
    (Leaf("has_production", "eq", True), "是否自行生产（has_production）为 是",
     "makes its own goods (has_production) is yes"),
    (Leaf("kpis.nps", "exists", True), "净推荐值（kpis.nps）已填写", "Net Promoter Score (kpis.nps) is given"),
    (Leaf("service_risk", "exists", False), "服务体验存在风险（service_risk）未被规则设定",
     "service experience at risk (service_risk) is not set by any rule"),
])
def test_every_operator_reads_as_words(shipped_kb: KB, leaf: Leaf, zh: str, en: str) -> None:
    assert _both(shipped_kb, leaf) == (zh, en)


def test_not_is_a_negated_comparison_that_also_holds_when_the_fact_is_absent(shipped_kb: KB) -> None:
    assert _both(shipped_kb, Not(Leaf("kpis.nps", "ge", 20))) == (
        "净推荐值（kpis.nps）小于 20（或未填写）", "Net Promoter Score (kpis.nps) is below 20 (or not given)")
    assert _both(shipped_kb, Not(Leaf("service_risk", "eq", True)))[1] == (
        "service experience at risk (service_risk) is not yes (or not set)")
    # a required fact is always given: no "or not given"
    assert _both(shipped_kb, Not(Leaf("stage", "eq", "idea"))) == (
        "业务阶段（stage）不为 构想期", "business stage (stage) is not idea")
    assert describe(Not(Not(Leaf("stage", "eq", "idea"))), shipped_kb, "en") == "business stage (stage) is idea"
    assert describe(Not(Leaf("kpis.nps", "exists", True)), shipped_kb, "en") == (
        "Net Promoter Score (kpis.nps) is not given")


def test_not_over_any_and_all_is_pushed_to_the_leaves(shipped_kb: KB) -> None:
    cond = Not(Any_((Leaf("stage", "eq", "idea"), All((Leaf("team_size", "gt", 9), Leaf("stage", "eq", "launch"))))))
    assert describe(cond, shipped_kb, "en") == (
        "business stage (stage) is not idea and (team size is at most 9 (or not given) or "
        "business stage (stage) is not launch)")
    assert describe(cond, shipped_kb, "zh") == (
        "业务阶段（stage）不为 构想期，且（团队人数（team_size）不大于 9（或未填写），"
        "或 业务阶段（stage）不为 起步期）")


def test_nested_groups_are_bracketed_and_single_children_are_not(shipped_kb: KB) -> None:
    cond = All((Leaf("stage", "eq", "growth"), Any_((Leaf("offering", "eq", "service"),
                                                     Leaf("channels", "contains", "offline_store")))))
    assert describe(cond, shipped_kb, "en") == (
        "business stage (stage) is growth and (products or services (offering) is services or "
        "sales channels (channels) includes physical store)")
    assert describe(All((Any_((Leaf("stage", "eq", "growth"),)),)), shipped_kb, "en") == (
        "business stage (stage) is growth")


def test_unknown_facts_and_free_text_values_show_as_written(shipped_kb: KB) -> None:
    assert describe(Leaf("region", "eq", "华东"), shipped_kb, "zh") == "region 为 “华东”"
    assert describe(Leaf("client.name", "eq", "Acme"), shipped_kb, "en") == 'client name (client.name) is "Acme"'


def test_every_shipped_rule_reads_without_raw_operators(shipped_kb: KB, site_data: SiteData) -> None:
    raw = {"eq", "ne", "lt", "le", "gt", "ge", "not_in", "contains", "contains_any", "exists"}
    assert len(site_data.rules) > 50
    for rule in site_data.rules:
        for lang in ("zh", "en"):
            text = describe(rule.when, shipped_kb, lang)
            assert text and not raw & set(text.replace("（", " ").replace("）", " ").split()), rule.id
