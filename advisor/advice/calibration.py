"""The team's own figures, learnt from the results of its campaigns.

Each saved plan whose campaign has results (`advisor.advice.actuals.compare`) says, per
figure, how reality compared with what the plan assumed. For a rate r the evidence of one
campaign is a log ratio to the benchmark default r₀:

    x = log(r_plan / r₀) + log(actual / planned)

where r_plan is the value the plan used (the default, or the team's figure it started from)
and actual / planned isolates that figure:

- reach rate (`reach.<platform>.<tier>`): impressions per post (impressions are linear in
  the reach rate);
- engagement (`engagement.<platform>.<tier>`): engagements per post (per impression on the
  platforms whose rate is per view);
- price per post (`cost.<platform>.<tier>`): spend per post, plans with paid creators only;
- click-through (`clicks_per_engagement`): clicks per engagement;
- conversion (`conversion_rate`): orders per click;
- activation (`ambassador_activation_rate`): advocates who posted (the creators the results
  name, less the paid creators planned) per active advocate expected, plans with advocates;
- posting rate (`ambassador_posts_per_week`): advocate posts (all posts less those the paid
  creators signed for) per active advocate, plans with advocates.

Counts get half a unit added on both sides (Haldane's correction: a campaign with no order
still says something), and one campaign's x is held within ±3 σ_prior (a typo in an
upload cannot carry a figure off on its own).

**A platform's tiers learn together.** The model's uncertainty on a reach rate, an engagement
rate and a price is one multiplier per platform and draw, shared by all its tiers
(`advisor.model.projection.Draws`: `reach`, `engagement`, `cost` are (draws, platforms)): it
says a team's figures sit off the benchmark by one factor per platform, not one per tier. So a
campaign's evidence on the tiers it bought is evidence on that factor (one x per campaign and
platform: its tiers' x weighted by their posts), and the learnt factor applies to every tier
of the platform. Learning only the tiers bought would leave the others at the benchmark, and
the next plan would turn to them because they alone were not lowered: a plan optimistic
exactly where it has no evidence (simulated: 1 mid-tier creator bought beside 7 micro once
the micro and nano reach fell, its impressions below the band in 44% of campaigns).

**The update.** log(r / r₀) has a normal prior with mean 0 (the benchmark is the prior
median) and sd σ_prior, the assumption's existing spread (its `*_uncertainty` log-sd: the
model already says how far a team's figure may sit from the benchmark). Each campaign's x is
a draw around the team's true log ratio μ with sd σ_obs, the same spread (one campaign is
one draw of the variation the Monte Carlo already simulates). With n campaigns of mean x̄,
the posterior of μ is normal with

    mean = (n·x̄ / σ_obs²) / (1/σ_prior² + n/σ_obs²),    sd = (1/σ_prior² + n/σ_obs²)^-½

and the team's figure is r₀·exp(mean): one campaign moves a figure half way to what it
showed, three campaigns three quarters, ten campaigns 91%. Figures stay within the bounds
an edit may take (`advisor.model.assumptions.check_value`).

**The spreads of the next plan.** The next campaign's log figure is the team's μ, known
within the posterior sd, plus that campaign's own draw (sd σ_obs): its predictive sd is
(σ_obs² + sd²)^½. The Monte Carlo draws each figure with one spread per family (the
`*_uncertainty` above, shared by platforms and by click-through and conversion), so a family
with learnt figures gets that spread widened by the largest posterior sd among them (the least
known): ×1.22 after one campaign, ×1.12 after three, ×1.04 after ten. Without it the new plan's
bands would count the team's figure as exactly known; a family without evidence keeps its
spread. The widened spreads are figures of the calibration like the rates (with the evidence of
the figure that set them).

`Calibration.assumptions()` gives them as `Assumptions` overrides, so a plan can start from
them and a share link carries them (`a.<key>=<value>`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from advisor.advice.actuals import Comparison, Coverage, compare, coverage
from advisor.advice.plan import Plan
from advisor.creators.results import ResultsLoad
from advisor.model.assumptions import UNIT_BOUNDS, Assumptions, check_value, default_figures
from advisor.model.benchmarks import load_benchmarks

HALF = 0.5  # Haldane's correction on counts
CLIP = 3.0  # one campaign's log ratio is held within this many prior sds
PRIOR_SD: dict[str, str] = {
    "reach": "reach_rate_uncertainty",
    "engagement": "engagement_rate_uncertainty",
    "cost": "cost_uncertainty",
    "clicks_per_engagement": "conversion_uncertainty",
    "conversion_rate": "conversion_uncertainty",
    "ambassador_activation_rate": "activation_uncertainty",
    "ambassador_posts_per_week": "posting_uncertainty",
}
PAID = ("influencer", "face")
TIERED = ("reach", "engagement", "cost")  # per-platform shocks in the model


def prior_sd_key(key: str) -> str:
    """The `*_uncertainty` assumption that is the prior sd of `key`."""
    return PRIOR_SD[key.split(".")[0]]


@dataclass(frozen=True)
class Observation:
    """One campaign's evidence on one figure: log ratio to the default, and its posts."""

    key: str
    log_ratio: float
    posts: float


