"""Screenshots of the action page for the README: the phone flow and a printed letter.

Builds the default campaign's page, opens it in Chromium (Playwright, ``/usr/bin/chromium``) on
a phone-sized screen, picks a country, types a name and taps "Show my letters", and saves what
the phone shows; then prints one letter (the page's print layout) and saves its first page.

    python scripts/screenshots.py [--lang en] [--out docs/img]

Each picture is kept under 150 KB (the script fails otherwise), so the repository stays small.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

MAX_BYTES = 150 * 1024
PHONE = {"width": 390, "height": 844}
#: A4 at 96 dpi, the width the print layout is seen at.
A4 = {"width": 794, "height": 1123}


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args(arguments)

    from playwright.sync_api import sync_playwright

    from appeal.campaign import load_campaign
    from appeal.page import build_page

    campaign = load_campaign()
    html = build_page(campaign, options.lang, campaign.settings.default_kinds)
    options.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_file = Path(folder) / "action.html"
        page_file.write_text(html, encoding="utf-8")
        browser = playwright.chromium.launch(
            executable_path=options.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        phone = browser.new_page(
            viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
        )
        phone.goto(page_file.as_uri())
        phone.fill("#country", "Germany")
        phone.fill("#name", "Anna Schmidt")
        phone.fill("#city", "Leipzig")
        phone.evaluate("() => document.querySelector('#offices').scrollIntoView({block: 'center'})")
        target = options.out / f"page-phone-form-{options.lang}.png"
        phone.screenshot(path=str(target))
        written.append(target)
        phone.tap("#make")
        phone.wait_for_selector("article")
        target = options.out / f"page-phone-{options.lang}.png"
        phone.screenshot(path=str(target))
        written.append(target)

        phone.set_viewport_size(A4)
        phone.evaluate(
            "() => { document.body.classList.add('print-one');"
            " document.querySelector('article').classList.add('print-target'); }"
        )
        phone.emulate_media(media="print")
        target = options.out / f"page-printed-letter-{options.lang}.png"
        phone.screenshot(path=str(target), clip={"x": 0, "y": 0, **A4})
        written.append(target)
        browser.close()
    for path in written:
        size = path.stat().st_size
        print(f"{path}: {size // 1024} KB")
        if size > MAX_BYTES:
            print(f"{path} is over {MAX_BYTES // 1024} KB", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
