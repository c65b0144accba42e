"""moto's Step Functions executes real ASL on the local stack, with Lambda tasks run in-process.

The toy state machines in tests/integration/asl/ exercise what the checkout saga relies on:
lambda:invoke tasks, Retry, Catch with compensation, .waitForTaskToken completed or failed from
another thread, timeouts, sqs:sendMessage and execution names that cannot start twice.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local.stepfunctions import (
    deploy_state_machine,
    execution_history,
    function_arn,
    register_function,
    render_definition,
    send_task_failure,
    send_task_success,
    set_retry_interval_scale,
    start_execution,
    uninstall_inprocess_lambda_runner,
    wait_for_execution,
)

pytestmark = pytest.mark.stack

ASL = Path(__file__).parent / "asl"


class SeatsLost(Exception):
    pass


class PaymentDeclined(Exception):
    pass


class Throttled(Exception):
    pass


@pytest.fixture(scope="module", autouse=True)
def stack() -> Iterator[Any]:
    from chalicelib.store.db import forget_connections
    from local.stack import LocalStack

    saved = dict(os.environ)
    local = LocalStack()
    local.start()
    try:
        yield local
    finally:
        local.stop()
        uninstall_inprocess_lambda_runner()
        os.environ.clear()
        os.environ.update(saved)
        forget_connections()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def functions(**handlers: Any) -> dict[str, str]:
    """Register each handler under a fresh function name; map the substitution key to its ARN."""
    return {key: register_function(unique(key), handler) for key, handler in handlers.items()}


def failed_task_errors(execution_arn: str) -> list[str]:
    return [
        event[key]["error"]
        for event in execution_history(execution_arn)
        for key in ("taskFailedEventDetails", "lambdaFunctionFailedEventDetails")
        if key in event and event["type"] != "ExecutionFailed"
    ]


def test_three_tasks_run_our_handlers_in_order_after_start_execution_returned():
    calls: list[tuple[str, dict, str]] = []
    release = threading.Event()

    def reserve(event: dict, context: Any) -> dict:
        release.wait(10)
        calls.append(("reserve", event, context.function_name))
        return {"seats": ["A-1-5", "A-1-6"]}

    def charge(event: dict, context: Any) -> dict:
        calls.append(("charge", event, context.function_name))
        return {"amount": 2 * 2500}

    def issue(event: dict, context: Any) -> dict:
        calls.append(("issue", event, context.function_name))
        return {"tickets": [f"T-{seat}" for seat in event["reservation"]["seats"]]}

    arns = functions(ReserveFunction=reserve, ChargeFunction=charge, IssueFunction=issue)
    machine = deploy_state_machine(ASL / "happy_path.asl.json", unique("happy"), arns)

    execution = start_execution(machine, "order-1", {"order": "order-1"})
    # StartExecution does not wait for the tasks: the first handler is still blocked here.
    assert calls == []
    release.set()
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "SUCCEEDED", done
    assert done["result"] == {"tickets": ["T-A-1-5", "T-A-1-6"]}
    assert [name for name, _, _ in calls] == ["reserve", "charge", "issue"]
    assert [fn for _, _, fn in calls] == [arn.rsplit(":", 1)[1] for arn in arns.values()]
    assert calls[0][1] == {"order": "order-1"}
    assert calls[2][1] == {
        "order": "order-1",
        "reservation": {"seats": ["A-1-5", "A-1-6"]},
        "payment": {"amount": 5000},
    }


def test_retry_matches_the_exception_class_name_then_states_task_failed():
    attempts: list[int] = []

    def flaky(event: dict, context: Any) -> dict:
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            raise Throttled("try again")
        if len(attempts) == 2:
            raise ValueError("something else")
        return {"attempts": len(attempts)}

    machine = deploy_state_machine(
        ASL / "retry.asl.json", unique("retry"), functions(FlakyFunction=flaky)
    )
    execution = start_execution(machine, unique("order"), {"order": "o"})
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "SUCCEEDED", done
    assert done["result"] == {"attempts": 3}
    assert failed_task_errors(execution) == ["Throttled", "ValueError"]


def test_retry_intervals_can_be_scaled_down_for_local_runs():
    """slow_retry.asl.json waits an hour, then two, between attempts: unscaled, this test would
    take three hours."""
    attempts: list[int] = []

    def flaky(event: dict, context: Any) -> dict:
        attempts.append(1)
        if len(attempts) < 3:
            raise Throttled("try again")
        return {"attempts": len(attempts)}

    machine = deploy_state_machine(
        ASL / "slow_retry.asl.json", unique("slow-retry"), functions(FlakyFunction=flaky)
    )
    set_retry_interval_scale(1e-4)
    try:
        execution = start_execution(machine, unique("order"), {})
        done = wait_for_execution(execution, timeout=15)
    finally:
        set_retry_interval_scale(1.0)
    assert done["status"] == "SUCCEEDED", done
    assert done["result"] == {"attempts": 3}


def test_a_caught_error_runs_the_compensation():
    released: list[dict] = []

    def reserve(event: dict, context: Any) -> dict:
        return {"seats": ["B-2-1"]}

    def charge(event: dict, context: Any) -> dict:
        raise PaymentDeclined("card declined")

    def release(event: dict, context: Any) -> None:
        released.append(event)

    arns = functions(ReserveFunction=reserve, ChargeFunction=charge, ReleaseFunction=release)
    machine = deploy_state_machine(ASL / "compensation.asl.json", unique("compensate"), arns)
    execution = start_execution(machine, unique("order"), {"order": "o-2"})
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "FAILED"
    assert done["error"] == "CheckoutFailed"
    [compensated] = released
    assert compensated["reservation"] == {"seats": ["B-2-1"]}
    # The error name is the exception's class name, the cause the AWS runtime's error payload.
    assert compensated["error"]["Error"] == "PaymentDeclined"
    cause = json.loads(compensated["error"]["Cause"])
    assert cause["errorType"] == "PaymentDeclined"
    assert cause["errorMessage"] == "card declined"
    assert cause["stackTrace"]


@pytest.fixture
def payment_machine() -> tuple[str, queue.Queue]:
    tokens: queue.Queue = queue.Queue()

    def request_payment(event: dict, context: Any) -> dict:
        tokens.put((event["order"], event["token"]))
        return {"checkoutUrl": "https://pay.example/session"}

    arns = functions(RequestPaymentFunction=request_payment)
    return deploy_state_machine(ASL / "payment_token.asl.json", unique("pay"), arns), tokens


def test_wait_for_task_token_completed_by_send_task_success_from_another_thread(
    payment_machine: tuple[str, queue.Queue],
):
    machine, tokens = payment_machine
    execution = start_execution(machine, "order-3", {"order": "order-3", "paymentTimeout": 30})
    order, token = tokens.get(timeout=15)
    assert order == "order-3"
    assert wait_for_execution_to_stay_running(execution)

    send_task_success(token, {"paymentIntent": "pi_123", "status": "succeeded"})
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "SUCCEEDED", done
    assert done["result"] == {
        "outcome": "paid",
        "payment": {"paymentIntent": "pi_123", "status": "succeeded"},
    }


def wait_for_execution_to_stay_running(execution_arn: str) -> bool:
    with pytest.raises(TimeoutError):
        wait_for_execution(execution_arn, timeout=0.2)
    return True


def test_wait_for_task_token_failed_by_send_task_failure_is_caught(
    payment_machine: tuple[str, queue.Queue],
):
    machine, tokens = payment_machine
    execution = start_execution(machine, unique("order"), {"order": "o-4", "paymentTimeout": 30})
    _, token = tokens.get(timeout=15)

    send_task_failure(token, "PaymentFailed", "bancontact refused")
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "SUCCEEDED", done
    assert done["result"] == {
        "outcome": "failed",
        "error": {"Error": "PaymentFailed", "Cause": "bancontact refused"},
    }


def test_an_unanswered_token_times_out_with_states_timeout(
    payment_machine: tuple[str, queue.Queue],
):
    machine, tokens = payment_machine
    execution = start_execution(machine, unique("order"), {"order": "o-5", "paymentTimeout": 1})
    _, token = tokens.get(timeout=15)
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "SUCCEEDED", done
    assert done["result"]["outcome"] == "timed out"
    assert done["result"]["error"]["Error"] == "States.Timeout"
    # A payment confirmed too late is refused, so the webhook knows to refund it (AWS answers
    # TaskTimedOut, moto InvalidToken: the execution is no longer running).
    with pytest.raises(ClientError) as refused:
        send_task_success(token, {"paymentIntent": "pi_late"})
    assert refused.value.response["Error"]["Code"] in ("TaskTimedOut", "InvalidToken")


def test_a_lambda_task_slower_than_its_timeout_fails_with_states_timeout():
    def slow(event: dict, context: Any) -> dict:
        threading.Event().wait(1.5)
        return {"late": True}

    machine = deploy_state_machine(
        ASL / "task_timeout.asl.json", unique("timeout"), functions(SlowFunction=slow)
    )
    execution = start_execution(machine, unique("order"), {})
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "SUCCEEDED", done
    assert done["result"] == {"error": "States.Timeout"}


def test_a_handler_may_call_step_functions_itself_without_deadlock():
    """Executions run in their own thread and no Step Functions request waits for Lambda, so a
    handler can complete its own token (and start executions) synchronously."""

    def pay_at_once(event: dict, context: Any) -> dict:
        send_task_success(event["token"], {"paidBy": context.function_name})
        return {}

    arns = functions(RequestPaymentFunction=pay_at_once)
    machine = deploy_state_machine(ASL / "payment_token.asl.json", unique("inline"), arns)
    execution = start_execution(machine, unique("order"), {"order": "o-6", "paymentTimeout": 30})
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "SUCCEEDED", done
    assert done["result"]["payment"] == {"paidBy": arns["RequestPaymentFunction"].split(":")[-1]}


def test_a_failure_is_sent_to_a_dead_letter_queue():
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName=unique("checkout-dlq"))["QueueUrl"]

    def work(event: dict, context: Any) -> None:
        raise SeatsLost("A-1-5 was sold meanwhile")

    substitutions = {**functions(WorkFunction=work), "DeadLetterQueueUrl": queue_url}
    machine = deploy_state_machine(ASL / "dead_letter.asl.json", unique("dlq"), substitutions)
    execution = start_execution(machine, unique("order"), {"order": "o-7"})
    done = wait_for_execution(execution, timeout=15)

    assert done["status"] == "FAILED"
    assert done["error"] == "SentToDeadLetters"
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"]
    assert [json.loads(m["Body"]) for m in messages] == [{"order": "o-7", "error": "SeatsLost"}]


def test_a_function_without_a_handler_fails_like_a_missing_handler_on_aws():
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
    substitutions = {
        "WorkFunction": function_arn(unique("unregistered")),
        "DeadLetterQueueUrl": queue_url,
    }
    machine = deploy_state_machine(ASL / "dead_letter.asl.json", unique("nohandler"), substitutions)
    done = wait_for_execution(start_execution(machine, unique("order"), {"order": "o-8"}))

    assert done["error"] == "SentToDeadLetters"
    [message] = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1)["Messages"]
    assert json.loads(message["Body"])["error"] == "Runtime.HandlerNotFound"


def test_an_execution_name_cannot_start_a_second_checkout(
    payment_machine: tuple[str, queue.Queue],
):
    machine, tokens = payment_machine
    order = {"order": "order-9", "paymentTimeout": 30}
    execution = start_execution(machine, "order-9", order)
    _, token = tokens.get(timeout=15)

    # The same request again (a client retry) gets the running execution back, as on AWS...
    assert start_execution(machine, "order-9", order) == execution
    # ...another input under the same name is refused...
    with pytest.raises(ClientError) as refused:
        start_execution(machine, "order-9", {**order, "order": "order-9b"})
    assert refused.value.response["Error"]["Code"] == "ExecutionAlreadyExists"

    send_task_success(token, {"paymentIntent": "pi_9"})
    assert wait_for_execution(execution)["status"] == "SUCCEEDED"
    # ...and so is the same input once the execution has ended.
    with pytest.raises(ClientError) as again:
        start_execution(machine, "order-9", order)
    assert again.value.response["Error"]["Code"] == "ExecutionAlreadyExists"
    assert tokens.empty()


def test_deploying_again_updates_the_definition_in_place():
    name = unique("redeploy")
    first = deploy_state_machine(
        ASL / "task_timeout.asl.json", name, functions(SlowFunction=lambda e, c: {"v": 1})
    )
    second = deploy_state_machine(
        ASL / "task_timeout.asl.json", name, functions(SlowFunction=lambda e, c: {"v": 2})
    )
    assert second == first
    done = wait_for_execution(start_execution(second, unique("order"), {}))
    assert done["result"]["Payload"] == {"v": 2}


def test_every_placeholder_needs_a_substitution():
    template = '{"FunctionName": "${ReserveFunction}", "QueueUrl": "${Queue}"}'
    values = {"ReserveFunction": "arn", "Queue": "url", "Extra": "unused"}
    assert render_definition(template, values) == '{"FunctionName": "arn", "QueueUrl": "url"}'
    with pytest.raises(KeyError, match=r"\$\{Queue\}"):
        render_definition(template, {"ReserveFunction": "arn"})
