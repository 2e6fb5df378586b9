"""The model's creator table: one typed table computed once from an ingested list.

Allocation, the shortlist and the projection use it as it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.model.assumptions import ModelFigures
from advisor.model.brief import Platform

PLATFORMS = list(Platform)
VIEW_DRIVEN = (PLATFORMS.index(Platform.TIKTOK), PLATFORMS.index(Platform.YOUTUBE))


def prepare_creators(table: pd.DataFrame, fig: ModelFigures) -> pd.DataFrame:
    """The model's columns for a canonical creator table (vectorised).

    `pool` is the audience a post can reach: followers, or for view-driven platforms the
    audience implied by average views (views / impressions-per-reach / reach rate).
    """
    out = pd.DataFrame(
        {
            "handle": table["handle"].astype(str),
            "platform_idx": table["platform"].map({p.value: i for i, p in enumerate(PLATFORMS)}),
            "followers": pd.to_numeric(table["followers"], errors="coerce"),
            "relationship_idx": (table["relationship"].astype(str) == "ambassador").astype(int),
        }
    )
    out = out[out["platform_idx"].notna() & out["followers"].gt(0)].copy()
    src = table.loc[out.index]
    out["platform_idx"] = out["platform_idx"].astype(int)
    out["tier_idx"] = fig.tier_of(out["followers"].to_numpy())
    p, t = out["platform_idx"].to_numpy(), out["tier_idx"].to_numpy()
    rho, ipr = fig.reach[p, t], fig.impressions_per_reach[p, t]
    pool = out["followers"].to_numpy(dtype=float)

    def column(name: str) -> np.ndarray | None:
        if name not in src:
            return None
        return pd.to_numeric(src[name], errors="coerce").to_numpy(dtype=float)

    views = column("avg_views")
    if views is not None:
        use = np.isin(p, VIEW_DRIVEN) & np.isfinite(views) & (views > 0)
        pool = np.where(use, views / ipr / rho, pool)
    out["pool"] = pool
    likes, comments = column("avg_likes"), column("avg_comments")
    bench_eng = out["followers"].to_numpy(dtype=float) * fig.engagement[p, t]
    if likes is not None:
        eng = np.nan_to_num(likes) + (np.nan_to_num(comments) if comments is not None else 0)
        out["engagements_per_post"] = np.where(np.isfinite(likes), eng, bench_eng)
    else:
        out["engagements_per_post"] = bench_eng
    cost = column("cost_per_post")
    known = np.isfinite(cost) & (cost > 0) if cost is not None else np.zeros(len(out), bool)
    out["cost_estimated"] = ~known
    out["cost_usd"] = np.where(known, cost if cost is not None else 0.0, fig.cost[p, t])
    flags = src["flags"].fillna("").astype(str) if "flags" in src else pd.Series("", src.index)
    out["flagged"] = flags.str.len().gt(0).to_numpy()
    out["value"] = out["pool"] * rho / out["cost_usd"]
    return out
