"""The composition root and the settings: one place reads the environment, one names the
adapters, parts are built lazily and can be replaced by name."""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from chalicelib import bootstrap
from chalicelib.bootstrap import COMPONENTS, Container
from chalicelib.core.config import ENVIRONMENT, Settings

ROOT = Path(__file__).resolve().parents[2]
CHALICELIB = ROOT / "chalicelib"
ADAPTERS = {
    "DynamoCatalogueStore",
    "DynamoInventoryStore",
    "DynamoOrderStore",
    "DynamoRoomStore",
    "DynamoDoorStore",
    "RecentPerformances",
    "RecentRooms",
    "S3StaticSink",
    "S3TicketFiles",
    "SesMailer",
    "StepFunctionsWorkflow",
    "StripeGateway",
    "SignedTicketIssuer",
    "SqsArrivalQueue",
    "StaffPool",
    "DynamoDBPersistenceLayer",
}


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text())) for path in sorted(CHALICELIB.rglob("*.py"))]


def _imported(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_every_variable_is_read_by_the_settings_and_nowhere_else():
    assert set(ENVIRONMENT) | {"region"} == {f.name for f in fields(Settings)}
    readers = [
        path.relative_to(ROOT).as_posix()
        for path, tree in _modules()
        if any(
            isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
            for node in ast.walk(tree)
        )
    ]
    assert readers == ["chalicelib/core/config.py"]


def test_only_the_composition_root_names_concrete_adapters():
    naming = {
        path.relative_to(ROOT).as_posix()
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ADAPTERS
    }
    assert naming == {"chalicelib/bootstrap.py"}


def test_no_module_imports_an_api_module():
    """Routes get their services from the container, and so do the saga's task, the
    reconciler and the consumers: no module reaches into a route module for them."""
    for path, tree in _modules():
        routes = {
            module
            for module in _imported(tree)
            if len(module.split(".")) > 2 and module.split(".")[2] in ("api", "admin_api")
        }
        assert not routes, f"{path.relative_to(ROOT)} imports {sorted(routes)}"


def test_settings_come_from_the_environment_with_defaults_for_what_is_unset():
    config = Settings.from_environment(
        {
            "PODIUM_TABLE": "t",
            "PODIUM_CHECKOUT_STATE_MACHINE": "arn:sm",
            "STRIPE_API_KEY": "sk_live_secret",
            "AWS_DEFAULT_REGION": "eu-central-1",
            "PODIUM_PUBLIC_URL": "",
        }
    )
    assert (config.table_name, config.checkout_state_machine) == ("t", "arn:sm")
    assert config.region == "eu-central-1"
    assert config.public_url == Settings().public_url  # empty counts as unset
    assert "sk_live_secret" not in repr(config)
    with pytest.raises(RuntimeError, match="PODIUM_TICKET_KEY_SECRET is not set"):
        config.secret("ticket_key_secret")
    assert Settings(staff_issuer="https://pool").staff_keys_url == (
        "https://pool/.well-known/jwks.json"
    )


def test_parts_are_built_once_and_overrides_replace_them_for_what_is_built_on_them():
    clock, mails = object(), object()
    parts = Container(Settings(), overrides={"clock": clock, "mails": mails})
    assert parts.clock() is clock and parts.clock() is parts.clock()
    assert parts.rooms().clock is clock  # built on the replaced clock
    assert parts.with_overrides(mailer="m").mails() is mails
    with pytest.raises(ValueError, match="no such part"):
        Container(Settings(), overrides={"no_such_part": 1})
    assert {"checkout", "payments", "inventory", "order_store", "scanning"} <= COMPONENTS


def test_use_overridden_and_reset_swap_the_process_container():
    mine = Container(Settings())
    previous = bootstrap.use(mine)
    try:
        assert bootstrap.container() is mine
        with bootstrap.overridden(mails="fake") as swapped:
            assert bootstrap.container() is swapped and swapped.mails() == "fake"
        assert bootstrap.container() is mine
        bootstrap.reset()
        assert bootstrap.container() is not mine
    finally:
        bootstrap.use(previous)


def test_importing_the_app_imports_no_heavy_library():
    heavy = ("boto3", "stripe", "fpdf", "segno", "jwt")
    code = f"import sys, app; print([m for m in {heavy!r} if m in sys.modules])"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
