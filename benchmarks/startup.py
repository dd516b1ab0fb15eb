"""Start-up: `appeal draft --country DE --name X` against `python -c "import click, jinja2, yaml"`.

The two commands run alternately in one process tree, so that both see the same machine load;
the figure is the ratio of their medians (target: at most 1.3).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

RUNS = 15


def _time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> dict[str, float]:
    appeal = shutil.which("appeal")
    draft = [appeal] if appeal else [sys.executable, "-m", "appeal"]
    draft += ["draft", "--country", "DE", "--name", "X"]
    baseline = [sys.executable, "-c", "import click, jinja2, yaml"]
    _time(draft), _time(baseline)  # warm the file cache
    ours, theirs = [], []
    for _ in range(RUNS):
        ours.append(_time(draft))
        theirs.append(_time(baseline))
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
