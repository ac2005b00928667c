"""How `specc plan` judges rows against the account's records (specc.plan), in process.

The account is a record store seeded with the records a test needs; each test states the
rows, what the account holds, and what the plan must say: create, update, or the HubSpot
error a failing row gets, at its line and column.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_support import PETS, PETS_CATALOG, counts, failures, loaded, plan_of, project

from specc.catalog.bundled import bundled_catalog
from specc.plan import RECORD_ID, BurstGate, Key, matched, normalize
from specc.sandbox.records import RecordStore

CONTACTS_CSV = (
    "First Name,Email\n"
    "Ada,ada@example.com\n"  # line 2
    "Grace,GRACE@example.com\n"  # line 3: the account holds grace@example.com
    "Alan,alan@example.com\n"  # line 4
)


def contacts_spec(
    operation: str | None, *, email_column: str = "{property: email, id: true}"
) -> str:
    operations = f"operations:\n  contacts: {operation}\n" if operation else ""
    return (
        f"specc: 1\nname: Leads\n{operations}files:\n  - path: leads.csv\n    object: contacts\n"
        f"    columns:\n      First Name: firstname\n      Email: {email_column}\n"
    )


def account_with(*emails: str) -> RecordStore:
    store = RecordStore(bundled_catalog())
    for email in emails:
        store.add("0-1", {"email": email})
    return store


def test_upsert_updates_the_records_the_account_has_and_creates_the_others(
    tmp_path: Path,
) -> None:
    path = project(tmp_path, contacts_spec(None), {"leads.csv": CONTACTS_CSV})
    plan, _ = plan_of(path, account_with("grace@example.com"))
    assert counts(plan) == [("leads.csv", 2, 1, 0)]
    assert plan.diagnostics == []
    assert not plan.failing


def test_create_of_a_record_that_exists_fails_with_create_only_import(tmp_path: Path) -> None:
    path = project(tmp_path, contacts_spec("create"), {"leads.csv": CONTACTS_CSV})
    plan, _ = plan_of(path, account_with("grace@example.com"))
    assert counts(plan) == [("leads.csv", 2, 0, 1)]
    assert failures(plan) == [(3, "CREATE_ONLY_IMPORT", "Email", "GRACE@example.com")]
    (diagnostic,) = plan.diagnostics
    assert diagnostic.code == "SPC600"
    assert diagnostic.message.startswith("CREATE_ONLY_IMPORT: ")
    assert diagnostic.spec is not None and diagnostic.spec.line == 10  # the Email column
    assert plan.failing


def test_update_of_a_record_that_does_not_exist_fails_with_update_only_import(
    tmp_path: Path,
) -> None:
    csv = CONTACTS_CSV + "Nobody,\n"  # line 5: no email at all
    path = project(tmp_path, contacts_spec("update"), {"leads.csv": csv})
    plan, _ = plan_of(path, account_with("grace@example.com", "ada@example.com"))
    assert counts(plan) == [("leads.csv", 0, 2, 2)]
    assert failures(plan) == [
        (4, "UPDATE_ONLY_IMPORT", "Email", "alan@example.com"),
        (5, "UPDATE_ONLY_IMPORT", "Email", None),
    ]
    assert "gives no value that identifies" in plan.diagnostics[1].message


def test_email_matches_contacts_even_when_not_marked_as_the_identifier(tmp_path: Path) -> None:
    path = project(
        tmp_path, contacts_spec("create", email_column="email"), {"leads.csv": CONTACTS_CSV}
    )
    plan, _ = plan_of(path, account_with("ada@example.com"))
    assert failures(plan) == [(2, "CREATE_ONLY_IMPORT", "Email", "ada@example.com")]


def test_a_record_id_that_names_no_record(tmp_path: Path) -> None:
    spec = (
        "specc: 1\nname: Fix names\nfiles:\n  - path: ids.csv\n    object: contacts\n"
        "    columns:\n      Record ID: {property: hs_object_id, id: true}\n"
        "      First Name: firstname\n"
        "      Company ID: {property: hs_object_id, object: companies}\n"
    )
    csv = "Record ID,First Name,Company ID\n1000001,Ada,\n424242,Grace,\n1000001,Ada,777\n"
    store = account_with("ada@example.com")  # record 1000001
    path = project(tmp_path, spec, {"ids.csv": csv})
    plan, _ = plan_of(path, store)
    # The file's own object: INVALID_OBJECT_ID; another object's record id is an association
    # target: UNKNOWN_ASSOCIATION_RECORD_ID.
    assert failures(plan) == [
        (3, "INVALID_OBJECT_ID", "Record ID", "424242"),
        (4, "UNKNOWN_ASSOCIATION_RECORD_ID", "Company ID", "777"),
    ]
    assert counts(plan) == [("ids.csv", 0, 1, 2)]


def test_a_file_without_object_is_about_the_object_most_of_its_columns_name(
    tmp_path: Path,
) -> None:
    """As HubSpot sees it (the request carries no file object): the same plan as above."""
    spec = (
        "specc: 1\nname: Fix names\nfiles:\n  - path: ids.csv\n"
        "    columns:\n      Record ID: {property: hs_object_id, id: true, object: contacts}\n"
        "      First Name: {property: firstname, object: contacts}\n"
        "      Company ID: {property: hs_object_id, object: companies}\n"
    )
    csv = "Record ID,First Name,Company ID\n1000001,Ada,\n424242,Grace,\n1000001,Ada,777\n"
    path = project(tmp_path, spec, {"ids.csv": csv})
    plan, _ = plan_of(path, account_with("ada@example.com"))
    assert failures(plan) == [
        (3, "INVALID_OBJECT_ID", "Record ID", "424242"),
        (4, "UNKNOWN_ASSOCIATION_RECORD_ID", "Company ID", "777"),
    ]


TWO_FILES = """\
specc: 1
name: Contacts and companies
files:
  - path: contacts.csv
    object: contacts
    columns:
      Name: firstname
      Email: {property: email, association_key: true}
  - path: companies.csv
    object: companies
    columns:
      Company: name
      Domain: {property: domain, id: true}
      Email: {references: contacts}
