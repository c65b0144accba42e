"""The pure arithmetic of bench/checkout_cost.py: DynamoDB's capacity rules, the price table
and the cost per 1,000 tickets. The benchmark itself runs the local stack and is not a test."""

from __future__ import annotations

import json

import pytest

from bench.checkout_cost import (
    PRICES_FILE,
    IndexKeys,
    Prices,
    Usage,
    alternatives,
    cost_lines,
    failed_write_units,
    index_write_units,
    query_units,
    raw_write_baseline,
    read_units,
    table_indexes,
    write_targets,
    write_units,
)

INDEXES = (
    IndexKeys("gsi1", ("gsi1pk", "gsi1sk")),
    IndexKeys("gsi2", ("gsi2pk", "gsi2sk")),
    IndexKeys("gsi3", ("gsi3pk", "gsi3sk")),
    IndexKeys("lookup", ("lookup",)),
)


def item(size_of_v: int = 0, **extra: str) -> dict[str, dict[str, str]]:
    """pk "a" + sk "b" (2 + 2 bytes of names, 1 + 1 of values), and `v` of size_of_v bytes."""
    body = {"pk": {"S": "a"}, "sk": {"S": "b"}, **{k: {"S": v} for k, v in extra.items()}}
    if size_of_v:
        body["v"] = {"S": "x" * size_of_v}
    return body


def test_the_indexes_are_the_tables():
    assert table_indexes() == INDEXES


@pytest.mark.parametrize(
    ("size", "consistent", "units"),
    [(0, True, 1.0), (4096, True, 1.0), (4097, True, 2.0), (100, False, 0.5), (9000, False, 1.5)],
)
def test_read_units(size, consistent, units):
    assert read_units(size, consistent) == units


def test_a_plain_write_costs_a_unit_per_started_kilobyte_of_the_larger_image():
    small, large = item(100), item(1500)
    assert write_units(None, small, INDEXES) == 1
    assert write_units(small, large, INDEXES) == 2  # grew past 1 KB
    assert write_units(large, small, INDEXES) == 2  # the larger of before and after
    assert write_units(large, None, INDEXES) == 2  # a delete: the item it removed


def test_a_transaction_doubles_the_table_write_but_not_the_index_write():
    order = item(100, gsi1pk="x", gsi1sk="y")
    assert write_units(None, order, INDEXES, transactional=True) == 2 + 1
    assert write_units(order, None, INDEXES, transactional=True, condition_check=True) == 2


def test_index_writes_follow_the_items_in_and_out_of_each_index():
    both = item(100, gsi1pk="x", gsi1sk="y", gsi2pk="h", gsi2sk="t")
    changed = {**both, "status": {"S": "paid"}}
    left_gsi1 = {k: v for k, v in changed.items() if not k.startswith("gsi1")}
    moved = {**both, "gsi2sk": {"S": "u"}}
    plain = item(100)
    assert index_write_units(None, plain, INDEXES) == 0  # sparse: no index key, no index write
    assert index_write_units(None, both, INDEXES) == 2  # enters two indexes
    assert index_write_units(both, changed, INDEXES) == 2  # projected attribute changed in both
    assert index_write_units(both, both, INDEXES) == 0  # nothing changed
    assert index_write_units(changed, left_gsi1, INDEXES) == 2  # a delete from gsi1, gsi2 kept
    assert index_write_units(both, moved, INDEXES) == 3  # gsi2: delete + put; gsi1: update
    assert index_write_units(both, None, INDEXES) == 2  # deleted from both


def test_a_half_key_is_not_in_the_index():
    assert index_write_units(None, item(10, gsi1pk="x"), INDEXES) == 0


def test_a_refused_write_costs_the_item_it_looked_at_and_no_index():
    assert failed_write_units(item(1500), None, transactional=False) == 2
    assert failed_write_units(None, item(10), transactional=True) == 2
    assert failed_write_units(None, None, transactional=False) == 1


