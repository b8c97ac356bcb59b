"""pytest plugin for users' test suites (fixtures arrive with the control-plane issue)."""