"""


def test_a_common_column_must_name_a_record_of_the_import_or_of_the_account(
    tmp_path: Path,
) -> None:
    contacts = "Name,Email\nAda,ada@example.com\n"
    companies = (
        "Company,Domain,Email\n"
        "Analytical,analytical.com,ada@example.com\n"  # in contacts.csv
        "Compilers,compilers.com,grace@example.com\n"  # in the account
        "Enigma,enigma.com,alan@example.com\n"  # nowhere
    )
    path = project(tmp_path, TWO_FILES, {"contacts.csv": contacts, "companies.csv": companies})
    plan, spy = plan_of(path, account_with("grace@example.com"))
    assert failures(plan) == [(4, "UNKNOWN_ASSOCIATION_RECORD_ID", "Email", "alan@example.com")]
    assert "in the account or in contacts.csv" in plan.diagnostics[0].message
    assert counts(plan) == [("contacts.csv", 1, 0, 0), ("companies.csv", 2, 0, 1)]
    # Each email is asked for once, though ada@ is both a contact and a company's reference.
    asked = [v for key, values in spy.calls if key == Key("0-1", "email") for v in values]
    assert sorted(asked) == ["ada@example.com", "alan@example.com", "grace@example.com"]


def pets_project(tmp_path: Path, operation: str, csv: str) -> Path:
    spec = (
        f'specc: 1\nname: Pets\ncatalog: catalog.json\nobjects:\n  pets: "{PETS}"\n'
        f"operations:\n  pets: {operation}\nfiles:\n  - path: pets.csv\n    object: pets\n"
        "    columns:\n      Record ID: {property: hs_object_id, id: true}\n"
        "      Name: pet_name\n      Tag: pet_tag\n"
    )
    return project(tmp_path, spec, {"pets.csv": csv}, catalog=PETS_CATALOG)


def test_a_unique_value_held_by_another_record_fails_the_row(tmp_path: Path) -> None:
    csv = (
        "Record ID,Name,Tag\n"
        ",Biscuit,T-1\n"  # line 2: creates a pet with a tag record A holds
        "{a},Mochi,T-1\n"  # line 3: record A keeps its own tag
        "{b},Rex,T-1\n"  # line 4: record B takes A's tag
        "{b},Rex,T-9\n"  # line 5: a free tag
    )
    path = pets_project(tmp_path, "upsert", csv)
    _, catalog = loaded(path)
    store = RecordStore(catalog)
    a = store.add(PETS, {"pet_name": "Mochi", "pet_tag": "T-1"})
    b = store.add(PETS, {"pet_name": "Rex"})
    path.with_name("pets.csv").write_text(csv.format(a=a, b=b), encoding="utf-8")
    plan, _ = plan_of(path, store)
    assert failures(plan) == [
        (2, "DUPLICATE_UNIQUE_PROPERTY_VALUE", "Tag", "T-1"),
        (4, "DUPLICATE_UNIQUE_PROPERTY_VALUE", "Tag", "T-1"),
    ]
    assert f"pets record {a} already holds" in plan.diagnostics[1].message
    assert counts(plan) == [("pets.csv", 0, 2, 2)]


def test_each_distinct_value_is_looked_up_once_a_hundred_a_call(tmp_path: Path) -> None:
    emails = [f"person{n}@example.com" for n in range(250)]
    rows = "".join(f"P{n},{email}\nQ{n},{email.upper()}\n" for n, email in enumerate(emails))
    path = project(tmp_path, contacts_spec(None), {"leads.csv": "First Name,Email\n" + rows})
    plan, spy = plan_of(path, account_with(*emails[:10]))
    assert [len(values) for _, values in spy.calls] == [100, 100, 50]
    assert plan.looked_up == 250
    # Every row is judged: the upper-case repeats find the same records.
    assert counts(plan) == [("leads.csv", 480, 20, 0)]


def test_a_sample_judges_n_rows_and_scales_the_counts(tmp_path: Path) -> None:
    emails = [f"person{n}@example.com" for n in range(1000)]
    rows = "".join(f"P{n},{email}\n" for n, email in enumerate(emails))
    path = project(tmp_path, contacts_spec("create"), {"leads.csv": "First Name,Email\n" + rows})
    store = account_with(*emails[::2])  # every other contact exists
    plan, spy = plan_of(path, store, sample=100)
    (file_plan,) = plan.files
    assert (file_plan.rows, file_plan.judged, file_plan.estimate) == (1000, 100, True)
    assert sum(len(values) for _, values in spy.calls) == 100  # only the sample is looked up
    assert file_plan.create + file_plan.fail == 100
    assert 350 <= file_plan.scaled(file_plan.fail) <= 650  # about half of 1,000
    assert file_plan.to_json()["sampled"] == 100
    lines = [d.data.line for d in plan.diagnostics if d.data]
    assert lines == sorted(lines) and all(2 <= line <= 1001 for line in lines if line)
    again, _ = plan_of(path, store, sample=100)
    assert again.files[0].fail == file_plan.fail  # the same file gives the same estimate


def test_failing_rows_past_the_limit_are_counted_not_shown(tmp_path: Path) -> None:
    emails = [f"person{n}@example.com" for n in range(30)]
    rows = "".join(f"P{n},{email}\n" for n, email in enumerate(emails))
    path = project(tmp_path, contacts_spec("create"), {"leads.csv": "First Name,Email\n" + rows})
    plan, _ = plan_of(path, account_with(*emails), max_shown=5)
    assert len(failures(plan)) == 5
    assert plan.files[0].fail == 30
    assert plan.failures_by_type == {"CREATE_ONLY_IMPORT": 30}
    note = plan.diagnostics[-1]
    assert note.code == "SPC480" and "25 more failing rows" in note.message


def test_allowing_a_code_hides_its_rows_but_still_counts_them(tmp_path: Path) -> None:
    spec = contacts_spec("create").replace("files:", "checks:\n  allow: [SPC600]\nfiles:")
    path = project(tmp_path, spec, {"leads.csv": CONTACTS_CSV})
    plan, _ = plan_of(path, account_with("ada@example.com"))
    assert plan.diagnostics == []
    assert counts(plan) == [("leads.csv", 2, 0, 1)]


@pytest.mark.parametrize(
    ("prop", "cell", "value"),
    [
        ("email", "  Ada@Example.COM ", "ada@example.com"),
        ("domain", "Example.com", "example.com"),
        ("pet_tag", " T-1 ", "T-1"),
        (RECORD_ID, " 123 ", "123"),
        (RECORD_ID, "12a", None),  # not a record id: INVALID_OBJECT_ID is check's to report
        (RECORD_ID, "١٢٣", None),  # digits, but not ASCII ones
        ("email", "   ", None),
    ],
)
def test_values_compare_as_hubspot_stores_them(prop: str, cell: str, value: str | None) -> None:
    assert normalize(prop, cell) == value


def test_a_207_answer_names_the_records_hubspot_did_not_find() -> None:
    # The shape HubSpot answers a batch read with when some inputs are missing.
    answer = {
        "status": "COMPLETE",
        "results": [
            {"id": "51", "properties": {"email": "ada@example.com", "hs_object_id": "51"}},
        ],
        "numErrors": 1,
        "errors": [
            {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": "Could not get some CONTACT objects, they may be deleted or not "
                "exist. Check that ids are valid.",
                "context": {"ids": ["nobody@example.com"]},
            }
        ],
    }
    key = Key("0-1", "email")
    assert matched(key, ["ada@example.com", "nobody@example.com"], answer) == {
        "ada@example.com": "51"
    }


def test_a_merged_record_answers_under_its_new_id_and_still_exists() -> None:
    answer = {
        "status": "COMPLETE",
        "results": [{"id": "84805801", "properties": {"hs_object_id": "84805801"}}],
        "numErrors": 1,
        "errors": [{"category": "OBJECT_NOT_FOUND", "context": {"ids": ["9"]}}],
    }
    assert matched(Key("0-1", RECORD_ID), ["62241", "9"], answer) == {"62241": "62241"}


def test_the_gate_keeps_requests_under_the_burst_limit() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    gate = BurstGate(100, 10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(250):
        gate.wait()
        now[0] += 0.001  # each request takes a millisecond
    # 250 requests at 100 per 10 s: two full windows waited out, nothing more.
    assert 19.5 <= gate.waited <= 20.0
    assert len(slept) == 2


def test_the_gate_follows_hubspots_rate_limit_headers() -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    gate = BurstGate(clock=lambda: now[0], sleep=sleep)
    gate.observe(
        {
            "x-hubspot-ratelimit-max": "190",
            "x-hubspot-ratelimit-interval-milliseconds": "10000",
            "x-hubspot-ratelimit-remaining": "0",
        }
    )
    assert (gate.requests, gate.seconds) == (190, 10.0)
    gate.wait()  # nothing left of the window: wait it out first
    assert gate.waited == 10.0
    # A window a server claims to be a day long is waited 60 s at most.
    gate.observe(
        {
            "x-hubspot-ratelimit-remaining": "0",
            "x-hubspot-ratelimit-interval-milliseconds": "86400000",
        }
    )
    gate.wait()
    assert gate.waited == 70.0
