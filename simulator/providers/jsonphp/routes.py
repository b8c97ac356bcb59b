"""json.php routes (under /jsonphp, or at /api/json.php on alphasms.ua)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("jsonphp", __name__)
