"""The HTML handout in a real browser: headless Chromium lays it out, a script measures it, a screenshot is kept.

A copy of the page gets a script that measures every <math> and <svg> and writes the results into the DOM;
`chromium --dump-dom` prints that DOM. The screenshots land in tests/screenshots/ (git-ignored) for people.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hwsolver.handout.document import render_handout
from hwsolver.solving import solve_paths

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MEASURE = """<script>
(() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const maths = [...document.querySelectorAll("math")], svgs = [...document.querySelectorAll("svg")];
  const out = document.createElement("pre");
  out.id = "hwsolver-measure";
  out.textContent = JSON.stringify({
    math: maths.length, math_empty: maths.filter((e) => !box(e)).length,
    svg: svgs.length, svg_empty: svgs.filter((e) => !box(e)).length,
    height: Math.ceil(document.documentElement.scrollHeight), text: document.body.innerText,
  });
  document.body.appendChild(out);
})();
</script>
</body>"""


def browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def run_browser(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser() or "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def solutions():
    return solve_paths()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_handout_renders_in_chromium(lang: str, solutions, tmp_path: Path) -> None:
    if browser() is None:
        print("skipped: no Chromium on PATH (apt-get install chromium)")
        pytest.skip("no Chromium on PATH (Debian: apt-get install chromium)")
    page = render_handout(solutions, "html", lang)
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", MEASURE, 1), encoding="utf-8")
    dump = run_browser(measured, tmp_path / "profile", "--dump-dom")
    found = re.search(r'<pre id="hwsolver-measure">(.*?)</pre>', dump.stdout, re.DOTALL)
    assert found, f"the measuring script did not run: {dump.stderr[-2000:]}"
    result = json.loads(html.unescape(found[1]))

    assert result["math"] == page.count("<math ") > 100
    assert result["math_empty"] == 0, "some formulas rendered with no size"
    assert result["svg"] >= 1 and result["svg_empty"] == 0
    visible = result["text"]
    assert "$" not in visible and r"\frac" not in visible and r"\left" not in visible and r"\begin" not in visible
    assert "0.54068" in visible

    SCREENSHOTS.mkdir(exist_ok=True)
    shot = SCREENSHOTS / f"handout-{lang}.png"
    plain = tmp_path / "handout.html"
    plain.write_text(page, encoding="utf-8")
    height = min(result["height"] + 40, 16000)
    run_browser(plain, tmp_path / "profile", f"--screenshot={shot}", f"--window-size=1000,{height}")
    assert shot.exists() and shot.stat().st_size > 10_000
