"""`campaign-advisor`: plan a brief from the command line and write the plan as JSON, CSV or PDF.

    campaign-advisor --goal event --budget 8000 --weeks 6 -o plan.pdf
    campaign-advisor --brief brief.json --creators list.csv --format json -o -

The brief comes from flags or from a JSON file holding `CampaignBrief` fields (flags given as
well override the file's values). The output format is `--format`, else the output file's
extension (`.json`, `.csv`, `.pdf`); `-o -` (the default) writes JSON or CSV to stdout.
Errors are one line on stderr and exit code 2, never a traceback.

The top layer of the package (above `ui`), and no Streamlit: it uses the public API only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from advisor import CampaignBrief, IngestError, load_creators, recommend
from advisor.locale.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from advisor.model import allocator
from advisor.present.exports import weekly_csv
from advisor.present.report import plan_report_pdf
from advisor.sharing.links import QUERY_FIELDS, brief_errors, brief_from_query

FORMATS = ("json", "csv", "pdf")
EXIT_USAGE = 2


class CliError(Exception):
    """A message for the person at the terminal (already translated)."""


class _Parser(argparse.ArgumentParser):
    """argparse that fails in one line (no usage block) with exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{self.prog}: {message}")


def _language(argv: Sequence[str]) -> str:
    """`--lang` before parsing, so that the help and errors are in it."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE


def build_parser(lang: str = DEFAULT_LANGUAGE) -> argparse.ArgumentParser:
    parser = _Parser(prog="campaign-advisor", description=t("cli.description", lang))
    brief = parser.add_argument_group(t("cli.group.brief", lang))
    brief.add_argument("--brief", type=Path, metavar="FILE.json", help=t("cli.help.brief", lang))
    for field in QUERY_FIELDS:
        brief.add_argument(
            f"--{field.replace('_', '-')}", dest=field, metavar=field.upper(),
            help=t(f"cli.help.{field}", lang),
        )  # fmt: skip
    parser.add_argument(
        "--creators", type=Path, metavar="LIST.csv", help=t("cli.help.creators", lang)
    )
    parser.add_argument("-o", "--output", default="-", help=t("cli.help.output", lang))
    parser.add_argument("--format", choices=FORMATS, help=t("cli.help.format", lang))
    parser.add_argument("--lang", choices=LANGUAGES, default=lang, help=t("cli.help.lang", lang))
    return parser


def _brief(args: argparse.Namespace, lang: str) -> CampaignBrief:
    """The file's fields, then the flags; every bad field named in plain words."""
    fields: dict[str, object] = {}
    if args.brief is not None:
        try:
            loaded = json.loads(args.brief.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CliError(t("cli.error.read", lang, path=args.brief, reason=exc.strerror)) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CliError(t("cli.error.brief_json", lang, path=args.brief)) from exc
        if not isinstance(loaded, dict):
            raise CliError(t("cli.error.brief_json", lang, path=args.brief))
        fields.update(loaded)
    flags = {f: getattr(args, f) for f in QUERY_FIELDS if getattr(args, f) is not None}
    if flags:  # the link parser's cleaning: `20,000`, `eur`, `ig,tiktok`, `yes`...
        cleaned, bad = brief_from_query(flags)
        if bad:
            raise CliError(" ".join(t(f"error.{field}", lang) for field in bad))
        fields.update({f: getattr(cleaned, f) for f in flags})
    try:
        return CampaignBrief.model_validate(fields)
    except ValidationError as exc:
        raise CliError(" ".join(brief_errors(exc, lang).values())) from exc


def _format(args: argparse.Namespace, lang: str) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output != "-" else "json"
    if suffix not in FORMATS:
        raise CliError(t("cli.error.format", lang, path=args.output))
    return suffix


def run(argv: Sequence[str] | None = None) -> int:
    """The command; returns its exit code (raises `CliError` for a bad request)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language(argv)
    args = build_parser(lang).parse_args(argv)
    lang = args.lang
    brief = _brief(args, lang)
    fmt = _format(args, lang)
    if fmt == "pdf" and args.output == "-":
        raise CliError(t("cli.error.pdf_stdout", lang))
    creators = None
    if args.creators is not None:
        if not args.creators.is_file():
            raise CliError(t("cli.error.no_file", lang, path=args.creators))
        try:
            creators = load_creators(args.creators, lang=lang)
        except IngestError as exc:
            raise CliError(f"{args.creators}: {exc}") from exc
    plan = recommend(brief, creators=creators)
    if fmt == "json":
        data = plan.model_dump_json(indent=2).encode("utf-8") + b"\n"
    elif fmt == "csv":
        data = weekly_csv(plan, lang)
    else:
        data = plan_report_pdf(plan, lang)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise CliError(
                t("cli.error.write", lang, path=args.output, reason=exc.strerror)
            ) from exc
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `campaign-advisor` script: one line on stderr and 2 on a bad request."""
    allocator.for_plans()  # a process that computes a plan (see advisor.model.allocator)
    try:
        return run(argv)
    except CliError as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
