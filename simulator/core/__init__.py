"""Provider-agnostic engine: no Flask, no provider names, no wire formats."""
