"""Per-draw, per-unit contributions of every option of a menu: the engine's matrices.

Units enter the projection linearly in the exponent (random duplication): log P(missed by
everybody) = sum_o c_o L[s, o]; the people reached 0, 1 or 2 times within a purchase cycle come
from three such sums per window (the truncated log of the generating function, exact); and
engagements, entries and people met are plain sums. So one matrix product projects any number
of candidate allocations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from advisor.model.assumptions import ModelFigures
from advisor.model.brief import Goal
from advisor.model.exposure import (
    add_by_option,
    exposure,
    offline_log_q0,
    offline_terms,
    posting_platforms,
)
from advisor.model.laws import beta_from, distinct_columns, log_q0, window_pmf
from advisor.model.menu import ADVOCATE, APPEARANCE, FACE, INFLUENCER, Menu
from advisor.model.projection import (
    Draws,
    Multipliers,
    duplication_universe,
    multipliers,
    reachable_audience,
)


@dataclass(frozen=True)
class Coefficients:
    """Per-draw, per-unit contributions of each option (draws x options), for one goal."""

    goal: Goal
    audience: np.ndarray  # (S,) people creators can reach at all
    log_missed: np.ndarray  # (S, O) at the campaign's end
    cycle: np.ndarray | None  # (3, G, S, O) truncated log-GF terms per window class
    cycle_weight: np.ndarray | None  # (G,) weeks per window class / weeks
    engagements: np.ndarray  # (S, O) over the campaign
    impressions: np.ndarray
    entries: np.ndarray
    met: np.ndarray
    target: float = 0.0  # the brief's target audience (people)

    @property
    def samples(self) -> int:
        return int(self.audience.shape[0])

    def take(self, draws: slice) -> Coefficients:
        cycle = None if self.cycle is None else self.cycle[:, :, draws]
        return replace(
            self,
            audience=self.audience[draws],
            log_missed=self.log_missed[draws],
            cycle=cycle,
            engagements=self.engagements[draws],
            impressions=self.impressions[draws],
            entries=self.entries[draws],
            met=self.met[draws],
        )

    def contiguous(self) -> Coefficients:
        """The same figures in arrays of their own (a `take` of some draws is a view: each
        projection of it would copy it again to multiply it)."""
        cycle = None if self.cycle is None else np.ascontiguousarray(self.cycle)
        return replace(
            self,
            audience=np.ascontiguousarray(self.audience),
            log_missed=np.ascontiguousarray(self.log_missed),
            cycle=cycle,
            engagements=np.ascontiguousarray(self.engagements),
            impressions=np.ascontiguousarray(self.impressions),
            entries=np.ascontiguousarray(self.entries),
            met=np.ascontiguousarray(self.met),
        )

    def columns(self, cols: np.ndarray) -> Coefficients:
        """Options `cols` only (the same figures as building them alone)."""
        cycle = None if self.cycle is None else self.cycle[..., cols]
        return replace(
            self,
            log_missed=self.log_missed[:, cols],
            cycle=cycle,
            engagements=self.engagements[:, cols],
            impressions=self.impressions[:, cols],
            entries=self.entries[:, cols],
            met=self.met[:, cols],
        )

    def _terms(self, every: bool = False) -> tuple[np.ndarray | None, ...]:
        """The per-unit terms a state is made of, in `State`'s order: those the goal's
        objective reads (all of them with `every`), None for the others."""
        awareness = self.goal is Goal.BRAND_AWARENESS
        keep = (
            every or not awareness,
            True,
            every or self.goal is Goal.CONTEST,
            every or self.goal is Goal.EVENT,
        )
        terms = (self.log_missed, self.cycle, self.entries, self.met)
        return tuple(t if k else None for t, k in zip(terms, keep, strict=True))

    def state(self, units: np.ndarray, every: bool = False) -> State:
        """The exponent sums of an allocation (O,) or of several (O, K): those the goal's
        objective reads (all of them with `every`: engagements, entries, people met)."""
        u = units if units.ndim == 2 else units[:, None]

        def summed(per_unit: np.ndarray | None) -> np.ndarray | None:
            if per_unit is None:
                return None
            *lead, options = per_unit.shape  # one matrix product for every window and term
            flat = per_unit.reshape(math.prod(lead), options) @ u
            return flat.reshape(*lead, u.shape[1])

        return State(*(summed(t) for t in self._terms(every)))

    def value(self, s: State) -> np.ndarray:
        """The goal's objective per draw and allocation (S, K)."""
        n = self.audience[:, None]
        if self.goal is Goal.BRAND_AWARENESS:
            assert s.cycle is not None and self.cycle_weight is not None
            a0, a1, a2 = s.cycle
            # P(below 3) = e^a0 (1 + a1 + a2 + a1^2 / 2), in place (same order of operations)
            poly = 1.0 + a1
            poly += a2
            square = 0.5 * a1
            square *= a1
            poly += square
            # a0 <= 0 and poly >= 1 up to rounding (sums of non-negative units of terms of one
            # sign), so 1 - P(below 3) <= 1: only a rounding excess of P(below 3) over 1 (at
            # zero units) needs clipping, at 0 (a clip against a scalar costs as much as exp)
            below3 = np.exp(a0, out=square)
            below3 *= poly
            share = np.subtract(1.0, below3, out=below3)
            np.maximum(share, _zeros(share), out=share)
            weeks = np.dot(self.cycle_weight[None, :], share.reshape(share.shape[0], -1))
            return n * weeks.reshape(share.shape[1:])
        assert s.missed is not None
        reach = n * -np.expm1(np.minimum(s.missed, _zeros(s.missed)))
        if self.goal is Goal.CONTEST:
            assert s.entries is not None
            return np.minimum(s.entries, reach)
        if self.goal is Goal.EVENT:
            assert s.met is not None
            return np.minimum(reach + s.met, n)
        return reach

    def moved(
        self, s: State, frm: np.ndarray, give: np.ndarray, dst: np.ndarray, take: np.ndarray
    ) -> State:
        """States after moving `give[k]` units of option `frm[k]` to `take[k]` units of option
        `dst[k]`, one candidate per k (K columns)."""

        def shifted(base: np.ndarray | None, per_unit: np.ndarray | None) -> np.ndarray | None:
            # (base - per_unit[frm] give) + per_unit[dst] take, in two gathered buffers: on
            # a long list the temporaries of the plain expression cost more than the sums
            if base is None or per_unit is None:
                return None
            out = np.take(per_unit, frm, axis=-1)
            out *= give
            np.subtract(base, out, out=out)
            added = np.take(per_unit, dst, axis=-1)
            added *= take
            out += added
            return out

        return State(*(shifted(b, t) for b, t in zip(s.parts, self._terms(), strict=True)))

    def step_some(self, s: State, idx: np.ndarray, delta: np.ndarray) -> State:
        """States after adding `delta[k]` units of option `idx[k]` alone (K = len(idx))."""

        def added(base: np.ndarray | None, per_unit: np.ndarray | None) -> np.ndarray | None:
            if base is None or per_unit is None:
                return None
            out = np.take(per_unit, idx, axis=-1)  # one gathered buffer, updated in place
            out *= delta
            out += base
            return out

        return State(*(added(b, t) for b, t in zip(s.parts, self._terms(), strict=True)))

    def step(self, s: State, delta: np.ndarray) -> State:
        """States after adding `delta[o]` units of each option o alone (K = O columns)."""

        def added(base: np.ndarray | None, per_unit: np.ndarray | None) -> np.ndarray | None:
            return None if base is None or per_unit is None else base + per_unit * delta

        return State(*(added(b, t) for b, t in zip(s.parts, self._terms(), strict=True)))


