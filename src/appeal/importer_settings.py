"""The ``importers`` setting of ``campaign.yaml``: whose records the importers read, and the
kinds those records get.

``importers: {embassies: {operator: BY, kind: embassy}, un_missions: {kind: un_mission}}``:
``appeal recipients import-embassies`` reads the embassies of ``operator`` (an ISO 3166-1
alpha-2 code) into records of ``kind``; ``import-bluebook`` updates the UN mission kind.
Kept apart from appeal.campaign so that its checks are read in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple


class ImporterSettings(NamedTuple):
    """Whose embassies the embassy importer reads, and the kinds imported records get."""

    #: ISO 3166-1 alpha-2 of the government whose embassies are imported; None: not set.
    embassies_operator: str | None = None
    #: The kinds imported records get; None: the campaign does not say (no import).
    embassies_kind: str | None = None
    un_missions_kind: str | None = None


#: The importers and the settings each takes.
_ALLOWED = {"embassies": ("operator", "kind"), "un_missions": ("kind",)}


def read_importers(
    raw: Any,
    bad: Callable[[tuple[str, ...], str], None],
    kinds: Sequence[str],
    is_code: Callable[[str], bool],
) -> ImporterSettings:
    """The ``importers`` setting, each problem reported through ``bad`` (its place and what is
    wrong); ``kinds`` are the campaign's recipient kinds."""
    if raw is None:
        return ImporterSettings()
    if not isinstance(raw, dict):
        bad(("importers",), "expected a mapping with 'embassies' and/or 'un_missions'")
        return ImporterSettings()
    found: dict[str, Any] = {}
    for name, entry in raw.items():
        if name not in _ALLOWED:
            bad(("importers", str(name)), "unknown importer; expected embassies or un_missions")
            continue
        if not isinstance(entry, dict):
            bad(("importers", name), "expected a mapping")
            continue
        for key, value in entry.items():
            place = ("importers", name, str(key))
            if key not in _ALLOWED[name]:
                bad(place, f"unknown setting; expected {' or '.join(_ALLOWED[name])}")
            elif key == "kind" and value not in kinds:
                bad(place, f"{value!r} is not one of {', '.join(kinds)}")
            elif key == "operator" and not (isinstance(value, str) and is_code(value)):
                bad(place, f"{value!r} is not an ISO 3166-1 alpha-2 code in capitals (e.g. BY)")
            else:
                found["embassies_operator" if key == "operator" else f"{name}_kind"] = value
    return ImporterSettings(**found)
