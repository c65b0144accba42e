"""Every state machine definition passes a real ASL validator, and names only task steps that
the checkout's Lambda task knows."""

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / ".local" / "node" / "node_modules" / ".bin" / "asl-validator"
DEFINITIONS = sorted((ROOT / "statemachines").glob("*.asl.json"))


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.name)
def test_definition_is_valid_asl(path):
    assert VALIDATOR.exists(), "make test-tools puts asl-validator under .local/node"
    result = subprocess.run(
        [str(VALIDATOR), "--json-path", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_definition(tmp_path):
    broken = tmp_path / "broken.asl.json"
    broken.write_text(json.dumps({"StartAt": "X", "States": {"X": {"Type": "Teleport"}}}))
    result = subprocess.run(
        [str(VALIDATOR), "--json-path", str(broken)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0


def test_every_task_step_is_one_the_checkout_task_handles():
    handled = set(re.findall(r'case "(\w+)":', (ROOT / "chalicelib/orders/tasks.py").read_text()))
    definition = json.loads((ROOT / "statemachines/checkout.asl.json").read_text())
    asked = {
        state["Parameters"]["Payload"]["task"]
        for state in definition["States"].values()
        if "Payload" in state.get("Parameters", {})
    }
    assert asked <= handled, asked - handled
    substitutions = set(re.findall(r"\$\{(\w+)\}", json.dumps(definition)))
    assert substitutions == {"CheckoutTaskFunction", "DeadLetterQueueUrl"}
