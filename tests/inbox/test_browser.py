"""The inbox in a real headless Chromium against a live server: what a person sees and does."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from simulator.server import ThreadedServer
from tests.conftest import advance
from tests.inbox.conftest import send

WAIT = 10  # seconds; the page polls every 2 s, actions redraw at once
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
)


@pytest.fixture
def browser(tmp_path: Path, live_server: ThreadedServer) -> Iterator[webdriver.Chrome]:
    """Chromium, quit before the live server closes (its open keep-alive connections would hold it up)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    downloads = tmp_path / "downloads"  # where export links save their files
    downloads.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


def _wait(browser):
    # A poll may redraw a row between finding it and reading it; the wait then simply looks again.
    return WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException,))


def _status_cell(browser, key: str):
    return browser.find_element(By.CSS_SELECTOR, f'tr[data-key="{key}"] .status-cell .badge')


def _open_inbox(browser, live_server, query: str = ""):
    browser.get(f"{live_server.url}/_sim/inbox/{query}")
    _wait(browser).until(lambda driver: driver.execute_script("return document.readyState") == "complete")
    browser.execute_script("window.__sameDocument = true")  # vanishes on any reload or navigation


def _same_document(browser) -> bool:
    return browser.execute_script("return window.__sameDocument === true")


def test_inbox_lists_submitted_message_and_new_ones_without_reload(browser, live_server, engine):
    send(engine, "m-1", recipient="380501234567", text="Your code is 4711", sender="Shop")
    _open_inbox(browser, live_server)
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-key="d7:m-1"]')
    assert "380501234567" in row.text and "Your code is 4711" in row.text and "Shop" in row.text
    assert row.find_element(By.CSS_SELECTOR, ".badge").text == "PENDING"
    send(engine, "m-2", recipient="380507654321", text="Arrived while looking")
    _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, 'tr[data-key="d7:m-2"]')))
    keys = [tr.get_attribute("data-key") for tr in browser.find_elements(By.CSS_SELECTOR, "#message-rows tr")]
    assert keys == ["d7:m-2", "d7:m-1"] and _same_document(browser)


def test_advance_clock_in_ui_changes_status_cell_without_reload(browser, live_server, engine):
    send(engine)
    _open_inbox(browser, live_server)
    assert _status_cell(browser, "d7:m-1").text == "PENDING"
    browser.find_element(By.CSS_SELECTOR, '#clock-steps button[value="1s"]').click()
    _wait(browser).until(lambda driver: _status_cell(driver, "d7:m-1").text == "SENT")
    duration = browser.find_element(By.ID, "clock-duration")
    duration.send_keys("2s")
    duration.submit()
    _wait(browser).until(lambda driver: _status_cell(driver, "d7:m-1").text == "DELIVERED")
    assert browser.find_element(By.ID, "clock-now").text == "2026-01-05 07:00:03 UTC"
    assert _same_document(browser)


def test_filters_narrow_the_list_in_place(browser, live_server, engine):
    send(engine, "a", recipient="380501111111")
    send(engine, "b", recipient="380502222222", provider="smsclub")
    _open_inbox(browser, live_server)
    Select(browser.find_element(By.ID, "filter-provider")).select_by_value("smsclub")
    _wait(browser).until(lambda driver: len(driver.find_elements(By.CSS_SELECTOR, "#message-rows tr")) == 1)
    assert browser.find_element(By.CSS_SELECTOR, "#message-rows tr").get_attribute("data-key") == "smsclub:b"
    assert "provider=smsclub" in browser.current_url and _same_document(browser)


def _keys(browser) -> list[str]:
    return [tr.get_attribute("data-key") for tr in browser.find_elements(By.CSS_SELECTOR, "#message-rows tr")]


def _chips(browser) -> dict[str, int]:
    return {
        chip.get_attribute("data-status"): int(chip.find_element(By.CSS_SELECTOR, ".n").text)
        for chip in browser.find_elements(By.CSS_SELECTOR, "#status-counts button[data-status]")
    }


def test_search_box_narrows_the_list_keeps_it_through_refresh_and_reload(browser, live_server, engine):
    send(engine, "a", text="Your code is 4711")
    send(engine, "b", text="Meeting at noon")
    _open_inbox(browser, live_server)
    assert _keys(browser) == ["d7:b", "d7:a"]
    browser.find_element(By.ID, "filter-text").send_keys("code")
    _wait(browser).until(lambda driver: _keys(driver) == ["d7:a"])
    assert "contains=code" in browser.current_url and _same_document(browser)
    assert browser.find_element(By.ID, "message-count").text == "1 of 2"
    send(engine, "c", text="Another code: 99")
    send(engine, "d", text="Not a match")
    _wait(browser).until(lambda driver: _keys(driver) == ["d7:c", "d7:a"])  # the live refresh keeps the search
    browser.refresh()
    _wait(browser).until(lambda driver: driver.find_element(By.ID, "filter-text").get_attribute("value") == "code")
    assert _keys(browser) == ["d7:c", "d7:a"]


