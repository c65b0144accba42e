"""Step Functions on the local stack: moto executes the real ASL, Lambda tasks run our handlers.

The state machines in ``statemachines/`` are deployed to the moto server of the local stack with
their ``${...}`` definition substitutions filled in (like CDK's ``definitionSubstitutions``).
moto's ASL interpreter then runs them for real: Retry, Catch, ``.waitForTaskToken``,
``TimeoutSeconds``/``TimeoutSecondsPath``, ``sqs:sendMessage``... Each Lambda task reaches
moto's Lambda over HTTP, and instead of starting a Docker container moto calls the project's own
Python handler, in this process, looked up by the function name.

How it is wired (moto 5.2.5, facts read in its source and checked in
tests/integration/test_local_stepfunctions.py):

* Config. moto keeps its config in one module global, ``moto.core.config.default_user_config``,
  read on every request: ``stepfunctions.execute_state_machine`` picks the ASL-executing backend
  per request, ``lambda.use_docker`` picks the Lambda backend whose functions really run. The
  server's ``POST /moto-api/config`` endpoint only calls ``moto_api_backend.set_config``, which
  writes that global. Our ``ThreadedMotoServer`` runs in this process, so ``apply_moto_config``
  calls ``set_config`` directly (no HTTP round trip, no dependency on the server being up); the
  HTTP endpoint would only be needed for a moto server in another process, which could not run
  our in-process handlers anyway. ``mock_aws(config=...)`` is the in-process-mock equivalent and
  does not apply to the server. Apply the config before creating state machines: the backend is
  chosen per request, machines created without it live in the non-executing backend.
* Lambda. ``moto.awslambda.models.LambdaFunction._invoke_lambda(event) -> (payload, errored,
  logs)`` is the one method that would start Docker; it is replaced by ``_invoke_in_process``.
  A raised exception becomes the payload an AWS Python runtime returns
  (``errorType`` = the exception's class name, ``errorMessage``, ``stackTrace``), and moto's
  ASL interpreter names the task's error after ``errorType``, as AWS does for both
  ``arn:aws:states:::lambda:invoke`` and a bare function ARN: ``Retry``/``Catch`` on
  ``"SeatsLost"``, ``"States.TaskFailed"`` or ``"States.ALL"`` behave as on AWS. (moto marks the
  response ``X-Amz-Function-Error: Handled`` where AWS says ``Unhandled``; Step Functions does
  not look at it.)
* Threads. ``StartExecution`` returns at once: the execution runs in a daemon thread of its own
  (``ExecutionWorker.start``), and each task state in a further one (its timeout watch). The
  interpreter calls Lambda with boto3 at ``http://localhost:$MOTO_PORT``, so ``MOTO_PORT`` must
  be the port of the local moto server (``LocalStack.env`` sets it). A handler therefore runs in
  one of the moto server's request threads, serving that ``Invoke``, while the server's
  *Lambda* lock is held and the *Step Functions* lock is not. Consequences:
  - a handler may call Step Functions itself (``SendTaskSuccess`` for the token in its own
    payload, ``StartExecution``...), SQS, S3, SES: no deferral is needed, no Step Functions
    request ever waits for a Lambda invocation;
  - a handler must not invoke a Lambda function through moto (that needs the held Lambda lock:
    deadlock);
  - Lambda tasks of all executions run one at a time, and the wait for the lock counts against
    a task's ``TimeoutSeconds`` (measured: three executions whose 0.5 s task has a 1 s timeout,
    started together: the third timed out). Letting Lambda ``Invoke`` requests bypass
    ``SerializedPerService`` in local/stack.py removes both limits (it only reads moto's
    function registry);
  - a task that times out leaves its handler running to its end (as on AWS), holding the
    Lambda lock meanwhile.
* Task failure. moto 5.2.5's ``SendTaskFailure`` drops the ``cause``; the runner also installs a
  fixed ``StepFunctionResponse.send_task_failure`` that passes it on.
* Time. Retry intervals and timeouts are real sleeps in moto (``IntervalSeconds`` *
  ``BackoffRate`` ** n, capped by ``MaxDelaySeconds``). ``set_retry_interval_scale`` shrinks the
  retry sleeps for demos and tests; timeouts are never scaled.
* Names. ``StartExecution`` must always get a ``name`` (moto breaks on the second unnamed
  call): ``start_execution`` requires one. A second start with the same name and another input,
  or after the first one ended, raises ``ExecutionAlreadyExists``; the same name and the same
  input while it runs returns the running execution, as on AWS.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import os
import re
import threading
import time
import traceback
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, cast

Handler = Callable[[Any, Any], Any]

ACCOUNT_ID = "123456789012"  # moto's account for any access key it does not know
DEFAULT_REGION = "eu-west-1"
STATES_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/podium-local-stepfunctions"
LAMBDA_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/podium-local-lambda"
LAMBDA_ARN = re.compile(
    r"arn:aws[a-z-]*:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):function:(?P<name>[\w-]+)"
)
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")

LOG = logging.getLogger(__name__)

_handlers: dict[str, Handler] = {}
_install_lock = threading.Lock()
_original_invoke: Any = None
_original_config: dict[str, Any] | None = None
_original_methods: dict[str, Any] = {}
_retry_scale = 1.0


def moto_config() -> dict[str, Any]:
    """What moto needs: execute the ASL, and run Lambda functions (through our runner)."""
    return {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": True}}


def apply_moto_config() -> None:
    """Set the config of every moto in this process, the ThreadedMotoServer included: the same
    call the server's ``POST /moto-api/config`` makes. Idempotent."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.set_config(moto_config())


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def function_arn(name: str) -> str:
    """The ARN moto gives the function ``name``: use it in definition substitutions."""
    return f"arn:aws:lambda:{region()}:{ACCOUNT_ID}:function:{name}"


