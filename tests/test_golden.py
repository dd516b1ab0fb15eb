"""Golden files: each letter kind rendered for a fixed sender, compared with a reviewed copy.

After an intended change of wording, regenerate with ``APPEAL_UPDATE_GOLDEN=1 pytest
tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from appeal.campaign import load_campaign
from appeal.countries import resolve_country
from appeal.drafts import DraftOptions, build_drafts
from appeal.records import LANGUAGES
from appeal.sender import make_sender

GOLDEN = Path(__file__).parent / "golden"
SAMPLE_RECIPIENT = {
    "embassy": "embassy-de",
    "un_mission": "un-mission-de",
    "prosecutor": "prosecutor-general",
    "investigative_committee": "investigative-committee",
    "company": "company-hornet",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", SAMPLE_RECIPIENT)
def test_letter_matches_golden_file(kind: str, language: str, min_campaign: Path) -> None:
    campaign = load_campaign(min_campaign)  # frozen records: only a change of wording shows
    sender = make_sender(
        "Anna Schmidt",
        resolve_country("DE"),
        city="Leipzig",
        note="I studied in Moscow and still have friends in Russia.",
    )
    options = DraftOptions(
        kinds=(kind,),
        language=language,
        today=dt.date(2026, 11, 23),
    )
    drafts = build_drafts(campaign, sender, options).drafts
    draft = next(d for d in drafts if d.recipient.id == SAMPLE_RECIPIENT[kind])
    rendered = f"Subject: {draft.subject}\n\n{draft.body}\n"
    path = GOLDEN / language / f"{kind}.txt"
    if os.environ.get("APPEAL_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


# Letters to the Russian federal bodies without --lang: Russian first, the sender's own language
# after it; and an explicit 'de+ru' or 'fr+ru', the sender's language first.
BILINGUAL = [
    ("prosecutor", "de", False, "ru+de"),
    ("investigative_committee", "fr", False, "ru+fr"),
    ("prosecutor", "de+ru", True, "de+ru"),
    ("prosecutor", "fr+ru", True, "fr+ru"),
]


@pytest.mark.parametrize(("kind", "language", "explicit", "expected"), BILINGUAL)
def test_bilingual_letter_matches_golden_file(
    kind: str, language: str, explicit: bool, expected: str, min_campaign: Path
) -> None:
    sender = make_sender(
        "Anna Schmidt",
        resolve_country("DE"),
        city="Leipzig",
        note="Ich habe in Moskau studiert."
        if language.startswith("de")
        else "J’ai étudié à Moscou.",
    )
    options = DraftOptions(
        kinds=(kind,),
        language=language,
        today=dt.date(2026, 11, 23),
        language_explicit=explicit,
    )
    (draft,) = build_drafts(load_campaign(min_campaign), sender, options).drafts
    assert draft.language == expected
    rendered = f"Subject: {draft.subject}\n\n{draft.body}\n"
    path = GOLDEN / expected / f"{kind}.txt"
    if os.environ.get("APPEAL_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")
