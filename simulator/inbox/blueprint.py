"""The `inbox` blueprint: HTML pages at /_sim/inbox, their read-only JSON views under /_sim/inbox/api."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from simulator.control.errors import ControlError
from simulator.inbox.api import api
from simulator.inbox.pages import pages

inbox = Blueprint(
    "inbox",
    __name__,
    url_prefix="/_sim/inbox",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
inbox.register_blueprint(pages)
inbox.register_blueprint(api, url_prefix="/api")


@inbox.errorhandler(ControlError)
def _refused(exc: ControlError) -> Response | tuple[str, int]:
    """The control API's error format for the JSON views; a page for a person otherwise."""
    if request.blueprint == "inbox.api":
        return exc.response()
    return render_template("inbox/error.html", error=exc), exc.status
