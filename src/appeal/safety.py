"""Safety rules: what a campaign tells or withholds for senders at risk, read from its data.

A campaign's ``safety_rules`` say, for a sender's country (a list of codes, or a named
``country_lists`` entry), for the recipient kinds drafted or for a channel offered, what the tool
must do: show a note (a :class:`Notice` in the letter's language), withhold a channel (public
posts), withhold a recipient kind, hide pointers. This module knows no country and no kind: it
only matches the rules the campaign gives. The schema is documented in docs/campaign-settings.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from appeal.textguard import fold_spaces, hidden_character_problem

#: The public API (see the README's "Use as a library"); the rest may change.
__all__ = ["Notice", "Severity"]

Severity = Literal["info", "caution", "danger"]
SEVERITIES: tuple[Severity, ...] = ("info", "caution", "danger")
#: Channels a rule can withhold or match.
PUBLIC_POST = "public_post"
CHANNELS = (PUBLIC_POST,)

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# Control characters (other than line breaks and tabs, which fold away) and the invisible marks
# that reverse text direction: a note from a stranger's campaign folder must not carry them to
# a terminal or make a text read differently from what it says.


class Notice(NamedTuple):
    """Something a sender must know about their drafts, with a stable code; ``field`` names the
    input the sender can change about it (``note``, ``address``, ``language``: see errors.FIELDS),
    for a front end to point at, when there is one."""

    code: str
    severity: Severity
    text: str
    field: str | None = None

    def to_json(self) -> dict[str, str]:
        """A plain mapping for JSON output: code, severity, text, and field when there is one."""
        shown = {"code": self.code, "severity": self.severity, "text": self.text}
        return shown if self.field is None else {**shown, "field": self.field}


def fold(text: str) -> str:
    """Fold runs of ASCII blanks and line breaks to one space (keeping no-break spaces, which
    French typography needs)."""
    return fold_spaces(text).strip()


class Texts(NamedTuple):
    """A text in several languages; English is always there and stands in for the others."""

    by_language: Mapping[str, str]

    def get(self, language: str) -> str:
        """The text in ``language``, else in English."""
        return self.by_language.get(language) or self.by_language["en"]


class CountryList(NamedTuple):
    """A named list of countries with where it comes from and how far to trust it."""

    id: str
    title: str
    source: str
    as_of: str
    confidence: str
    caveat: str | None
    countries: frozenset[str]


class RiskRule(NamedTuple):
    """One safety rule: when it applies and what it does."""

    id: str
    severity: Severity
    note: Texts | None
    #: Sender countries the rule is for (None: every sender).
    sender_countries: frozenset[str] | None = None
    #: Applies only when a letter to one of these kinds is drafted (its drafts carry the code).
    recipient_kinds: tuple[str, ...] = ()
    #: Applies only to drafts that offer this channel (its drafts carry the code).
    channel: str | None = None
    withhold_channels: tuple[str, ...] = ()
    withhold_kinds: tuple[str, ...] = ()
    hide_pointers: tuple[str, ...] = ()

    @property
    def for_everything(self) -> bool:
        """Whether the rule concerns the whole draft set (no kind or channel condition)."""
        return not self.recipient_kinds and self.channel is None

    @property
    def only_withholds_kinds(self) -> bool:
        """Whether all the rule does is withhold recipient kinds (and say why)."""
        return bool(self.withhold_kinds) and not (self.withhold_channels or self.hide_pointers)

    def for_sender(self, alpha2: str) -> bool:
        """Whether the rule's sender condition holds for a sender in ``alpha2``."""
        return self.sender_countries is None or alpha2 in self.sender_countries

    def notice(self, language: str) -> Notice | None:
        """The rule's note as a Notice in ``language``, or None when it has no note."""
        return (
            None if self.note is None else Notice(self.id, self.severity, self.note.get(language))
        )


