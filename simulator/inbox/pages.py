"""The two HTML pages. Each embeds its first data as JSON, so one renderer (the page's JS) draws it."""

from __future__ import annotations

from flask import Blueprint, render_template

from simulator.control.blueprint import operator, state
from simulator.core import statuses
from simulator.inbox import present
from simulator.inbox.api import filters, message_detail

pages = Blueprint("pages", __name__)


def _page(template: str, **values) -> str:
    door = operator()
    return render_template(
        template,
        namespace=door.namespace,
        namespaces=door.namespaces(),
        statuses=statuses.ALL,
        **values,
    )


@pages.get("/")
def inbox() -> str:
    chosen = filters()
    names = [spec.name for spec in state().providers]
    providers = sorted({*names, *([chosen.provider] if chosen.provider else [])})
    return _page(
        "inbox/list.html", filters=chosen, providers=providers, initial=present.message_list(operator(), chosen)
    )


@pages.get("/messages/<path:key>")
def message(key: str) -> str:
    return _page("inbox/message.html", key=key, reasons=statuses.REASONS, initial=message_detail(operator(), key))
