"""jsii unpacks the CDK's JavaScript into a package cache: into the repository's ignored
.local/jsii/ (as `make synth` does), not ~/.cache/. Set before test_stack.py imports aws_cdk."""

import os
from pathlib import Path

os.environ.setdefault(
    "JSII_RUNTIME_PACKAGE_CACHE_ROOT", str(Path(__file__).resolve().parents[2] / ".local" / "jsii")
)
