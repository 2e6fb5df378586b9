"""What analysts write: header spellings in two languages, and the words in category cells.

`Nb abonnés` is the follower count, `Réseau` the platform, `Coût (€)` a cost in euros;
`IG`, `insta` and `www.instagram.com` are Instagram; `ambassadrice` and `salarié` say an
ambassador and of which kind. Labels are compared after `normalise_label` (accents, case and
punctuation dropped), first as written, then without filler words (`Avg. likes per post` =
likes). Repeated or empty headers get names the analyst recognises (`column 3`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from advisor.creators.schema import FIELDS, PLATFORMS, REQUIRED, IngestError
from advisor.locale.i18n import DEFAULT_LANGUAGE, t
from advisor.model.brief import platform_from_alias

# Header spellings, compared after `normalise_label` (accents, case and punctuation dropped).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "username", "user name", "user", "creator", "account", "account name",
               "pseudo", "compte", "nom d utilisateur", "identifiant", "profile", "profil",
               "influencer", "influenceur", "social handle", "creator handle"),
    "platform": ("platform", "network", "social network", "reseau", "reseau social",
                 "plateforme", "social media", "media social"),
    "followers": ("followers", "follower", "follower count", "followers count", "subscribers",
                  "subscriber", "subs", "abonnes", "abonne", "nb abonnes", "nombre d abonnes",
                  "audience", "audience size", "fans", "communaute"),
    "avg_likes": ("likes", "like", "avg likes", "average likes", "likes per post", "j aime",
                  "mentions j aime", "nb j aime"),
    "avg_comments": ("comments", "comment", "avg comments", "average comments", "commentaires",
                     "commentaire", "nb commentaires"),
    "avg_views": ("views", "view", "avg views", "average views", "vues", "vue", "vues moyennes",
                  "plays", "lectures", "video views"),
    "cost_per_post": ("cost", "cost per post", "price", "price per post", "rate", "rate per post",
                      "fee", "tarif", "tarif par publication", "prix", "prix par post", "cout",
                      "cout par post", "remuneration"),
    "relationship": ("relationship", "type", "relation", "relationship type", "type de relation",
                     "partnership", "partenariat"),
    "engagement_rate": ("engagement rate", "er", "taux d engagement", "taux engagement",
                        "engagement", "eng rate"),
    "name": ("name", "full name", "display name", "nom", "nom complet", "creator name",
             "influencer name", "prenom nom"),
    "niche": ("niche", "category", "categorie", "topic", "thematique", "theme", "vertical",
              "secteur"),
    "country": ("country", "pays", "location", "localisation"),
    "language": ("language", "langue", "lang"),
    "ambassador_kind": ("ambassador kind", "ambassador type", "kind", "type d ambassadeur",
                        "type ambassadeur"),
}  # fmt: skip
# Words that qualify a header without changing its meaning: "Avg. likes per post" = likes.
FILLER = frozenset(
    [
        "avg",
        "average",
        "mean",
        "moy",
        "moyen",
        "moyenne",
        "moyens",
        "moyennes",
        "nb",
        "nbr",
        "nombre",
        "number",
        "no",
        "num",
        "count",
        "total",
        "per",
        "par",
        "post",
        "posts",
        "publication",
        "publications",
        "de",
        "des",
        "du",
        "d",
        "the",
        "of",
        "usd",
        "eur",
        "euro",
        "euros",
        "gbp",
        "pct",
        "percent",
        "pourcentage",
        "in",
        "en",
        "estimated",
        "estime",
        "ig",
        "insta",
        "instagram",
        "tiktok",
        "yt",
        "youtube",
    ]
)
RELATIONSHIP_ALIASES: dict[str, tuple[str, ...]] = {
    "influencer": ("influencer", "influenceur", "influenceuse", "paid", "paid creator", "creator",
                   "createur", "creatrice", "content creator", "createur de contenu", "sponsored",
                   "sponsorise", "kol"),
    "ambassador": ("ambassador", "ambassadeur", "ambassadrice", "brand ambassador",
                   "ambassadeur de marque", "ambassadrice de marque", "advocate",
                   "brand advocate"),
}  # fmt: skip
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "employee": ("employee", "employe", "employee advocate", "employee ambassador", "salarie",
                 "salariee", "staff", "collaborateur", "collaboratrice"),
    "customer": ("customer", "client", "cliente", "fan", "customer ambassador",
                 "ambassadeur client"),
}  # fmt: skip
EXTRA_PLATFORMS = {"blogue": "blog", "site web": "blog", "site": "blog", "newsletter": "blog"}
HEADER_CURRENCIES = {"EUR": ("€", "eur"), "GBP": ("£", "gbp"), "USD": ("$", "usd")}


def normalise_label(text: object) -> str:
    """`Taux d'engagement (%)` -> `taux d engagement`: no accents, case or punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _without_filler(label: str) -> str:
    return " ".join(word for word in label.split() if word not in FILLER)