class SenderRules(NamedTuple):
    """The rules that hold for one sender's country, and what they withhold."""

    rules: tuple[RiskRule, ...]

    @property
    def withheld_kinds(self) -> dict[str, RiskRule]:
        """Recipient kinds no letter goes to, with the rule that withholds each."""
        return {kind: rule for rule in self.rules for kind in rule.withhold_kinds}

    @property
    def withheld_channels(self) -> frozenset[str]:
        """Channels not offered to this sender."""
        return frozenset(channel for rule in self.rules for channel in rule.withhold_channels)

    @property
    def hidden_pointers(self) -> frozenset[str]:
        """Pointer ids a rule hides from this sender."""
        return frozenset(pointer for rule in self.rules for pointer in rule.hide_pointers)

    def for_draft(self, kind: str, channels: Iterable[str]) -> tuple[RiskRule, ...]:
        """Rules that concern one draft: by its recipient kind or a channel it offers."""
        offered = set(channels)
        return tuple(
            rule
            for rule in self.rules
            if (rule.recipient_kinds and kind in rule.recipient_kinds)
            or (rule.channel is not None and rule.channel in offered)
        )

    def concerning(self, kind: str, channels: Iterable[str], language: str) -> tuple[Notice, ...]:
        """The notices for one letter or link: the sender's own, then its kind's and channel's
        (a row of a link sheet or mail-merge carries these). A note that only explains a
        withheld kind concerns no letter that is drafted, so it is not among them."""
        rules = [r for r in self.rules if r.for_everything and not r.only_withholds_kinds]
        rules.extend(self.for_draft(kind, channels))
        found = (rule.notice(language) for rule in rules)
        return tuple(notice for notice in found if notice is not None)

    def notices(
        self,
        drafted: Sequence[tuple[str, Iterable[str]]],
        language: str,
        requested: Iterable[str] = (),
    ) -> list[Notice]:
        """Notices for a set of drafts given as (kind, channels) pairs, in rule order: a rule
        for the sender applies always, except one that only withholds kinds, which applies when
        one of those kinds was ``requested``; a rule for kinds or a channel, when a draft
        matches it."""
        concerned = {
            rule.id for kind, channels in drafted for rule in self.for_draft(kind, channels)
        }
        wanted = set(requested)
        out = []
        for rule in self.rules:
            if rule.only_withholds_kinds:
                applies = bool(wanted & set(rule.withhold_kinds))
            else:
                applies = rule.id in concerned or rule.for_everything
            notice = rule.notice(language) if applies else None
            if notice is not None:
                out.append(notice)
        return out


def rules_for_sender(rules: Sequence[RiskRule], alpha2: str) -> SenderRules:
    """The rules whose sender condition holds for ``alpha2``, in the campaign's order."""
    return SenderRules(tuple(rule for rule in rules if rule.for_sender(alpha2)))


class PointerStatus(NamedTuple):
    """An organisation's legal status in one country, dated and sourced."""

    country: str
    status: str
    since: str
    source: str


# --- reading campaign.yaml ---------------------------------------------------------------------

Bad = Callable[[tuple[str | int, ...], str], None]


def read_texts(
    raw: Any, path: tuple[str | int, ...], bad: Bad, languages: Sequence[str]
) -> Texts | None:
    """A text, or a mapping of language to text with English; None (reported) when invalid."""
    if isinstance(raw, str) and raw.strip():
        if problem := hidden_character_problem(raw, data=True):
            bad(path, problem)
            return None
        return Texts({"en": fold(raw)})
    if not isinstance(raw, dict) or not raw:
        bad(path, "expected text, or a mapping of language to text with 'en'")
        return None
    texts: dict[str, str] = {}
    for language, text in raw.items():
        if language not in languages:
            bad((*path, language), f"unknown language; use one of {', '.join(languages)}")
        elif not isinstance(text, str) or not text.strip():
            bad((*path, language), "expected text")
        elif problem := hidden_character_problem(text, data=True):
            bad((*path, language), problem)
        else:
            texts[language] = fold(text)
    if "en" not in raw:
        bad(path, "needs an English ('en') text")
        return None
    return Texts(texts) if "en" in texts else None


