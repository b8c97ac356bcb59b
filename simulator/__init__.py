"""The provider simulator: byte-exact stand-ins for SMS and Viber provider APIs."""

__version__ = "0.1.0"


def running(*args, **kwargs):
    """`with simulator.running() as sim:` serves the simulator on a free loopback port (see testing/embedded.py)."""
    from simulator.testing.embedded import running as _running  # late: `import simulator` stays light

    return _running(*args, **kwargs)
