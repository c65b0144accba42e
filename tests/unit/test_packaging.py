"""What Chalice packages for Lambda (requirements.txt) is what the project declares."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_lambda_requirements_match_the_runtime_dependencies():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    packaged = [line for line in lines if line and not line.startswith("#")]
    # Chalice itself is not packaged: it vendors its runtime part into the deployment.
    assert sorted(packaged) == sorted(d for d in declared if not d.startswith("chalice"))
