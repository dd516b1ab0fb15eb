"""Start-up: `appeal draft --country DE --name X` against `python -c "import click, jinja2, yaml"`.

The tool is measured as a user gets it from `pip install .`: installed (byte-compiled, as pip
does) into a temporary folder that is put first on PYTHONPATH, and run through the `appeal`
script pip writes. An editable install is not representative: its modules are compiled from
source at every start wherever PYTHONDONTWRITEBYTECODE is set. The two commands run alternately,
so that both see the same machine load; the figure is the ratio of their medians (target: at
most 1.3).
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 21
REPO = Path(__file__).resolve().parent.parent


def _time(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - started


def _install(target: Path) -> None:
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", *isolation]
    subprocess.run([*pip, "--target", str(target), str(REPO)], check=True)


def main() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder)
        _install(target)
        env = {**os.environ, "PYTHONPATH": str(target)}
        script = target / "bin" / "appeal"
        draft = [str(script)] if script.exists() else [sys.executable, "-m", "appeal"]
        draft += ["draft", "--country", "DE", "--name", "X"]
        baseline = [sys.executable, "-c", "import click, jinja2, yaml"]
        _time(draft, env), _time(baseline, env)  # warm the file cache
        ours, theirs = [], []
        for _ in range(RUNS):
            ours.append(_time(draft, env))
            theirs.append(_time(baseline, env))
    result = {
        "draft_median_s": statistics.median(ours),
        "baseline_median_s": statistics.median(theirs),
    }
    result["ratio"] = result["draft_median_s"] / result["baseline_median_s"]
    print(
        f"start-up: appeal draft {result['draft_median_s'] * 1000:.0f} ms, "
        f"import click+jinja2+yaml {result['baseline_median_s'] * 1000:.0f} ms, "
        f"ratio {result['ratio']:.2f} (target <= 1.3)"
    )
    return result


if __name__ == "__main__":
    main()
