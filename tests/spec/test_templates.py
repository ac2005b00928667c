"""Templates: the names they see, the sandbox, and the limits on what they may build."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.pipeline import load_spec
from specc.run import Options
from specc.spec.templates import (
    MAX_OUTPUT,
    RENDER_SECONDS,
    TOTAL_SECONDS,
    Renderer,
    TemplateNames,
    TemplateProblem,
)

MOMENT = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def render(
    source: str, vars: dict[str, object] | None = None, env: dict[str, str] | None = None
) -> str:
    return Renderer(TemplateNames.at(MOMENT, vars or {}, env or {})).render(source)


def code_of(source: str, **names: dict[str, object]) -> str:
    with pytest.raises(TemplateProblem) as caught:
        render(source, **names)  # type: ignore[arg-type]
    return caught.value.code.code


def test_names_templates_see() -> None:
    assert (
        render(
            "{{ vars.batch }}/{{ env.REGION }}/{{ today }}/{{ now }}",
            {"batch": "b7"},
            {"REGION": "eu"},
        )
        == "b7/eu/2026-11-29/2026-11-29T10:00:00Z"
    )
    assert render("{% if vars.n > 2 %}many{% endif %}", {"n": 3}) == "many"
    assert render("{{ vars.batch|upper }}-{{ '%03d' % vars.n }}", {"batch": "x", "n": 7}) == "X-007"


def test_now_is_utc_whatever_the_clock_zone() -> None:
    from datetime import timedelta, timezone

    names = TemplateNames.at(
        datetime(2026, 11, 29, 12, 0, tzinfo=timezone(timedelta(hours=2))), {}, {}
    )
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
        (
            "{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
            "{% endfor %}",
            "SPC104",
        ),
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


# Bounds on time are asserted in this process's CPU time: a runaway template burns CPU, while
# wall time also counts the moments other processes on a busy CI machine hold the cores.
def test_a_template_that_runs_forever_is_stopped() -> None:
    started = time.process_time()
    source = (
        "{% set r = range(9999)|list %}{% for i in r %}{% for j in r %}{% for k in r %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    )
    assert code_of(source) == "SPC104"
    assert time.process_time() - started < 5


# Ways a short template could build gigabytes, or run for ever, each refused before it does.
BOMBS = {
    # printf widths and precisions, written out, from `*`, or behind a nested key
    "format-filter-width": "{{ '%02000000000d'|format(1) }}",
    "percent-star-width": "{{ '%*d' % (2000000000, 1) }}",
    "percent-star-precision": "{{ '%.*f' % (2000000000, 1) }}",
    "percent-nested-key": "{{ '%(a(b))99999999s' % {'a(b)': 1} }}",
    "percent-many-fields": "{{ ('%60000s' * 200) % ((1,) * 200) }}",
    "format-filter-many-fields": "{{ ('%60000s' * 200)|format(*range(200)) }}",
    "percent-repr-escapes": "{{ '%r' % ('\\x00' * 60000) }}",
    "markup-percent-escapes": "{{ ('%s'|safe) % ('<' * 60000) }}",
    # str.format: fields filled in from arguments, and fields that add up
    "format-nested-width": "{{ '{:>{w}}'.format(1, w='3000000000') }}",
    "format-positional-width": "{{ '{0:>{1}}'.format(1, 3000000) }}",
    "format-self-width": "{{ '{0:{0}}'.format(99999999) }}",
    "format-fill-width": "{{ '{:0>99999999}'.format(1) }}",
    "format-many-fields": "{{ ('{:60000}' ~ '{:60000}' ~ '{:60000}').format(1, 2, 3) }}",
    "format-map": "{{ '{a:>99999999}'.format_map({'a': 1}) }}",
    "markup-format-escapes": "{{ ('{}'|safe).format('<' * 60000) }}",
    # repetition and numbers
    "repeat-text": "{{ '%s' * 10**9 }}",
    "repeat-list": "{{ [0] * 60000 }}",
    "power-tower": "{{ ((10 ** 64) ** 64) ** 64 }}",
    "squaring-loop": "{% set ns = namespace(a=7) %}{% for i in range(99) %}"
    "{% set ns.a = ns.a * ns.a %}{% endfor %}",
    "int-from-bytes": "{{ (1).from_bytes(('x' * 60000).encode(), 'big') }}",
    # text methods and filters whose output outgrows their arguments
    "center-method": "{{ 'x'.center(10**9) }}",
    "center-filter": "{{ 'x'|center(10**9) }}",
    "expandtabs": "{{ ('\\t' * 60000).expandtabs(60000) }}",
    "expandtabs-bytes": "{{ ('\\t' * 60000).encode().expandtabs(60000) }}",
    "translate": "{{ ('x' * 60000).translate({120: 'y' * 60000}) }}",
    "replace-method": "{{ ('x' * 60000).replace('x', 'y' * 60000) }}",
    "replace-filter": "{{ ('x' * 60000)|replace('x', 'y' * 60000) }}",
    "join-method-generator": "{{ ('x' * 60000).join(range(10000)|map('string')) }}",
    "join-filter-generator": "{{ range(10000)|map('string')|join('x' * 60000) }}",
    "markup-join-escapes": "{{ (('<' * 10000)|safe).join(['<' * 60000]) }}",
    "indent-text": "{{ ('\\n' * 60000)|indent('x' * 60000, blank=True) }}",
    "indent-width": "{{ ('\\n' * 60000)|indent(60000, blank=True) }}",
    "wordwrap": "{{ ('a ' * 30000)|wordwrap(1, wrapstring='x' * 60000) }}",
    "urlize-target": "{{ ('a.com ' * 10000)|urlize(target='x' * 60000) }}",
    "tojson-indent": "{{ range(10000)|list|tojson(indent=60000) }}",
    "tojson-indent-text": "{{ range(9000)|list|tojson(indent='x' * 60000) }}",
    # one big value referenced many times stands for all its copies
    "batch-fill": "{{ range(10000)|batch(10000, 'x' * 60000)|list }}",
    "fromkeys": "{{ {}.fromkeys(range(10000), 'x' * 60000) }}",
    # (building it is cheap, the list holds the same one twice; printing it is not)
    "self-nesting": "{% set ns = namespace(a=[]) %}{% for i in range(60) %}"
    "{% set ns.a = [ns.a, ns.a] %}{% endfor %}{{ ns.a }}",
    "deep-nesting": "{% set ns = namespace(a=[]) %}{% for i in range(10000) %}"
    "{% set ns.a = [ns.a] %}{% endfor %}{{ ns.a }}",
    # output collected in blocks, macros and call blocks
    "set-block": "{% set x %}{% for i in range(10000) %}{{ 'y' * 60000 }}{% endfor %}"
    "{% endset %}{{ x|length }}",
    "macro-body": "{% macro m() %}{% for i in range(10000) %}{{ 'y' * 60000 }}{% endfor %}"
    "{% endmacro %}{{ m()|length }}",
    "caller-body": "{% macro m() %}{{ caller()|length }}{% endmacro %}{% call m() %}"
    "{% for i in range(10000) %}{{ 'y' * 60000 }}{% endfor %}{% endcall %}",
    "filter-block": "{% filter indent('x' * 60000) %}{% for i in range(9999) %}\n"
    "{% endfor %}{% endfilter %}",
    "block-called-by-self": "{% if false %}{% block a %}{% for i in range(10000) %}"
    "{{ 'y' * 60000 }}{% endfor %}{% endblock %}{% endif %}{{ self.a()|length }}",
    # time: loops and calls that build nothing
    "nested-loops": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}"
    "{% endfor %}",
    "loops-over-text": "{% for a in 'x' * 60000 %}{% for b in 'x' * 60000 %}{% endfor %}"
    "{% endfor %}",
    "macro-tree": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
    "{% endmacro %}{{ f(40)|length }}",
}


@pytest.fixture(scope="module")
def warm_renderer() -> None:
    """One refused render first, so that what a worker imports or caches on its first render
    (tracemalloc counts every allocation, module code included) is not taken for the bomb's."""
    assert code_of("{{ 'x' * 100000000 }}") == "SPC104"


