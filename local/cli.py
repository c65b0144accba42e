"""`podium`: the command line of the local stack.

podium demo     start the local stack, seed the demo, serve webshop + API (Ctrl-C stops)
podium serve    the same without seeding (an empty catalogue)
podium token    a staff user on the running local stack, signed in: prints its access token
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from datetime import datetime
from types import FrameType

from chalicelib.admin.model import Role
from chalicelib.core.clock import BRUSSELS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="podium", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("demo", "local stack + demo data + webshop and API"),
        ("serve", "local stack + webshop and API, no demo data"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PODIUM_PORT", "8000")),
            help="HTTP port (default: $PODIUM_PORT or 8000)",
        )
        command.add_argument("--host", default="127.0.0.1")
    token = commands.add_parser("token", help="sign a staff user in on the running local stack")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--house", action="append", default=[], help="a house (repeatable)")
    token.add_argument("--cluster", action="append", default=[], help="for cluster_admin")
    token.add_argument("--username", help="default: made from the role and houses")
    token.add_argument("--port", type=int, default=int(os.environ.get("PODIUM_PORT", "8000")))
    args = parser.parse_args(argv)
    if args.command == "token":
        return print_token(args.role, args.house, args.cluster, args.username, args.port)
    return serve(args.host, args.port, seed_demo=args.command == "demo")


def print_token(
    role: str, houses: list[str], clusters: list[str], username: str | None, port: int
) -> int:
    """The access token alone on stdout, so that `TOKEN=$(podium token ...)` works."""
    import json
    import urllib.error
    import urllib.request

    if (
        (role == Role.CLUSTER_ADMIN) != bool(clusters)
        or (clusters and houses)
        or not (houses or clusters)
    ):
        print(
            "podium token: cluster_admin takes --cluster; other roles take --house", file=sys.stderr
        )
        return 2
    memberships = [{"role": role, "house": h} for h in houses] + [
        {"role": role, "cluster": c} for c in clusters
    ]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_local/staff-tokens",
        data=json.dumps({"memberships": memberships, "username": username}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            print(json.loads(response.read())["access_token"])
    except (urllib.error.URLError, OSError) as error:
        print(f"podium token: no local stack on port {port} ({error})", file=sys.stderr)
        return 1
    return 0


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # same clean shutdown as Ctrl-C


def host_url(host: str, port: int) -> str:
    return f"http://{host}:{port}"


def serve(host: str, port: int, *, seed_demo: bool) -> int:
    from local.stack import LocalStack

    # A shell that starts us in the background ignores SIGINT for us; take it back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    started = time.monotonic()
    stack = LocalStack(public_url=host_url(host, port))
    try:
        stack.start()
        print(f"DynamoDB Local   {stack.env['AWS_ENDPOINT_URL_DYNAMODB']}", flush=True)
        print(f"moto server      {stack.env['AWS_ENDPOINT_URL']}", flush=True)
        print(f"Stripe double    {stack.env['STRIPE_API_BASE']}", flush=True)
        # The app is imported only now, with the environment pointing at the stack.
        from app import app
        from local.consumers import (
            start_refund_consumer,
            start_waiting_room_consumer,
            start_waiting_room_draws,
        )
        from local.schedules import start_availability_publishing
        from local.server import make_server

        on_sale = ""
        if seed_demo:
            from local.seed import seed

            counts = seed()
            opens = datetime.fromisoformat(counts["waiting_room_opens_at"]).astimezone(BRUSSELS)
            on_sale = (
                f"  waiting room    {host_url(host, port)}/performance.html?id="
                f"{counts['waiting_room']} (its sale opens at {opens:%H:%M})\n"
            )
            print(
                f"demo data        {counts['performances']} performances, "
                f"{counts['items']} items, static catalogue published",
                flush=True,
            )
        server = make_server(app, host, port)
        loops = [
            start_availability_publishing(),
            start_waiting_room_consumer(),
            start_waiting_room_draws(),
            start_refund_consumer(),
        ]
        base = host_url(host, port)
        print(
            f"\nPodium is ready in {time.monotonic() - started:.1f}s\n"
            f"  webshop         {base}/\n"
            f"  API             {base}/v1/performances?cluster=gent\n"
            f"  API reference   {base}/api/\n"
            f"  health          {base}/v1/health\n"
            f"  catalogue JSON  {base}/catalogue/nl/gent.json\n"
            f"  mail outbox     {base}/outbox\n"
            f"{on_sale}"
            f"Stop with Ctrl-C.",
            flush=True,
        )
        try:
            server.serve_forever()
        finally:
            server.server_close()
            for loop in loops:
                loop.stop()  # before the stack goes: a run in flight would log errors
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
