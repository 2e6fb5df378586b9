"""What to do before any creator posts, and the disclosure rules of the campaign's region.

Grounding: seed 000 (accounts ready, check engagement), seed 003 (disclose paid relationships,
FTC), DOMAIN.md (FTC 16 CFR 255 and 465, ASA/CAP influencers' guide, French law 2023-451).
"""

from __future__ import annotations

from advisor.brief import CampaignBrief, Region
from advisor.i18n import t
from advisor.plan import ChecklistItem

DISCLOSURE_SOURCE = {
    Region.US: "ftc_255",
    Region.UK: "asa_cap",
    Region.FR: "loi_2023_451",
    Region.OTHER: "assumption",
}


def disclosure(region: Region, lang: str) -> str:
    return t(f"disclosure.{region.value}", lang)


def checklist(brief: CampaignBrief, influencer_share: float, lang: str) -> list[ChecklistItem]:
    """The pre-launch checklist, adapted to the brief's region and to who is involved."""
    items = [
        ChecklistItem(
            key="accounts",
            text=t("check.accounts", lang),
            blocking=not brief.accounts_ready,
            done=brief.accounts_ready,
            source_id="seed_000",
        ),
        ChecklistItem(
            key="audit", text=t("check.audit", lang), blocking=True, source_id="seed_000"
        ),
        ChecklistItem(
            key="disclosure",
            text=t(f"check.disclosure.{brief.region.value}", lang),
            blocking=True,
            source_id=DISCLOSURE_SOURCE[brief.region],
        ),
        ChecklistItem(
            key="contracts",
            text=t(f"check.contracts.{brief.region.value}", lang),
            blocking=brief.region is Region.FR,
            source_id=DISCLOSURE_SOURCE[brief.region],
        ),
        ChecklistItem(
            key="tracking", text=t("check.tracking", lang), blocking=False, source_id="assumption"
        ),
    ]
    if influencer_share < 1:
        items.append(
            ChecklistItem(
                key="ambassador_terms",
                text=t("check.ambassadors", lang),
                blocking=False,
                source_id="seed_003",
            )
        )
    if brief.region is Region.US:
        items.append(
            ChecklistItem(
                key="fake_signals",
                text=t("check.fake_signals.US", lang),
                blocking=False,
                source_id="ftc_465",
            )
        )
    if brief.region is Region.FR:
        items.append(
            ChecklistItem(
                key="banned",
                text=t("check.banned.FR", lang),
                blocking=True,
                source_id="loi_2023_451",
            )
        )
    return items