@pytest.mark.parametrize("source", BOMBS.values(), ids=BOMBS.keys())
def test_a_template_bomb_is_refused_fast_and_small(source: str, warm_renderer: None) -> None:
    tracemalloc.start()
    started = time.process_time()
    try:
        assert code_of(source) == "SPC104"
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # tracemalloc slows rendering down: the time bound is the render budget plus its overhead.
    assert seconds < RENDER_SECONDS + 1.0
    # Unguarded, these take gigabytes; a refused one a few MB. tracemalloc counts every thread
    # of the worker (a server another module left running), so the bound leaves room for that.
    assert peak < 32 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_the_issue_bombs_point_at_their_spec_line(tmp_path: Path) -> None:
    sources = [
        "{{ '%02000000000d'|format(1) }}",
        "{{ '%*d' % (2000000000, 1) }}",
        "{{ '{:>{w}}'.format(1, w='3000000000') }}",
    ]
    columns = "".join(f'      C{i}: "{s}"\n' for i, s in enumerate(sources))
    (tmp_path / "spec.yaml").write_text(
        "specc: 1\nname: Leads\nfiles:\n  - path: a.csv\n    object: contacts\n"
        f"    columns:\n{columns}",
        encoding="utf-8",
    )
    started = time.process_time()
    loaded = load_spec(Path("spec.yaml"), Options(cwd=tmp_path, environ={}))
    assert time.process_time() - started < 1.0
    found = [(d.code, d.spec.line, d.spec.column) for d in loaded.diagnostics if d.spec]
    assert found == [("SPC104", 7, 11), ("SPC104", 8, 11), ("SPC104", 9, 11)]


