"""The wheel's build hook: package the default campaign and compile its snapshot.

hatchling runs this for every wheel (``pip install .``, ``pip wheel``, ``python -m build``):

- a regular wheel gets the repository's top-level ``campaign.yaml``, ``recipients.yaml`` and
  ``templates/`` as ``appeal/default_campaign/`` (force-included), and beside them
  ``snapshot.jsonl``, built from those very files by the Jinja of the build environment. A
  campaign that fails its checks fails the build: no wheel ships without its snapshot.
- an editable install writes the snapshot into the source tree
  (``src/appeal/default_campaign/``, ignored by git). If the campaign does not pass its checks
  the install goes on without it, with a warning: appeal then parses the YAML at each start (and
  reports what is wrong), exactly as it does once the files are edited after the install.

The snapshot's code lives in the package (``appeal.snapshot_build``), imported from ``src/``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

IN_WHEEL = "appeal/default_campaign"
#: The default campaign's files, at the top of the repository (where organisers read them).
CAMPAIGN_FILES = ("campaign.yaml", "recipients.yaml", "templates")


class SnapshotBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Builds ``snapshot.jsonl`` for the wheel (see the module's docstring)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Build the snapshot and add it to the wheel (or to the source tree when editable)."""
        root = Path(self.root)
        snapshot_build = _import_build_side(root / "src")
        if version == "editable":
            target = root / "src" / "appeal" / "default_campaign" / "snapshot.jsonl"
            try:
                snapshot_build.write_snapshot(root, target)
            except Exception as exc:  # the install must not fail over a campaign being edited
                target.unlink(missing_ok=True)
                self.app.display_warning(
                    f"appeal: no compiled snapshot ({exc}); the campaign is parsed at each start"
                )
            return
        self._folder = tempfile.TemporaryDirectory(prefix="appeal-snapshot-")
        target = Path(self._folder.name) / "snapshot.jsonl"
        data = snapshot_build.write_snapshot(root, target)
        for name in CAMPAIGN_FILES:
            build_data["force_include"][str(root / name)] = f"{IN_WHEEL}/{name}"
        build_data["force_include"][str(target)] = f"{IN_WHEEL}/{target.name}"
        self.app.display_info(
            f"appeal: compiled {len(data['recipients'])} records and "
            f"{len(data['templates'])} templates into {IN_WHEEL}/{target.name}"
        )

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary snapshot once it is in the wheel."""
        folder = getattr(self, "_folder", None)
        if folder is not None:
            folder.cleanup()


def _import_build_side(source: Path) -> Any:
    """``appeal.snapshot_build`` from this source tree, never from an installed appeal."""
    for name in [m for m in sys.modules if m == "appeal" or m.startswith("appeal.")]:
        del sys.modules[name]
    sys.path.insert(0, str(source))
    try:
        from appeal import snapshot_build
    finally:
        sys.path.remove(str(source))
    if not Path(snapshot_build.__file__).resolve().is_relative_to(source.resolve()):
        raise RuntimeError(f"appeal.snapshot_build was imported from {snapshot_build.__file__}")
    return snapshot_build
