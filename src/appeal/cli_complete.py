"""Shell completion for ``appeal`` in bash, zsh and fish, through click's own mechanism
(``_APPEAL_COMPLETE=bash_source appeal`` prints the script): country names and codes for
``--country``, the campaign's recipient kinds for ``--to`` and ``--kind``, and bash's
insertion of a value with a space or an apostrophe as one word.

Part of the command-line layer; the library never imports it.
"""

from __future__ import annotations

import re

import click
from click.shell_completion import BashComplete, CompletionItem, add_completion_class


def complete_country(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Country codes and names that start like what is typed, each with its code and name."""
    from appeal.countries import complete_country as candidates

    return [
        CompletionItem(value, help=f"{country.alpha2} {country.name}")
        for value, country in candidates(incomplete)
    ]


def complete_kind(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The recipient kinds of the campaign given with --campaign (or APPEAL_CAMPAIGN), else of
    the default one, that start like what is typed, each with its English label. A campaign
    that does not load completes nothing (the command itself will say why)."""
    from appeal.campaign import load_campaign
    from appeal.errors import AppealError

    folder = ctx.find_root().params.get("campaign_dir")
    try:
        settings = load_campaign(folder).settings
    except AppealError:
        return []
    return [
        CompletionItem(kind, help=settings.kind_label(kind))
        for kind in settings.kinds
        if kind.startswith(incomplete)
    ]


# Characters a POSIX shell reads specially in a word.
_SHELL_SPECIAL = re.compile(r"""([\s'"\\$`!&;|<>()\[\]{}*?#~])""")


class _BashComplete(BashComplete):
    """click's bash completion, with the shell's special characters in values escaped.

    Bash inserts a completion as it is, so 'United Kingdom' would become two words; zsh and
    fish quote what they insert themselves.
    """

    def format_completion(self, item: CompletionItem) -> str:
        value = item.value
        if item.type == "plain":
            # Escaped for the shell, then once more for the script's `read`, which takes a
            # backslash away.
            value = _SHELL_SPECIAL.sub(r"\\\1", value).replace("\\", "\\\\")
        return f"{item.type},{value}"


add_completion_class(_BashComplete, "bash")
