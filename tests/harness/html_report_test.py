"""The HTML report in a real browser (headless Chromium through chromium-driver and python3-selenium):
it loads without console errors, its totals match report.json, the verdict filter works, and a failed
case's detail opens and shows expected vs actual.

One `mynasim run` of tests/data/failing-scenarios for the module; each test loads its page afresh.
Run by CTest (harness.html_report) on the fixtures of tests/integration_support/mynasim_integration.py.
"""
import json

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def console_errors(driver):
    """The browser's console errors since the last call."""
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


@pytest.fixture(scope="module")
def report_run(run_mynasim, source_dir, tmp_path_factory):
    """`mynasim run` of the failing scenarios: (its result, the report folder, report.json)."""
    out = tmp_path_factory.mktemp("html") / "report"
    run = run_mynasim("run", source_dir / "tests/data/failing-scenarios", "--requirements", source_dir / "scenarios/requirements.txt",
                      "--out", out, timeout=None)
    with open(out / "report.json", encoding="utf-8") as f:
        report = json.load(f)
    return run, out, report


@pytest.fixture(scope="module")
def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser, report_run):
    """The report's index.html, freshly loaded."""
    _, out, _ = report_run
    console_errors(browser)  # what earlier pages logged is theirs
    browser.get("file://" + str(out / "index.html"))
    return browser


@pytest.fixture
def report(report_run):
    return report_run[2]


def test_run_with_a_failing_case_exits_1(report_run):
    run, _, _ = report_run
    assert run.returncode == 1, "the run with a deliberately failing case exits 1 (%d)" % run.returncode


def test_page_loads_without_console_errors(page):
    severe = console_errors(page)
    assert not severe, "no console errors: %s" % severe


def test_totals_and_rows_match_report_json(page, report):
    for key in ("cases", "pass", "fail", "error", "waived"):
        shown = page.find_element(By.ID, "total-" + key).text
        assert shown == str(report["totals"][key]), "total %s on the page (%s) matches report.json (%s)" % (key, shown, report["totals"][key])
    rows = page.find_elements(By.CSS_SELECTOR, "tr.case-row")
    assert len(rows) == len(report["cases"]), "one row per case (%d)" % len(rows)


def test_verdict_filter(page, report):
    # filter: only failed cases
    rows = page.find_elements(By.CSS_SELECTOR, "tr.case-row")
    Select(page.find_element(By.ID, "filter-verdict")).select_by_value("fail")
    visible = [r for r in rows if r.is_displayed()]
    assert len(visible) == report["totals"]["fail"] and all("fail" in r.get_attribute("class") for r in visible), \
        "the verdict filter shows only failed cases (%d)" % len(visible)


def test_failed_case_detail(page):
    # the failed case's detail opens from its link and shows expected vs actual
    Select(page.find_element(By.ID, "filter-verdict")).select_by_value("fail")
    page.find_element(By.LINK_TEXT, "deliberately-wrong").click()
    detail = page.find_element(By.CSS_SELECTOR, "details.case[data-verdict='fail']")
    assert detail.get_attribute("open") is not None, "clicking the case opens its detail"
    expected = [e.text for e in detail.find_elements(By.CSS_SELECTOR, "table.failures td.expected")]
    actual = [e.text for e in detail.find_elements(By.CSS_SELECTOR, "table.failures td.actual")]
    assert "テスト 花子" in expected and "テスト 太郎" in actual, "expected vs actual are shown: %s / %s" % (expected, actual)
    apdus = detail.find_elements(By.CSS_SELECTOR, "table.apdus tr")
    assert len(apdus) > 5 and "SELECT JPKI AP" in detail.find_element(By.CSS_SELECTOR, "table.apdus").text, "the decoded APDU trace is there"
    assert "/v2/confirmations" in detail.find_element(By.CSS_SELECTOR, "table.journal").text, "the server exchanges are there"


def test_requirement_traceability(page):
    requirements = page.find_element(By.ID, "requirements").text
    assert "ONSHI-PIN-01" in requirements and "onshi.md" in requirements, "requirement traceability with its source"


def test_text_filter(page):
    rows = page.find_elements(By.CSS_SELECTOR, "tr.case-row")
    Select(page.find_element(By.ID, "filter-verdict")).select_by_value("fail")
    Select(page.find_element(By.ID, "filter-verdict")).select_by_value("all")
    box = page.find_element(By.ID, "filter-text")
    box.send_keys("control")
    visible = [r for r in rows if r.is_displayed()]
    assert len(visible) == 1 and "control" in visible[0].text, "the search filter narrows the matrix"
    assert not console_errors(page), "still no console errors after use"


def test_manifest_covers_index_html(run_mynasim, report_run):
    _, out, _ = report_run
    verify = run_mynasim("report", "verify", out)
    assert verify.returncode == 0, "index.html is covered by the signed manifest: " + verify.stdout