def read_country_lists(
    raw: Any, bad: Bad, is_code: Callable[[str], bool]
) -> dict[str, CountryList]:
    """The ``country_lists`` mapping: id → list with title, source, as_of, confidence, caveat."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        bad(("country_lists",), "expected a mapping of list id to list")
        return {}
    lists: dict[str, CountryList] = {}
    allowed = {"title", "source", "as_of", "confidence", "caveat", "countries"}
    for list_id, entry in raw.items():
        path: tuple[str | int, ...] = ("country_lists", list_id)
        if not _ID_PATTERN.match(str(list_id)):
            bad(path, "use lower-case letters, digits and '-' for a list id")
            continue
        if not isinstance(entry, dict):
            bad(path, "expected a mapping with title, source, as_of, confidence and countries")
            continue
        for key in entry:
            if key not in allowed:
                bad((*path, key), f"unknown field; expected one of {', '.join(sorted(allowed))}")
        texts = {}
        for key in ("title", "source", "confidence"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                bad((*path, key), "expected text")
            else:
                texts[key] = fold(value)
        as_of = entry.get("as_of")
        if as_of is None or isinstance(as_of, bool):
            bad((*path, "as_of"), "missing: the date of the list's source")
        if texts.get("confidence") not in (None, "high", "medium", "low"):
            bad((*path, "confidence"), "expected high, medium or low")
        caveat = entry.get("caveat")
        countries = _codes(entry.get("countries"), (*path, "countries"), bad, is_code)
        if len(texts) == 3 and as_of is not None and countries:
            lists[str(list_id)] = CountryList(
                str(list_id),
                texts["title"],
                texts["source"],
                str(as_of),
                texts["confidence"],
                fold(caveat) if isinstance(caveat, str) else None,
                frozenset(countries),
            )
    return lists


def _codes(
    raw: Any, path: tuple[str | int, ...], bad: Bad, is_code: Callable[[str], bool]
) -> list[str]:
    if not isinstance(raw, list) or not raw:
        bad(path, "expected a non-empty list of ISO 3166-1 alpha-2 codes")
        return []
    codes = []
    for index, code in enumerate(raw):
        if isinstance(code, str) and is_code(code):
            codes.append(code)
        else:
            bad((*path, index), f"{code!r} is not an ISO 3166-1 alpha-2 code in capitals")
    return codes


_RULE_FIELDS = {
    "id",
    "severity",
    "when",
    "note",
    "withhold_channels",
    "withhold_kinds",
    "hide_pointers",
}
_WHEN_FIELDS = {"sender_country", "sender_in_list", "recipient_kinds", "channel"}


def read_rules(
    raw: Any,
    bad: Bad,
    *,
    kinds: Sequence[str],
    languages: Sequence[str],
    lists: Mapping[str, CountryList],
    pointer_ids: Sequence[str],
    is_code: Callable[[str], bool],
) -> tuple[RiskRule, ...]:
    """The ``safety_rules`` list, every problem reported with its place."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        bad(("safety_rules",), "expected a list of rules")
        return ()
    rules: list[RiskRule] = []
    seen: set[str] = set()
    problems: list[str] = []

    def counted(where: tuple[str | int, ...], message: str) -> None:
        problems.append(message)
        bad(where, message)

    for index, entry in enumerate(raw):
        path: tuple[str | int, ...] = ("safety_rules", index)
        if not isinstance(entry, dict):
            bad(path, "expected a mapping with id, severity, when and what the rule does")
            continue
        before = len(problems)
        for key in entry:
            if key not in _RULE_FIELDS:
                counted(
                    (*path, key),
                    f"unknown field; expected one of {', '.join(sorted(_RULE_FIELDS))}",
                )
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not _ID_PATTERN.match(rule_id):
            counted((*path, "id"), "expected an id of lower-case letters, digits and '-'")
        elif rule_id in seen:
            counted((*path, "id"), f"duplicate rule id {rule_id!r}")
        else:
            seen.add(rule_id)
        severity = entry.get("severity")
        if severity not in SEVERITIES:
            counted((*path, "severity"), f"{severity!r} is not one of {', '.join(SEVERITIES)}")
        note = None
        if entry.get("note") is not None:
            note = read_texts(entry["note"], (*path, "note"), counted, languages)
        when = entry.get("when", {})  # no conditions: the rule is for every sender
        countries: set[str] | None = None
        recipient_kinds: list[str] = []
        channel = None
        if not isinstance(when, dict) or ("when" in entry and not when):
            counted(
                (*path, "when"),
                f"expected a mapping with one or more of {', '.join(sorted(_WHEN_FIELDS))}",
            )
            when = {}
        for key in when:
            if key not in _WHEN_FIELDS:
                counted(
                    (*path, "when", key),
                    f"unknown condition; expected one of {', '.join(sorted(_WHEN_FIELDS))}",
                )
        if "sender_country" in when:
            countries = set(
                _codes(when["sender_country"], (*path, "when", "sender_country"), counted, is_code)
            )
        if "sender_in_list" in when:
            name = when["sender_in_list"]
            if name not in lists:
                known = ", ".join(lists) or "none defined"
                counted(
                    (*path, "when", "sender_in_list"),
                    f"{name!r} is not a list in country_lists ({known})",
                )
            else:
                countries = (countries or set()) | set(lists[name].countries)
        if "recipient_kinds" in when:
            recipient_kinds = _choices(
                when["recipient_kinds"], (*path, "when", "recipient_kinds"), counted, kinds
            )
        if "channel" in when:
            if when["channel"] in CHANNELS:
                channel = when["channel"]
            else:
                counted(
                    (*path, "when", "channel"),
                    f"{when['channel']!r} is not one of {', '.join(CHANNELS)}",
                )
        withhold_channels = _choices(
            entry.get("withhold_channels", []), (*path, "withhold_channels"), counted, CHANNELS
        )
        withhold_kinds = _choices(
            entry.get("withhold_kinds", []), (*path, "withhold_kinds"), counted, kinds
        )
        hide = _choices(
            entry.get("hide_pointers", []), (*path, "hide_pointers"), counted, pointer_ids
        )
        if (recipient_kinds or channel) and (withhold_channels or withhold_kinds or hide):
            counted(path, "a rule for recipient kinds or a channel can only add a note")
        does = ("note", "withhold_channels", "withhold_kinds", "hide_pointers")
        if not any(entry.get(key) for key in does):
            counted(path, "the rule does nothing: give a note or something to withhold or hide")
        if len(problems) != before:
            continue
        assert isinstance(rule_id, str) and severity in SEVERITIES
        rules.append(
            RiskRule(
                rule_id,
                severity,
                note,
                None if countries is None else frozenset(countries),
                tuple(recipient_kinds),
                channel,
                tuple(withhold_channels),
                tuple(withhold_kinds),
                tuple(hide),
            )
        )
    return tuple(rules)


