"""Checks on decoded JSON that Python's decoder does not make: nesting depth and lone UTF-16 surrogates.

Python's json accepts "\\ud800" (a lone surrogate: no character, cannot be encoded as UTF-8, so storing it
breaks every later answer that shows it) and any nesting its recursion limit allows (a value nested
900 deep decodes, then breaks whatever walks it recursively).
"""

from __future__ import annotations

TOO_DEEP = "too_deep"
LONE_SURROGATE = "lone_surrogate"


def has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def problem(value: object, max_depth: int) -> str | None:
    """TOO_DEEP, LONE_SURROGATE (in a key or a string) or None; iterative, so any depth is safe to check."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if has_lone_surrogate(node):
                return LONE_SURROGATE
        elif isinstance(node, dict | list):
            if depth > max_depth:
                return TOO_DEEP
            children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return None
