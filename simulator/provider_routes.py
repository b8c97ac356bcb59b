"""The provider routes, matched for the dispatcher as werkzeug matches them, with two shortcuts.

Werkzeug's state machine matched a D7 report's path in 5.4 µs, 5 % of the whole request in process.
- A path matched by a rule without arguments (a send, a balance) is remembered with its method, bounded by
  the number of such rules.
- A rule whose arguments are plain path segments (`<request_id>`: no converter, or `string` without
  options) is also matched by a regular expression of its own. The shortcut answers only when exactly one
  such rule matches the whole path, no rule without arguments has that path, and the rule takes the method;
  anything else (another method, a trailing slash to add, slashes to merge, other converters) goes to
  werkzeug, which answers it as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from werkzeug.routing import Map, Rule
from werkzeug.routing.converters import UnicodeConverter

# werkzeug's syntax of a rule's variable part: <converter(arguments):name>
_VARIABLE = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<options>.*?)\))?:)?(?P<name>[a-zA-Z_]\w*)>")
_SEGMENT = "[^/]+"  # what werkzeug's default converter matches


def _segment_pattern(rule: Rule, converters: dict) -> re.Pattern | None:
    """The rule as one regular expression, when each of its variables is a plain segment (werkzeug's own
    default converter, without options: the value as it stands in the path); else None."""
    pattern, end = [], 0
    for variable in _VARIABLE.finditer(rule.rule):
        converter = variable["converter"] or "default"
        if (
            converter not in ("default", "string")
            or variable["options"]
            or converters[converter] is not UnicodeConverter
        ):
            return None
        pattern += [re.escape(rule.rule[end : variable.start()]), f"(?P<{variable['name']}>{_SEGMENT})"]
        end = variable.end()
    return re.compile("".join([*pattern, re.escape(rule.rule[end:])]))


def _copy(rule: Rule) -> Rule:
    """An unbound copy of a Flask rule for a map of its own, with the mark Flask adds to it (whether Flask
    answers OPTIONS itself), which werkzeug's copy leaves out."""
    copy = rule.empty()
    copy.provide_automatic_options = getattr(rule, "provide_automatic_options", False)
    return copy


def _first_segment(path: str) -> str:
    end = path.find("/", 1)
    return path if end < 0 else path[:end]


class ProviderRoutes:
    def __init__(self, rules: Iterable[Rule], like: Map) -> None:
        rules = [_copy(rule) for rule in rules]
        routes = Map(
            rules, strict_slashes=like.strict_slashes, merge_slashes=like.merge_slashes, converters=like.converters
        )
        self.adapter = routes.bind("localhost")  # matched by path and method only; hosts are ProviderRouting's
        # (path, method) -> its rule, for rules without arguments, bounded by their number
        self.static: dict[tuple[str, str], Rule] = {}
        self.static_paths = frozenset(rule.rule for rule in rules if not rule.arguments)
        # first segment ("/d7") -> the patterns of the rules under it
        self.by_pattern: dict[str, list[tuple[re.Pattern, Rule]]] = {}
        for rule in rules:
            pattern = _segment_pattern(rule, like.converters) if rule.arguments else None
            if pattern is not None:
                self.by_pattern.setdefault(_first_segment(rule.rule), []).append((pattern, rule))

    def match(self, path: str, method: str) -> tuple[Rule, dict[str, str]]:
        """The rule and arguments werkzeug's `MapAdapter.match` gives; its HTTPException when none."""
        rule = self.static.get((path, method))
        if rule is not None:
            return rule, {}
        found = self._by_pattern(path, method)
        if found is not None:
            return found
        rule, arguments = self.adapter.match(path, method, return_rule=True)
        if not rule.arguments:
            self.static[(path, method)] = rule
        return rule, arguments

    def _by_pattern(self, path: str, method: str) -> tuple[Rule, dict[str, str]] | None:
        if path in self.static_paths:
            return None
        found = None
        for pattern, rule in self.by_pattern.get(_first_segment(path), ()):
            matched = pattern.fullmatch(path)
            if matched is not None:
                if found is not None:
                    return None  # two rules match: werkzeug's ordering decides
                found = (rule, matched.groupdict())
        if found is None or (found[0].methods is not None and method not in found[0].methods):
            return None  # no such rule, or werkzeug's 405 with the methods it lists
        return found