def test_status_chips_count_within_the_filters_and_follow_the_clock(browser, live_server, engine):
    send(engine, "a", text="Your code is 4711")
    advance(engine, 2)  # a is sent
    send(engine, "b", text="Your order shipped", provider="smsclub", channel="sms")
    send(engine, "c", text="Code 99")
    _open_inbox(browser, live_server)
    assert _chips(browser) == {"pending": 2, "sent": 1}
    Select(browser.find_element(By.ID, "filter-provider")).select_by_value("d7")
    _wait(browser).until(lambda driver: _chips(driver) == {"pending": 1, "sent": 1})
    browser.find_element(By.ID, "filter-text").send_keys("Your")
    _wait(browser).until(lambda driver: _chips(driver) == {"sent": 1})
    assert _keys(browser) == ["d7:a"]
    advance(engine, 2)  # a is delivered: the next poll counts it there, still within the filters
    _wait(browser).until(lambda driver: _chips(driver) == {"delivered": 1})
    assert _same_document(browser)


def test_d7_cost_shows_its_currency_and_four_decimals(browser, live_server):
    key = _send_over_http(live_server)  # one SMS part to the UAE: D7 charges 0.0001 USD
    _open_inbox(browser, live_server)
    assert browser.find_element(By.CSS_SELECTOR, f'tr[data-key="{key}"] td.cost').text == "0.0001 USD"
    _open_message(browser, live_server, key)
    terms = [term.text for term in browser.find_elements(By.CSS_SELECTOR, "#m-meta dt")]
    values = [value.text for value in browser.find_elements(By.CSS_SELECTOR, "#m-meta dd")]
    assert dict(zip(terms, values, strict=True))["Cost"] == "0.0001 USD"


def _open_message(browser, live_server, key: str = "d7:m-1"):
    browser.get(f"{live_server.url}/_sim/inbox/messages/{key}")
    _wait(browser).until(lambda driver: driver.find_element(By.ID, "m-recipient").text)
    browser.execute_script("window.__sameDocument = true")


def test_reply_form_shows_reply_in_message_view(browser, live_server, engine):
    send(engine)
    advance(engine, 3)
    _open_message(browser, live_server)
    browser.find_element(By.ID, "reply-text").send_keys("Got it, thanks!")
    browser.find_element(By.CSS_SELECTOR, "#reply-media summary").click()
    browser.find_element(By.ID, "reply-url").send_keys("https://files.example.com/photo.jpg")
    browser.find_element(By.ID, "reply-filename").send_keys("photo.jpg")
    browser.find_element(By.ID, "reply-size").send_keys("68934")
    browser.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]").click()
    _wait(browser).until(ec.text_to_be_present_in_element((By.ID, "m-replies"), "Got it, thanks!"))
    replies = browser.find_element(By.ID, "m-replies")
    assert "photo.jpg" in replies.text and "67.3 KB" in replies.text
    link = replies.find_element(By.LINK_TEXT, "photo.jpg")
    assert link.get_attribute("href") == "https://files.example.com/photo.jpg"
    assert browser.find_element(By.CSS_SELECTOR, "#m-status .badge").text == "REPLIED"
    assert engine.operator_door().find("d7:m-1").replies[0].text == "Got it, thanks!"
    assert _same_document(browser)


def test_reply_form_bad_size_shows_the_servers_reason(browser, live_server, engine):
    send(engine)
    _open_message(browser, live_server)
    browser.find_element(By.CSS_SELECTOR, "#reply-media summary").click()
    browser.find_element(By.ID, "reply-url").send_keys("https://files.example.com/a.jpg")
    browser.find_element(By.ID, "reply-filename").send_keys("a.jpg")
    browser.find_element(By.ID, "reply-size").send_keys("-5")
    browser.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]").click()
    error = _wait(browser).until(ec.visibility_of_element_located((By.ID, "reply-error")))
    assert error.text.startswith("media.filesize:")
    assert engine.operator_door().find("d7:m-1").replies == ()


def test_force_form_offers_only_legal_targets(browser, live_server, engine):
    send(engine)
    advance(engine, 3)  # delivered
    _open_message(browser, live_server)
    options = [o.get_attribute("value") for o in Select(browser.find_element(By.ID, "force-status")).options]
    assert options == ["expired", "read", "replied"]
    Select(browser.find_element(By.ID, "force-status")).select_by_value("expired")
    Select(browser.find_element(By.ID, "force-reason")).select_by_value("ttl_expired")
    browser.find_element(By.ID, "force-submit").click()
    _wait(browser).until(lambda driver: driver.find_element(By.CSS_SELECTOR, "#m-status .badge").text == "EXPIRED")
    assert not browser.find_element(By.ID, "force-status").is_enabled()
    assert not browser.find_element(By.ID, "force-submit").is_enabled()
    assert "final" in browser.find_element(By.ID, "force-help").text
    assert "EXPIRED" in browser.find_element(By.ID, "m-history").text and _same_document(browser)


