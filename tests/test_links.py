"""mailto: links: hand-worked RFC 6068 examples and round trips through two decoders."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from appeal.links import clean_body, clean_subject, mailto, parse_mailto


def test_spaces_are_percent_20_and_plus_is_encoded() -> None:
    assert mailto(["a@example.org"], "a b+c") == "mailto:a@example.org?subject=a%20b%2Bc"


def test_reserved_characters_in_values_are_encoded() -> None:
    link = mailto(["a@example.org"], "x", "1 & 2 = 3? #4 100%")
    assert link.endswith("body=1%20%26%202%20%3D%203%3F%20%234%20100%25")


def test_body_line_breaks_are_crlf() -> None:
    assert mailto(["a@example.org"], body="one\ntwo\r\nthree").endswith(
        "body=one%0D%0Atwo%0D%0Athree"
    )


def test_subject_line_breaks_fold_to_spaces() -> None:
    assert clean_subject("Hello\r\nBcc: evil@example.org") == "Hello Bcc: evil@example.org"
    link = mailto(["a@example.org"], "Hello\nBcc: evil@example.org")
    assert parse_mailto(link).fields == {"subject": "Hello Bcc: evil@example.org"}


def test_plus_in_address_is_encoded() -> None:
    assert mailto(["tag+x@example.org"]) == "mailto:tag%2Bx@example.org"


def test_no_empty_fields() -> None:
    assert mailto(["a@example.org"], "", "") == "mailto:a@example.org"
    assert "&" not in mailto(["a@example.org"], "s", "")


def test_several_recipients_are_comma_separated() -> None:
    assert mailto(["a@example.org", "b@example.org"]) == "mailto:a@example.org,b@example.org"


def test_non_ascii_is_utf8_percent_encoded() -> None:
    assert mailto(["a@example.org"], "Прокурор").endswith(
        "subject=%D0%9F%D1%80%D0%BE%D0%BA%D1%83%D1%80%D0%BE%D1%80"
    )


def test_control_characters_are_removed_from_body() -> None:
    assert clean_body("a\x00b\x07c\td") == "abc\td"


_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=300,
) | st.sampled_from(["+ & = ? # %", "a+b%20c", "line\nline", "Grüße, Привет 🌍"])


@given(subject=_text, body=_text)
def test_round_trip_through_rfc_decoder_and_parse_qsl(subject: str, body: str) -> None:
    link = mailto(["tag+x@example.org", "b@example.org"], subject, body)
    expected_subject = clean_subject(subject)
    expected_body = clean_body(body)
    decoded = parse_mailto(link)
    assert decoded.to == ("tag+x@example.org", "b@example.org")
    assert decoded.fields.get("subject", "") == expected_subject
    assert decoded.fields.get("body", "") == expected_body
    query = link.partition("?")[2]
    pairs = dict(parse_qsl(query, keep_blank_values=True))
    assert pairs.get("subject", "") == expected_subject
    assert pairs.get("body", "") == expected_body
    assert " " not in link
    assert "+" not in link
