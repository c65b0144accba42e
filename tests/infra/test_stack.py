"""The CDK app synthesizes both stages (once for the module, in a subprocess: Chalice imports
app.py with the stage's environment, which must not leak into other tests) and the templates
hold what issue #8 asks, with least-privilege policies; cfn-lint finds no error."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aws_cdk")
from aws_cdk.assertions import Match, Template

from chalicelib.core.config import ENVIRONMENT, Settings
from chalicelib.store.schema import QUEUES, TABLE
from infra.stacks import CONSUMERS, FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
JSII_CACHE = Path(os.environ["JSII_RUNTIME_PACKAGE_CACHE_ROOT"])  # set by ./conftest.py
DEFAULTS = {f.name: str(f.default) for f in fields(Settings)}
DATA_SERVICES = ("dynamodb", "sqs", "s3", "ses", "states", "lambda")


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the app ran in: cdk.out/ (templates) and chalice.out/ (Lambda packages)."""
    # Run from a temporary folder: Chalice writes a package of ~35 MB per stage to
    # ./chalice.out/, which would pile up in the repository run after run.
    work = tmp_path_factory.mktemp("infra")
    out = work / "cdk.out"
    env = os.environ | {
        "STAGE": "dev,prod",
        "CDK_OUTDIR": str(out),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
    }
    subprocess.run([sys.executable, "-m", "infra.app"], cwd=work, env=env, check=True)
    return work


@pytest.fixture(scope="module")
def templates(synthesized: Path) -> dict[str, dict[str, Any]]:
    out = synthesized / "cdk.out"
    return {
        stage: json.loads((out / f"{stage}.template.json").read_text()) for stage in ("dev", "prod")
    }


@pytest.fixture(scope="module")
def dev(templates: dict[str, dict[str, Any]]) -> Template:
    return Template.from_json(templates["dev"])


def test_caches_and_outputs_stay_in_ignored_folders(synthesized: Path) -> None:
    """What the synthesis writes: Chalice's wheels in .chalice/deployments/, jsii's package
    cache in .local/jsii/ (`make synth`: cdk.out/ and chalice.out/ as well)."""
    assert any((ROOT / ".chalice" / "deployments").glob("*.zip"))
    assert any(JSII_CACHE.iterdir())
    ignored = {line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()}
    assert {".local", ".chalice/deployments/", "cdk.out/", "chalice.out/"} <= ignored
    if JSII_CACHE.is_relative_to(ROOT):  # unless a developer points it elsewhere
        assert JSII_CACHE.relative_to(ROOT).parts[0] == ".local"


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_table_has_the_local_stacks_keys_and_indexes(templates: dict[str, Any]) -> None:
    for stage, template in templates.items():
        (table,) = resources(template, "AWS::DynamoDB::Table").values()
        props = table["Properties"]
        assert props["KeySchema"] == [
            {"AttributeName": TABLE.hash_key, "KeyType": "HASH"},
            {"AttributeName": TABLE.range_key, "KeyType": "RANGE"},
        ]
        indexes = {i["IndexName"]: i for i in props["GlobalSecondaryIndexes"]}
        assert set(indexes) == {i.name for i in TABLE.indexes}
        for index in TABLE.indexes:
            keys = [k["AttributeName"] for k in indexes[index.name]["KeySchema"]]
            assert keys == [k for k in (index.hash_key, index.range_key) if k]
            assert indexes[index.name]["Projection"] == {"ProjectionType": "ALL"}
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["TimeToLiveSpecification"] == {
            "AttributeName": TABLE.ttl_attribute,
            "Enabled": True,
        }
        assert props["StreamSpecification"] == {"StreamViewType": TABLE.stream_view}
        assert props["DeletionProtectionEnabled"] is (stage == "prod")
        assert table["DeletionPolicy"] == ("Retain" if stage == "prod" else "Delete")


def test_stage_names_differ(templates: dict[str, Any]) -> None:
    for stage, template in templates.items():
        (table,) = resources(template, "AWS::DynamoDB::Table").values()
        assert table["Properties"]["TableName"] == f"podium-{stage}"