def test_numbers_given_to_formats_are_values_not_widths() -> None:
    # Only widths and precisions are bounded: the numbers formatted may be of any size.
    assert render("{{ '%08d'|format(vars.n) }}", {"n": 123456}) == "00123456"
    assert render("{{ '{:08d}'.format(vars.n) }}", {"n": 123456}) == "00123456"
    assert render("{{ 'order 1234567: %s' % vars.n }}", {"n": 9}) == "order 1234567: 9"
    assert render("{{ '%(a)s-%(b)05d'|format(a='x', b=7) }}") == "x-00007"
    assert render("{{ '{a}/{b:>4}'.format_map({'a': 1, 'b': 2}) }}") == "1/   2"
    assert render("{{ '%-6s|%.2f' % ('ab', 3.14159) }}") == "ab    |3.14"
    assert len(render("{{ '%*d' % (60000, 1) }}")) == 60000


def test_loops_behave_as_in_jinja() -> None:
    names = {"items": ["a", "b", "c"], "tree": [{"n": "x", "kids": [{"n": "y", "kids": []}]}]}
    source = (
        "{% for x in vars['items'] if x != 'b' %}{{ loop.index }}/{{ loop.length }}"
        "{{ ',' if not loop.last }}{% endfor %};{% for x in [] %}x{% else %}empty{% endfor %};"
        "{% for t in vars.tree recursive %}{{ t.n }}[{{ loop(t.kids) }}]{% endfor %};"
        "{% set b %}{{ vars['items']|join('+') }}{% endset %}{{ b }};"
        "{% macro m(a) %}<{{ a }}{{ caller() }}>{% endmacro %}{% call m(1) %}!{% endcall %}"
    )
    assert render(source, names) == "1/2,2/2;empty;x[y[]];a+b+c;<1!>"


def test_the_templates_of_a_spec_share_a_time_budget() -> None:
    renderer = Renderer(TemplateNames.at(MOMENT, {}, {}))
    slow = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    started = time.process_time()
    messages = []
    for _ in range(20):
        with pytest.raises(TemplateProblem) as caught:
            renderer.render(slow)
        messages.append(caught.value.message)
    assert time.process_time() - started < TOTAL_SECONDS + 1.0
    assert "in all" in messages[-1]
    # A quick template after the budget is spent is not rendered either: nothing more runs.
    with pytest.raises(TemplateProblem):
        renderer.render("{{ 1 }}")