@dataclass
class LambdaContext:
    """The attributes of AWS's Python Lambda context that handlers and Powertools read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 128
    timeout_seconds: int = 3
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        left = self.timeout_seconds - (time.monotonic() - self._started)
        return max(0, int(left * 1000))


def _error_payload(error_type: str, message: str, request_id: str, stack: list[str]) -> str:
    """The body AWS's Python runtime returns for an exception raised by the handler."""
    return json.dumps(
        {
            "errorMessage": message,
            "errorType": error_type,
            "requestId": request_id,
            "stackTrace": stack,
        }
    )


def _invoke_in_process(self: Any, event: Any = None) -> tuple[str, bool, str]:
    """Replaces ``LambdaFunction._invoke_lambda``: runs the registered handler of
    ``self.function_name`` in this thread. Returns (payload, errored, logs) like moto's."""
    if isinstance(event, str | bytes):
        event = json.loads(event or "{}")
    context = LambdaContext(
        function_name=self.function_name,
        invoked_function_arn=self.function_arn,
        memory_limit_in_mb=int(self.memory_size or 128),
        timeout_seconds=int(self.timeout or 3),
    )
    handler = _handlers.get(self.function_name)
    if handler is None:
        message = f"No in-process handler registered for Lambda function {self.function_name!r}"
        LOG.warning(message)
        return (
            _error_payload("Runtime.HandlerNotFound", message, context.aws_request_id, []),
            True,
            "",
        )
    try:
        result = handler(event, context)
    except Exception as error:
        LOG.info("%s raised %s", self.function_name, type(error).__name__, exc_info=True)
        stack = traceback.format_tb(error.__traceback__)
        logs = "".join(traceback.format_exception(error))
        payload = _error_payload(type(error).__name__, str(error), context.aws_request_id, stack)
        return payload, True, logs
    try:
        return json.dumps(result), False, ""
    except (TypeError, ValueError) as error:
        message = f"Unable to marshal response: {error}"
        return _error_payload("Runtime.MarshalError", message, context.aws_request_id, []), True, ""


# Marks the replacement, so that installing twice keeps moto's original (a function attribute).
_invoke_in_process._podium_inprocess = True  # type: ignore[attr-defined]


def _send_task_failure(self: Any) -> Any:
    """Replaces ``StepFunctionResponse.send_task_failure``, which drops the ``cause`` (moto
    5.2.5): the ``Catch`` of a failed payment then sees ``"Cause": null``, on AWS the text."""
    from moto.core.responses import EmptyResult

    backend = self.stepfunction_backend
    details = {"error": self._get_param("error")}
    if "cause" in inspect.signature(backend.send_task_failure).parameters:  # the ASL backend
        details["cause"] = self._get_param("cause")
    backend.send_task_failure(self._get_param("taskToken"), **details)
    return EmptyResult()


_send_task_failure._podium_inprocess = True  # type: ignore[attr-defined]  # as above


