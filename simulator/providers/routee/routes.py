"""Routee routes (under /routee, or at the real paths on auth.routee.net and connect.routee.net)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("routee", __name__)