_ZEROS = np.zeros(0)


def _zeros(like: np.ndarray) -> np.ndarray:
    """A read-only array of zeros shaped like `like`, a view of one buffer kept for every
    call: numpy clips against an array of the same shape in about half the time it takes
    against the scalar 0 (the same figures)."""
    global _ZEROS
    if _ZEROS.size < like.size:
        _ZEROS = np.zeros(max(like.size, 2 * _ZEROS.size))
        _ZEROS.flags.writeable = False
    return _ZEROS[: like.size].reshape(like.shape)


def median_draws(values: np.ndarray) -> np.ndarray:
    """The median over draws (axis 0) of `value`'s (S, K): `np.median`'s figures, from the
    sorted draws (without its checks; numpy's partition along the draws is slower than a sort
    on the engine's sizes: 3.6x on 200 draws of 253 options)."""
    n = values.shape[0]
    k = n // 2
    ordered = np.sort(values, axis=0)
    if n % 2:
        return ordered[k]
    return (ordered[k - 1] + ordered[k]) / 2


@dataclass(frozen=True)
class State:
    """Exponent sums per draw and allocation: (S, K), the cycle's (3, G, S, K); a term the
    goal's objective does not read is None (unless asked for: `Coefficients.state(every=)`)."""

    missed: np.ndarray | None
    cycle: np.ndarray | None
    entries: np.ndarray | None
    met: np.ndarray | None

    @property
    def parts(self) -> tuple[np.ndarray | None, ...]:
        return (self.missed, self.cycle, self.entries, self.met)

    def rows(self, n: int) -> State:
        """The first n draws (the draws axis is the cycle's third)."""

        def first(x: np.ndarray | None) -> np.ndarray | None:
            if x is None:
                return None
            return x[:, :, :n] if x.ndim == 4 else x[:n]

        return State(*(first(x) for x in self.parts))

    def column(self, j: int) -> State:
        """Allocation j alone (K = 1)."""
        return State(*(None if x is None else x[..., j : j + 1] for x in self.parts))


