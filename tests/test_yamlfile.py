"""The defensive YAML reader: YAML 1.2 scalars, duplicates, encodings, aliases, tags."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from appeal.errors import DataError
from appeal.yamlfile import read_yaml_bytes


def test_yaml_11_surprises_stay_text() -> None:
    doc = read_yaml_bytes(b"a: NO\nb: yes\nc: 01234\nd: on\ne: 1.5\n", "t.yaml")
    assert doc.value == {"a": "NO", "b": "yes", "c": "01234", "d": "on", "e": "1.5"}


def test_typed_scalars() -> None:
    doc = read_yaml_bytes(b"a: true\nb: ~\nc: 12\nd: 2015-03-19\n", "t.yaml")
    assert doc.value == {"a": True, "b": None, "c": 12, "d": dt.date(2015, 3, 19)}


def test_lines_are_kept() -> None:
    doc = read_yaml_bytes(b"a:\n  - x\n  - y\n", "t.yaml")
    assert doc.line_of(("a", 1)) == 3
    assert doc.line_of(("a", 1, "missing")) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a: 1\na: 2\n", "t.yaml:2:1: duplicate key 'a'"),
        (b"a: [\n", "t.yaml:2:1: "),
        (b"a: 1\n\xff\n", "t.yaml:2: not UTF-8 text (byte 0xff); save it as UTF-8"),
        (b"a: !!python/object:os.system x\n", "t.yaml:1:4: unsupported tag"),
        (b"? [1]\n: x\n", "t.yaml:1:3: a key must be plain text"),
        (b"a: 2015-02-30\n", "t.yaml:1:4: '2015-02-30' is not a valid date"),
    ],
)
def test_bad_documents_name_the_place(data: bytes, message: str) -> None:
    with pytest.raises(DataError) as caught:
        read_yaml_bytes(data, "t.yaml")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    data = "\n".join(lines).encode()
    assert len(data) < 1000
    started = time.perf_counter()
    with pytest.raises(DataError, match="expands to more than 250,000 values"):
        read_yaml_bytes(data, "bomb.yaml")
    assert time.perf_counter() - started < 10


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(DataError, match="the limit is 10,485,760 bytes"):
        read_yaml_bytes(b"#" * (10 * 1024 * 1024 + 1), "big.yaml")