def _alias_lookup(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Exact spellings first, then the same spellings without filler words."""
    lookup = {normalise_label(a): key for key, names in aliases.items() for a in names}
    for key, names in aliases.items():
        for alias in names:
            lookup.setdefault(_without_filler(normalise_label(alias)), key)
    lookup.pop("", None)
    return lookup


HEADER_WORDS = _alias_lookup(HEADER_ALIASES)
RELATIONSHIP_WORDS = _alias_lookup(RELATIONSHIP_ALIASES | KIND_ALIASES)
KIND_WORDS = _alias_lookup(KIND_ALIASES)


def guess_field(header: str) -> str | None:
    """Canonical column for a source header (`Nb abonnés` -> followers), or None."""
    label = normalise_label(header)
    return HEADER_WORDS.get(label) or HEADER_WORDS.get(_without_filler(label))


def display_headers(header: list[str], lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """Headers the analyst can recognise, one per position and all different: an empty one
    becomes `column 3`, a repeated one `foo (column 4)` (Excel leaves `;;` at the end of
    header lines; exports repeat names)."""
    names = [name.strip() for name in header]
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    out = []
    for pos, name in enumerate(names):
        column = t("ingest.column_n", lang, n=pos + 1)
        out.append(column if not name else f"{name} ({column})" if counts[name] > 1 else name)
    return out


def resolve_columns(
    header: list[str], mapping: Mapping[str | int, str | None] | None, lang: str
) -> dict[int, str]:
    """Header position -> canonical field: the caller's mapping first, then auto-detection.

    Mapping keys are column positions (0-based, safe with repeated or empty headers) or
    headers; a value of None or "" means "ignore this column"."""
    fields: dict[int, str] = {}
    ignored: set[int] = set()
    for source, target in (mapping or {}).items():
        pos = _find_header(header, source, lang)
        if not target:
            ignored.add(pos)
            continue
        canonical = target if target in FIELDS else guess_field(target)
        if canonical is None:
            raise IngestError.of("mapping_target", lang, target=target, choices=", ".join(FIELDS))
        fields = {p: f for p, f in fields.items() if f != canonical} | {pos: canonical}
    for pos, name in enumerate(header):
        guess = guess_field(name)
        if pos in fields or pos in ignored or guess is None or guess in fields.values():
            continue
        fields[pos] = guess
    _require(header, fields, lang)
    return dict(sorted(fields.items()))


def _find_header(header: list[str], source: str | int, lang: str) -> int:
    if isinstance(source, int) and not isinstance(source, bool):
        if 0 <= source < len(header):
            return source
        raise IngestError.of(
            "mapping_source", lang, column=t("ingest.column_n", lang, n=source + 1)
        )
    source = str(source)
    for names in (header, display_headers(header, lang)):
        if source in names:
            return names.index(source)
    wanted = normalise_label(source)
    for pos, name in enumerate(header):
        if wanted and normalise_label(name) == wanted:
            return pos
    raise IngestError.of("mapping_source", lang, column=source)


def _require(header: list[str], fields: dict[int, str], lang: str) -> None:
    """No known column at all: not a creator list; some known: name the missing ones."""
    if not fields:
        code = "not_csv" if len(header) < 2 else "no_header"
        raise IngestError.of(code, lang)
    missing = [f for f in REQUIRED if f not in fields.values()]
    if missing:
        names = ", ".join(t(f"ingest.column.{f}", lang) for f in missing)
        raise IngestError.of("missing_columns", lang, columns=names)


def header_currency(header: str) -> str | None:
    """`Prix (€)` or `Cost EUR` says the costs are in euros; None when the header names none."""
    raw, words = header.lower(), normalise_label(header).split()
    for code, (symbol, word) in HEADER_CURRENCIES.items():
        if symbol in raw or word in words or (code == "EUR" and "euros" in words):
            return code
    return None


def platform_index(text: str) -> int:
    """Position in `Platform` for a spelling (`IG`, `insta`, `YT`, `x.com`...), -1 if unknown."""
    key = " ".join(text.strip().lower().split()).removeprefix("www.").removesuffix(".com")
    try:
        return PLATFORMS.index(platform_from_alias(key).value)
    except ValueError:
        extra = EXTRA_PLATFORMS.get(normalise_label(key))
        return PLATFORMS.index(extra) if extra else -1


def relationship_code(text: str) -> int:
    """0 influencer, 1 ambassador, 2 customer ambassador, 3 employee ambassador, -1 unknown."""
    order = {"influencer": 0, "ambassador": 1, "customer": 2, "employee": 3}
    return order.get(RELATIONSHIP_WORDS.get(normalise_label(text), ""), -1)


def kind_code(text: str) -> int:
    """1 customer, 2 employee, -1 anything else (kept as written)."""
    return {"customer": 1, "employee": 2}.get(KIND_WORDS.get(normalise_label(text), ""), -1)
