"""Inbox fixtures: messages made through Services.submit, and a real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from simulator.core.messages import Message
from simulator.core.services import Engine, Submission
from simulator.server import ThreadedServer

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


def send(
    engine: Engine,
    message_id: str = "m-1",
    recipient: str = "380501234567",
    text: str | None = "Your code is 4711",
    namespace: str = "default",
    provider: str = "d7",
    channel: str = "viber",
    **extra,
) -> Message:
    """One message accepted as a provider would accept it (the demo account of `provider`)."""
    services = engine.services(namespace)
    account = engine.accounts.demo(provider)
    submission = Submission(provider, message_id, account, channel, recipient, text=text, **extra)
    return services.submit([submission])[0]


@pytest.fixture
def browser(tmp_path: Path, live_server: ThreadedServer) -> Iterator[webdriver.Chrome]:
    """Chromium, quit before the live server closes (its open keep-alive connections would hold it up)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
