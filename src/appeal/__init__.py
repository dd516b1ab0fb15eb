"""appeal: draft letters and e-mails of appeal for human-rights campaigns, offline.

The package is a library first: load a campaign, resolve a country, build drafts, encode links.
The command line in :mod:`appeal.cli` is a thin layer over it. Nothing here sends anything.
"""

from appeal.errors import (
    AppealError,
    CountryError,
    DataError,
    InputError,
    OutputError,
    TemplateError,
)

__all__ = [
    "AppealError",
    "CountryError",
    "DataError",
    "InputError",
    "OutputError",
    "TemplateError",
    "__version__",
]


def __getattr__(name: str) -> str:
    # The version is looked up only when asked for: importlib.metadata costs ~30 ms at start-up.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("appeal")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'appeal' has no attribute {name!r}")
