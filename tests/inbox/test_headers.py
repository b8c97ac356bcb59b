"""The inbox's pages under a Content-Security-Policy without inline script, X-Frame-Options DENY and nosniff:
the headers are sent, a real Chromium enforces them, and the pages still work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from simulator.server import ThreadedServer
from tests.conftest import advance
from tests.inbox.conftest import send
from tests.inbox.test_browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS

WAIT = 10


@pytest.mark.parametrize(
    "path",
    ["/_sim/inbox/", "/_sim/inbox/messages/d7:m-1", "/_sim/inbox/messages/d7:nope", "/_sim/inbox/api/messages"],
    ids=["list", "message", "missing-message", "api"],
)
def test_inbox_answer_carries_csp_frame_and_nosniff_headers(client, engine, path):
    send(engine)
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def logged_browser(tmp_path: Path, live_server: ThreadedServer) -> Iterator[webdriver.Chrome]:
    """Chromium that keeps its console log (CSP violations are reported there)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _violations(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]


def test_inbox_pages_work_under_csp_without_violations(logged_browser, live_server, engine):
    browser = logged_browser
    send(engine)
    advance(engine, 3)
    browser.get(f"{live_server.url}/_sim/inbox/")
    WebDriverWait(browser, WAIT).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, 'tr[data-key="d7:m-1"]'))
    browser.get(f"{live_server.url}/_sim/inbox/messages/d7:m-1")
    WebDriverWait(browser, WAIT).until(lambda driver: driver.find_element(By.ID, "m-recipient").text)
    browser.find_element(By.ID, "reply-text").send_keys("Thanks")
    browser.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]").click()  # a JSON post under CSP
    WebDriverWait(browser, WAIT).until(lambda driver: "Thanks" in driver.find_element(By.ID, "m-replies").text)
    assert _violations(browser) == []


def test_inline_script_injected_into_an_inbox_page_does_not_run(logged_browser, live_server, engine):
    browser = logged_browser
    send(engine)
    browser.get(f"{live_server.url}/_sim/inbox/messages/d7:m-1")
    WebDriverWait(browser, WAIT).until(lambda driver: driver.find_element(By.ID, "m-recipient").text)
    browser.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__inline = 1';"
        " document.body.appendChild(s);"
    )
    assert browser.execute_script("return window.__inline") is None
    assert _violations(browser)
