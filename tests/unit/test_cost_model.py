"""The arithmetic of bench/cost_model.py: every measured count and every price reaches the
month, the idle month is what runs by itself, and the alternatives change what they name."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bench.checkout_cost import PRICES_FILE, Prices
from bench.cost_model import (
    ALTERNATIVES,
    MINUTES,
    RECORDED,
    Checkout,
    Workload,
    average_month,
    charges,
    checkout_per_thousand,
    idle_month,
    price_month,
    report,
)

PRICES = Prices.load()
WORK = Workload()


def usd(month, service):
    return month.by_service().get(service, 0.0)


def test_every_charge_is_priced_from_the_file():
    """A unit missing from the price file raises instead of costing nothing."""
    for service, _, unit, _ in charges(RECORDED, WORK, 1000.0, True):
        assert PRICES.of(service, unit) >= 0


def test_the_added_prices_are_dated_with_their_sources():
    data = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    assert data["added"]["as_of"] == "2026-12-07" and "RE-CHECK" in data["added"]["status"]
    for service in ("cloudfront", "cloudwatch", "cognito", "secretsmanager", "xray", "kms"):
        assert data["prices"][service]["source"].startswith("https://aws.amazon.com/")
        assert "2026-12-07" in data["prices"][service]["note"]
    assert PRICES.of("cloudfront", "https_request") == pytest.approx(0.012 / 10_000)
    assert PRICES.of("cloudwatch", "standard_alarm_month") == pytest.approx(0.10)
    assert PRICES.of("dynamodb", "storage_gb_month") == pytest.approx(0.283)


@pytest.mark.parametrize(
    ("field", "service"),
    [
        ("api_requests", "apigateway"),
        ("lambda_invocations", "lambda"),
        ("lambda_gb_seconds", "lambda"),
        ("write_units", "dynamodb"),
        ("read_units", "dynamodb"),
        ("state_transitions", "stepfunctions"),
        ("s3_put", "s3"),
        ("s3_get", "s3"),
        ("mails", "ses"),
    ],
)
def test_each_measured_checkout_count_costs_in_its_service(field, service):
    more = replace(RECORDED, **{field: getattr(RECORDED, field) * 2 + 1000})
    sold = 1000.0
    assert usd(price_month("", more, WORK, PRICES, sold, False), service) > usd(
        price_month("", RECORDED, WORK, PRICES, sold, False), service
    )


def test_the_checkout_alone_is_the_measured_units_times_the_prices():
    """Per 1,000 tickets, at the measured memory: the sum the benchmark prints, plus the
    saga's logs, the Lambda logs and one X-Ray trace an order."""
    p = PRICES.of
    c = RECORDED
    expected = (
        c.api_requests * p("apigateway", "rest_api_request")
        + c.lambda_invocations * p("lambda", "request")
        + c.lambda_gb_seconds * p("lambda", "gb_second_x86_64")
        + c.write_units * p("dynamodb", "write_request_unit")
        + c.read_units * p("dynamodb", "read_request_unit")
        + c.state_transitions * p("stepfunctions", "standard_state_transition")
        + c.s3_put * p("s3", "put_request")
        + c.s3_get * p("s3", "get_request")
        + c.mails * p("ses", "outbound_message")
        + 500 * p("xray", "trace_recorded")
        + (c.lambda_invocations * 600 + 500 * 15_000)
        / 1024**3
        * p("cloudwatch", "logs_ingested_gb")
    )
    assert checkout_per_thousand(c, WORK, PRICES) == pytest.approx(expected)


