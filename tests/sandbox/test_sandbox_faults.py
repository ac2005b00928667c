"""Fault injection: each fault as a client sees it over loopback, and how many imports exist."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from sandbox_support import AUTH, CONTACTS_CSV, contacts_request, upload

from specc.sandbox import Fault, FaultPlan, SandboxServer

IMPORTS = "/crm/v3/imports"
Make = Callable[..., SandboxServer]
MakeClient = Callable[..., httpx.Client]


def post_import(client: httpx.Client, name: str = "Contacts import") -> httpx.Response:
    return client.post(
        IMPORTS, **upload(contacts_request(name=name), {"contacts.csv": CONTACTS_CSV})
    )


def test_rate_limit_answers_429_with_retry_after_then_lets_through(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().rate_limit("create", times=2, retry_after=3))
    client = make_client(sandbox, headers=AUTH)
    for _ in range(2):
        response = post_import(client)
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3"
        assert response.json()["category"] == "RATE_LIMITS"
        assert response.json()["policyName"] == "TEN_SECONDLY_ROLLING"
        assert sandbox.imports == {}  # a 429 creates nothing
    assert post_import(client).status_code == 200
    assert sandbox.count("create") == 3
    assert len(sandbox.imports) == 1
    assert [e.status for e in sandbox.log] == [429, 429, 200]


def test_a_fractional_retry_after_keeps_tests_fast(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().rate_limit("list", retry_after=0.25))
    response = make_client(sandbox, headers=AUTH).get(IMPORTS)
    assert response.headers["Retry-After"] == "0.25"


def test_a_rate_limit_without_retry_after(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox(faults=FaultPlan().rate_limit("list", retry_after=None))
    response = make_client(sandbox, headers=AUTH).get(IMPORTS)
    assert response.status_code == 429
    assert "Retry-After" not in response.headers


def test_server_errors_before_processing_create_nothing(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().server_error("create", times=2, status=502))
    client = make_client(sandbox, headers=AUTH)
    assert [post_import(client).status_code for _ in range(3)] == [502, 502, 200]
    assert len(sandbox.imports) == 1


def test_a_server_error_after_processing_leaves_the_import_behind(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().server_error("create", after_processing=True))
    client = make_client(sandbox, headers=AUTH)
    assert post_import(client, "Leads").status_code == 503
    (record,) = sandbox.imports.values()
    listed = client.get(IMPORTS).json()["results"]
    assert [r["id"] for r in listed] == [record.id]
    assert listed[0]["importName"] == "Leads"


def test_a_dropped_connection_after_create_leaves_exactly_one_import(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().drop("create"))
    client = make_client(sandbox, headers=AUTH)
    with pytest.raises(httpx.RemoteProtocolError):
        post_import(client, "Nov leads")
    assert len(sandbox.imports) == 1
    assert sandbox.log[-1].status is None and sandbox.log[-1].fault == "drop"
    # The client can find it again by name: the outcome was unknown, the import exists.
    listed = client.get(IMPORTS).json()["results"]
    assert [r["importName"] for r in listed] == ["Nov leads"]
    assert sandbox.count("create") == 1


def test_a_drop_before_processing_creates_nothing(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().drop("create", after_processing=False))
    client = make_client(sandbox, headers=AUTH)
    with pytest.raises(httpx.RemoteProtocolError):
        post_import(client)
    assert sandbox.imports == {}
    assert post_import(client).status_code == 200


def test_a_slow_answer_makes_a_client_time_out_after_the_import_exists(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().slow("create", delay=2.0))
    client = make_client(sandbox, headers=AUTH, timeout=httpx.Timeout(5.0, read=0.3))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        post_import(client)
    # Well before the answer (2 s), with room for a busy CI machine.
    assert time.monotonic() - started < 1.5
    assert len(sandbox.imports) == 1


def test_slow_answers_still_answer(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox(faults=FaultPlan().slow("list", delay=0.3, times=None))
    client = make_client(sandbox, headers=AUTH)
    started = time.monotonic()
    assert client.get(IMPORTS).status_code == 200
    assert client.get(IMPORTS).status_code == 200
    assert time.monotonic() - started >= 0.6


def test_skip_lets_the_first_requests_through(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox(faults=FaultPlan().server_error("list", times=1, skip=2))
    client = make_client(sandbox, headers=AUTH)
    assert [client.get(IMPORTS).status_code for _ in range(4)] == [200, 200, 503, 200]


def test_faults_on_one_route_leave_the_others_alone(
    make_sandbox: Make, make_client: MakeClient
) -> None:
    sandbox = make_sandbox(faults=FaultPlan().rate_limit("errors", times=None))
    client = make_client(sandbox, headers=AUTH)
    import_id = post_import(client).json()["id"]
    assert client.get(f"{IMPORTS}/{import_id}").status_code == 200
    assert client.get(f"{IMPORTS}/{import_id}/errors").status_code == 429
    assert client.get(f"{IMPORTS}/{import_id}/errors").status_code == 429
    assert sandbox.count("errors") == 2 and sandbox.count("get") == 1


def test_a_wildcard_fault_hits_any_route_once(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox(faults=FaultPlan([Fault("*", "server_error", times=1)]))
    client = make_client(sandbox, headers=AUTH)
    assert client.get("/crm/v3/properties/contacts").status_code == 503
    assert client.get(IMPORTS).status_code == 200


def test_faults_can_be_added_while_the_server_runs(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    assert client.get(IMPORTS).status_code == 200
    sandbox.faults.rate_limit("list")
    assert client.get(IMPORTS).status_code == 429


def test_refused_auth_does_not_use_up_a_fault(make_sandbox: Make, make_client: MakeClient) -> None:
    sandbox = make_sandbox(faults=FaultPlan().rate_limit("list"))
    assert make_client(sandbox).get(IMPORTS).status_code == 401
    client = make_client(sandbox, headers=AUTH)
    assert client.get(IMPORTS).status_code == 429
    assert sandbox.count("list") == 2


def test_fault_plans_parse_from_text() -> None:
    plan = FaultPlan.parse(
        "create:rate_limit:2:retry_after=1.5; errors:server_error:1:status=502;\n"
        "create:drop; get:slow:*:delay=0.5; list:server_error:skip=3:after_processing=true"
    )
    assert [(f.route, f.kind, f.times) for f in plan.faults] == [
        ("create", "rate_limit", 2),
        ("errors", "server_error", 1),
        ("create", "drop", 1),
        ("get", "slow", None),
        ("list", "server_error", 1),
    ]
    assert plan.faults[0].retry_after == 1.5
    assert plan.faults[1].status == 502
    assert plan.faults[2].processes_first
    assert plan.faults[3].delay == 0.5
    assert plan.faults[4].skip == 3 and plan.faults[4].processes_first
    assert FaultPlan.parse("").faults == [] and FaultPlan.parse(None).faults == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("create", "route:kind"),
        ("upload:drop", "unknown route 'upload'"),
        ("create:explode", "unknown fault 'explode'"),
        ("create:rate_limit:two", "times must be a number"),
        ("create:rate_limit:after_processing=true", "cannot come after processing"),
        ("create:server_error:status=404", "must be 5xx"),
        ("create:drop:color=red", "unknown option 'color'"),
        ("create:slow:1:delay", "is not name=value"),
        # Waits the lock cannot take (nan, inf, 1e300 overflow it), and Python's digit limit.
        ("create:slow:1:delay=nan", "delay must be a number of seconds from 0 to 86,400"),
        ("create:slow:1:delay=1e300", "delay must be a number of seconds"),
        ("create:rate_limit:1:retry_after=inf", "retry_after must be a number of seconds"),
        ("create:drop:" + "9" * 5000, "times must be a number, not '9999"),
    ],
)
def test_malformed_fault_plans_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        FaultPlan.parse(text)
