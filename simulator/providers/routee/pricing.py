"""What a Routee Viber message costs, per destination country (EUR per message).

doc: failover-callbacks shows a delivered Greek text message at "price":0.035; the rest is inferred.
"""

from __future__ import annotations

PRICES = {"GR": 0.035, "CY": 0.035, "UA": 0.03, "AE": 0.04}
DEFAULT_PRICE = 0.04  # inferred


def price(country: str | None, account_prices: dict | None = None) -> float:
    table = {**PRICES, **(account_prices or {})}
    return float(table.get(country or "", DEFAULT_PRICE))
