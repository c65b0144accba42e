"""The embedded local stack: AWS's DynamoDB Local for DynamoDB, moto's server for the rest.

Both speak the real AWS wire protocols. The app finds them through botocore's per-service
endpoint variables, so application code has no local branches. See ../shared/ARCHITECTURE.md
for why DynamoDB is not moto (thread safety, cost per transaction at table size).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from chalicelib.core.config import Settings, settings
from chalicelib.store.schema import (
    QUEUES,
    QueueShape,
    create_table_request,
    dead_letter_queue_name,
    queue_attributes,
)

ROOT = Path(__file__).resolve().parent.parent
_LAMBDA_INVOKE = re.compile(r"/2015-03-31/functions/[^/]+/invocations/?")
DYNAMODB_LOCAL_DIR = Path(os.environ.get("PODIUM_DYNAMODB_LOCAL", ROOT / ".local" / "dynamodb"))
REGION: Final = "eu-west-1"
_PR_SET_PDEATHSIG = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """Runs in the child before exec: the kernel kills DynamoDB Local if we die, even by
    SIGKILL, so a crashed demo or test run leaves no Java process behind."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class DynamoDBLocal:
    def __init__(self, directory: Path = DYNAMODB_LOCAL_DIR, port: int | None = None) -> None:
        jar = directory / "DynamoDBLocal.jar"
        if not jar.exists():
            raise FileNotFoundError(
                f"DynamoDB Local is not installed at {directory}; run `make install` first"
            )
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        """Start the process without waiting. Call from a long-lived thread: the kernel's
        parent-death signal follows the thread that forked, not the process."""
        command = [
            "java",
            f"-Djava.library.path={self.directory / 'DynamoDBLocal_lib'}",
            "-jar",
            str(self.directory / "DynamoDBLocal.jar"),
            "-inMemory",
            # One database whatever the access key and region: a client that cached other
            # credentials (botocore sessions do) must still see the same tables.
            "-sharedDb",
            "-port",
            str(self.port),
            "-disableTelemetry",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"DynamoDB Local exited with {self.process.returncode}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"DynamoDB Local did not listen on {self.port} in {timeout}s")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class SerializedPerService:
    """WSGI wrapper: moto's backends have no locks, so requests to one service run one at a
    time. One lock per service, never one for all: a Step Functions task calling another
    service over HTTP while holding a global lock would deadlock."""

    def __init__(self, dispatcher: Any) -> None:
        self.dispatcher = dispatcher
        self.locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        backend = self.dispatcher.get_application(environ)
        if environ.get("REQUEST_METHOD") == "POST" and _LAMBDA_INVOKE.fullmatch(
            environ.get("PATH_INFO", "")
        ):
            # Lambda Invoke runs a project handler in-process (local/stepfunctions.py) and only
            # reads moto's function registry: unlocked, tasks of concurrent executions overlap.
            return list(backend(environ, start_response))
        with self._guard:
            lock = self.locks[id(backend)]
        with lock:
            return list(backend(environ, start_response))


def _fast_sqs_clock() -> None:
    """moto's SQS checks every message's visibility on every send, receive and attribute read,
    each check building datetimes (~15 µs): a send 1,500 messages deep took 90 ms, so a queue
    that fills during an on-sale peak slowed every join. The same epoch milliseconds from
    time.time() cost ~0.1 µs. Only the no-argument form is replaced."""
    import time

    import moto.sqs.models as sqs_models
    from moto.core.utils import unix_time_millis

    def now_millis(dt: Any = None) -> float:
        return time.time() * 1000.0 if dt is None else unix_time_millis(dt)

    sqs_models.unix_time_millis = now_millis


def _listed_moto_modules_once() -> None:
    """moto's dispatcher lists its own package folder (~150 stat calls) on every request,
    under the one lock all services share. Each call lets go of the interpreter lock, so
    under load a request waited a thread switch per call: in an on-sale run 109 requests
    stood in that line at once. Measured alone: 0.68 ms a request listed, 0.02 ms cached."""
    from moto import backends

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules


def _moto_server(port: int) -> Any:
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class QuietHandler(MotoRequestHandler):
        def log_request(self, *args: Any) -> None:
            pass  # one line per AWS call would bury the demo's own output

    class LockedMotoServer(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app = SerializedPerService(DomainDispatcherApplication(create_backend_app))
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=QuietHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()

    _fast_sqs_clock()
    _listed_moto_modules_once()
    return LockedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)


CHECKOUT_FUNCTION = "podium-checkout_task"
CHECKOUT_STATE_MACHINE = "podium-checkout"
CHECKOUT_DLQ = "podium-checkout-dlq"
# Local-only secrets: the demo signs tickets and order links with these. Never used in AWS,
# where they come from Secrets Manager.
LOCAL_SECRETS = {
    "PODIUM_TICKET_KEY_SECRET": "local-demo-ticket-signing-secret-not-for-production",
    "PODIUM_ORDER_TOKEN_SECRET": "local-demo-order-token-secret-not-for-production",
    "PODIUM_ADMISSION_TOKEN_SECRET": "local-demo-admission-token-secret-not-for-production",
    "STRIPE_API_KEY": "sk_test_podium_local",
    "STRIPE_WEBHOOK_SECRET": "whsec_podium_local",
}


class _SharedDynamoDBLocal:
    """One DynamoDB Local for every LocalStack of the process, one stack at a time (see
    share_dynamodb_local)."""

    def __init__(self) -> None:
        self.server: DynamoDBLocal | None = None
        self.user: object | None = None

    def take(self, user: object) -> DynamoDBLocal | None:
        """The shared server for `user`, or None while another stack uses it."""
        if self.user is not None:
            return None
        if self.server is None or not self.server.running:
            self.server = DynamoDBLocal()
            self.server.launch()
            atexit.register(self.server.stop)
        self.user = user
        return self.server

    def give_back(self, user: object) -> None:
        if self.user is user:
            self.user = None


_shared_dynamodb_local: _SharedDynamoDBLocal | None = None


def share_dynamodb_local() -> None:
    """From now on the LocalStacks of this process take turns on one DynamoDB Local, each
    starting with its table created afresh, instead of starting a JVM each (a stack that starts
    while another runs still gets its own). For tests, which start a stack per module: a new
    JVM's start and warm-up made up most of a seeded stack's setup (measured on an idle
    machine: start 5.9 s and seeding 5.7 s on a new JVM, 0.7 s and 3.2-3.7 s on a warm one)."""
    global _shared_dynamodb_local
    _shared_dynamodb_local = _shared_dynamodb_local or _SharedDynamoDBLocal()


@dataclass
class LocalStack:
    """Both servers, their resources, the Stripe double, the checkout state machine, and the
    environment that points the app at all of them. `public_url` is where the API will
    listen: the Stripe double delivers its webhooks there."""

    public_url: str = "http://127.0.0.1:8000"
    config: Settings = field(default_factory=settings)
    dynamodb: DynamoDBLocal | None = None
    moto: Any = None
    moto_port: int = 0
    stripe: Any = None
    state_machine_arn: str = ""
    staff_pool: Any = None  # local/staff.py LocalPool, once started

    @property
    def env(self) -> dict[str, str]:
        assert self.dynamodb is not None, "start() first"
        return {
            # DynamoDB Local accepts only letters and digits in the access key.
            "AWS_ACCESS_KEY_ID": "podiumlocal",
            "AWS_SECRET_ACCESS_KEY": "podiumlocal",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb.endpoint,
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{self.moto_port}",
            "MOTO_PORT": str(self.moto_port),
            "PODIUM_TABLE": self.config.table_name,
            "PODIUM_WEBSHOP_BUCKET": self.config.webshop_bucket,
            "PODIUM_TICKETS_BUCKET": self.config.tickets_bucket,
            "PODIUM_MAIL_FROM": self.config.mail_from,
            "PODIUM_WAITING_ROOM_QUEUE": self.config.waiting_room_queue,
            "PODIUM_REFUND_QUEUE": self.config.refund_queue,
            "PODIUM_PUBLIC_URL": self.public_url,
            "PODIUM_CHECKOUT_STATE_MACHINE": self.state_machine_arn,
            "STRIPE_API_BASE": self.stripe.base_url if self.stripe else "",
            **(
                self.staff_pool.env(f"http://127.0.0.1:{self.moto_port}") if self.staff_pool else {}
            ),
            **LOCAL_SECRETS,
        }

    def start(self) -> None:
        shared = _shared_dynamodb_local and _shared_dynamodb_local.take(self)
        self.dynamodb = shared or DynamoDBLocal()
        self.moto_port = free_port()
        self.moto = _moto_server(self.moto_port)
        # Java takes longer to start than moto: launch it first, wait for it last.
        if not shared:
            self.dynamodb.launch()
        try:
            self.moto.start()
            self.dynamodb.wait_ready()
            self._start_stripe()
            os.environ.update(self.env)
            if shared:
                _drop_table(self.config.table_name)  # the previous stack's data
            dlq_url = provision(self.config)
            self.state_machine_arn = deploy_checkout(dlq_url)
            self.staff_pool = provision_staff_pool(REGION)
            os.environ.update(self.env)
            # Settings read before the stack existed (its secrets, endpoints) must not stay.
            forget_app_clients()
        except BaseException:
            self.stop()
            raise

    def _start_stripe(self) -> None:
        from local.stripe_double import StripeDouble

        self.stripe = StripeDouble(
            webhook_url=f"{self.public_url}/v1/webhooks/stripe",
            webhook_secret=LOCAL_SECRETS["STRIPE_WEBHOOK_SECRET"],
        )
        self.stripe.start()

    def stop(self) -> None:
        if self.stripe is not None:
            with contextlib.suppress(Exception):
                self.stripe.stop()
            self.stripe = None
        if self.moto is not None:
            with contextlib.suppress(Exception):
                self.moto.stop()
            self.moto = None
        if _shared_dynamodb_local and self.dynamodb is _shared_dynamodb_local.server:
            _shared_dynamodb_local.give_back(self)
        elif self.dynamodb is not None:
            self.dynamodb.stop()


def provision_staff_pool(region: str) -> Any:
    from local.staff import provision_staff_pool as provision_pool

    return provision_pool(region)


def _drop_table(name: str) -> None:
    import boto3

    dynamodb = boto3.client("dynamodb")
    with contextlib.suppress(dynamodb.exceptions.ResourceNotFoundException):
        dynamodb.delete_table(TableName=name)
        dynamodb.get_waiter("table_not_exists").wait(TableName=name)


def provision(config: Settings) -> str:
    """Create what the app needs, from the same definitions the CDK stack uses. Idempotent.
    Returns the checkout dead-letter queue's URL."""
    import boto3

    dynamodb = boto3.client("dynamodb")
    if config.table_name not in dynamodb.list_tables()["TableNames"]:
        dynamodb.create_table(**create_table_request(config.table_name))
        dynamodb.get_waiter("table_exists").wait(TableName=config.table_name)
    s3 = boto3.client("s3")
    for bucket in (config.webshop_bucket, config.tickets_bucket):
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
    boto3.client("ses").verify_email_identity(EmailAddress=config.mail_from)
    sqs = boto3.client("sqs")
    for setting, shape in QUEUES.items():
        create_queue(sqs, getattr(config, setting), shape)
    return sqs.create_queue(QueueName=CHECKOUT_DLQ)["QueueUrl"]


# Locally a message that failed comes back after this, not after the AWS queue's 6 minutes.
LOCAL_VISIBILITY_TIMEOUT = 5


def create_queue(sqs: Any, name: str, shape: QueueShape) -> str:
    """A queue and its dead-letter queue (a message that failed `max_receive_count` times
    moves there), from its shape in chalicelib/store/schema.py. Returns the queue's URL."""
    dead_letter_url = sqs.create_queue(QueueName=dead_letter_queue_name(name))["QueueUrl"]
    dead_letter_arn = sqs.get_queue_attributes(
        QueueUrl=dead_letter_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    attributes = queue_attributes(shape, dead_letter_arn, LOCAL_VISIBILITY_TIMEOUT)
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])


def deploy_checkout(dead_letter_queue_url: str) -> str:
    """The checkout saga from statemachines/, its Lambda task run in this process."""
    from local import stepfunctions

    def checkout_task(event: Any, context: Any) -> Any:
        from chalicelib.orders.tasks import handle

        return handle(event, context)

    stepfunctions.install_inprocess_lambda_runner({CHECKOUT_FUNCTION: checkout_task})
    return stepfunctions.deploy_state_machine(
        ROOT / "statemachines" / "checkout.asl.json",
        CHECKOUT_STATE_MACHINE,
        {
            "CheckoutTaskFunction": stepfunctions.function_arn(CHECKOUT_FUNCTION),
            "DeadLetterQueueUrl": dead_letter_queue_url,
        },
    )


@contextlib.contextmanager
def running_stack() -> Iterator[LocalStack]:
    stack = LocalStack()
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def forget_app_clients() -> None:
    """Drop the app's container (its clients and composed services), its settings and the
    table's connection, so that the next request builds them against the current
    environment (a stack started or stopped in this process)."""
    from chalicelib import bootstrap

    bootstrap.reset()
