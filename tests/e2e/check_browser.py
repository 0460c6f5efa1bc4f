"""Print the chromium and Playwright versions and launch chromium once (`make e2e-check`, CI).
Exits non-zero with one line when chromium is missing or cannot start."""

from __future__ import annotations

import sys
from importlib.metadata import version


def main() -> int:
    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        print("e2e: chromium not found on PATH (apt-get install chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
            print(f"chromium {browser.version} ({path}), playwright {version('playwright')}")
            browser.close()
    except Error as exc:
        print(f"e2e: chromium cannot start: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
