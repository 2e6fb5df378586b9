"""Per-unit exposure laws: the beta-binomial chance that a vehicle's posts reach a person 0, 1
or 2 times, turned into the terms the engine sums (log P(0) and the truncated log of the
generating function), each computed once per distinct input: options that share a platform,
tier and posting law, and weeks that share a count of posts, share the law (gammaln is the
engine's costliest arithmetic)."""

from __future__ import annotations

import numpy as np

from advisor.model.projection import missed_share, pmf012


def log_q0(rho: np.ndarray, k: np.ndarray, frac: np.ndarray, conc: float) -> np.ndarray:
    """log of the audience share a vehicle covering `frac` leaves unreached after k posts
    (P(0) from `missed_share`, continuous in k): the one formula every reach figure uses."""
    return log_q0_of(missed_share(rho, k, conc), frac)


def log_q0_of(p0: np.ndarray, frac: np.ndarray, in_place: bool = False) -> np.ndarray:
    """`log_q0` from the vehicle's own P(0 exposures) `p0` (`in_place`: written over `p0`,
    which must have the result's shape: one buffer instead of five on large arrays)."""
    q = p0 if in_place else np.empty(np.broadcast_shapes(np.shape(p0), np.shape(frac)))
    np.subtract(1.0, p0, out=q)
    q *= frac
    np.minimum(q, 1.0 - 1e-300, out=q)
    np.negative(q, out=q)
    return np.log1p(q, out=q)


def _result_buffer(values: np.ndarray, frac: np.ndarray) -> np.ndarray:
    """A copy of `values` with the shape it takes against `frac` (to be written over)."""
    shape = np.broadcast_shapes(np.shape(values), np.shape(frac))
    return np.array(np.broadcast_to(values, shape), dtype=float)


def distinct_counts(
    posts: np.ndarray, sets: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct counts in the rows of `posts` (options x weeks or windows), rows of one
    set pooled (`sets`: a set number per row, for options that share their exposure law;
    default: each row its own set): (a row standing for each distinct pair, its count, and
    for every cell the position of its pair)."""
    sets = np.arange(posts.shape[0]) if sets is None else np.asarray(sets)
    cols: list[int] = []
    counts: list[float] = []
    at = np.empty(posts.shape, dtype=np.intp)
    for g in np.unique(sets):
        rows = np.flatnonzero(sets == g)
        values, where = np.unique(posts[rows], return_inverse=True)
        at[rows] = len(cols) + where.reshape(len(rows), -1)
        cols.extend([int(rows[0])] * len(values))
        counts.extend(values.tolist())
    return np.asarray(cols, dtype=np.intp), np.asarray(counts, dtype=float), at


def weekly_missed_share(
    rho: np.ndarray, posts: np.ndarray, post_mult: np.ndarray, conc: float, sets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """P(0 exposures) of options (columns of `rho`, `post_mult`: S x B) after their cumulative
    posts by each week (`posts`: B x W), once per exposure law (`sets`, from
    `distinct_columns`) and distinct count: (S, P) and, per option and week, its column."""
    c, counts, at = distinct_counts(posts, sets)
    return missed_share(rho, counts[None, :] * post_mult[:, c], conc, cols=c), at


def beta_terms(
    rho: np.ndarray, k: np.ndarray, frac: np.ndarray, conc: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit: log P(not reached 0 times... ) terms of the truncated log-GF (see
    `projection._combine`): log q0, r1 and r2 - r1^2/2 for a vehicle covering `frac`."""
    return beta_from(pmf012(rho, k, conc), frac)


def beta_from(
    pmf: tuple[np.ndarray, ...], frac: np.ndarray, in_place: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`beta_terms` from the vehicle's P(0), P(1), P(2) (`in_place`: written over the three
    arrays, which must have the result's shape; the same figures with fewer buffers)."""
    p0, p1, p2 = pmf if in_place else (_result_buffer(p, frac) for p in pmf)
    q0 = np.subtract(1.0, p0, out=p0)
    q0 *= frac
    np.subtract(1.0, q0, out=q0)
    np.maximum(q0, 1e-300, out=q0)  # clipped to [1e-300, 1]
    np.minimum(q0, 1.0, out=q0)
    r1 = np.multiply(frac, p1, out=p1)
    r1 /= q0
    r2 = np.multiply(frac, p2, out=p2)
    r2 /= q0
    half = 0.5 * r1
    half *= r1
    r2 -= half
    return np.log(q0, out=q0), r1, r2


def distinct_columns(*cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Options whose per-draw inputs (the columns of `cols`, each (S, O) or (O,)) are all
    equal are computed once: (the first option of each distinct set, and for every option the
    position of its set). A list's creators of one platform and tier share their exposure
    law and differ only in the audience they cover."""
    key = np.ascontiguousarray(
        np.concatenate([np.atleast_2d(np.asarray(c, dtype=float)) for c in cols]).T
    )
    seen: dict[bytes, int] = {}
    first: list[int] = []
    inverse = np.empty(key.shape[0], dtype=np.intp)
    for o in range(key.shape[0]):
        at = seen.setdefault(key[o].tobytes(), len(first))
        if at == len(first):
            first.append(o)
        inverse[o] = at
    return np.asarray(first, dtype=np.intp), inverse


def window_pmf(
    posts: np.ndarray, rho: np.ndarray, post_mult: np.ndarray, conc: float
) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """P(0), P(1), P(2) exposures for each distinct option (columns of `rho`, `post_mult`)
    and window class (`posts`: posts in the window, options x classes), computed once per
    distinct post count of an option: a short burst has the same count in every window.
    Returns the three (S, P) arrays and, per option and class, its column among the P."""
    c, counts, at = distinct_counts(posts)
    k = counts[None, :] * post_mult[:, c]
    return pmf012(rho, k, conc, cols=c), at