# Templates built from the operations that can set a width, a precision, a count or a
# repetition, with numbers around the bounds: whatever they combine to, the output stays within
# MAX_OUTPUT, memory stays small, and only the library's own diagnostics come out.
_NUMBER = st.sampled_from(["0", "1", "7", "-3", "4096", "60000", "65536", "99999", "2000000000"])
_WIDTH = st.one_of(_NUMBER.filter(lambda n: not n.startswith("-")), st.just("*"))
_PRINTF = st.builds(
    lambda flags, width, precision, kind: f"%{flags}{width}{precision}{kind}",
    st.sampled_from(["", "-", "0", "+ #"]),
    st.one_of(st.just(""), _WIDTH),
    st.one_of(st.just(""), _WIDTH.map(lambda w: "." + w)),
    st.sampled_from(list("sdfxr")),
)
_SPEC = st.builds(
    lambda fill, width, precision, kind: "{:" + fill + width + precision + kind + "}",
    st.sampled_from(["", "0", "*>", "9^"]),
    st.one_of(st.just(""), _NUMBER.filter(lambda n: not n.startswith("-")), st.just("{}")),
    st.one_of(st.just(""), st.just(".3"), st.just(".{}")),
    st.sampled_from(["", "d", "f", "s"]),
)
_ATOM = st.one_of(
    _NUMBER,
    st.sampled_from(["'x'", "'\\t'", "'<'", "vars.s", "range(9)|list"]),
)


def _expressions(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    args = st.lists(inner, min_size=1, max_size=3).map(", ".join)
    return st.one_of(
        st.tuples(_PRINTF, args).map(lambda p: f"('{p[0]}' * 2) % ({p[1]},)"),
        st.tuples(_PRINTF, args).map(lambda p: f"'{p[0]}'|format({p[1]})"),
        st.tuples(_SPEC, args).map(lambda p: f"('{p[0]}' ~ '{p[0]}').format({p[1]})"),
        st.tuples(inner, _NUMBER).map(lambda p: f"({p[0]}) * {p[1]}"),
        st.tuples(inner, _NUMBER).map(lambda p: f"({p[0]})|string|center({p[1]})"),
        st.tuples(inner, _NUMBER).map(lambda p: f"({p[0]})|string|indent({p[1]}, true, true)"),
        st.tuples(inner, _NUMBER).map(lambda p: f"(({p[0]})|string).expandtabs({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"range(9)|join(({p[0]})|string * 9 ~ {p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]})|string|replace('', ({p[1]})|string)"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]}) ~ ({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]}) ** ({p[1]})"),
    )


_EXPRESSION = st.recursive(_ATOM, _expressions, max_leaves=6)
_TEMPLATE = st.one_of(
    _EXPRESSION.map(lambda e: "{{ " + e + " }}"),
    st.tuples(_NUMBER, _EXPRESSION).map(
        lambda p: "{% for i in range(" + p[0] + ") %}{{ " + p[1] + " }}{% endfor %}"
    ),
    st.tuples(_NUMBER, _EXPRESSION).map(
        lambda p: (
            "{% set b %}{% for i in range(" + p[0] + ") %}{{ " + p[1] + " }}{% endfor %}"
            "{% endset %}{{ b|length }}"
        )
    ),
)


# Every example renders under tracemalloc, which slows it several times over: 100 examples
# cover the grammar's operations (each drawn often) at half the cost of 200.
@settings(max_examples=100, deadline=None)
@given(_TEMPLATE)
def test_no_template_of_format_operations_passes_the_bounds(source: str) -> None:
    tracemalloc.start()
    started = time.process_time()
    try:
        out = render(source, {"s": "ab\tc"})
    except TemplateProblem as problem:
        assert problem.code.code in {"SPC104", "SPC105"}, problem.message
    else:
        assert len(out) <= MAX_OUTPUT
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.process_time() - started < RENDER_SECONDS + 2.0
    assert peak < 32 * 1024 * 1024, f"{peak / 1e6:.0f} MB for {source}"