@dataclass(frozen=True)
class Calibrated:
    """A figure learnt from results, beside its benchmark default and its evidence."""

    key: str
    default: float
    value: float
    campaigns: int
    posts: float
    mean_log_ratio: float  # x̄: what the campaigns showed, against the default
    posterior_log_ratio: float
    posterior_sd: float
    prior_sd: float

    @property
    def change(self) -> float:
        """Relative change from the default, e.g. -0.2."""
        return self.value / self.default - 1.0 if self.default else 0.0


@dataclass(frozen=True)
class Calibration:
    """The team's figures learnt from `campaigns` campaigns with results, and their coverage."""

    figures: list[Calibrated]
    campaigns: int
    coverage: Coverage
    comparisons: list[Comparison] = field(default_factory=list, repr=False)

    @property
    def overrides(self) -> dict[str, float]:
        """The figures that moved off their default (an unmoved figure is no edit)."""
        return {
            f.key: f.value
            for f in self.figures
            if not math.isclose(f.value, f.default, rel_tol=1e-12, abs_tol=0.0)
        }

    def assumptions(self, base: Assumptions | None = None) -> Assumptions:
        """`base` (default: none) with the team's figures on top."""
        return Assumptions(overrides={**(base.overrides if base else {}), **self.overrides})

    def figure(self, key: str) -> Calibrated:
        return next(f for f in self.figures if f.key == key)


def _log(actual: float, planned: float) -> float:
    return math.log((actual + HALF) / (planned + HALF))


def observations(
    plan: Plan, results: ResultsLoad, comparison: Comparison | None = None
) -> list[Observation]:
    """One campaign's evidence per figure (see the module docstring's table)."""
    cmp = comparison or compare(plan, results)
    totals = results.totals()
    a = plan.assumptions
    defaults = default_figures()
    lines = [line for line in plan.lines if line.posts > 0 and line.platform and line.tier]
    planned_posts = cmp.planned_posts
    actual_posts = totals["posts"] if totals["posts"] is not None else planned_posts
    if planned_posts <= 0 or not lines:
        return []
    log_posts = _log(actual_posts, planned_posts)
    plan_total = sum(line.posts for line in lines)
    per_view = load_benchmarks().engagement
    out: list[Observation] = []

    def add(key: str, log_ratio: float, posts: float) -> None:
        prior = math.log(a.value(key) / defaults[key].default) if defaults[key].default else 0.0
        out.append(Observation(key, prior + log_ratio, posts))

    def cells(relationships: tuple[str, ...] | None = None) -> dict[tuple[str, str], float]:
        found: dict[tuple[str, str], float] = defaultdict(float)
        for line in lines:
            if relationships is None or line.relationship in relationships:
                found[(str(line.platform), str(line.tier))] += line.posts
        return found

    def actual(name: str) -> float | None:
        return totals[name]

    def planned(name: str) -> float:
        return cmp.figure(name).p50

    everyone = cells()
    imp, eng = actual("impressions"), actual("engagements")
    log_imp = None if imp is None else _log(imp, planned("impressions")) - log_posts
    if log_imp is not None:
        for (p, t), posts in everyone.items():
            add(f"reach.{p}.{t}", log_imp, actual_posts * posts / plan_total)
    if eng is not None:
        view = sum(
            posts for (p, t), posts in everyone.items() if per_view[(p, t)].denominator == "views"
        )
        w = view / plan_total if log_imp is not None else 0.0
        log_eng = _log(eng, planned("engagements")) - log_posts - w * (log_imp or 0.0)
        for (p, t), posts in everyone.items():
            add(f"engagement.{p}.{t}", log_eng, actual_posts * posts / plan_total)
    clicks, orders = actual("clicks"), actual("orders")
    if clicks is not None and eng is not None:
        log_cpe = _log(clicks, planned("clicks")) - _log(eng, planned("engagements"))
        add("clicks_per_engagement", log_cpe, actual_posts)
    if orders is not None and clicks is not None:
        add(
            "conversion_rate",
            _log(orders, planned("orders")) - _log(clicks, planned("clicks")),
            actual_posts,
        )
    funded = set(plan.funded)
    spend = actual("spend")
    if spend is not None and funded and funded <= set(PAID) and totals["posts"] is not None:
        log_price = _log(spend, planned("spend")) - log_posts
        for (p, t), posts in cells(PAID).items():
            add(f"cost.{p}.{t}", log_price, actual_posts * posts / plan_total)
    if "advocate" in funded and totals["posts"] is not None:
        scale = planned_posts / plan_total  # the share of the plan's posts due by now
        advocates = [line for line in lines if line.relationship == "advocate"]
        planned_adv = sum(line.posts for line in advocates) * scale
        paid_posts = planned_posts - planned_adv  # paid creators post what they signed for
        log_adv = _log(max(actual_posts - paid_posts, 0.0), planned_adv)
        log_act = 0.0
        if results.creators:
            paid = sum(line.units for line in lines if line.relationship in PAID)
            expected = sum(line.active for line in advocates)
            log_act = _log(max(results.creators - paid, 0.0), expected)
            add("ambassador_activation_rate", log_act, actual_posts)
        add("ambassador_posts_per_week", log_adv - log_act, actual_posts)
    return out


