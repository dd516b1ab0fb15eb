"""Run every benchmark and print its figures: python benchmarks/run.py [--quick]."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import mailmerge, page, startup

if __name__ == "__main__":
    startup.main()
    mailmerge.main(big="--quick" not in sys.argv)
    page.main()
