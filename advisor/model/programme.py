"""The ambassador programme's own arithmetic: its length in months, its fixed cost, and the posts
advocates and long-term paid creators ("faces") make over time. All figures come from the
editable assumptions (`data/benchmarks/assumptions.csv`)."""

from __future__ import annotations

import numpy as np

from advisor.model.assumptions import ModelFigures


def months(weeks: int) -> float:
    return weeks * 12 / 52


def active_advocates(advocates: int, fig: ModelFigures) -> int:
    """Advocates expected to join and post (activation rate), at least one if there are any."""
    if advocates <= 0:
        return 0
    return max(1, int(advocates * fig.value("ambassador_activation_rate")))


def advocate_posts(weeks: int, fig: ModelFigures) -> np.ndarray:
    """Cumulative expected posts per recruited advocate: they join over the ramp-up weeks."""
    ramp = max(fig.value("ambassador_ramp_weeks"), 1e-9)
    active = np.minimum(1.0, np.arange(1, weeks + 1) / ramp)
    return np.cumsum(active) * fig.value("ambassador_posts_per_week")


def face_posts(weeks: int, fig: ModelFigures) -> np.ndarray:
    """Cumulative whole posts of a long-term paid creator posting at a steady rate."""
    rate = fig.value("face_posts_per_week")
    return np.floor(np.arange(1, weeks + 1) * rate + 1e-9)


def programme_fixed_usd(weeks: int, fig: ModelFigures) -> float:
    return fig.value("ambassador_setup_cost") + fig.value("ambassador_platform_per_month") * months(
        weeks
    )