def test_every_queue_has_a_dead_letter_queue_with_its_redrive(templates: dict[str, Any]) -> None:
    queues = resources(templates["dev"], "AWS::SQS::Queue")
    by_name = {q["Properties"]["QueueName"]: (k, q) for k, q in queues.items()}
    for setting, shape in QUEUES.items():
        (name,) = [
            n for n in by_name if n == f"podium-dev-{DEFAULTS[setting].removeprefix('podium-')}"
        ]
        _, queue = by_name[name]
        dlq_logical, dlq = by_name[f"{name}-dlq"]
        assert queue["Properties"]["VisibilityTimeout"] == shape.visibility_timeout_seconds
        assert queue["Properties"]["RedrivePolicy"] == {
            "deadLetterTargetArn": {"Fn::GetAtt": [dlq_logical, "Arn"]},
            "maxReceiveCount": shape.max_receive_count,
        }
        assert dlq["Properties"]["MessageRetentionPeriod"] == shape.dead_letter_retention_seconds


def test_sqs_consumers_report_batch_item_failures_with_bounded_concurrency(
    templates: dict[str, Any],
) -> None:
    functions = resources(templates["dev"], "AWS::Serverless::Function")
    for name in CONSUMERS:
        (event,) = functions[name]["Properties"]["Events"].values()
        assert event["Type"] == "SQS"
        assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert event["Properties"]["ScalingConfig"]["MaximumConcurrency"] >= 2
        assert "Fn::GetAtt" in event["Properties"]["Queue"]  # the stack's own queue


def test_schedules_are_chalices(templates: dict[str, Any]) -> None:
    functions = resources(templates["dev"], "AWS::Serverless::Function")
    for name in ("ReconcileOrders", "PublishAvailability", "DrawWaitingRooms"):
        (event,) = functions[name]["Properties"]["Events"].values()
        assert event["Type"] == "Schedule"


def test_every_function_logs_to_a_group_that_expires(templates: dict[str, Any]) -> None:
    """Lambda's own log groups are kept forever (and billed): each function logs to a group of
    the stack, with the stage's retention (kept in prod when the stack goes), which exists
    before the function (a Ref, so CloudFormation creates the group first)."""
    for stage, template in templates.items():
        groups = resources(template, "AWS::Logs::LogGroup")
        expected = (90, "Retain") if stage == "prod" else (14, "Delete")
        for name, function in resources(template, "AWS::Serverless::Function").items():
            (logical,) = function["Properties"]["LoggingConfig"]["LogGroup"].values()
            group = groups[logical]
            assert group["Properties"]["LogGroupName"] == f"/aws/lambda/podium-{stage}-{name}"
            retention = group["Properties"]["RetentionInDays"], group["DeletionPolicy"]
            assert retention == expected, (stage, name)


def test_every_function_runs_with_its_own_role(templates: dict[str, Any]) -> None:
    functions = resources(templates["dev"], "AWS::Serverless::Function")
    assert set(functions) == set(FUNCTIONS)
    roles = {json.dumps(f["Properties"]["Role"]) for f in functions.values()}
    assert len(roles) == len(FUNCTIONS)
    for function in functions.values():
        assert "Policies" not in function["Properties"]


def _statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    for role in resources(template, "AWS::IAM::Role").values():
        for policy in role["Properties"].get("Policies", []):
            found.extend(policy["PolicyDocument"]["Statement"])
    return found


def test_no_policy_grants_wildcards_on_data_services(templates: dict[str, Any]) -> None:
    for template in templates.values():
        for statement in _statements(template):
            actions = statement["Action"]
            actions = [actions] if isinstance(actions, str) else actions
            resources_ = statement["Resource"]
            resources_ = resources_ if isinstance(resources_, list) else [resources_]
            for action in actions:
                service, verb = action.split(":")
                assert verb != "*", statement
                if service in DATA_SERVICES:
                    assert "*" not in resources_, statement


