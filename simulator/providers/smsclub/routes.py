"""SMS Club routes (under /smsclub, or at the real paths on im.smsclub.mobi)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("smsclub", __name__)
