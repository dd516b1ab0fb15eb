"""Letter templates: find them, render them strictly, and report their errors with a place.

Templates are plain-text Jinja files under a campaign's ``templates/``, one per language and
recipient kind (``letters/en/<kind>.txt.j2``), each defining a ``subject`` block. They render
in Jinja's immutable sandbox with ``StrictUndefined``, so a missing value is an error rather than
a letter that says "Dear ,"; nothing is HTML-escaped, since the output is plain text.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import importlib.util
import marshal
import operator
import re
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

    from appeal.snapshot import TemplateCode

from appeal import limits
from appeal.errors import TemplateError
from appeal.textguard import (
    fold_spaces,
    has_encoded_word,
    hidden_character_problem,
    tidy_text,
)

TEMPLATE_SUFFIX = ".txt.j2"
SUBJECT_BLOCK = "subject"


class Letter(NamedTuple):
    """A rendered letter: a one-line subject and the body text."""

    subject: str
    body: str


#: Templates come from people a user may not know: their size and render time are capped.
MAX_TEMPLATE_BYTES = 256 * 1024
MAX_RENDER_SECONDS = 5.0
#: The longest string or list a template may build with '*' (a letter is a few KB).
MAX_PRODUCT = 100_000
#: A template that extends the default campaign's version of a file names it with this prefix.
DEFAULT_PREFIX = "default"


class _TraversableLoader(jinja2.BaseLoader):
    """Load templates from campaign template folders, first match wins (user's before default).

    ``default/letters/en/<kind>.txt.j2`` names the default campaign's file, so that a campaign's
    own template of the same name can extend it. Names with '..' are refused by Jinja, and a
    file that resolves outside its folder (through a link) is refused here.
    """

    def __init__(self, roots: Sequence[tuple[str, Traversable]]) -> None:
        self.roots = roots
        self._resolved: dict[str, Path] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = jinja2.loaders.split_template_path(template)
        roots = self.roots
        if parts and parts[0] == DEFAULT_PREFIX and len(roots) > 1:
            roots, parts = roots[-1:], parts[1:]
        for label, root in roots:
            node = root
            for part in parts:
                node = node / part
            try:
                found = self._read(label, template, root, node)
            except OSError as exc:
                raise TemplateError(
                    f"{label}/{template}: cannot be read ({exc.strerror or exc})"
                ) from None
            if found is not None:
                try:
                    source = found.decode("utf-8")
                except UnicodeDecodeError:
                    raise TemplateError(f"{label}/{template}: not UTF-8 text") from None
                return source, f"{label}/{'/'.join(parts)}", lambda: True
        raise jinja2.TemplateNotFound(template)

    def _read(
        self, label: str, template: str, root: Traversable, node: Traversable
    ) -> bytes | None:
        """The file's bytes, or None where there is no such file; its size is checked (stat)
        before anything is read, and no more than the limit is ever read."""
        if not isinstance(node, Path):  # inside a zipped package: the embedded campaign only
            return bytes(node.read_bytes()) if node.is_file() else None
        try:
            status = node.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        self._refuse_escape(label, template, root, node)
        if status.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                f"{label}/{template}: {status.st_size:,} bytes; a template may have at most "
                f"{MAX_TEMPLATE_BYTES:,}"
            )
        with node.open("rb") as stream:
            data = stream.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:  # it grew after the check
            raise TemplateError(
                f"{label}/{template}: more than {MAX_TEMPLATE_BYTES:,} bytes; a template may "
                f"have at most {MAX_TEMPLATE_BYTES:,}"
            )
        return data

    def _refuse_escape(
        self, label: str, template: str, root: Traversable, node: Traversable
    ) -> None:
        if not isinstance(node, Path):
            return
        folder = str(root)
        if folder not in self._resolved:
            self._resolved[folder] = Path(folder).resolve()
        if not node.resolve().is_relative_to(self._resolved[folder]):
            raise TemplateError(f"{label}/{template}: leads outside the templates folder")


#: The longest text (or list) any one step of a template may build, and the longest output.
MAX_TEXT = 4_000_000
#: The widest field a width-taking filter or format may pad to.
MAX_WIDTH = 10_000
#: How much more memory (address space) a render may take, where the OS can cap it.
MAX_RENDER_MEMORY = 1024 * 1024 * 1024

#: printf-style conversions: their width and precision may be '*' (taken from the arguments).
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
#: Methods of str whose result grows with a number argument.
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


def _refuse(message: str) -> SecurityError:
    return SecurityError(message)


def _check_width(what: str, width: Any) -> None:
    if isinstance(width, int) and width > MAX_WIDTH:
        raise _refuse(f"{what} with a width of {width:,}; the limit is {MAX_WIDTH:,}")


def _check_length(what: str, length: int) -> None:
    if length > MAX_TEXT:
        raise _refuse(f"{what} would build more than {MAX_TEXT:,} characters or items")


def _check_percent_format(text: str) -> None:
    """Refuse printf-style formats that pad to a huge width or take it from the arguments."""
    for width, precision in _PERCENT_SPEC.findall(text):
        for number in (width, precision):
            if number == "*":
                raise _refuse("'%' formats with '*' widths are not allowed")
            if number:
                _check_width("'%' format", int(number))


def _check_format_string(text: str) -> None:
    """Refuse str.format fields whose spec pads to a huge width or is itself a field."""
    import string

    for _, field, spec, _ in string.Formatter().parse(text):
        if field is None or not spec:
            continue
        if "{" in spec:
            raise _refuse("format specs built from fields ('{:{}}') are not allowed")
        for number in re.findall(r"\d+", spec):
            _check_width("format()", int(number))


def _length(value: Any) -> int:
    """``len(value)``, measuring a str subclass as a plain str: the marked places of
    appeal.slots note every use of their own methods, and measuring for a limit is not one."""
    return str.__len__(value) if isinstance(value, str) else len(value)


def _plain(text: str) -> str:
    """A str subclass's text as a plain str, read without its own methods (see :func:`_length`)."""
    return str.__str__(text)


def _text_size(value: Any, budget: int = MAX_TEXT) -> int:
    """About how many characters ``str(value)`` has, counting no further than ``budget`` (so a
    list holding the same huge list many times is measured without being written out)."""
    if isinstance(value, str):
        return _length(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return 8
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        total = 2
        items = value.items() if isinstance(value, dict) else value
        for item in items:
            total += 2 + _text_size(item, budget - total)
            if total > budget:
                break
        return total
    return len(str(value))


def _measured_items(what: str, items: Iterable[Any], separator: int = 0, start: int = 0) -> Any:
    """``items`` as a tuple, read one by one and refused as soon as, joined, they would be too
    long (so a generator of huge strings is never held whole). Lists and tuples pass as they are."""
    if isinstance(items, (list, tuple)):
        _check_length(what, start + _total_size(items, separator))
        return items
    kept = []
    total = start
    for item in items:
        kept.append(item)
        total += separator + _text_size(item, MAX_TEXT - total)
        _check_length(what, total)
    return tuple(kept)


def _total_size(items: Iterable[Any], separator: int = 0) -> int:
    """About how many characters the items have together, counting no further than the limit."""
    total = 0
    for item in items:
        total += separator + _text_size(item, MAX_TEXT - total)
        if total > MAX_TEXT:
            break
    return total


def _checked(what: str, value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and _length(value) > MAX_TEXT:
        _check_length(what, _length(value))
    return value


def _argument(args: tuple[Any, ...], kwargs: Mapping[str, Any], index: int, name: str) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name)


def _check_filter(name: str, value: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> Any:
    """Refuse a filter call whose result would be huge before it is built; returns the value
    to pass on (an iterator is read into a tuple, so that it can be measured)."""
    if name in ("center", "indent", "wordwrap", "truncate"):
        width = _argument(args, kwargs, 0, "length" if name == "truncate" else "width")
        if name == "indent" and isinstance(width, str):
            width = _length(width)
        _check_width(f"'{name}'", width)
        if name == "indent" and isinstance(value, str) and isinstance(width, int):
            lines = str.count(value, "\n") + 1
            _check_length("'indent'", _length(value) + lines * width)
        if name == "wordwrap" and isinstance(value, str):
            wrap = _argument(args, kwargs, 2, "wrapstring") or "\n"
            lines = _length(value) // max(width if isinstance(width, int) else 79, 1) + 1
            _check_length("'wordwrap'", _length(value) + lines * _length(wrap))
    elif name == "format" and isinstance(value, str):
        _check_percent_format(_plain(value))
    elif name == "join":
        separator = str(_argument(args, kwargs, 0, "d") or "")
        if not isinstance(value, str):
            value = _measured_items("'join'", value, _length(separator))
    elif name == "replace" and isinstance(value, str):
        old, new = _argument(args, kwargs, 0, "old"), _argument(args, kwargs, 1, "new")
        if isinstance(old, str) and isinstance(new, str):
            count = str.count(value, old) if old else _length(value) + 1
            growth = max(_length(new) - _length(old), 0)
            _check_length("'replace'", _length(value) + count * growth)
    elif name in ("batch", "slice"):
        count = _argument(args, kwargs, 0, "linecount" if name == "batch" else "slices")
        if isinstance(count, int) and count > MAX_TEXT:
            _check_length(f"'{name}'", count)
    elif name == "sum":
        start = _argument(args, kwargs, 1, "start")
        if isinstance(start, (str, list, tuple)):
            value = _measured_items("'sum'", value, start=_length(start))
    return value


def _limited_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` (a Jinja filter) with the checks of :func:`_check_filter` and a size check
    on its result."""
    import functools

    passes_first = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)  # keeps jinja_pass_arg, so Jinja passes the same arguments
    def limited(*args: Any, **kwargs: Any) -> Any:
        if passes_first:
            first, value, rest = args[:1], args[1], args[2:]
        else:
            first, value, rest = (), args[0], args[1:]
        value = _check_filter(name, value, rest, kwargs)
        return _checked(f"'{name}'", function(*first, value, *rest, **kwargs))

    return limited


class _LimitedCodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with the parts of every '~' concatenation measured before they
    are joined (``str()`` of a list that holds a huge list many times would be huge)."""

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: jinja2.compiler.Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"{join}(environment.measured((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write(")))")


_BINARY_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "%": operator.mod,
}


class _LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with limits on what a template can build.

    '*' and '**' results, '+', '%', '~', str methods and filters that pad or repeat, and every
    value written out are measured before (or, where that is cheap, right after) they are built,
    and refused over :data:`MAX_TEXT` characters or :data:`MAX_WIDTH` of padding.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _LimitedCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.filters = _limited_filters(self.filters)
        self.globals.pop("lipsum", None)  # makes arbitrary amounts of text; no letter needs it

    @staticmethod
    def _finalize(value: Any) -> Any:
        if not isinstance(value, str):
            _check_length("writing a value", _text_size(value))
        return value

    @staticmethod
    def measured(parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The parts of a '~' concatenation, refused if together they would be too long."""
        _check_length("'~'", _total_size(parts))
        return parts

    @staticmethod
    def concat(pieces: Iterable[str]) -> str:
        """Join a template's output, stopping as soon as it is over the limit."""
        parts = []
        total = 0
        for piece in pieces:
            total += _length(piece)
            if total > MAX_TEXT:
                _check_length("the template's output", total)
            parts.append(piece)
        return "".join(parts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and right > 64:
            raise SecurityError(f"'**' with an exponent of {right} is not allowed")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                too_big = (
                    isinstance(sized, (str, list, tuple))
                    and isinstance(count, int)
                    and _length(sized) * count > MAX_PRODUCT
                )
                if too_big:
                    raise SecurityError(
                        f"'*' would build {_length(sized) * count:,} items; the limit is "
                        f"{MAX_PRODUCT:,}"
                    )
        sized = (str, list, tuple)
        if operator == "+" and isinstance(left, sized) and isinstance(right, sized):
            _check_length("'+'", _length(left) + _length(right))
        if operator == "%" and isinstance(left, str):
            _check_percent_format(_plain(left))
        # Done here rather than in jinja2.sandbox, so that a marked place (appeal.slots) written
        # out by '%' is converted by the template's side, as without the sandbox's checks.
        return _checked(f"'{operator}'", _BINARY_OPERATORS[operator](left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format_string(value.__self__)
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(__obj, "__name__", None)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and method is not None:
            if method in _WIDTH_METHODS and args:
                _check_width(f"'{method}'", args[0])
            elif method in ("join", "replace", "expandtabs"):
                if method == "expandtabs":
                    size = _text_size(owner) * max(int(args[0]) if args else 8, 1)
                elif method == "join":
                    if args:
                        args = (_measured_items("'join'", args[0], _length(owner)), *args[1:])
                    size = 0
                else:
                    found = str.count(owner, _plain(str(args[0])))
                    size = _length(owner) + found * _length(str(args[1]))
                _check_length(f"'{method}'", size)
        result = super().call(__context, __obj, *args, **kwargs)
        return _checked(f"'{method or 'call'}'", result)


_FILTER_CACHE: dict[int, dict[str, Callable[..., Any]]] = {}


def _limited_filters(filters: Mapping[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Every filter wrapped by :func:`_limited_filter` (built once per process)."""
    key = id(jinja2.filters.FILTERS)
    if key not in _FILTER_CACHE:
        _FILTER_CACHE[key] = {name: _limited_filter(name, f) for name, f in filters.items()}
    return dict(_FILTER_CACHE[key])


#: Changes when the sandbox changes the code Jinja writes (the '~' check, finalize).
_SANDBOX_CODE_VERSION = 2
#: Which templates are HTML-escaped (by file name); part of the compiled code's key.
_ESCAPED_EXTENSIONS = ("html.j2",)


def _code_key(environment: jinja2.Environment, cache_key: str, checksum: str) -> str:
    """The key of a template's compiled code: everything that shapes the code Jinja writes."""
    shape = (
        jinja2.__version__,
        type(environment).__qualname__,
        _SANDBOX_CODE_VERSION,
        sorted(getattr(environment, "intercepted_binops", ())),
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.keep_trailing_newline,
        _ESCAPED_EXTENSIONS,
        cache_key,
        checksum,
    )
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:32]


class _CompiledAhead(jinja2.BytecodeCache):
    """Jinja's bytecode-cache hook, serving code compiled ahead of time and never storing any.

    Only a template whose name, file name and source checksum match a compiled entry (with the
    same Jinja version and sandbox settings) is served; any other compiles as usual.
    """

    def __init__(self, code: TemplateCode) -> None:
        self.code = code

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        entry = self.code.get(_code_key(bucket.environment, bucket.key, bucket.checksum))
        if entry is None:
            return
        if entry.marshalled and entry.magic == importlib.util.MAGIC_NUMBER.hex():
            # Compiled by a Python with this bytecode format when the wheel was built. Only the
            # package's own snapshot is read (never a campaign folder's), so this is code the
            # package ships, as trusted as its modules.
            bucket.code = marshal.loads(binascii.a2b_base64(entry.marshalled))  # noqa: S302
        else:
            bucket.code = compile(entry.code, entry.filename, "exec")

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Nothing is written: the tool stores nothing it was not asked to."""


class _RenderTimeout(Exception):
    def __init__(self, whole_command: bool) -> None:
        super().__init__()
        self.whole_command = whole_command


def _timeout_error(name: str, timeout: _RenderTimeout) -> TemplateError:
    if timeout.whole_command:
        return TemplateError(
            f"templates/{name}: the command's templates took longer than "
            f"{limits.MAX_COMMAND_RENDER_SECONDS:g} s to render in all"
        )
    return TemplateError(f"templates/{name}: took longer than {MAX_RENDER_SECONDS:g} s to render")


def _memory_error(name: str) -> TemplateError:
    return TemplateError(
        f"templates/{name}: needed more than {MAX_RENDER_MEMORY // 2**20:,} MB of memory to render"
    )


@contextlib.contextmanager
def _render_limits() -> Iterator[None]:
    """Run one render under its own time limit, the command's render time left (see
    :class:`appeal.limits.RenderClock`) and a memory cap, where the OS offers them (the alarm
    timer and the address-space limit work in the main thread of a POSIX process)."""
    left = limits.RENDER_CLOCK.left()
    seconds = MAX_RENDER_SECONDS if left is None else min(MAX_RENDER_SECONDS, left)
    by_command = seconds < MAX_RENDER_SECONDS
    if seconds <= 0:
        raise _RenderTimeout(whole_command=True)
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    started = time.monotonic()
    if not usable:
        try:
            yield
        finally:
            limits.RENDER_CLOCK.spend(time.monotonic() - started)
        return

    def expire(signum: int, frame: Any) -> None:
        raise _RenderTimeout(by_command)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with _memory_cap():
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        limits.RENDER_CLOCK.spend(time.monotonic() - started)


@contextlib.contextmanager
def _memory_cap() -> Iterator[None]:
    """Limit the process's address space to what it uses now plus MAX_RENDER_MEMORY (Linux)."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as stream:
            in_use = int(stream.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    cap = in_use + MAX_RENDER_MEMORY
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class LetterRenderer:
    """Renders letter templates from a list of template folders, most specific first."""

    def __init__(
        self, roots: Sequence[tuple[str, Traversable]], compiled: TemplateCode | None = None
    ) -> None:
        self.environment = _LimitedSandbox(
            loader=_TraversableLoader(roots),
            undefined=jinja2.StrictUndefined,
            # Letters are plain text; only HTML templates (``*.html.j2``) are escaped.
            autoescape=jinja2.select_autoescape(
                enabled_extensions=_ESCAPED_EXTENSIONS, default_for_string=False, default=False
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_CompiledAhead(compiled) if compiled else None,
        )
        #: Control characters the caller puts into the context as marked places, allowed in
        #: the output only inside :meth:`markers_allowed`.
        self.marker_characters = ""

    @contextlib.contextmanager
    def markers_allowed(self, characters: str) -> Iterator[None]:
        """Let renders in the block write ``characters``: the control characters of marked
        places (appeal.prerender), whose callers check that none is left over."""
        self.marker_characters = characters
        try:
            yield
        finally:
            self.marker_characters = ""

    def compile_ahead(self, template_name: str) -> tuple[str, str, str]:
        """(key, file name, Python code) of a template, for the compiled snapshot."""
        environment = self.environment
        source, filename, _ = environment.loader.get_source(environment, template_name)  # type: ignore[union-attr]
        cache = jinja2.BytecodeCache()
        key = _code_key(
            environment,
            cache.get_cache_key(template_name, filename),
            cache.get_source_checksum(source),
        )
        return key, str(filename), environment.compile(source, template_name, filename, raw=True)

    def template_name(self, language: str, kind: str) -> str:
        """The name of the template for one language and recipient kind."""
        return f"letters/{language}/{kind}{TEMPLATE_SUFFIX}"

    def source_of(self, template_name: str) -> str | None:
        """Where a template is found (its folder label and name), or None if nowhere."""
        try:
            _, filename, _ = self.environment.loader.get_source(self.environment, template_name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return None
        return filename

    def render_text(self, language: str, name: str, context: Mapping[str, Any]) -> str:
        """Render a template that is not a letter (e.g. ``post``) to tidy text."""
        template_name = self.template_name(language, name)
        text = tidy_text(self.render_file(template_name, context))
        return _visible(template_name, "text", text, self.marker_characters)

    def render_file(self, template_name: str, context: Mapping[str, Any]) -> str:
        """Render any template by name; HTML templates are autoescaped."""
        try:
            with _render_limits():
                return self.environment.get_template(template_name).render(context)
        except _RenderTimeout as timeout:
            raise _timeout_error(template_name, timeout) from None
        except MemoryError:
            raise _memory_error(template_name) from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"templates/{template_name}: template not found") from None
        except Exception as exc:  # a template is code: any failure in it is the template's fault
            raise _wrap(exc, template_name) from None

    def render(self, language: str, kind: str, context: Mapping[str, Any]) -> Letter:
        """Render the letter for ``kind`` in ``language``; raises TemplateError on any failure."""
        name = self.template_name(language, kind)
        try:
            with _render_limits():
                template = self.environment.get_template(name)
                if SUBJECT_BLOCK not in template.blocks:
                    raise TemplateError(
                        f"{template.filename}: no {{% block subject %}} in template"
                    )
                block = template.blocks[SUBJECT_BLOCK]
                subject = self.environment.concat(block(template.new_context(dict(context))))
                body = template.render(context)
        except TemplateError:
            raise
        except _RenderTimeout as timeout:
            raise _timeout_error(name, timeout) from None
        except MemoryError:
            raise _memory_error(name) from None
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if exc.name != name else name
            raise TemplateError(f"templates/{missing}: template not found") from None
        except Exception as exc:  # a template is code: any failure in it is the template's fault
            raise _wrap(exc, name) from None
        subject = fold_spaces(subject)
        if not subject:
            raise TemplateError(f"templates/{name}: the subject block renders empty")
        if has_encoded_word(subject):
            raise TemplateError(
                f"templates/{name}: the subject holds '=?...?=' (RFC 2047) syntax, which mail "
                "programs may decode into another header"
            )
        markers = self.marker_characters
        return Letter(
            subject=_visible(name, "subject", subject, markers),
            body=_visible(name, "letter", tidy_text(body), markers),
        )


def _visible(template_name: str, part: str, text: str, markers: str = "") -> str:
    """``text`` if it holds no control or invisible characters (the sender's own fields are
    checked the same way before, so such a character comes from the template or the data)."""
    problem = hidden_character_problem(text, allow="\n\t" + markers)
    if problem:
        raise TemplateError(f"templates/{template_name}: the rendered {part} {problem}")
    return text


def _wrap(exc: BaseException, name: str) -> TemplateError:
    """A one-line TemplateError naming the template file and line where ``exc`` arose."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = exc.filename or f"templates/{exc.name or name}"
        return TemplateError(f"{where}:{exc.lineno}: syntax error: {exc.message}")
    import traceback  # only on the error path

    where = f"templates/{name}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            where = f"{frame.filename}:{frame.lineno}"
            break
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(f"{where}: undefined value: {exc.message}")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return TemplateError(f"{where}: refused by the sandbox: {exc}")
    return TemplateError(f"{where}: {type(exc).__name__}: {exc}")