def test_state_machine_runs_the_checkout_function_with_logging_and_tracing(
    templates: dict[str, Any], dev: Template
) -> None:
    (machine,) = resources(templates["dev"], "AWS::StepFunctions::StateMachine").values()
    props = machine["Properties"]
    assert props["StateMachineType"] == "STANDARD"
    assert props["TracingConfiguration"] == {"Enabled": True}
    assert props["LoggingConfiguration"]["Level"] in ("ALL", "ERROR")
    substitutions = props["DefinitionSubstitutions"]
    assert substitutions["CheckoutTaskFunction"] == {"Fn::GetAtt": ["CheckoutTask", "Arn"]}
    assert substitutions["DeadLetterQueueUrl"]["Ref"] in templates["dev"]["Resources"]
    definition = (ROOT / "statemachines" / "checkout.asl.json").read_text()
    assert set(re.findall(r"\$\{(\w+)\}", definition)) == set(substitutions)
    dev.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "lambda:InvokeFunction",
                                "Resource": Match.array_with(
                                    [{"Fn::GetAtt": ["CheckoutTask", "Arn"]}]
                                ),
                            }
                        )
                    ]
                )
            }
        },
    )


def test_webshop_is_a_private_bucket_behind_cloudfront(dev: Template) -> None:
    dev.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            }
        },
    )
    dev.resource_count_is("AWS::CloudFront::OriginAccessControl", 1)
    dev.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "CacheBehaviors": Match.array_with(
                        [
                            Match.object_like({"PathPattern": "/catalogue/*"}),
                            Match.object_like({"PathPattern": "/v1/*"}),
                        ]
                    )
                }
            )
        },
    )
    dev.has_resource_properties(
        "AWS::CloudFront::ResponseHeadersPolicy",
        {
            "ResponseHeadersPolicyConfig": Match.object_like(
                {
                    "SecurityHeadersConfig": Match.object_like(
                        {
                            "ContentSecurityPolicy": Match.object_like(
                                {"ContentSecurityPolicy": Match.string_like_regexp("default-src")}
                            ),
                            "StrictTransportSecurity": Match.object_like({"Override": True}),
                        }
                    )
                }
            )
        },
    )


def test_staff_pool_mail_bus_alarms_and_dashboard(templates: dict[str, Any], dev: Template) -> None:
    dev.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True}},
    )
    dev.resource_count_is("AWS::Cognito::UserPoolClient", 1)
    dev.resource_count_is("AWS::SES::EmailIdentity", 1)
    dev.resource_count_is("AWS::SES::ConfigurationSet", 1)
    dev.resource_count_is("AWS::Events::EventBus", 1)
    dev.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    alarms = resources(templates["dev"], "AWS::CloudWatch::Alarm")
    # Every dead-letter queue, failed checkouts, errors and throttles of every function, the
    # table's read and write throttles.
    assert len(alarms) == len(QUEUES) + 1 + 1 + 2 * len(FUNCTIONS) + 2


def test_cfn_lint_finds_no_error(templates: dict[str, Any]) -> None:
    from cfnlint.api import ManualArgs, lint

    for stage, template in templates.items():
        found = lint(json.dumps(template), config=ManualArgs(regions=["eu-west-1"]))
        errors = [str(m) for m in found if m.rule.id.startswith("E")]
        assert errors == [], stage


def test_functions_get_every_setting_the_app_reads(templates: dict[str, Any]) -> None:
    read = set(ENVIRONMENT.values())  # chalicelib/core/config.py: the app reads no other
    read -= {"STRIPE_API_BASE"}  # the local Stripe double's address; AWS talks to Stripe
    assert "PODIUM_TABLE" in read and "PODIUM_STAFF_ISSUER" in read
    for stage, template in templates.items():
        api = template["Resources"]["APIHandler"]["Properties"]
        variables = api["Environment"]["Variables"]
        assert read <= set(variables), read - set(variables)
        assert variables["PODIUM_STAGE"] == stage  # .chalice/config.json's stage applies
        for name in ("PODIUM_TICKET_KEY_SECRET", "STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET"):
            # Resolved by CloudFormation from Secrets Manager: no value in the template.
            assert "{{resolve:secretsmanager:" in json.dumps(variables[name])


def _role_statements(template: dict[str, Any], function: str) -> list[dict[str, Any]]:
    role = template["Resources"][function]["Properties"]["Role"]["Fn::GetAtt"][0]
    found = []
    for policy in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"]["Roles"]:
            found.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return found


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else actions