def install_inprocess_lambda_runner(handlers: Mapping[str, Handler] | None = None) -> None:
    """Replace moto's Docker-based Lambda invocation with a call of our own handler, looked up
    by the function name, and apply ``moto_config()``. Idempotent; handlers can be added or
    replaced later (they live in a module-level registry)."""
    global _original_invoke, _original_config
    from moto.awslambda.models import LambdaFunction
    from moto.core.config import default_user_config
    from moto.stepfunctions.responses import StepFunctionResponse

    with _install_lock:
        _handlers.update(handlers or {})
        if not getattr(LambdaFunction._invoke_lambda, "_podium_inprocess", False):
            _original_invoke = LambdaFunction._invoke_lambda
            sections = cast("dict[str, dict[str, Any]]", default_user_config)  # a TypedDict
            _original_config = {key: dict(value) for key, value in sections.items()}
            # moto's methods are replaced on purpose (ARCHITECTURE.md, "Step Functions locally").
            LambdaFunction._invoke_lambda = _invoke_in_process  # type: ignore[method-assign]
        if not getattr(StepFunctionResponse.send_task_failure, "_podium_inprocess", False):
            _original_methods["send_task_failure"] = StepFunctionResponse.send_task_failure
            StepFunctionResponse.send_task_failure = _send_task_failure  # type: ignore[method-assign]
        apply_moto_config()


def uninstall_inprocess_lambda_runner() -> None:
    """Undo ``install_inprocess_lambda_runner``: moto's own invocation and config come back, the
    registry is emptied and retry intervals are real again (for test suites sharing a process)."""
    global _original_invoke, _original_config
    from moto.awslambda.models import LambdaFunction
    from moto.core.config import default_user_config
    from moto.stepfunctions.responses import StepFunctionResponse

    with _install_lock:
        _handlers.clear()
        if _original_invoke is not None:
            # moto's own methods and config put back (replaced on purpose above).
            LambdaFunction._invoke_lambda = _original_invoke  # type: ignore[method-assign]
            _original_invoke = None
        if "send_task_failure" in _original_methods:
            original = _original_methods.pop("send_task_failure")
            StepFunctionResponse.send_task_failure = original  # type: ignore[method-assign]  # ditto
        if _original_config is not None:
            # A plain copy of moto's config TypedDict goes back into it.
            default_user_config.update(_original_config)  # type: ignore[typeddict-item]
            _original_config = None
    set_retry_interval_scale(1.0)


def _tiny_zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def _ensure_lambda_role() -> None:
    """moto's CreateFunction insists that the role exists in its IAM."""
    import boto3

    iam = boto3.client("iam")
    name = LAMBDA_ROLE_ARN.rsplit("/", 1)[1]
    try:
        iam.get_role(RoleName=name)
    except iam.exceptions.NoSuchEntityException:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))


def _ensure_function(name: str) -> str:
    """Create the moto Lambda function ``name`` if absent; return its ARN."""
    import boto3

    client = boto3.client("lambda")
    try:
        return str(client.get_function(FunctionName=name)["Configuration"]["FunctionArn"])
    except client.exceptions.ResourceNotFoundException:
        pass
    _ensure_lambda_role()
    try:
        created = client.create_function(
            FunctionName=name,
            Runtime="python3.11",
            Role=LAMBDA_ROLE_ARN,
            Handler="index.handler",
            Code={"ZipFile": _tiny_zip()},
            Timeout=30,
        )
        return str(created["FunctionArn"])
    except client.exceptions.ResourceConflictException:  # created meanwhile by another thread
        return str(client.get_function(FunctionName=name)["Configuration"]["FunctionArn"])


def register_function(name: str, handler: Handler) -> str:
    """Run ``handler`` for the Lambda function ``name`` (creating it in moto's Lambda if
    absent); return the function's ARN."""
    install_inprocess_lambda_runner({name: handler})
    return _ensure_function(name)


def render_definition(template: str, substitutions: Mapping[str, str]) -> str:
    """Replace each ``${key}`` like CDK's ``definitionSubstitutions``. A placeholder without a
    value is an error (it would be deployed verbatim and fail at run time)."""
    missing = sorted({key for key in _PLACEHOLDER.findall(template) if key not in substitutions})
    if missing:
        raise KeyError(f"no substitution for {', '.join('${' + key + '}' for key in missing)}")
    return _PLACEHOLDER.sub(lambda match: substitutions[match.group(1)], template)