def test_an_empty_query_page_costs_the_minimum():
    assert query_units(0.0, consistent=True) == 1.0
    assert query_units(0.0, consistent=False) == 0.5
    assert query_units(3.0, consistent=True) == 3.0


def test_write_targets_name_every_item_a_request_touches():
    put = item(5, gsi1pk="x")
    assert write_targets("PutItem", {"TableName": "t", "Item": put}) == [
        ("t", {"pk": {"S": "a"}, "sk": {"S": "b"}}, put, "Put")
    ]
    key = {"pk": {"S": "a"}, "sk": {"S": "b"}}
    assert write_targets("UpdateItem", {"TableName": "t", "Key": key}) == [
        ("t", key, None, "Update")
    ]
    requests = [{"PutRequest": {"Item": put}}, {"DeleteRequest": {"Key": key}}]
    batch = {"RequestItems": {"t": requests}}
    assert [target[3] for target in write_targets("BatchWriteItem", batch)] == ["Put", "Delete"]
    transaction = {
        "TransactItems": [
            {"Put": {"TableName": "t", "Item": put}},
            {"Update": {"TableName": "t", "Key": key}},
            {"ConditionCheck": {"TableName": "t", "Key": key}},
        ]
    }
    assert [t[3] for t in write_targets("TransactWriteItems", transaction)] == [
        "Put",
        "Update",
        "ConditionCheck",
    ]


def test_the_price_table_is_dated_and_complete():
    data = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    assert data["region"] == "eu-west-1" and data["as_of"] == "2026-11-29"
    assert "RE-CHECK" in data["status"]
    prices = Prices.load()
    for service, unit in [
        ("dynamodb", "write_request_unit"),
        ("dynamodb", "read_request_unit"),
        ("stepfunctions", "standard_state_transition"),
        ("lambda", "request"),
        ("lambda", "gb_second_x86_64"),
        ("lambda", "gb_second_arm64"),
        ("apigateway", "rest_api_request"),
        ("apigateway", "http_api_request"),
        ("s3", "put_request"),
        ("s3", "get_request"),
        ("ses", "outbound_message"),
        ("sqs", "standard_request"),
    ]:
        assert prices.of(service, unit) > 0
    assert prices.of("stepfunctions", "standard_state_transition") == pytest.approx(0.000025)


def test_cost_per_thousand_tickets():
    prices = Prices.load()
    usage = Usage(
        tickets=4,  # two orders of two
        api_requests=8,
        lambda_invocations=20,
        lambda_gb_seconds=1.0,
        dynamodb_requests=60,
        write_request_units=140,
        read_request_units=36,
        stepfunctions_requests=4,
        state_transitions=14,
        s3_put=2,
        s3_get=2,
        ses_messages=2,
    )
    lines = {line.service: line for line in cost_lines(usage, prices)}
    assert lines["stepfunctions"].units["state_transitions"] == 3500
    assert lines["stepfunctions"].usd == pytest.approx(3500 * 0.025 / 1000)
    assert lines["ses"].usd == pytest.approx(500 * 0.10 / 1000)
    assert lines["apigateway"].usd == pytest.approx(2000 * 3.50 / 1e6)
    assert lines["dynamodb"].usd == pytest.approx(35_000 * 0.70675 / 1e6 + 9_000 * 0.1415 / 1e6)
    assert lines["lambda"].usd == pytest.approx(5000 * 0.20 / 1e6 + 250 * 0.0000166667)
    assert lines["s3"].usd == pytest.approx(500 * 0.005 / 1000 + 500 * 0.0004 / 1000)
    assert lines["sqs"].usd == 0
    saved = alternatives(usage, prices)
    assert saved["saved_with_http_api"] == pytest.approx(2000 * (3.50 - 1.11) / 1e6)
    assert raw_write_baseline(1.0, prices) == pytest.approx(1000 * 0.70675 / 1e6)


def test_no_tickets_no_cost_per_ticket():
    with pytest.raises(ValueError):
        cost_lines(Usage(tickets=0), Prices.load())
