"""CDK entry point: `python -m infra.app` from the repository root (never `python infra/app.py`:
that would put infra/ first on sys.path, where this module would shadow the Chalice `app`).

`-c stage=dev|prod` (or STAGE=...) picks the stage, `dev,prod` both; `-c mail_from=...` and
`-c public_url=...` are optional.
"""

from __future__ import annotations

import os

import aws_cdk as cdk

from infra.stacks import build


def main() -> None:
    # The CDK CLI names the output folder in CDK_OUTDIR; run alone, the app writes cdk.out/.
    app = cdk.App(outdir=os.environ.get("CDK_OUTDIR") or "cdk.out")
    for stage in (app.node.try_get_context("stage") or os.environ.get("STAGE") or "dev").split(","):
        build(app, stage)
    app.synth()


if __name__ == "__main__":
    main()
