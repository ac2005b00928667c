"""Templates: the names they see, the sandbox, and the limits on what they may build."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from specc.pipeline import Options, load_spec
from specc.spec.templates import Renderer, TemplateNames, TemplateProblem

MOMENT = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def render(source: str, vars: dict[str, object] | None = None,
           env: dict[str, str] | None = None) -> str:
    return Renderer(TemplateNames.at(MOMENT, vars or {}, env or {})).render(source)


def code_of(source: str, **names: dict[str, object]) -> str:
    with pytest.raises(TemplateProblem) as caught:
        render(source, **names)  # type: ignore[arg-type]
    return caught.value.code.code


def test_names_templates_see() -> None:
    assert render("{{ vars.batch }}/{{ env.REGION }}/{{ today }}/{{ now }}",
                  {"batch": "b7"}, {"REGION": "eu"}) == "b7/eu/2026-11-29/2026-11-29T10:00:00Z"
    assert render("{% if vars.n > 2 %}many{% endif %}", {"n": 3}) == "many"
    assert render("{{ vars.batch|upper }}-{{ '%03d' % vars.n }}", {"batch": "x", "n": 7}) == "X-007"


def test_now_is_utc_whatever_the_clock_zone() -> None:
    from datetime import timedelta, timezone

    names = TemplateNames.at(datetime(2026, 11, 29, 12, 0, tzinfo=timezone(timedelta(hours=2))),
                             {}, {})
    assert Renderer(names).render("{{ now }}") == "2026-11-29T10:00:00Z"


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("{{ vars.missing }}", "SPC102"),
        ("{{ undefined_name }}", "SPC102"),
        ("{{ env.HOME }}", "SPC102"),  # not listed, so not there
        ("{{ vars.__class__ }}", "SPC103"),
        ("{{ ().__class__.__base__.__subclasses__() }}", "SPC103"),
        ("{{ range.__globals__ }}", "SPC103"),
        ("{{ [1].append(2) }}", "SPC103"),
        ("{{ 'x' * 100000 }}", "SPC104"),
        ("{{ [1, 2] * 100000 }}", "SPC104"),
        ("{{ 2 ** 100000 }}", "SPC104"),
        ("{{ ''|center(10000000) }}", "SPC104"),
        ("{{ 'x'.ljust(10000000) }}", "SPC104"),
        ("{{ 'abc'.replace('', 'z' * 60000) }}", "SPC104"),
        ("{{ '{:>99999999}'.format(1) }}", "SPC104"),
        ("{{ '%99999999s' % 1 }}", "SPC104"),
        ("{{ range(10)|join('x' * 60000) }}", "SPC104"),
        ("{% for i in range(100000) %}{% endfor %}", "SPC104"),
        ("{% for i in range(9999) %}{{ 'y' * 9 }}{% endfor %}", "SPC104"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
         "{% endfor %}", "SPC104"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "SPC104"),
        ("{{ 'x' * 20000 }}" * 4, "SPC104"),
        ("{{ 1 // 0 }}", "SPC105"),
        ("{% include 'other' %}", "SPC105"),
        ("{{ lipsum(5) }}", "SPC102"),
        ("{{ vars.batch ", "SPC101"),
        ("{% endfor %}", "SPC101"),
    ],
)
def test_problems_have_their_code(source: str, code: str) -> None:
    assert code_of(source, vars={"batch": "b"}) == code


def test_a_template_that_runs_forever_is_stopped() -> None:
    started = time.perf_counter()
    source = ("{% set r = range(9999)|list %}{% for i in r %}{% for j in r %}{% for k in r %}"
              "{% endfor %}{% endfor %}{% endfor %}")
    assert code_of(source) == "SPC104"
    assert time.perf_counter() - started < 5


def _spec(folder: Path, name_template: str, extra: str = "") -> Path:
    (folder / "spec.yaml").write_text(
        f"specc: 1\nname: \"{name_template}\"\n{extra}"
        "files:\n  - path: a.csv\n    object: contacts\n    columns:\n      Email: email\n",
        encoding="utf-8",
    )
    return Path("spec.yaml")


def test_var_overrides_spec_vars(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "L {{ vars.batch }}", "vars: {batch: one}\n")
    assert load_spec(spec, Options(cwd=tmp_path, environ={})).spec.name == "L one"  # type: ignore[union-attr]
    overridden = load_spec(spec, Options(cwd=tmp_path, environ={}, vars={"batch": "two"}))
    assert overridden.spec is not None and overridden.spec.name == "L two"


def test_source_date_epoch_fixes_today_and_now(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "{{ today }} {{ now }}")
    loaded = load_spec(spec, Options(cwd=tmp_path, environ={"SOURCE_DATE_EPOCH": "1700000000"}))
    assert loaded.spec is not None
    assert loaded.spec.name == "2023-11-14 2023-11-14T22:13:20Z"


def test_env_is_only_what_the_spec_lists_and_never_the_token(tmp_path: Path) -> None:
    environ = {"REGION": "eu", "OTHER": "secret", "HUBSPOT_ACCESS_TOKEN": "pat-na1-xyz"}
    listed = _spec(tmp_path, "{{ env.REGION }}", "env: [REGION]\n")
    loaded = load_spec(listed, Options(cwd=tmp_path, environ=environ))
    assert loaded.spec is not None and loaded.spec.name == "eu"

    unlisted = _spec(tmp_path, "{{ env.OTHER }}", "env: [REGION]\n")
    loaded = load_spec(unlisted, Options(cwd=tmp_path, environ=environ))
    assert [d.code for d in loaded.diagnostics] == ["SPC102"]

    token = _spec(tmp_path, "{{ env.HUBSPOT_ACCESS_TOKEN }}", "env: [HUBSPOT_ACCESS_TOKEN]\n")
    loaded = load_spec(token, Options(cwd=tmp_path, environ=environ))
    assert loaded.spec is None
    assert sorted(d.code for d in loaded.diagnostics) == ["SPC102", "SPC106"]
    assert all("pat-na1-xyz" not in (d.message + (d.hint or "")) for d in loaded.diagnostics)


def test_jinja_is_imported_only_for_templates() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tempfile, pathlib\n"
        "from specc.pipeline import Options, load_spec\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "(d / 's.yaml').write_text('specc: 1\\nname: x\\nfiles:\\n  - path: a.csv\\n"
        "    object: contacts\\n    columns:\\n      Email: email\\n')\n"
        "assert load_spec(pathlib.Path('s.yaml'), Options(cwd=d, environ={})).spec\n"
        "print('jinja2' in sys.modules, 'jsonschema' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
