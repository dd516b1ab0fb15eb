"""Letter templates: find them, render them strictly, and report their errors with a place.

Templates are plain-text Jinja files under a campaign's ``templates/``, one per language and
recipient kind (``letters/en/embassy.txt.j2``), each defining a ``subject`` block. They render
in Jinja's immutable sandbox with ``StrictUndefined``, so a missing value is an error rather than
a letter that says "Dear ,"; nothing is HTML-escaped, since the output is plain text.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
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

from appeal.errors import TemplateError

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

    ``default/letters/en/embassy.txt.j2`` names the default campaign's file, so that a campaign's
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


class _LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, refusing '*' and '**' results that would be huge."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and right > 64:
            raise SecurityError(f"'**' with an exponent of {right} is not allowed")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                too_big = (
                    isinstance(sized, (str, list, tuple))
                    and isinstance(count, int)
                    and len(sized) * count > MAX_PRODUCT
                )
                if too_big:
                    raise SecurityError(
                        f"'*' would build {len(sized) * count:,} items; the limit is "
                        f"{MAX_PRODUCT:,}"
                    )
        return super().call_binop(context, operator, left, right)


#: Which templates are HTML-escaped (by file name); part of the compiled code's key.
_ESCAPED_EXTENSIONS = ("html.j2",)


def _code_key(environment: jinja2.Environment, cache_key: str, checksum: str) -> str:
    """The key of a template's compiled code: everything that shapes the code Jinja writes."""
    shape = (
        jinja2.__version__,
        type(environment).__qualname__,
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
        if entry is not None:
            filename, source = entry
            bucket.code = compile(source, filename, "exec")

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Nothing is written: the tool stores nothing it was not asked to."""


class _RenderTimeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a render that runs longer than ``seconds`` (where the OS offers an alarm timer)."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _RenderTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
        return tidy_text(self.render_file(self.template_name(language, name), context))

    def render_file(self, template_name: str, context: Mapping[str, Any]) -> str:
        """Render any template by name; HTML templates are autoescaped."""
        try:
            with _time_limit(MAX_RENDER_SECONDS):
                return self.environment.get_template(template_name).render(context)
        except _RenderTimeout:
            raise TemplateError(
                f"templates/{template_name}: took longer than {MAX_RENDER_SECONDS:g} s to render"
            ) from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"templates/{template_name}: template not found") from None
        except Exception as exc:  # a template is code: any failure in it is the template's fault
            raise _wrap(exc, template_name) from None

    def render(self, language: str, kind: str, context: Mapping[str, Any]) -> Letter:
        """Render the letter for ``kind`` in ``language``; raises TemplateError on any failure."""
        name = self.template_name(language, kind)
        try:
            with _time_limit(MAX_RENDER_SECONDS):
                template = self.environment.get_template(name)
                if SUBJECT_BLOCK not in template.blocks:
                    raise TemplateError(
                        f"{template.filename}: no {{% block subject %}} in template"
                    )
                block = template.blocks[SUBJECT_BLOCK]
                subject = "".join(block(template.new_context(dict(context))))
                body = template.render(context)
        except TemplateError:
            raise
        except _RenderTimeout:
            raise TemplateError(
                f"templates/{name}: took longer than {MAX_RENDER_SECONDS:g} s to render"
            ) from None
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if exc.name != name else name
            raise TemplateError(f"templates/{missing}: template not found") from None
        except Exception as exc:  # a template is code: any failure in it is the template's fault
            raise _wrap(exc, name) from None
        subject = fold_spaces(subject)
        if not subject:
            raise TemplateError(f"templates/{name}: the subject block renders empty")
        return Letter(subject=subject, body=tidy_text(body))


#: What a subject folds to one space (the action page's script folds the same characters).
FOLDED_SPACES = " \t\r\n"
_FOLDED_RUN = re.compile(f"[{re.escape(FOLDED_SPACES)}]+")


def fold_spaces(text: str) -> str:
    """One line: runs of spaces, tabs and line breaks become one space. No-break spaces stay
    (French typography puts them before ':' and inside « »)."""
    return _FOLDED_RUN.sub(" ", text).strip(" ")


def tidy_text(text: str) -> str:
    """Strip spaces and tabs at line ends, keep at most one blank line between paragraphs, and
    trim blank lines at both ends. (Only spaces and tabs: the sender's note is tidied the same
    way beforehand, so the action page can put it into a pre-rendered letter unchanged.)"""
    joined = re.sub(r"[ \t]+(?=\n|$)", "", text.replace("\r\n", "\n"))
    return re.sub(r"\n{3,}", "\n\n", joined).strip("\n")


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