def _spec(folder: Path, name_template: str, extra: str = "") -> Path:
    (folder / "spec.yaml").write_text(
        f'specc: 1\nname: "{name_template}"\n{extra}'
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
        "from specc.pipeline import load_spec\n"
        "from specc.run import Options\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "(d / 's.yaml').write_text('specc: 1\\nname: x\\nfiles:\\n  - path: a.csv\\n"
        "    object: contacts\\n    columns:\\n      Email: email\\n')\n"
        "assert load_spec(pathlib.Path('s.yaml'), Options(cwd=d, environ={})).spec\n"
        "print('jinja2' in sys.modules, 'jsonschema' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_timer_never_raises_inside_a_finalizer_or_an_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The garbage collector runs WeakSet callbacks between any two steps of a render; an
    _OutOfTime raised there would be printed as "Exception ignored in ..." (a traceback on
    the user's terminal) and lost. The timer rings again a moment later instead."""
    import gc
    import signal
    import types

    from specc.spec import templates
    from specc.spec.templates import _deadline, _OutOfTime

    # It rings again after 1 ms; 5 s here, so that it cannot ring while the test looks.
    monkeypatch.setattr(templates, "_RETRY_SECONDS", 5.0)

    def frame_in(filename: str, name: str = "f", caller: object = None) -> object:
        code = types.SimpleNamespace(co_filename=filename, co_name=name)
        return types.SimpleNamespace(f_code=code, f_back=caller)

    with _deadline(60):
        ring = signal.getsignal(signal.SIGALRM)
        assert callable(ring)
        ring(signal.SIGALRM, frame_in("/usr/lib/python3.11/_weakrefset.py"))
        assert 1 < signal.setitimer(signal.ITIMER_REAL, 60)[0] <= 5
        # A __del__ the collector runs, deeper in the code it calls: not there either.
        finalizer = frame_in("/lib/tempfile.py", "__del__", frame_in("<template>"))
        ring(signal.SIGALRM, frame_in("/lib/os.py", "close", frame_in("/lib/x.py", "g", finalizer)))
        assert 1 < signal.setitimer(signal.ITIMER_REAL, 60)[0] <= 5

        # A callback of the garbage collector's own (Hypothesis registers one): not there.
        def on_collect(phase: str, info: dict[str, int]) -> None:
            pass

        gc.callbacks.append(on_collect)
        try:
            called = types.SimpleNamespace(f_code=on_collect.__code__, f_back=None)
            ring(signal.SIGALRM, called)
        finally:
            gc.callbacks.remove(on_collect)
        assert 1 < signal.setitimer(signal.ITIMER_REAL, 60)[0] <= 5
        # The import machinery, holding a module's lock (Jinja imports while it handles an
        # error): raised there, the import failed with "KeyError: <thread id>", seen in CI.
        importing = frame_in("<frozen importlib._bootstrap>", "acquire", frame_in("<template>"))
        ring(signal.SIGALRM, importing)
        assert 1 < signal.setitimer(signal.ITIMER_REAL, 60)[0] <= 5
        with pytest.raises(_OutOfTime):
            ring(signal.SIGALRM, frame_in("<template>"))


def test_once_a_template_is_out_of_time_the_timer_is_disarmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The loop's own check and the timer expire at the same moment; when the check wins, the
    timer must not ring while Jinja handles the error (it imports as it does), which once
    turned SPC104 into "SPC105 the template failed: KeyError"."""
    import signal

    from jinja2 import Environment

    pending: list[float] = []
    handle = Environment.handle_exception

    def noting_the_timer(self: Environment, source: str | None = None) -> object:
        pending.append(signal.getitimer(signal.ITIMER_REAL)[0])
        return handle(self, source)

    monkeypatch.setattr(Environment, "handle_exception", noting_the_timer)
    assert (
        code_of("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}")
        == "SPC104"
    )
    assert pending == [0.0]
