"""What to do before any creator posts, and the disclosure rules of the campaign's region.

Grounding: seed 000 (accounts ready, check engagement), seed 003 (disclose paid relationships,
FTC), DOMAIN.md (FTC 16 CFR 255 and 465, ASA/CAP influencers' guide, French law 2023-451).
"""

from __future__ import annotations

from advisor.advice.plan import ChecklistItem
from advisor.model.brief import CampaignBrief, Region

DISCLOSURE_SOURCE = {
    Region.US: "ftc_255",
    Region.UK: "asa_cap",
    Region.FR: "loi_2023_451",
    Region.OTHER: "assumption",
}


def checklist(brief: CampaignBrief, influencer_share: float) -> list[ChecklistItem]:
    """The pre-launch checklist, adapted to the brief's region and to who is involved."""
    items = [
        ChecklistItem(
            key="accounts",
            blocking=not brief.accounts_ready,
            done=brief.accounts_ready,
            source_id="seed_000",
        ),
        ChecklistItem(key="audit", blocking=True, source_id="seed_000"),
        ChecklistItem(
            key="disclosure",
            blocking=True,
            source_id=DISCLOSURE_SOURCE[brief.region],
        ),
        ChecklistItem(
            key="contracts",
            blocking=brief.region is Region.FR,
            source_id=DISCLOSURE_SOURCE[brief.region],
        ),
        ChecklistItem(key="tracking", blocking=False, source_id="assumption"),
    ]
    if influencer_share < 1:
        items.append(
            ChecklistItem(
                key="ambassador_terms",
                blocking=False,
                source_id="seed_003",
            )
        )
    if brief.region is Region.US:
        items.append(
            ChecklistItem(
                key="fake_signals",
                blocking=False,
                source_id="ftc_465",
            )
        )
    if brief.region is Region.FR:
        items.append(
            ChecklistItem(
                key="banned",
                blocking=True,
                source_id="loi_2023_451",
            )
        )
    return items
