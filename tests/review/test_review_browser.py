"""The review page in a real browser: headless Chromium driven by Selenium.

Opens the page of `examples/local.py` from a file:// URL and uses it as a reviewer would:
expand a bundle from the plan picture, search, expand a value to read where it comes from.
It also checks that the page asks the network for nothing, and saves a screenshot (to
`docs/report.png` when `MODSYS_REGEN_SCREENSHOT=1`, for the README).

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them): without them the
test skips, and fails under `CI=true` (`tests/needs.py`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from modsys.cli.app import cli
from tests.needs import REPO, missing, tool

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--window-size=1400,1560",
)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    cwd = Path.cwd()
    os.chdir(REPO)  # file names in the page relative to the repository, as a reviewer sees them
    try:
        result = CliRunner().invoke(cli, ["report", "examples/local.py", "--out", str(out)],
                                    catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = tool("chromium")
    chromedriver = tool("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("the `selenium` Python package (pip install '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(browser: Any, page_file: Path) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page_file.as_uri())
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.body.dataset.ready") == "1"
    )
    return browser


def css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def visible_keys(driver: Any) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('#bundles details.bundle')]"
        ".filter(e => !e.hidden).map(e => e.dataset.key)"
    )


def visible_paths(driver: Any) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('#config details.leaf')]"
        ".filter(e => e.offsetParent !== null).map(e => e.dataset.path)"
    )


def search(driver: Any, text: str) -> None:
    box = css(driver, "#search")
    box.clear()
    box.send_keys(text)
    if not text:  # clear() sends no input event
        driver.execute_script("arguments[0].dispatchEvent(new Event('input'))", box)


def test_page_loads_without_errors_or_network(page):
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []  # a blocked script or style (the CSP hashes) would show here
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    urls = page.execute_script(
        "return [...document.querySelectorAll('[src],[href],[action]')]"
        ".map(e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('action'))"
    )
    assert not [u for u in urls if re.match(r"\s*(https?:)?//", u)]
    assert len(page.find_elements("css selector", "#plan svg g.node")) == 6
    assert page.title == "modsys review: examples/local.py"


def test_expand_a_bundle_from_the_picture(page):
    bundle = css(page, '#bundles details.bundle[data-key="services/pxc-cluster"]')
    assert bundle.get_attribute("open") is None
    css(page, '#plan svg g.node[data-key="services/pxc-cluster"] rect').click()
    assert bundle.get_attribute("open") == "true"
    text = bundle.text
    assert "PerconaXtraDBCluster wookie/" in text and "valid" in text
    assert "depends on operators/pxc-operator" in text
    # and from the keyboard
    from selenium.webdriver.common.keys import Keys

    other = css(page, '#bundles details.bundle[data-key="operators/istiod"]')
    css(page, '#plan svg g.node[data-key="operators/istiod"]').send_keys(Keys.ENTER)
    assert other.get_attribute("open") == "true"


def test_search_filters_bundles_objects_and_values(page):
    search(page, "pxc")
    assert visible_keys(page) == ["operators/pxc-operator", "services/pxc-cluster"]
    paths = visible_paths(page)
    assert "projects.wookie.pxc.enable" in paths
    assert all("pxc" in p.lower() for p in paths)
    assert re.fullmatch(r"2 bundles, 1 object, \d+ values match", css(page, "#matches").text)
    dimmed = page.execute_script(
        "return [...document.querySelectorAll('#plan svg g.node.dimmed')].map(e => e.dataset.key)"
    )
    assert "operators/istiod" in dimmed and "services/pxc-cluster" not in dimmed
    search(page, "PerconaXtraDBCluster")  # an object's kind finds its bundle
    assert visible_keys(page) == ["services/pxc-cluster"]
    search(page, "")
    assert len(visible_keys(page)) == 6


def test_expand_a_value_shows_its_provenance(page):
    search(page, "targets.local-k3d.clusterName")
    assert visible_paths(page) == ["targets.local-k3d.clusterName"]
    leaf = css(page, '#config details.leaf[data-path="targets.local-k3d.clusterName"]')
    assert "wookie-local" in leaf.text
    leaf.find_element("css selector", "summary").click()
    prov = leaf.find_element("css selector", ".prov").text
    assert re.search(r"examples/local\.py:\d+", prov)
    assert "targets/local-k3d.py (option default)" in prov
    assert "won" in prov and "overridden" in prov
    assert "why: it has the highest priority (100; lower numbers win)" in prov


def test_clearing_the_search_restores_what_was_open(page):
    search(page, "")
    opened = page.execute_script(
        "return [...document.querySelectorAll('#bundles details[open], #config details[open]')]"
        ".map(e => e.dataset.key || e.dataset.path || e.querySelector('summary').textContent)"
    )
    search(page, "pxc")
    search(page, "")
    assert page.execute_script(
        "return [...document.querySelectorAll('#bundles details[open], #config details[open]')]"
        ".map(e => e.dataset.key || e.dataset.path || e.querySelector('summary').textContent)"
    ) == opened


def test_screenshot(page, tmp_path):
    """The README's picture: a bundle and a value with its provenance expanded."""
    search(page, "")
    page.execute_script(
        "document.querySelectorAll('details[open]').forEach(d => d.open = false);"
        "document.querySelector('#bundles details[data-key=\"services/pxc-cluster\"]').open = true;"
        "let leaf = document.querySelector('details.leaf[data-path=\"targets.local-k3d.clusterName\"]');"
        "for (let d = leaf; d; d = d.parentElement.closest('details')) d.open = true;"
        "if (document.activeElement) document.activeElement.blur();"
        "window.scrollTo(0, 0);"
    )
    assert "examples/local.py" in css(
        page, 'details.leaf[data-path="targets.local-k3d.clusterName"] .prov').text
    shot = tmp_path / "report.png"
    assert page.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("MODSYS_REGEN_SCREENSHOT", "") not in ("", "0"):
        shutil.copyfile(shot, REPO / "docs" / "report.png")


def test_changes_against_a_base(browser, tmp_path):
    """With --base: changed bundles marked, and "only what changed" filters to them."""
    from selenium.webdriver.support.ui import WebDriverWait

    out = tmp_path / "prod.html"
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(
            cli, ["report", "examples/production.py", "--base", "examples/local.py", "--out",
                  str(out)], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    browser.get(out.as_uri())
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.body.dataset.ready") == "1"
    )
    assert "compared with: examples/local.py" in css(browser, "#base").text
    assert "new bundle" in css(browser, '#bundles details[data-key="services/webapp"]').text
    added = browser.execute_script(
        "return [...document.querySelectorAll('#plan svg g.node.added')].map(e => e.dataset.key)"
    )
    assert "services/webapp" in added
    css(browser, "#changed-only").click()
    keys = visible_keys(browser)
    assert "services/webapp" in keys and "operators/pxc-operator" not in keys
    marks = browser.execute_script(
        "return [...document.querySelectorAll('#config details.leaf')]"
        ".filter(e => e.offsetParent !== null).map(e => e.className)"
    )
    assert marks and {m.split()[-1] for m in marks} <= {"d-added", "d-changed"}
    leaf = css(browser, '#config details.leaf.d-changed')
    leaf.find_element("css selector", "summary").click()
    assert "was: " in leaf.find_element("css selector", ".prov").text
