"""`podium demo` as a real process: DynamoDB Local + moto + the app over HTTP, then Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from local.stack import free_port

pytestmark = pytest.mark.stack


@dataclass
class Demo:
    process: subprocess.Popen[str]
    base: str
    output: list[str]

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, path: str, **headers: str) -> tuple[int, Any]:
        status, _, body = self.get(path, **headers)
        return status, json.loads(body)

    def hold(self, performance_id: str, body: Any, client_id: str) -> Any:
        request = urllib.request.Request(
            f"{self.base}/v1/performances/{performance_id}/holds",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-Client-Id": client_id},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            return json.loads(response.read())


def _children(pid: int) -> set[int]:
    """Every descendant process of pid, from /proc."""
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        parent = frontier.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent and int(entry.name) not in found:
                found.add(int(entry.name))
                frontier.add(int(entry.name))
    return found


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    port = free_port()
    env = {**os.environ, "PODIUM_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        # The installed command, as `make demo` runs it, from a folder that is not the repo.
        [str(Path(sys.executable).parent / "podium"), "demo"],
        cwd="/",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    started = time.monotonic()
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        if line.startswith("Stop with Ctrl-C"):
            break
    else:
        pytest.fail("demo exited before it was ready:\n" + "".join(output))
    ready_after = time.monotonic() - started
    print(f"demo ready after {ready_after:.1f}s")
    demo = Demo(process, f"http://127.0.0.1:{port}", output)
    try:
        yield demo
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_demo_prints_its_urls(demo):
    text = "".join(demo.output)
    assert f"{demo.base}/v1/performances?cluster=gent" in text
    assert f"{demo.base}/" in text
    assert "Ctrl-C" in text


def test_every_url_the_demo_prints_answers(demo):
    printed = re.findall(rf"{re.escape(demo.base)}(/\S*)", "".join(demo.output))
    assert "/api/" in printed  # the API reference, with its vendored Swagger UI
    for path in [p for p in printed if "<" not in p] + ["/api/vendor/swagger-ui-bundle.js"]:
        status, _, _ = demo.get(path)
        assert status == 200, path


def test_health_over_http(demo):
    status, body = demo.json("/v1/health")
    assert status == 200 and body["checks"]["dynamodb"] == "ok"


def test_gent_catalogue_over_http(demo):
    status, houses = demo.json("/v1/clusters/gent/houses")
    assert status == 200
    gent_houses = {h["id"] for h in houses["items"]}
    assert {"ntgent", "handelsbeurs", "campo", "kopergietery"} <= gent_houses
    status, page = demo.json("/v1/performances?cluster=gent&limit=100")
    assert status == 200
    assert len(page["items"]) >= 20
    assert {p["house"] for p in page["items"]} <= gent_houses
    starts = [p["starts_at"] for p in page["items"]]
    assert starts == sorted(starts)
    status, detail = demo.json(f"/v1/performances/{page['items'][0]['id']}?lang=fr")
    assert status == 200 and detail["house"]["cluster"] == "gent"


def test_every_cluster_has_at_least_twenty_five_upcoming_performances(demo):
    for cluster in ("gent", "zuidwest", "zender"):
        _, page = demo.json(f"/v1/performances?cluster={cluster}&limit=25")
        assert len(page["items"]) == 25, cluster


def test_bad_input_over_http_is_problem_json(demo):
    status, headers, body = demo.get("/v1/performances?limit=0")
    assert status == 400
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["errors"][0]["field"] == "limit"


def test_prerendered_catalogue_and_webshop_on_the_same_origin(demo):
    status, headers, body = demo.get("/catalogue/nl/gent.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    catalogue = json.loads(body)
    _, api_page = demo.json("/v1/performances?cluster=gent&limit=100&lang=nl")
    assert [p["id"] for p in catalogue["performances"]][:10] == [
        p["id"] for p in api_page["items"]
    ][:10]
    status, _, clusters = demo.get("/catalogue/en/clusters.json")
    assert [c["id"] for c in json.loads(clusters)["items"]] == ["gent", "zender", "zuidwest"]
    status, headers, page = demo.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"/catalogue.js" in page
    assert demo.get("/catalogue.js")[0] == 200
    assert demo.get("/../pyproject.toml")[0] == 404
    assert demo.get("/catalogue/nl/antwerpen.json")[0] == 404


def test_demo_seat_plans_and_a_hold_over_http(demo):
    _, page = demo.json("/v1/performances?cluster=gent&limit=100")
    on_sale = [p for p in page["items"] if p["sales_status"] == "on_sale"]
    seated = None
    for performance in on_sale:
        status, plan = demo.json(f"/v1/performances/{performance['id']}/seats")
        assert status == 200
        if len(plan["seats"]) >= 100:
            seated = performance["id"], plan
            break
    assert seated, "the Gent demo has a large seated hall on sale"
    performance_id, plan = seated
    assert plan["summary"]["capacity"] == len(plan["seats"]) + sum(
        p["capacity"] for p in plan["pools"]
    )
    hold = demo.hold(performance_id, {"quantity": 2}, "e2e-demo-buyer")
    assert len(hold["seats"]) == 2
    _, after = demo.json(f"/v1/performances/{performance_id}/seats")
    taken = {s["id"] for s in after["seats"] if s["state"] == "unavailable"}
    assert {s["id"] for s in hold["seats"]} <= taken


def test_availability_is_published_and_follows_a_hold(demo):
    """Seeding publishes it; the demo's background loop (every 10 s) re-publishes it."""
    status, headers, body = demo.get("/catalogue/availability/zender.json")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=30"
    published = json.loads(body)["performances"]
    performance_id = next(p for p, left in published.items() if left["free"] >= 100)
    _, plan = demo.json(f"/v1/performances/{performance_id}/seats")
    free = plan["summary"]["free_seats"] + plan["summary"]["free_places"]
    demo.hold(performance_id, {"quantity": 4}, "e2e-availability")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, document = demo.json("/catalogue/availability/zender.json")
        if document["performances"][performance_id]["free"] == free - 4:
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"availability of {performance_id} never showed the hold:\n{document}")
    assert document["performances"][performance_id]["level"] == "available"


def test_concurrent_requests_each_get_their_own_answer(demo):
    """The local server is threaded; a request must never see another's parameters."""
    from concurrent.futures import ThreadPoolExecutor

    clusters = ["gent", "zuidwest", "zender"] * 10

    def fetch(cluster: str) -> set[str]:
        _, page = demo.json(f"/v1/performances?cluster={cluster}&limit=5")
        return {p["cluster"] for p in page["items"]} | {cluster}

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fetch, clusters))
    assert all(len(r) == 1 for r in results)


def test_ctrl_c_stops_everything_without_orphans(demo):
    descendants = _children(demo.process.pid)
    assert descendants, "DynamoDB Local should run as a child process"
    demo.process.send_signal(signal.SIGINT)
    assert demo.process.wait(timeout=30) == 0
    time.sleep(0.5)
    alive = {pid for pid in descendants if Path(f"/proc/{pid}").exists()}
    assert not alive, f"left running: {alive}"