def group_of(key: str) -> str:
    """What `key` learns with: its table and platform for a platform x tier figure
    (`reach.instagram.micro` -> `reach.instagram`), else itself (module docstring)."""
    parts = key.split(".")
    return ".".join(parts[:2]) if len(parts) == 3 and parts[0] in TIERED else key


def pooled(found: list[Observation]) -> list[Observation]:
    """One campaign's observations with a platform's tiers pooled: one per `group_of` key,
    its log ratio the tiers' weighted by their posts (equal weights without posts)."""
    groups: dict[str, list[Observation]] = defaultdict(list)
    for obs in found:
        groups[group_of(obs.key)].append(obs)
    out = []
    for key, items in groups.items():
        posts = sum(o.posts for o in items)
        weights = [o.posts / posts if posts > 0 else 1.0 / len(items) for o in items]
        ratio = sum(w * o.log_ratio for w, o in zip(weights, items, strict=True))
        out.append(Observation(key, ratio, posts))
    return out


def posterior(xs: list[float], prior_sd: float, obs_sd: float) -> tuple[float, float]:
    """Mean and sd of the log ratio after observations `xs` (normal prior at 0, normal
    likelihood): mean = (n·x̄/σ_obs²) / (1/σ_prior² + n/σ_obs²)."""
    n = len(xs)
    if n == 0 or prior_sd <= 0:
        return 0.0, max(prior_sd, 0.0)
    if obs_sd <= 0:
        return sum(xs) / n, 0.0
    precision = 1.0 / prior_sd**2 + n / obs_sd**2
    return (sum(xs) / obs_sd**2) / precision, precision**-0.5


def _bounded(key: str, value: float) -> float:
    """`value` moved inside the bounds an edit of `key` may take."""
    if check_value(key, value) is None:
        return value
    low, high = UNIT_BOUNDS.get(default_figures()[key].unit, (0.0, 1e12))
    if key == "ambassador_posts_per_week":
        high = min(high, Assumptions().value("ambassador_max_posts_per_week"))
    inside = min(max(value, low), high)
    if check_value(key, inside) is not None:  # a share that must stay above 0
        inside = max(inside, low + 1e-6)
    return inside


def calibrate(campaigns: Iterable[tuple[Plan, ResultsLoad]]) -> Calibration:
    """The team's figures from (saved plan, its results) pairs, each shrunk toward the
    benchmark default by the evidence (module docstring), and the bands' coverage."""
    base = Assumptions()
    evidence: dict[str, list[Observation]] = defaultdict(list)
    comparisons: list[Comparison] = []
    count = 0
    for plan, results in campaigns:
        if results.table.empty:
            continue
        comparison = compare(plan, results)
        comparisons.append(comparison)
        count += 1
        for obs in pooled(observations(plan, results, comparison)):
            evidence[obs.key].append(obs)
    defaults = default_figures()
    figures: list[Calibrated] = []
    for key in [k for k in defaults if group_of(k) in evidence]:  # display order
        found = evidence[group_of(key)]
        sd = base.value(prior_sd_key(key))
        xs = [min(max(o.log_ratio, -CLIP * sd), CLIP * sd) for o in found]
        mean, post_sd = posterior(xs, sd, sd)
        default = defaults[key].default
        figures.append(
            Calibrated(
                key=key,
                default=default,
                value=_bounded(key, default * math.exp(mean)),
                campaigns=len(found),
                posts=float(sum(o.posts for o in found)),
                mean_log_ratio=sum(xs) / len(xs),
                posterior_log_ratio=mean,
                posterior_sd=post_sd,
                prior_sd=sd,
            )
        )
    return Calibration(figures + spreads(figures), count, coverage(comparisons), comparisons)


def spreads(figures: list[Calibrated]) -> list[Calibrated]:
    """Each family's draw spread widened to the predictive sd (σ_obs² + sd²)^½ of its least
    known learnt figure (module docstring), in the order of `PRIOR_SD`."""
    out: list[Calibrated] = []
    for key in dict.fromkeys(PRIOR_SD.values()):
        learnt = [f for f in figures if prior_sd_key(f.key) == key]
        if not learnt:
            continue
        least = max(learnt, key=lambda f: f.posterior_sd)
        sd = least.prior_sd
        value = _bounded(key, math.hypot(sd, least.posterior_sd))
        ratio = math.log(value / sd) if sd > 0 else 0.0
        out.append(
            Calibrated(
                key=key,
                default=sd,
                value=value,
                campaigns=least.campaigns,
                posts=least.posts,
                mean_log_ratio=ratio,
                posterior_log_ratio=ratio,
                posterior_sd=0.0,
                prior_sd=0.0,
            )
        )
    return out


__all__ = [
    "Calibrated",
    "Calibration",
    "Observation",
    "calibrate",
    "group_of",
    "observations",
    "pooled",
    "posterior",
    "prior_sd_key",
    "spreads",
]