def _choices(raw: Any, path: tuple[str | int, ...], bad: Bad, choices: Sequence[str]) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        bad(path, "expected a list")
        return []
    chosen = []
    for index, value in enumerate(raw):
        if value in choices:
            chosen.append(value)
        else:
            bad((*path, index), f"{value!r} is not one of {', '.join(choices) or 'none'}")
    return chosen


def read_statuses(
    raw: Any, path: tuple[str | int, ...], bad: Bad, is_code: Callable[[str], bool]
) -> tuple[PointerStatus, ...]:
    """A pointer's ``legal_status`` list: country, status, since, source (all required)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        bad(path, "expected a list of {country, status, since, source}")
        return ()
    statuses = []
    for index, entry in enumerate(raw):
        where = (*path, index)
        if not isinstance(entry, dict):
            bad(where, "expected a mapping with country, status, since and source")
            continue
        for key in entry:
            if key not in ("country", "status", "since", "source"):
                bad((*where, key), "unknown field; expected country, status, since or source")
        country = entry.get("country")
        if not isinstance(country, str) or not is_code(country):
            bad((*where, "country"), f"{country!r} is not an ISO 3166-1 alpha-2 code in capitals")
            continue
        values = {}
        for key in ("status", "since", "source"):
            value = entry.get(key)
            if value is None or isinstance(value, (bool, list, dict)) or not str(value).strip():
                bad((*where, key), "missing: a legal status needs its date and source")
            else:
                values[key] = fold(str(value))
        if len(values) == 3:
            statuses.append(
                PointerStatus(country, values["status"], values["since"], values["source"])
            )
    return tuple(statuses)