def test_force_illegal_transition_smuggled_into_the_form_is_refused(browser, live_server, engine):
    send(engine)
    advance(engine, 3)  # delivered: pending is not a legal target
    _open_message(browser, live_server)
    browser.execute_script(
        "const select = document.getElementById('force-status');"
        "select.add(new Option('pending', 'pending')); select.value = 'pending';"
    )
    browser.find_element(By.ID, "force-submit").click()
    error = _wait(browser).until(ec.visibility_of_element_located((By.ID, "force-error")))
    assert (
        error.text == "delivered -> pending is not a legal transition; allowed from delivered: expired, read, replied"
    )
    assert engine.operator_door().find("d7:m-1").status == "delivered"
    assert browser.find_element(By.CSS_SELECTOR, "#m-status .badge").text == "DELIVERED"


XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.mark.parametrize("page", ["inbox", "message"], ids=["inbox", "message-view"])
def test_script_in_message_text_is_shown_as_text(browser, live_server, engine, page):
    send(engine, text=XSS, sender='<b onmouseover="window.__pwned = 3">S</b>')
    engine.operator_door().reply("d7:m-1", XSS)
    if page == "inbox":
        _open_inbox(browser, live_server)
        shown = browser.find_element(By.CSS_SELECTOR, 'tr[data-key="d7:m-1"] .preview').text
    else:
        _open_message(browser, live_server)
        shown = browser.find_element(By.ID, "m-text").text
        assert browser.find_element(By.CSS_SELECTOR, "#m-replies .bubble").text == XSS
    assert shown == XSS
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script, main b") == []
    assert browser.execute_script("return window.__pwned") is None
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018


def test_reset_button_empties_the_inbox(browser, live_server, engine):
    send(engine)
    _open_inbox(browser, live_server)
    browser.find_element(By.ID, "reset-button").click()
    browser.switch_to.alert.accept()
    _wait(browser).until(ec.visibility_of_element_located((By.ID, "empty")))
    assert engine.operator_door().views() == [] and _same_document(browser)


def test_namespace_switch_shows_that_namespaces_messages(browser, live_server, engine):
    send(engine, "mine", namespace="team-a", text="only in team-a")
    send(engine, "other")
    _open_inbox(browser, live_server)
    Select(browser.find_element(By.ID, "namespace-select")).select_by_value("team-a")
    _wait(browser).until(lambda driver: "namespace=team-a" in driver.current_url)
    _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, 'tr[data-key="d7:mine"]')))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#message-rows tr")) == 1
    browser.find_element(By.CSS_SELECTOR, 'tr[data-key="d7:mine"] a').click()
    _wait(browser).until(ec.text_to_be_present_in_element((By.ID, "m-text"), "only in team-a"))


def _downloaded(browser, folder: Path, name: str) -> str:
    _wait(browser).until(lambda driver: (folder / name).is_file())  # Chromium renames it when complete
    return (folder / name).read_text(encoding="utf-8")


def _send_over_http(live_server) -> str:
    """A message sent as a client would, so the journal holds its request; its key."""
    body = {
        "messages": [{"channel": "sms", "recipients": ["+971500000001"], "content": "code 7"}],
        "message_globals": {"originator": "SignOTP"},
    }
    answer = requests.post(
        f"{live_server.url}/d7/messages/v1/send",
        json=body,
        headers={"Authorization": "Bearer sim-d7-demo-token"},
        timeout=10,
    )
    assert answer.status_code == 200
    return requests.get(f"{live_server.url}/_sim/messages/latest", timeout=10).json()["key"]


def test_export_button_on_a_message_downloads_its_pytest_file(browser, live_server, tmp_path):
    key = _send_over_http(live_server)
    _open_message(browser, live_server, key)
    link = browser.find_element(By.ID, "export-message-pytest")
    assert link.get_attribute("href") == f"{live_server.url}/_sim/export?format=pytest&message={key}"
    link.click()
    safe = "_".join(part for part in re.split(r"[^a-z0-9]+", f"message {key}".lower()) if part)
    exported = _downloaded(browser, tmp_path / "downloads", f"test_{safe}.py")
    assert "run.request(" in exported and "/d7/messages/v1/send" in exported


def test_export_button_on_the_list_downloads_the_runs_curl_script(browser, live_server, tmp_path):
    _send_over_http(live_server)
    _open_inbox(browser, live_server)
    browser.find_element(By.ID, "export-run-curl").click()
    script = _downloaded(browser, tmp_path / "downloads", "sim-the_whole_run.sh")
    assert script.startswith("#!/bin/sh") and "'/d7/messages/v1/send'" in script
