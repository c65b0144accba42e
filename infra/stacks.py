"""Podium on AWS: one stack per stage (`dev`, `prod`) from one code path.

The Chalice app comes in through `chalice.cdk.Chalice` (it packages the app into a SAM template
and includes it); everything the app talks to is built here, the table and queues from
chalicelib/store/schema.py, the same description the local stack creates them from. Every
function gets a role of its own with only the actions and resources its code uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from chalicelib.core.config import Settings
from chalicelib.store.schema import QUEUES, TABLE, QueueShape, dead_letter_queue_name

if TYPE_CHECKING:
    from chalice.cdk import Chalice  # imported where it is used, in PodiumStack._chalice

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("dev", "prod")
CHECKOUT_ASL = ROOT / "statemachines" / "checkout.asl.json"

# Chalice's logical ids for the app's functions (app.py), and the SQS consumers' queues.
API_HANDLER = "APIHandler"
CHECKOUT_TASK = "CheckoutTask"
CONSUMERS = {"PlaceArrivals": "waiting_room_queue", "RefundBuyers": "refund_queue"}
SCHEDULED = ("ReconcileOrders", "PublishAvailability", "DrawWaitingRooms")
FUNCTIONS = (API_HANDLER, CHECKOUT_TASK, *CONSUMERS, *SCHEDULED)
# Consumers' parallel Lambdas: a 700-seat cancellation's refunds stay under Stripe's rate limit.
MAXIMUM_CONCURRENCY = {"PlaceArrivals": 10, "RefundBuyers": 2}

# Generated once per stack, resolved into the functions' environment by CloudFormation at
# deploy time (a dynamic reference: the template never holds a value). The two Stripe values
# are random placeholders to replace with the account's keys, then deploy again (README).
SECRETS = (
    "PODIUM_TICKET_KEY_SECRET",
    "PODIUM_ORDER_TOKEN_SECRET",
    "PODIUM_ADMISSION_TOKEN_SECRET",
    "STRIPE_API_KEY",
    "STRIPE_WEBHOOK_SECRET",
)

# What the webshop's pages load: only their own origin (scripts are modules, no inline code;
# widget-demo.html's one <style> block is a demo page's).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self' https://checkout.stripe.com; frame-ancestors 'self'"
)


@dataclass(frozen=True)
class StageConfig:
    stage: str
    mail_from: str
    public_url: str

    @property
    def prefix(self) -> str:
        return f"podium-{self.stage}"

    @property
    def prod(self) -> bool:
        return self.stage == "prod"

    @property
    def removal(self) -> cdk.RemovalPolicy:
        return cdk.RemovalPolicy.RETAIN if self.prod else cdk.RemovalPolicy.DESTROY

    @property
    def log_retention(self) -> logs.RetentionDays:
        return logs.RetentionDays.THREE_MONTHS if self.prod else logs.RetentionDays.TWO_WEEKS

    def name(self, default: str) -> str:
        """A resource name of this stage from the app's default (`podium-refunds` →
        `podium-prod-refunds`)."""
        return f"{self.prefix}-{default.removeprefix('podium-')}"


def build(app: cdk.App, stage: str) -> PodiumStack:
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
    config = StageConfig(
        stage=stage,
        mail_from=app.node.try_get_context("mail_from") or "tickets@podium.example",
        public_url=app.node.try_get_context("public_url") or "https://tickets.podium.example",
    )
    # The stack's id is the Chalice stage (the construct takes its stage from the scope's
    # path), so .chalice/config.json's `dev`/`prod` settings apply.
    return PodiumStack(app, stage, config, stack_name=config.prefix)


class PodiumStack(cdk.Stack):
    def __init__(self, scope: Construct, id: str, config: StageConfig, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        self.config = config

        self.table = self._table()
        self.queues: dict[str, sqs.Queue] = {}
        self.dead_letter_queues: dict[str, sqs.Queue] = {}
        for setting, shape in QUEUES.items():
            self._queue(setting, config.name(_default(setting)), shape)
        self.checkout_dlq = sqs.Queue(
            self,
            "CheckoutDeadLetters",
            queue_name=f"{config.prefix}-checkout-dlq",
            retention_period=cdk.Duration.days(14),
            enforce_ssl=True,
        )
        self.dead_letter_queues["checkout"] = self.checkout_dlq
        self.webshop_bucket = self._private_bucket("WebshopBucket")
        self.tickets_bucket = self._private_bucket("TicketsBucket")
        self.secrets = {
            name: secretsmanager.Secret(
                self,
                _camel(name.lower()),
                secret_name=f"{config.prefix}/{name}",
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    exclude_punctuation=True, password_length=48
                ),
                removal_policy=config.removal,
            )
            for name in SECRETS
        }
        self.staff_pool, self.staff_client = self._staff_pool()
        self.mail_identity, self.configuration_set = self._mail()
        self.event_bus = events.EventBus(self, "Events", event_bus_name=f"{config.prefix}-events")
        # Named, so its ARN is known before it exists: the functions that start executions
        # and the function the executions run do not depend on each other in CloudFormation.
        self.state_machine_name = f"{config.prefix}-checkout"
        self.state_machine_arn = self.format_arn(
            service="states",
            resource="stateMachine",
            resource_name=self.state_machine_name,
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )
        self.roles = {name: self._role(name) for name in FUNCTIONS}
        self.chalice = self._chalice()
        self._function_logs()
        self._grant()
        self._wire_sqs_consumers()
        self.state_machine = self._state_machine()
        self.distribution = self._webshop()
        self._alarms()

    # --- data ---------------------------------------------------------------------------------

    def _table(self) -> dynamodb.Table:
        prod = self.config.prod

        def attribute(name: str) -> dynamodb.Attribute:
            return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)

        table = dynamodb.Table(
            self,
            "Table",
            table_name=self.config.prefix,
            partition_key=attribute(TABLE.hash_key),
            sort_key=attribute(TABLE.range_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=TABLE.ttl_attribute,
            stream=dynamodb.StreamViewType[TABLE.stream_view],
            deletion_protection=prod,
            removal_policy=self.config.removal,
        )
        for index in TABLE.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=attribute(index.hash_key),
                sort_key=attribute(index.range_key) if index.range_key else None,
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return table

    def _queue(self, setting: str, name: str, shape: QueueShape) -> None:
        dead_letters = sqs.Queue(
            self,
            f"{_camel(setting)}DeadLetters",
            queue_name=dead_letter_queue_name(name),
            retention_period=cdk.Duration.seconds(shape.dead_letter_retention_seconds),
            enforce_ssl=True,
        )
        self.queues[setting] = sqs.Queue(
            self,
            _camel(setting),
            queue_name=name,
            visibility_timeout=cdk.Duration.seconds(shape.visibility_timeout_seconds),
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=shape.max_receive_count, queue=dead_letters
            ),
            enforce_ssl=True,
        )
        self.dead_letter_queues[setting] = dead_letters

    def _private_bucket(self, id: str) -> s3.Bucket:
        return s3.Bucket(
            self,
            id,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            removal_policy=self.config.removal,
            auto_delete_objects=not self.config.prod,
        )

    def _staff_pool(self) -> tuple[cognito.UserPool, cognito.UserPoolClient]:
        # Staff are created by an administrator; groups (house, role) by staff tooling.
        pool = cognito.UserPool(
            self,
            "StaffPool",
            user_pool_name=f"{self.config.prefix}-staff",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            password_policy=cognito.PasswordPolicy(min_length=12),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            removal_policy=self.config.removal,
        )
        client = pool.add_client(
            "StaffClient",
            user_pool_client_name=f"{self.config.prefix}-staff",
            auth_flows=cognito.AuthFlow(user_srp=True),
            generate_secret=False,
            prevent_user_existence_errors=True,
        )
        return pool, client

    def _mail(self) -> tuple[ses.EmailIdentity, ses.ConfigurationSet]:
        configuration_set = ses.ConfigurationSet(
            self, "MailConfiguration", configuration_set_name=f"{self.config.prefix}-mail"
        )
        domain = self.config.mail_from.split("@", 1)[1]
        identity = ses.EmailIdentity(
            self,
            "MailIdentity",
            identity=ses.Identity.domain(domain),
            configuration_set=configuration_set,
        )
        return identity, configuration_set

    # --- the Chalice app ----------------------------------------------------------------------

    def _role(self, function: str) -> iam.Role:
        return iam.Role(
            self,
            f"{function}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AWSLambdaBasicExecutionRole"
                )
            ],
        )

    def _environment(self) -> dict[str, str]:
        issuer = f"https://cognito-idp.{self.region}.amazonaws.com/{self.staff_pool.user_pool_id}"
        environment = {
            "PODIUM_TABLE": self.table.table_name,
            "PODIUM_WEBSHOP_BUCKET": self.webshop_bucket.bucket_name,
            "PODIUM_TICKETS_BUCKET": self.tickets_bucket.bucket_name,
            "PODIUM_MAIL_FROM": self.config.mail_from,
            "PODIUM_PUBLIC_URL": self.config.public_url,
            "PODIUM_CHECKOUT_STATE_MACHINE": self.state_machine_arn,
            "PODIUM_STAFF_POOL_ID": self.staff_pool.user_pool_id,
            "PODIUM_STAFF_CLIENT_ID": self.staff_client.user_pool_client_id,
            "PODIUM_STAFF_ISSUER": issuer,
            "PODIUM_STAFF_JWKS_URL": f"{issuer}/.well-known/jwks.json",
            "PODIUM_EVENT_BUS": self.event_bus.event_bus_name,
        }
        # Names, not tokens: Chalice writes the consumers' queue ARNs with Fn::Sub from them.
        for setting in self.queues:
            environment[f"PODIUM_{setting.upper()}"] = self.config.name(_default(setting))
        for name in SECRETS:
            # A dynamic reference: the value is resolved by CloudFormation, never in the template.
            environment[name] = self.secrets[name].secret_value.unsafe_unwrap()
        return environment

    def _chalice(self) -> Chalice:
        os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")  # `chalice package` needs one
        from chalice.cdk import Chalice

        # Chalice imports app.py with the stage's environment put into os.environ (values
        # that are CDK tokens here): the caller's environment is given back afterwards.
        saved = dict(os.environ)
        try:
            return self._package(Chalice)
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def _package(self, chalice: type[Chalice]) -> Chalice:
        return chalice(
            self,
            "Podium",
            source_dir=str(ROOT),
            stage_config={
                "environment_variables": self._environment(),
                "autogen_policy": False,
                "manage_iam_role": False,
                # The API handler's role; every other function's is set below.
                "iam_role_arn": self.roles[API_HANDLER].role_arn,
            },
        )

    def _function_logs(self) -> None:
        """Lambda would create each function's log group on first use, kept (and billed)
        forever: each function logs to a group of its own declared here, with the stage's
        retention. Named by us and set in the function's LoggingConfig, the group exists before
        the function does; a group named after the function's generated name could only come
        after, and a schedule firing in between would create it first and fail the deploy.
        (Chalice's own `log_retention_in_days` does the latter, and names the API handler by a
        logical id its template lacks, `ApiHandler`, which fails the synthesis.)"""
        for name in FUNCTIONS:
            group = logs.LogGroup(
                self,
                f"{name}Logs",
                log_group_name=f"/aws/lambda/{self.config.prefix}-{name}",
                retention=self.config.log_retention,
                removal_policy=self.config.removal,
            )
            self.sam_function(name).add_property_override(
                "LoggingConfig", {"LogGroup": group.log_group_name}
            )

    def sam_function(self, name: str) -> cdk.CfnResource:
        return self.chalice.get_resource(name)

    def _grant(self) -> None:
        api = self.roles[API_HANDLER]
        for name in FUNCTIONS:
            self.sam_function(name).add_property_override("Role", self.roles[name].role_arn)
            self.table.grant_read_write_data(self.roles[name])  # the table and its indexes

        # The API: joins the waiting room, queues a cancellation's refunds, publishes the
        # catalogue, files and signs ticket links, mails, starts checkouts and answers
        # Stripe's webhooks into the waiting checkout.
        for queue in self.queues.values():
            queue.grant_send_messages(api)
            queue.grant(api, "sqs:GetQueueUrl", "sqs:GetQueueAttributes")
        self.webshop_bucket.grant_put(api)
        self.tickets_bucket.grant_read_write(api)
        self._grant_mail(api)
        self._grant_checkout(api)

        checkout = self.roles[CHECKOUT_TASK]
        self.tickets_bucket.grant_read_write(checkout)
        self._grant_mail(checkout)

        reconcile = self.roles["ReconcileOrders"]
        self.tickets_bucket.grant_read_write(reconcile)
        self._grant_mail(reconcile)

        self.webshop_bucket.grant_put(self.roles["PublishAvailability"])

        arrivals = self.roles["PlaceArrivals"]
        self.queues["waiting_room_queue"].grant_consume_messages(arrivals)
        draw = self.roles["DrawWaitingRooms"]
        for role in (arrivals, draw):
            self.queues["waiting_room_queue"].grant(role, "sqs:GetQueueUrl")
            self.queues["waiting_room_queue"].grant_send_messages(role)

        # The refunds consumer also queues: a message without an order is the sweep, which
        # queues what is still to refund.
        refunds = self.roles["RefundBuyers"]
        self.queues["refund_queue"].grant_consume_messages(refunds)
        self.queues["refund_queue"].grant_send_messages(refunds)
        self._grant_mail(refunds)

        # A role's policy exists before its function: an SQS event source checks, when it is
        # created, that the role may receive.
        for name in FUNCTIONS:
            policy = self.roles[name].node.try_find_child("DefaultPolicy")
            if policy is not None:
                self.sam_function(name).node.add_dependency(policy)

    def _grant_mail(self, role: iam.Role) -> None:
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ses:SendEmail", "ses:SendRawEmail"],
                resources=[
                    self.format_arn(
                        service="ses",
                        resource="identity",
                        resource_name=self.mail_identity.email_identity_name,
                    ),
                    self.format_arn(
                        service="ses",
                        resource="configuration-set",
                        resource_name=self.configuration_set.configuration_set_name,
                    ),
                ],
            )
        )

    def _grant_checkout(self, role: iam.Role) -> None:
        """Start a checkout, and answer its payment step's task token (the webhook)."""
        role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "states:StartExecution",
                    "states:SendTaskSuccess",
                    "states:SendTaskFailure",
                ],
                resources=[self.state_machine_arn],
            )
        )

    def _wire_sqs_consumers(self) -> None:
        """Chalice 1.34 cannot set these on the event source (app.py): each consumer reports
        partial batch failures and runs at a bounded concurrency, and reads the stack's queue
        (the decorator's name is the app's default, read when Chalice imported app.py)."""
        for function, setting in CONSUMERS.items():
            resource = self.sam_function(function)
            event = _sqs_event_name(function)
            prefix = f"Events.{event}.Properties"
            resource.add_property_override(f"{prefix}.Queue", self.queues[setting].queue_arn)
            resource.add_property_override(
                f"{prefix}.FunctionResponseTypes", ["ReportBatchItemFailures"]
            )
            resource.add_property_override(
                f"{prefix}.ScalingConfig", {"MaximumConcurrency": MAXIMUM_CONCURRENCY[function]}
            )

    # --- checkout saga ------------------------------------------------------------------------

    def _state_machine(self) -> sfn.StateMachine:
        checkout_task = self.sam_function(CHECKOUT_TASK)
        log_group = logs.LogGroup(
            self,
            "CheckoutLogs",
            log_group_name=f"/aws/vendedlogs/states/{self.state_machine_name}",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=self.config.removal,
        )
        machine = sfn.StateMachine(
            self,
            "Checkout",
            state_machine_name=self.state_machine_name,
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_file(str(CHECKOUT_ASL)),
            definition_substitutions={
                "CheckoutTaskFunction": checkout_task.get_att("Arn").to_string(),
                "DeadLetterQueueUrl": self.checkout_dlq.queue_url,
            },
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ERROR),
            tracing_enabled=True,
        )
        arn = checkout_task.get_att("Arn").to_string()
        machine.add_to_role_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[arn, f"{arn}:*"])
        )
        self.checkout_dlq.grant_send_messages(machine)
        return machine

    # --- webshop ------------------------------------------------------------------------------

    def _webshop(self) -> cloudfront.Distribution:
        bucket_origin = origins.S3BucketOrigin.with_origin_access_control(self.webshop_bucket)
        rest_api = self.chalice.get_resource("RestAPI")
        api_origin = origins.HttpOrigin(
            f"{rest_api.ref}.execute-api.{self.region}.{self.url_suffix}",
            origin_path="/api",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        )
        headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            response_headers_policy_name=f"{self.config.prefix}-security-headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=CONTENT_SECURITY_POLICY, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=cdk.Duration.days(365),
                    include_subdomains=True,
                    preload=True,
                    override=True,
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.SAMEORIGIN, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
            ),
        )
        catalogue_cache = cloudfront.CachePolicy(
            self,
            "CatalogueCache",
            cache_policy_name=f"{self.config.prefix}-catalogue",
            default_ttl=cdk.Duration.seconds(60),
            min_ttl=cdk.Duration.seconds(0),
            max_ttl=cdk.Duration.minutes(5),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        # The API decides: nothing is cached unless its Cache-Control says so. What the API's
        # answer varies on is in the key (and so forwarded): the staff token, the order
        # token, the language, the query.
        api_cache = cloudfront.CachePolicy(
            self,
            "ApiCache",
            cache_policy_name=f"{self.config.prefix}-api",
            default_ttl=cdk.Duration.seconds(0),
            min_ttl=cdk.Duration.seconds(0),
            max_ttl=cdk.Duration.minutes(5),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list(
                "Authorization", "X-Order-Token", "Accept-Language"
            ),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        )
        return cloudfront.Distribution(
            self,
            "Webshop",
            comment=f"{self.config.prefix} webshop and API",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=bucket_origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            ),
            additional_behaviors={
                "/catalogue/*": cloudfront.BehaviorOptions(
                    origin=bucket_origin,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                    response_headers_policy=headers,
                    cache_policy=catalogue_cache,
                ),
                "/v1/*": cloudfront.BehaviorOptions(
                    origin=api_origin,
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    response_headers_policy=headers,
                    cache_policy=api_cache,
                    origin_request_policy=(
                        cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER
                    ),
                ),
            },
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        )

    # --- alarms -------------------------------------------------------------------------------

    def _alarms(self) -> None:
        alarms: list[cloudwatch.Alarm] = []

        def alarm(id: str, metric: cloudwatch.IMetric, description: str) -> None:
            alarms.append(
                cloudwatch.Alarm(
                    self,
                    id,
                    metric=metric,
                    threshold=0,
                    evaluation_periods=1,
                    comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                    treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                    alarm_description=description,
                )
            )

        for setting, dlq in self.dead_letter_queues.items():
            alarm(
                f"{_camel(setting)}DeadLettersAlarm",
                dlq.metric_approximate_number_of_messages_visible(period=cdk.Duration.minutes(1)),
                f"Messages wait in {setting}'s dead-letter queue for a person",
            )
        alarm(
            "CheckoutFailedAlarm",
            self.state_machine.metric_failed(period=cdk.Duration.minutes(1)),
            "A checkout execution failed",
        )
        for name in FUNCTIONS:
            function_name = self.sam_function(name).ref
            for metric_name in ("Errors", "Throttles"):
                alarm(
                    f"{name}{metric_name}Alarm",
                    cloudwatch.Metric(
                        namespace="AWS/Lambda",
                        metric_name=metric_name,
                        dimensions_map={"FunctionName": function_name},
                        statistic="Sum",
                        period=cdk.Duration.minutes(1),
                    ),
                    f"{name}: {metric_name.lower()}",
                )
        for metric_name in ("ReadThrottleEvents", "WriteThrottleEvents"):
            alarm(
                f"Table{metric_name}Alarm",
                self.table.metric(metric_name, statistic="Sum", period=cdk.Duration.minutes(1)),
                f"The table: {metric_name}",
            )
        cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=self.config.prefix,
            widgets=[[cloudwatch.AlarmStatusWidget(alarms=alarms, width=24, height=8)]],
        )


def _default(setting: str) -> str:
    """The app's default for a setting (the local stack's resource name)."""
    return str(next(f.default for f in fields(Settings) if f.name == setting))


def _camel(snake: str) -> str:
    return "".join(part.title() for part in snake.split("_"))


def _sqs_event_name(function: str) -> str:
    """Chalice's name for a function's SQS event in the SAM template."""
    return f"{function}SqsEventSource"
