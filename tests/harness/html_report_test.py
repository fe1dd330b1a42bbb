#!/usr/bin/python3
"""The HTML report in a real browser (headless Chromium through chromium-driver and python3-selenium):
it loads without console errors, its totals match report.json, the verdict filter works, and a failed
case's detail opens and shows expected vs actual.

Usage: html_report_test.py MYNASIM SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

MYNASIM, SOURCE, WORK = sys.argv[1:4]
failures = []


def check(condition, message):
    print(("ok: " if condition else "FAIL: ") + message, flush=True)
    if not condition:
        failures.append(message)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
out = os.path.join(WORK, "report")
run = subprocess.run([MYNASIM, "run", os.path.join(SOURCE, "tests", "data", "failing-scenarios"), "--requirements",
                      os.path.join(SOURCE, "scenarios", "requirements.txt"), "--out", out], capture_output=True, text=True)
check(run.returncode == 1, "the run with a deliberately failing case exits 1 (%d)" % run.returncode)
report = json.load(open(os.path.join(out, "report.json")))

options = Options()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get("file://" + os.path.join(out, "index.html"))
    severe = [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    check(not severe, "no console errors: %s" % severe)
    for key in ("cases", "pass", "fail", "error", "waived"):
        shown = driver.find_element(By.ID, "total-" + key).text
        check(shown == str(report["totals"][key]), "total %s on the page (%s) matches report.json (%s)" % (key, shown, report["totals"][key]))
    rows = driver.find_elements(By.CSS_SELECTOR, "tr.case-row")
    check(len(rows) == len(report["cases"]), "one row per case (%d)" % len(rows))
    # filter: only failed cases
    Select(driver.find_element(By.ID, "filter-verdict")).select_by_value("fail")
    visible = [r for r in rows if r.is_displayed()]
    check(len(visible) == report["totals"]["fail"] and all("fail" in r.get_attribute("class") for r in visible),
          "the verdict filter shows only failed cases (%d)" % len(visible))
    # the failed case's detail opens from its link and shows expected vs actual
    link = driver.find_element(By.LINK_TEXT, "deliberately-wrong")
    link.click()
    detail = driver.find_element(By.CSS_SELECTOR, "details.case[data-verdict='fail']")
    check(detail.get_attribute("open") is not None, "clicking the case opens its detail")
    expected = [e.text for e in detail.find_elements(By.CSS_SELECTOR, "table.failures td.expected")]
    actual = [e.text for e in detail.find_elements(By.CSS_SELECTOR, "table.failures td.actual")]
    check("テスト 花子" in expected and "テスト 太郎" in actual, "expected vs actual are shown: %s / %s" % (expected, actual))
    apdus = detail.find_elements(By.CSS_SELECTOR, "table.apdus tr")
    check(len(apdus) > 5 and "SELECT JPKI AP" in detail.find_element(By.CSS_SELECTOR, "table.apdus").text, "the decoded APDU trace is there")
    check("/v1/confirmations" in detail.find_element(By.CSS_SELECTOR, "table.journal").text, "the server exchanges are there")
    requirements = driver.find_element(By.ID, "requirements").text
    check("ONSHI-PIN-01" in requirements and "onshi.md" in requirements, "requirement traceability with its source")
    # the text filter
    Select(driver.find_element(By.ID, "filter-verdict")).select_by_value("all")
    box = driver.find_element(By.ID, "filter-text")
    box.send_keys("control")
    visible = [r for r in rows if r.is_displayed()]
    check(len(visible) == 1 and "control" in visible[0].text, "the search filter narrows the matrix")
    check(not [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")], "still no console errors after use")
finally:
    driver.quit()
verify = subprocess.run([MYNASIM, "report", "verify", out], capture_output=True, text=True)
check(verify.returncode == 0, "index.html is covered by the signed manifest: " + verify.stdout)
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