def test_an_idle_month_is_the_schedules_the_watch_and_what_is_stored():
    month = idle_month(RECORDED, WORK, PRICES)
    lines = {(line.service, line.what): line for line in month.lines}
    lam = lines[("lambda", "requests + GB-s (x86_64)")]
    assert lam.units["request"] == 2 * MINUTES + MINUTES / 5  # 2 every minute, 1 every 5
    reads = lines[("dynamodb", "request units")].units["read_request_unit"]
    assert reads == pytest.approx(MINUTES * (160 + 0.5) + MINUTES / 5 * 0.5)
    assert lines[("cloudwatch", "alarms + dashboard")].units == {
        "standard_alarm_month": 3 + 1 + 2 * 7 + 2,
        "dashboard_month": 1,
    }
    assert usd(month, "cloudwatch") > 20 * 0.10 + 3.00
    assert usd(month, "secretsmanager") == pytest.approx(4 * 0.40)
    for service in ("apigateway", "stepfunctions", "ses", "cloudfront", "cognito"):
        assert usd(month, service) == 0
    assert usd(month, "dynamodb") > 0 and usd(month, "s3") > 0  # storage stays


def test_a_selling_month_costs_more_in_every_activity():
    busy = average_month(RECORDED, WORK, PRICES)
    assert busy.tickets == pytest.approx(200_000 / 12)
    quieter = replace(WORK, arrivals_per_month=0, staff=0, page_views_per_ticket=0)
    assert busy.usd > average_month(RECORDED, quieter, PRICES).usd
    assert usd(busy, "cognito") == pytest.approx(50 * 0.015)


def test_the_free_allowances_only_lower_the_bill():
    for month in (average_month, idle_month):
        listed, free = month(RECORDED, WORK, PRICES), month(RECORDED, WORK, PRICES, True)
        assert 0 < free.usd < listed.usd
    assert usd(average_month(RECORDED, WORK, PRICES, True), "cloudfront") == 0


def test_each_alternative_is_cheaper_than_the_design_as_built():
    as_built = average_month(RECORDED, WORK, PRICES).usd
    for name, change in ALTERNATIVES.items():
        assert average_month(RECORDED, change(WORK), PRICES).usd < as_built, name


def test_the_express_saga_bills_requests_instead_of_transitions():
    express = replace(WORK, express_saga=True)
    month = price_month("", RECORDED, express, PRICES, 1000.0, False)
    saga = {line.what: line for line in month.lines if line.service == "stepfunctions"}
    assert set(saga) == {"Express"}
    assert saga["Express"].units["express_request"] == 2 * 500


def test_the_report_is_json_with_ratios():
    result = report(RECORDED, WORK, PRICES)
    json.dumps(result)
    assert result["alternatives"]["HTTP API instead of REST"]["ratio_to_as_built"] < 1
    assert result["usd_per_1000_tickets_all_in"] > result["usd_per_1000_tickets_variable"]


def test_a_fresh_benchmark_result_is_read():
    bench = {
        "breakdown": {
            "apigateway": {"units_per_1000_tickets": {"requests": 2000}},
            "lambda": {"units_per_1000_tickets": {"invocations": 4500, "gb_seconds": 95}},
            "dynamodb": {
                "units_per_1000_tickets": {
                    "write_request_units": 33950,
                    "read_request_units": 9000,
                }
            },
            "stepfunctions": {"units_per_1000_tickets": {"state_transitions": 2500}},
            "s3": {"units_per_1000_tickets": {"put": 500, "get": 500}},
            "ses": {"units_per_1000_tickets": {"messages": 500}},
            "sqs": {"units_per_1000_tickets": {"requests": 0}, "requests_per_1000_tickets": 0},
        },
        "per_order": {
            "by_step": {
                "confirm": {
                    "function": "checkout_task",
                    "invocations_per_order": 1,
                    "mean_ms": 100,
                },
                "POST /v1/orders": {
                    "function": "api_handler",
                    "invocations_per_order": 1,
                    "mean_ms": 9,
                },
            }
        },
        "lambda_memory_mb": {"api_handler": 512, "checkout_task": 512},
        "stored_per_order": {
            "order_partition_bytes": 3000,
            "order_partition_items": 5,
            "pdf_bytes": 40000,
        },
    }
    for service in ("apigateway", "lambda", "dynamodb", "stepfunctions", "s3", "ses"):
        bench["breakdown"][service]["requests_per_1000_tickets"] = 0
    checkout = Checkout.from_bench(bench)
    assert checkout.write_units == 33950 and checkout.memory_mb == 512
    assert checkout.task_gb_seconds_per_order == pytest.approx(0.1 * 0.5)
