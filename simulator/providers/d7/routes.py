"""D7 Networks routes (under /d7, or at the real paths on api.d7networks.com)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("d7", __name__)
