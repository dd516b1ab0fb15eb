"""Defensive YAML reading for campaign files that people write by hand.

PyYAML implements YAML 1.1, where a bare ``NO`` (Norway) is ``false`` and ``01234`` is an octal
number, and it silently keeps the last of two duplicate keys. This module composes the document
with PyYAML's parser (the C one when present) and builds plain Python values itself, so that:

- only ``true``/``false``, ``null``, decimal integers and ``YYYY-MM-DD`` dates are typed; every
  other plain scalar stays a string (``NO``, ``yes``, ``01234`` are text);
- a duplicate key is an error with its line;
- aliases are allowed but their expansion is bounded, so a few KB cannot become millions of nodes;
- every value's line number is kept, so that validators can say where a problem is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from appeal.errors import DataError
from appeal.limits import MAX_FILE_BYTES

MAX_NODES = 250_000
#: How deeply values may nest (a record is about five levels deep).
MAX_DEPTH = 50

PathKey = tuple[str | int, ...]

_TAG_NULL = "tag:yaml.org,2002:null"
_TAG_BOOL = "tag:yaml.org,2002:bool"
_TAG_INT = "tag:yaml.org,2002:int"
_TAG_DATE = "tag:yaml.org,2002:timestamp"
_TAG_STR = "tag:yaml.org,2002:str"
_TAG_MAP = "tag:yaml.org,2002:map"
_TAG_SEQ = "tag:yaml.org,2002:seq"


class _StrictResolver(yaml.resolver.BaseResolver):
    """Resolve plain scalars the YAML 1.2 way: far fewer surprises than YAML 1.1."""


_StrictResolver.add_implicit_resolver(
    _TAG_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictResolver.add_implicit_resolver(
    _TAG_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_StrictResolver.add_implicit_resolver(
    _TAG_INT, re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*))$"), list("-+0123456789")
)
_StrictResolver.add_implicit_resolver(
    _TAG_DATE, re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), list("0123456789")
)

_CParser: Any = getattr(yaml, "cyaml", None) and getattr(yaml.cyaml, "CParser", None)

if _CParser is not None:

    class _Composer(_CParser, _StrictResolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            _StrictResolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _StrictResolver,
    ):
        def __init__(self, text: str) -> None:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _StrictResolver.__init__(self)


@dataclass
class YamlDocument:
    """A parsed YAML file: its plain value and the line where each value starts."""

    name: str
    value: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of the value at ``path``, or of its nearest parent that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def read_yaml_bytes(data: bytes, name: str) -> YamlDocument:
    """Parse ``data`` (the content of the file called ``name``) into a :class:`YamlDocument`."""
    if len(data) > MAX_FILE_BYTES:
        raise DataError(
            f"{name}: file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        ) from None
    try:
        composer = _Composer(text)
        try:
            root = composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.MarkedYAMLError as exc:
        raise DataError(_describe_yaml_error(name, exc)) from None
    except yaml.YAMLError as exc:
        raise DataError(f"{name}: not valid YAML: {exc}") from None
    document = YamlDocument(name=name, value=None)
    if root is None:
        return document
    builder = _Builder(document)
    document.value = builder.build(root, ())
    return document


def _describe_yaml_error(name: str, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
    problem = exc.problem or "not valid YAML"
    context = f" ({exc.context})" if exc.context else ""
    return f"{where}: {problem}{context}"


class _Builder:
    """Turn a composed node graph into plain values, counting nodes to bound alias expansion."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.visited = 0
        #: The collections being built, outermost first: an alias to one of them is a loop.
        self.open: list[yaml.Node] = []

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise DataError(
                f"{self.document.name}:{node.start_mark.line + 1}: the document expands to more "
                f"than {MAX_NODES:,} values (aliases used as a 'billion laughs' bomb?)"
            )
        self.document.lines.setdefault(path, node.start_mark.line + 1)
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            return self._scalar(node)
        if any(node is open_node for open_node in self.open):
            raise self._error(node, "an alias refers to a value that contains it (a loop)")
        if len(self.open) >= MAX_DEPTH:
            raise self._error(node, f"values nest more than {MAX_DEPTH} levels deep")
        self.open.append(node)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if node.tag != _TAG_SEQ:
                raise self._error(node, f"unsupported tag {node.tag!r}")
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        finally:
            self.open.pop()

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        if node.tag != _TAG_MAP:
            raise self._error(node, f"unsupported tag {node.tag!r}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._error(key_node, "a key must be plain text")
            key = self._scalar(key_node)
            if key is None or isinstance(key, (bool, dt.date)):
                raise self._error(key_node, f"key {key_node.value!r} must be text; quote it")
            key = str(key)
            if key in result:
                raise self._error(key_node, f"duplicate key {key!r}")
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        tag, value = node.tag, node.value
        if tag == _TAG_STR:
            return value
        if tag == _TAG_NULL:
            return None
        if tag == _TAG_BOOL:
            return value.lower() == "true"
        if tag == _TAG_INT:
            try:
                return int(value)
            except ValueError:
                raise self._error(node, f"{value!r} is not a whole number") from None
        if tag == _TAG_DATE:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise self._error(node, f"{value!r} is not a valid date") from None
        raise self._error(node, f"unsupported tag {tag!r}")

    def _error(self, node: yaml.Node, message: str) -> DataError:
        mark = node.start_mark
        return DataError(f"{self.document.name}:{mark.line + 1}:{mark.column + 1}: {message}")
