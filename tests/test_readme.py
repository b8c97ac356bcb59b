"""The README's examples run as written, against a live simulator, so they cannot rot (issue 16).

"Try it with curl": every command of every ```sh block runs in bash with only the base URL changed;
the `# {...}` line under a command is its answer (`…` stands for anything); a word in CAPITALS is the
value of the same-named JSON key in an earlier answer of the block (REQUEST_ID <- request_id,
TRACKING_ID <- trackingId).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import simulator

README = Path(__file__).resolve().parents[1] / "README.md"
DOCUMENTED_URL = "http://127.0.0.1:8080"
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


@dataclass
class Step:
    command: str
    answer: str | None  # the documented answer, `…` for anything


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def shell_blocks(text: str) -> list[list[Step]]:
    blocks = []
    for body in re.findall(r"```sh\n(.*?)```", text, re.S):
        steps: list[Step] = []
        for line in body.replace("\\\n", " ").splitlines():
            if line.startswith("# {") or line.startswith("# ["):
                steps[-1].answer = line[2:]
            elif line.strip() and not line.startswith("#"):
                steps.append(Step(line, None))
        blocks.append(steps)
    return blocks


def matches(answer: str, output: str) -> bool:
    pattern = ".*?".join(re.escape(part) for part in answer.split("…"))
    return re.fullmatch(pattern, output, re.S) is not None


def key_values(value: object) -> dict[str, str]:
    """Every JSON key in `value`, at any depth, with its value (the first one wins)."""
    found: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            found.setdefault(key, item)
            for inner, inner_value in key_values(item).items():
                found.setdefault(inner, inner_value)
    elif isinstance(value, list):
        for item in value:
            for inner, inner_value in key_values(item).items():
                found.setdefault(inner, inner_value)
    return found


def placeholder_key(word: str) -> tuple[str, str]:
    """REQUEST_ID -> ("request_id", "requestId")."""
    snake = word.lower()
    head, *rest = snake.split("_")
    return snake, head + "".join(part.title() for part in rest)


CURL_BLOCKS = shell_blocks(section("Try it with curl"))


def test_readme_curl_section_has_a_send_and_a_status_per_provider():
    commands = " ".join(step.command for block in CURL_BLOCKS for step in block)
    for prefix in ("/smsclub/", "/d7/", "/jsonphp/", "/routee/"):
        assert commands.count(DOCUMENTED_URL + prefix) >= 2, prefix
    assert all(step.command.startswith("curl -s ") for block in CURL_BLOCKS for step in block)
    assert all(DOCUMENTED_URL + "/" in step.command for block in CURL_BLOCKS for step in block)


@pytest.mark.parametrize("block", CURL_BLOCKS, ids=[block[0].command.split("/")[3] for block in CURL_BLOCKS])
def test_readme_curl_block_runs_as_documented(block):
    with simulator.running(clock="real") as sim:  # a fresh default namespace, as after `python run.py`
        values: dict[str, str] = {}
        for step in block:
            command = step.command.replace(DOCUMENTED_URL, sim.url)
            for word in set(PLACEHOLDER.findall(command)):
                snake, camel = placeholder_key(word)
                assert snake in values or camel in values, f"{word}: no {snake} / {camel} in an earlier answer"
                command = command.replace(word, str(values.get(snake, values.get(camel))))
            result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)
            assert result.returncode == 0, result.stderr
            if step.answer is not None:
                assert matches(step.answer, result.stdout.removesuffix("\n")), (
                    f"{step.command}\nanswered {result.stdout}"
                )
            for key, value in key_values(json.loads(result.stdout)).items():
                values.setdefault(key, value)


def test_readme_demo_accounts_table_lists_every_demo_sender():
    table = section("Base URLs")
    with simulator.running() as sim:
        providers = sim.call("GET", "/")["providers"]
    for provider in providers:
        for sender in provider["demo_senders"] or []:
            assert f"`{sender}`" in table, (provider["name"], sender)
        for credential in provider["demo_credentials"].values():
            assert credential in table, (provider["name"], credential)


def test_ci_runs_the_readme_test_command_verbatim():
    """CI proves the README's set-up: its test command (with the Debian packages, curl among them, that the
    curl examples above need) is what .ci/run runs, not a copy that drifts."""
    readme = README.read_text(encoding="utf-8").splitlines()
    command = next(line.strip() for line in readme if "apt-get install" in line)
    assert "curl" in command.split("&&")[1]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in [line.strip() for line in ci]
