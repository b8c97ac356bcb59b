"""The provider simulator: byte-exact stand-ins for SMS and Viber provider APIs."""

__version__ = "0.1.0"