def test_each_consumer_receives_from_its_own_queue_only(templates: dict[str, Any]) -> None:
    template = templates["dev"]
    for function in CONSUMERS:
        (event,) = template["Resources"][function]["Properties"]["Events"].values()
        queue = event["Properties"]["Queue"]
        receiving = [
            s for s in _role_statements(template, function) if "sqs:ReceiveMessage" in _actions(s)
        ]
        assert [s["Resource"] for s in receiving] == [queue]


def test_only_the_api_starts_checkouts_and_nothing_else_touches_the_state_machine(
    templates: dict[str, Any],
) -> None:
    template = templates["dev"]
    for function in FUNCTIONS:
        states = {
            a for s in _role_statements(template, function) for a in _actions(s) if "states:" in a
        }
        if function == "APIHandler":
            assert states == {
                "states:StartExecution",
                "states:SendTaskSuccess",
                "states:SendTaskFailure",
            }
        else:
            assert states == set(), function


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        raise AssertionError("every function has its own role: SAM attaches no policy")


def test_translated_template_passes_cfn_lint_and_keeps_the_event_source_settings(
    templates: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """cfn-lint does not look inside SAM resources' events; SAM's own translator (what
    CloudFormation runs on deploy) gives the event source mappings and API to check."""
    from cfnlint.api import ManualArgs, lint
    from samtranslator.translator.transform import transform

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    for stage, template in templates.items():
        translated = transform(json.loads(json.dumps(template)), {}, _NoManagedPolicies())
        found = lint(json.dumps(translated), config=ManualArgs(regions=["eu-west-1"]))
        assert [str(m) for m in found if m.rule.id.startswith("E")] == [], stage
        mappings = resources(translated, "AWS::Lambda::EventSourceMapping")
        assert len(mappings) == len(CONSUMERS)
        for mapping in mappings.values():
            assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert mapping["Properties"]["ScalingConfig"]["MaximumConcurrency"] >= 2
        created_roles = set(resources(translated, "AWS::IAM::Role")) - set(
            resources(template, "AWS::IAM::Role")
        )
        assert created_roles == set()  # no role of SAM's making, with its broad policies


# Lambda's python3.11 runtime runs on Amazon Linux 2: glibc 2.26.
LAMBDA_GLIBC = (2, 26)


def _loads_on_lambda(tag: str) -> bool:
    platform = tag.rsplit("-", 1)[-1]
    if platform == "any":
        return True
    legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
    found = re.fullmatch(r"(manylinux1|manylinux2010|manylinux2014)_x86_64", platform)
    if found:
        return legacy[found[1]] <= LAMBDA_GLIBC
    found = re.fullmatch(r"manylinux_(\d+)_(\d+)_x86_64", platform)
    return bool(found) and (int(found[1]), int(found[2])) <= LAMBDA_GLIBC


def test_the_lambda_package_holds_only_wheels_that_load_on_lambda(synthesized: Path) -> None:
    """Chalice builds a dependency from source on this machine when PyPI has no wheel for
    Lambda's glibc (Pillow 13 did): such a package deploys, then fails to import."""
    packages = sorted((synthesized / "chalice.out").glob("*/deployment.zip"))
    assert len(packages) == 2  # a stage each
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            wheels = [n for n in archive.namelist() if n.endswith(".dist-info/WHEEL")]
            assert any(n.startswith("pillow-") for n in wheels)  # fpdf2 imports it
            for name in wheels:
                tags = [
                    line.removeprefix("Tag: ")
                    for line in archive.read(name).decode().splitlines()
                    if line.startswith("Tag: ")
                ]
                assert any(_loads_on_lambda(tag) for tag in tags), (name, tags)


def test_the_lambda_package_holds_the_catalogues_templates_and_babel_data(
    synthesized: Path,
) -> None:
    """Server texts need the compiled catalogues (build output of `make install`), the mail
    templates, and Babel's CLDR data for the three locales."""
    for package in sorted((synthesized / "chalice.out").glob("*/deployment.zip")):
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
        for lang in ("nl", "fr", "en"):
            assert f"chalicelib/locale/{lang}/LC_MESSAGES/podium.mo" in names, package
        assert "chalicelib/templates/mail/confirmation.html" in names
        assert {"babel/locale-data/nl_BE.dat", "babel/locale-data/fr_BE.dat"} <= names
