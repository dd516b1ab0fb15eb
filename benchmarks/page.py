"""Action page: build time and size for the default campaign in each language (target < 500 KB)."""

from __future__ import annotations

import time


def main() -> dict[str, float]:
    from appeal.campaign import load_campaign
    from appeal.page import build_page

    campaign = load_campaign()
    result: dict[str, float] = {}
    for language in ("en", "de", "fr", "es", "ru"):
        started = time.perf_counter()
        html = build_page(campaign, language, campaign.settings.default_kinds)
        seconds = time.perf_counter() - started
        size = len(html.encode("utf-8")) / 1024
        result[f"{language}_kb"], result[f"{language}_s"] = size, seconds
        print(f"page ({language}): {size:.0f} KB, built in {seconds:.2f} s (target < 500 KB)")
    return result


if __name__ == "__main__":
    main()
