"""What a Lambda cold start pays to import the app, against a baseline measured in the same run:
importing boto3 and creating one DynamoDB client (what any function that touches the table pays).

Each figure is the median of N fresh interpreter processes (with .pyc files, as Lambda has them
once the package is warm on disk). Prints a table, or one JSON object with --json. Never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "boto3 + DynamoDB client (baseline)": (
        "import boto3; boto3.client('dynamodb', region_name='eu-west-1')"
    ),
    "import app": "import app",
    # What a route that reads the table pays before its first request: the app, pynamodb's
    # models and a DynamoDB client (the app imports those only when a route needs them).
    "import app + table models + client": (
        "import app, boto3; import chalicelib.store.models; "
        "boto3.client('dynamodb', region_name='eu-west-1')"
    ),
    "import pydantic": "import pydantic",
}

_TIMER = """
import time
start = time.perf_counter()
exec(compile({code!r}, "<case>", "exec"))
print(time.perf_counter() - start)
"""


def measure(code: str, runs: int) -> list[float]:
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1", "PYTHONDONTWRITEBYTECODE": ""}
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _TIMER.format(code=code)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    for code in CASES.values():  # once each, so every .pyc exists before timing
        measure(code, 1)
    medians = {name: statistics.median(measure(code, args.runs)) for name, code in CASES.items()}
    baseline = medians["boto3 + DynamoDB client (baseline)"]
    result = {
        "runs": args.runs,
        "median_ms": {name: round(value * 1000, 1) for name, value in medians.items()},
        "ratio_to_baseline": {name: round(value / baseline, 2) for name, value in medians.items()},
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"median of {args.runs} fresh processes each")
    for name in CASES:
        ms, ratio = result["median_ms"][name], result["ratio_to_baseline"][name]
        print(f"  {name:<40} {ms:>8.1f} ms   {ratio:>5.2f} x baseline")


if __name__ == "__main__":
    main()
