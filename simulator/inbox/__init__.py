"""The web inbox at /_sim/inbox: every accepted message, its history, and controls to steer it.

Like Mailpit's inbox, for SMS and Viber. It reads and steers state only through the engine, so it
works with any provider and needs neither the control API nor a build step (plain Jinja, CSS, JS).
"""

from simulator.inbox.blueprint import inbox

__all__ = ["inbox"]
