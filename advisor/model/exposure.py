"""How one unit of each option meets the audience on every draw: a post's reach rate, the share
of the duplication universe its creator covers, units per unit bought and the posting
multiplier (`exposure`, which the engine's matrices and the weekly delivery both start from),
and advocates' word of mouth off line, reckoned as one more vehicle (`offline_terms`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.model.assumptions import ModelFigures
from advisor.model.laws import beta_terms, log_q0
from advisor.model.menu import ADVOCATE, APPEARANCE, Menu
from advisor.model.projection import Multipliers, in_target_share


def active_share(
    row: np.ndarray, is_adv: np.ndarray, fig: ModelFigures, shock: np.ndarray
) -> np.ndarray:
    """Active advocates per unit, per draw (S, O): benchmark advocates are bought as expected
    *active* advocates (the activation rate sets how many there are, not what one costs);
    a listed advocate is one person, active with the activation rate (never above 1)."""
    listed = is_adv & (row >= 0)
    capped = np.minimum(fig.s.ambassador_activation_rate * shock, 1.0)[:, None]
    return np.where(listed[None, :], capped, shock[:, None])


@dataclass(frozen=True)
class Exposure:
    """How one unit of each option of a menu meets the audience, per draw (S, O): a post's
    reach rate, the share of the duplication universe its audience covers, units per unit
    bought (price shocks, activation), active advocates per unit, and the posting multiplier."""

    rho: np.ndarray
    frac: np.ndarray
    mult: np.ndarray
    act: np.ndarray
    post_mult: np.ndarray
    pool: np.ndarray  # (O,) people a post can reach, reshares included
    is_adv: np.ndarray  # (O,)


def exposure(
    menu: Menu, fig: ModelFigures, m: Multipliers, universe: np.ndarray, audience: float
) -> Exposure:
    """The per-draw figures every reach computation of `menu`'s options starts from (the
    engine's matrices and the weekly delivery alike)."""
    p, t = menu.platform, menu.tier
    is_adv = menu.relationship == ADVOCATE
    rho = np.clip(fig.reach[p, t][None, :] * m.reach[:, p], 1e-6, 0.99)
    in_target = in_target_share(fig, m.in_target, p, audience)
    pool = menu.pool * np.where(is_adv, 1.0 + menu.reshare, 1.0)
    frac = np.minimum(pool[None, :] * in_target / universe[:, None], 1.0 - 1e-9)
    act = active_share(menu.row, is_adv, fig, m.activation)
    mult = np.where(menu.priced[None, :], 1.0 / m.cost[:, p], 1.0)
    mult = np.where(is_adv[None, :], act, mult)
    rate = fig.s.ambassador_posts_per_week
    cap = fig.s.ambassador_max_posts_per_week
    posting = np.minimum(m.posting, cap / rate if rate > 0 else 1.0)
    post_mult = np.where(is_adv[None, :], posting[:, None], 1.0)
    return Exposure(rho, frac, mult, act, post_mult, pool, is_adv)


def posting_platforms(menu: Menu, cols: np.ndarray | None = None) -> np.ndarray:
    """The platforms of `menu`'s creators (options `cols` only; an in-person appearance
    posts on none)."""
    platform, rel = menu.platform, menu.relationship
    if cols is not None:
        platform, rel = platform[cols], rel[cols]
    return platform[rel != APPEARANCE]


def _offline(
    menu: Menu, posts: np.ndarray, n_eff: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word of mouth as a vehicle: (rate a month, active months, share of the universe)."""
    months = posts / max(menu.offline_posts_per_week, 1e-9) * 12 / 52
    k = np.broadcast_to(months[None, :], (n_eff.shape[0], posts.shape[0]))
    frac = np.broadcast_to(np.minimum(menu.offline_pool / n_eff, 1.0 - 1e-9)[:, None], k.shape)
    return np.full(k.shape, menu.offline_rate), k, frac


def offline_log_q0(menu: Menu, posts: np.ndarray, n_eff: np.ndarray, conc: float) -> np.ndarray:
    """`offline_terms`' first term alone, by the reach formula (`log_q0`)."""
    distinct, inverse = offline_log_q0_by_count(menu, posts, n_eff, conc)
    return distinct[:, inverse.reshape(-1)]


def offline_log_q0_by_count(
    menu: Menu, posts: np.ndarray, n_eff: np.ndarray, conc: float
) -> tuple[np.ndarray, np.ndarray]:
    """`offline_log_q0` once per distinct count of `posts` (S, U), and each count's column
    (`posts`' shape): advocates share their ramps."""
    values, inverse = np.unique(posts, return_inverse=True)
    return log_q0(*_offline(menu, values, n_eff), conc), inverse.reshape(np.shape(posts))


def offline_terms(
    menu: Menu, posts: np.ndarray, n_eff: np.ndarray, conc: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An active advocate's word of mouth off line: their circle of in-target people, each
    told about the brand with `offline_rate` a month over the months they are active (read
    from their posting ramp: `posts` at the planning rate)."""
    values, inverse = np.unique(posts, return_inverse=True)  # advocates share their ramps
    q0, r1, r2 = beta_terms(*_offline(menu, values, n_eff), conc)
    at = inverse.reshape(-1)
    return q0[:, at], r1[:, at], r2[:, at]


def add_by_option(out: np.ndarray, options: np.ndarray, values: np.ndarray, axis: int) -> None:
    """`values` added to `out` at `options` along `axis` (e.g. advocates' word of mouth),
    through a view when the options are one block (a list's advocates), in place."""
    lo, hi = int(options[0]), int(options[-1]) + 1
    where: list[slice | np.ndarray] = [slice(None)] * out.ndim
    where[axis] = slice(lo, hi) if hi - lo == len(options) else options
    out[tuple(where)] += values