def coefficients(
    menu: Menu,
    goal: Goal,
    audience: int,
    fig: ModelFigures,
    d: Draws,
    platforms: np.ndarray | None = None,
) -> Coefficients:
    """Every option's per-unit contribution on every draw (see the module docstring), within
    the duplication universe of `platforms` (default: those the menu's creators post on)."""
    m = multipliers(fig, d)
    on = posting_platforms(menu) if platforms is None else platforms
    n_eff = duplication_universe(
        reachable_audience(float(audience), fig, d), float(audience), fig, on
    )
    conc = fig.s.post_reach_concentration
    p, t, rel = menu.platform, menu.tier, menu.relationship
    paid = (rel == INFLUENCER) | (rel == FACE)
    e = exposure(menu, fig, m, n_eff, float(audience))
    rho, frac, mult, act, post_mult, pool, is_adv = (
        e.rho,
        e.frac,
        e.mult,
        e.act,
        e.post_mult,
        e.pool,
        e.is_adv,
    )
    timing = np.stack([x.posts[-1] for x in menu.timings])[menu.timing]  # final posts
    presence = np.stack([x.presence[-1] for x in menu.timings])[menu.timing]
    final_posts = timing[None, :] * post_mult
    weight = mult * presence[None, :]
    log_missed = weight * log_q0(rho, final_posts, frac, conc)
    offline = is_adv & (menu.offline_pool > 0)
    if offline.any():
        log_missed[:, offline] += act[:, offline] * offline_log_q0(
            menu, timing[offline], n_eff, conc
        )
    cycle = weights = None
    if goal is Goal.BRAND_AWARENESS:
        cycle, weights = _cycle_terms(menu, fig, m, rho, frac, mult, post_mult, paid, n_eff, conc)
    eng = menu.engagements_per_post[None, :] * m.engagement[:, p]
    engagements = weight * eng * final_posts
    ipr = fig.impressions_per_reach[p, t]
    impressions = weight * (pool * ipr)[None, :] * rho * final_posts
    entries = engagements * fig.s.contest_entry_rate * m.entries[:, None]
    met = np.zeros_like(engagements)
    appear = rel == APPEARANCE
    if appear.any():
        met[:, appear] = fig.s.event_people_met_per_appearance * m.met[:, None]
    return Coefficients(
        goal, n_eff, log_missed, cycle, weights, engagements, impressions, entries, met,
        float(audience),
    )  # fmt: skip


def _cycle_terms(
    menu: Menu,
    fig: ModelFigures,
    m: Multipliers,
    rho: np.ndarray,
    frac: np.ndarray,
    mult: np.ndarray,
    post_mult: np.ndarray,
    paid: np.ndarray,
    n_eff: np.ndarray,
    conc: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Window classes: weeks whose trailing-cycle exposure counts are the same for every
    option are computed once, weighted by how many weeks share them."""
    wp = np.stack([x.window_presence for x in menu.timings])  # (T, W)
    wk = np.stack([x.window_posts for x in menu.timings])
    key = np.concatenate([wp, wk]).T.round(9)  # (W, 2T)
    uniq, first, counts = np.unique(key, axis=0, return_index=True, return_counts=True)
    del uniq
    weeks = wp.shape[1]
    trust = np.where(paid[None, :], m.trust[:, None], 1.0)
    rho_t = np.clip(rho * trust, 1e-6, 0.99)
    out = np.zeros((3, len(first), rho.shape[0], menu.size))
    is_adv = menu.relationship == ADVOCATE
    offline = is_adv & (menu.offline_pool > 0)
    one, inv = distinct_columns(rho_t, post_mult, menu.timing)
    pmf, at = window_pmf(wk[menu.timing[one]][:, first], rho_t[:, one], post_mult[:, one], conc)
    # an option's terms depend on its count of posts in the window, not on the class: once per
    # option and distinct count (a burst has the same count in most classes)
    width = pmf[0].shape[1]
    key = np.arange(menu.size)[:, None] * width + at[inv]  # (O, G): option and pmf column
    distinct, pair = np.unique(key, return_inverse=True)  # pair: each class's column of terms
    own, column = np.divmod(distinct, width)
    pair = pair.reshape(key.shape)
    terms = beta_from(tuple(x[:, column] for x in pmf), frac[:, own], in_place=True)
    for g, w in enumerate(first):
        weight = mult * wp[menu.timing, w][None, :]  # units per unit bought x share present
        for j in range(3):
            np.multiply(weight, terms[j][:, pair[:, g]], out=out[j, g])
    talkers = np.flatnonzero(offline)
    if len(talkers):  # word of mouth: once per distinct count of posts in a window
        off_posts = wk[menu.timing[talkers]][:, first]
        values, where = np.unique(off_posts, return_inverse=True)
        off, off_at = offline_terms(menu, values, n_eff, conc), where.reshape(off_posts.shape)
        off_mult = mult[:, talkers][None, :, :]  # (1, S, T)
        same = bool((off_at == off_at[:1]).all())  # advocates who share a ramp: one column
        for j in range(3):
            said = (
                off[j][:, off_at[0]].T[:, :, None] if same else off[j][:, off_at].transpose(2, 0, 1)
            )
            add_by_option(out[j], talkers, off_mult * said, axis=2)
    return out, counts / weeks
