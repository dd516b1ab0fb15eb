"""Letter templates: find them, render them strictly, and report their errors with a place.

Templates are plain-text Jinja files under a campaign's ``templates/``, one per language and
recipient kind (``letters/en/embassy.txt.j2``), each defining a ``subject`` block. They render
in Jinja's immutable sandbox with ``StrictUndefined``, so a missing value is an error rather than
a letter that says "Dear ,"; nothing is HTML-escaped, since the output is plain text.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

from appeal.errors import TemplateError

TEMPLATE_SUFFIX = ".txt.j2"
SUBJECT_BLOCK = "subject"


@dataclass(frozen=True)
class Letter:
    """A rendered letter: a one-line subject and the body text."""

    subject: str
    body: str


class _TraversableLoader(jinja2.BaseLoader):
    """Load templates from campaign template folders, first match wins (user's before default)."""

    def __init__(self, roots: Sequence[tuple[str, Traversable]]) -> None:
        self.roots = roots

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = jinja2.loaders.split_template_path(template)
        for label, root in self.roots:
            node = root
            for part in parts:
                node = node / part
            if node.is_file():
                try:
                    source = node.read_bytes().decode("utf-8")
                except UnicodeDecodeError:
                    raise TemplateError(f"{label}/{template}: not UTF-8 text") from None
                return source, f"{label}/{template}", lambda: True
        raise jinja2.TemplateNotFound(template)


class LetterRenderer:
    """Renders letter templates from a list of template folders, most specific first."""

    def __init__(self, roots: Sequence[tuple[str, Traversable]]) -> None:
        self.environment = ImmutableSandboxedEnvironment(
            loader=_TraversableLoader(roots),
            undefined=jinja2.StrictUndefined,
            # Letters are plain text; only HTML templates (``*.html.j2``) are escaped.
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html.j2",), default_for_string=False, default=False
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

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
            return self.environment.get_template(template_name).render(context)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"templates/{template_name}: template not found") from None
        except Exception as exc:  # a template is code: any failure in it is the template's fault
            raise _wrap(exc, template_name) from None

    def render(self, language: str, kind: str, context: Mapping[str, Any]) -> Letter:
        """Render the letter for ``kind`` in ``language``; raises TemplateError on any failure."""
        name = self.template_name(language, kind)
        try:
            template = self.environment.get_template(name)
            if SUBJECT_BLOCK not in template.blocks:
                raise TemplateError(f"{template.filename}: no {{% block subject %}} in template")
            block = template.blocks[SUBJECT_BLOCK]
            subject = "".join(block(template.new_context(dict(context))))
            body = template.render(context)
        except TemplateError:
            raise
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if exc.name != name else name
            raise TemplateError(f"templates/{missing}: template not found") from None
        except Exception as exc:  # a template is code: any failure in it is the template's fault
            raise _wrap(exc, name) from None
        subject = " ".join(subject.split())
        if not subject:
            raise TemplateError(f"templates/{name}: the subject block renders empty")
        return Letter(subject=subject, body=tidy_text(body))


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