def deploy_state_machine(
    asl_path: Path,
    name: str,
    substitutions: Mapping[str, str],
    role_arn: str = STATES_ROLE_ARN,
) -> str:
    """Create (or update) the Standard state machine ``name`` from the ASL file with its
    ``${key}`` placeholders replaced, and return its ARN.

    Each substitution value that is a Lambda ARN gets a moto Lambda function of that name (the
    ARN must be ``function_arn(name)``: this account and region, no qualifier); its handler can
    be registered before or after. The in-process runner and moto's config are installed."""
    definition = render_definition(Path(asl_path).read_text(encoding="utf-8"), substitutions)
    try:
        json.loads(definition)
    except json.JSONDecodeError as error:
        raise ValueError(f"{asl_path} is not JSON once substituted: {error}") from error
    install_inprocess_lambda_runner()
    for key, value in substitutions.items():
        match = LAMBDA_ARN.match(value)
        if match is None:
            continue
        if value != function_arn(match["name"]):
            expected = function_arn(match["name"])
            raise ValueError(f"${{{key}}} = {value}: locally a function ARN must be {expected}")
        _ensure_function(match["name"])

    import boto3

    sfn = boto3.client("stepfunctions")
    for page in sfn.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                arn = str(machine["stateMachineArn"])
                sfn.update_state_machine(
                    stateMachineArn=arn, definition=definition, roleArn=role_arn
                )
                return arn
    created = sfn.create_state_machine(
        name=name, definition=definition, roleArn=role_arn, type="STANDARD"
    )
    return str(created["stateMachineArn"])


def start_execution(state_machine_arn: str, name: str, execution_input: Any = None) -> str:
    """StartExecution with the name it always needs (the order id for checkout); returns the
    execution ARN. ``execution_input`` is JSON-encoded unless it is already a string."""
    import boto3

    if not name:
        raise ValueError("an execution needs a name (moto breaks on the second unnamed start)")
    if not isinstance(execution_input, str):
        execution_input = json.dumps({} if execution_input is None else execution_input)
    response = boto3.client("stepfunctions").start_execution(
        stateMachineArn=state_machine_arn, name=name, input=execution_input
    )
    return str(response["executionArn"])


def wait_for_execution(execution_arn: str, timeout: float = 30.0, poll: float = 0.05) -> dict:
    """Poll DescribeExecution until the execution leaves RUNNING; return the description (with
    ``output`` decoded into ``result`` when it succeeded). TimeoutError if it is still running."""
    import boto3

    sfn = boto3.client("stepfunctions")
    deadline = time.monotonic() + timeout
    while True:
        description: dict[str, Any] = dict(sfn.describe_execution(executionArn=execution_arn))
        description.pop("ResponseMetadata", None)
        if description["status"] != "RUNNING":
            if "output" in description:
                description["result"] = json.loads(description["output"])
            return description
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{execution_arn} still RUNNING after {timeout}s")
        time.sleep(poll)


def send_task_success(task_token: str, output: Any) -> None:
    """Complete a ``.waitForTaskToken`` task (e.g. from the payment webhook)."""
    import boto3

    boto3.client("stepfunctions").send_task_success(taskToken=task_token, output=json.dumps(output))


def send_task_failure(task_token: str, error: str, cause: str = "") -> None:
    """Fail a ``.waitForTaskToken`` task with the error name its ``Catch``/``Retry`` match."""
    import boto3

    boto3.client("stepfunctions").send_task_failure(taskToken=task_token, error=error, cause=cause)


def execution_history(execution_arn: str) -> list[dict[str, Any]]:
    import boto3

    sfn = boto3.client("stepfunctions")
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
    return [dict(event) for page in pages for event in page["events"]]


class _ScaledSleep:
    """Stands in for the ``time`` module inside moto's retrier: only ``sleep`` is scaled."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(seconds * _retry_scale)


def set_retry_interval_scale(factor: float) -> None:
    """Multiply the sleeps between ASL retries by ``factor`` (1.0 = real intervals): moto really
    sleeps ``IntervalSeconds`` * ``BackoffRate`` ** n, which is minutes for a production policy."""
    global _retry_scale
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

    if factor < 0:
        raise ValueError("the retry interval scale cannot be negative")
    _retry_scale = factor
    # moto's retrier only calls time.sleep: a stand-in object replaces the module there.
    retrier_decl.time = time if factor == 1.0 else _ScaledSleep()  # type: ignore[assignment]
