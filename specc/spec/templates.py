"""Jinja templates in spec values, rendered in a sandbox.

A spec string holding `{{` or `{%` is a template. It sees four names: `vars`, `env` (only the
variables the spec lists under `env:`, and never the access token), `today` and `now`. Undefined
names are errors (StrictUndefined), never empty text.

Jinja's sandbox keeps templates away from Python internals; it does not bound sizes or time, so
this module adds that: `*`, `**`, `+`, `%` and `~` refuse to build values over 64 KB, calls and
filters refuse huge numeric arguments and results, `range` is capped, output is streamed and cut
at 64 KB, and rendering gets a wall-clock budget where the platform allows one. The checks are
there so that a spec from an untrusted pull request cannot exhaust a CI machine's memory.

jinja2 is imported only when a spec holds a template, so `specc lint` on plain specs stays fast.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from specc.codes import Code
from specc.codes import spec as codes
from specc.diagnostics import did_you_mean

MAX_OUTPUT = 64 * 1024
MAX_SOURCE = 16 * 1024
MAX_RANGE = 10_000
RENDER_SECONDS = 2.0
# Never readable by a template: it would end up in import names, file names, logs.
FORBIDDEN_ENV = frozenset({"HUBSPOT_ACCESS_TOKEN"})
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A format width or precision of six digits or more would build a huge string in one call.
_HUGE_FORMAT_FIELD = re.compile(r"[0-9]{6,}")


def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text


def is_forbidden_env(name: str) -> bool:
    return name.upper() in FORBIDDEN_ENV


def valid_env_name(name: str) -> bool:
    return bool(_ENV_NAME.match(name))


@dataclass(frozen=True)
class TemplateNames:
    """What templates can see."""

    vars: Mapping[str, Any]
    env: Mapping[str, str]
    today: str
    now: str

    @classmethod
    def at(cls, moment: datetime, vars: Mapping[str, Any], env: Mapping[str, str]) -> TemplateNames:
        utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        return cls(
            vars=dict(vars),
            env=dict(env),
            today=utc.date().isoformat(),
            now=utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )


class TemplateProblem(Exception):
    """A template could not be rendered; carries the code and a message for the diagnostic."""

    def __init__(self, code: Code, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


class _TooBig(Exception):
    pass


class _OutOfTime(Exception):
    pass


def _size(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple):
        return sum(_size(v) if isinstance(v, str | bytes) else 1 for v in value)
    return 0


def _check_size(value: Any) -> Any:
    if _size(value) > MAX_OUTPUT:
        raise _TooBig(f"a value over {MAX_OUTPUT // 1024} KB")
    return value


def _check_arguments(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT:
            raise _TooBig(f"a numeric argument over {MAX_OUTPUT}")


def _replace_bound(text: Any, old: Any, new: Any) -> int:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    if not old:
        return len(text) + (len(text) + 1) * len(new)
    return len(text) + (len(text) // len(old)) * max(0, len(new) - len(old))


def _guarded(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter or method that refuses to build oversized values."""

    def call(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        if name == "replace" and len(args) >= 3 and _replace_bound(*args[:3]) > MAX_OUTPUT:
            raise _TooBig("a replace that would build over 64 KB")
        if name == "join" and args:
            items = args[0]
            separator = args[1] if len(args) > 1 else kwargs.get("d", "")
            if isinstance(items, list | tuple) and isinstance(separator, str) and (
                len(separator) * len(items) > MAX_OUTPUT
            ):
                raise _TooBig("a join that would build over 64 KB")
        return _check_size(func(*args, **kwargs))

    call.__name__ = getattr(func, "__name__", name)
    for marker in ("jinja_pass_arg",):
        if hasattr(func, marker):
            setattr(call, marker, getattr(func, marker))
    return call


def _safe_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _TooBig(f"a range of more than {MAX_RANGE} items")
    return numbers


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _OutOfTime in the block after `seconds`, where a real-time timer is available."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _environment() -> Any:
    """A sandboxed Jinja environment with size checks on every way of building values."""
    from jinja2 import StrictUndefined, nodes
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedCodeGenerator(CodeGenerator):
        # `~` compiles to a plain join that the sandbox never sees; route it through a check.
        def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
            self.write("environment.bounded_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    class BoundedEnvironment(ImmutableSandboxedEnvironment):
        code_generator_class = BoundedCodeGenerator
        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def bounded_concat(self, parts: tuple[Any, ...]) -> str:
            texts = [str(p) for p in parts]
            if sum(len(t) for t in texts) > MAX_OUTPUT:
                raise _TooBig("a concatenation over 64 KB")
            return "".join(texts)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(times, int) and _size(seq) * max(times, 0) > MAX_OUTPUT:
                        raise _TooBig("a repetition over 64 KB")
            elif operator == "**":
                if isinstance(right, int) and abs(right) > 64 and not (
                    isinstance(left, int) and abs(left) <= 1
                ):
                    raise _TooBig("a power with an exponent over 64")
            elif operator == "%" and isinstance(left, str) and _HUGE_FORMAT_FIELD.search(left):
                raise _TooBig("a format field over 64 KB wide")
            return _check_size(super().call_binop(context, operator, left, right))

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _check_arguments(args, kwargs)
            if getattr(__obj, "__name__", None) == "replace" and len(args) >= 2 and (
                _replace_bound(getattr(__obj, "__self__", None), args[0], args[1]) > MAX_OUTPUT
            ):
                raise _TooBig("a replace that would build over 64 KB")
            return _check_size(super().call(__context, __obj, *args, **kwargs))

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            wrapped = super().wrap_str_format(value)
            if wrapped is None:
                return None
            if _HUGE_FORMAT_FIELD.search(value.__self__):
                raise _TooBig("a format field over 64 KB wide")
            inner = wrapped

            def bounded(*args: Any, **kwargs: Any) -> str:
                result: str = _check_size(inner(*args, **kwargs))
                return result

            return bounded

    env = BoundedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters = {name: _guarded(name, f) for name, f in env.filters.items()}
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["range"] = _safe_range
    return env


class Renderer:
    """Renders spec strings with one set of names; builds the Jinja environment on first use."""

    def __init__(self, names: TemplateNames) -> None:
        self.names = names
        self._env: Any = None

    def context(self) -> dict[str, Any]:
        return {
            "vars": dict(self.names.vars),
            "env": dict(self.names.env),
            "today": self.names.today,
            "now": self.names.now,
        }

    def render(self, source: str) -> str:
        """The template's output; raises TemplateProblem with the code of what went wrong."""
        if len(source) > MAX_SOURCE:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG, f"the template is longer than {MAX_SOURCE // 1024} KB"
            )
        from jinja2 import TemplateSyntaxError, UndefinedError
        from jinja2.sandbox import SecurityError

        if self._env is None:
            self._env = _environment()
        try:
            with _deadline(RENDER_SECONDS):
                template = self._env.from_string(source)
                out: list[str] = []
                size = 0
                for chunk in template.generate(self.context()):
                    size += len(chunk)
                    if size > MAX_OUTPUT:
                        raise _TooBig(f"output over {MAX_OUTPUT // 1024} KB")
                    out.append(chunk)
                return "".join(out)
        except TemplateSyntaxError as exc:
            where = f" (template line {exc.lineno})" if source.count("\n") and exc.lineno else ""
            raise TemplateProblem(
                codes.TEMPLATE_SYNTAX, f"template syntax error: {exc.message}{where}",
                hint="to write a literal {{ use {{ '{{' }}",
            ) from None
        except SecurityError as exc:
            raise TemplateProblem(
                codes.TEMPLATE_FORBIDDEN, f"the template does something forbidden: {exc}"
            ) from None
        except UndefinedError as exc:
            raise TemplateProblem(
                codes.TEMPLATE_UNDEFINED, f"template: {exc.message}", hint=self._undefined_hint(
                    str(exc.message))
            ) from None
        except _TooBig as exc:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG, f"the template would build too much: {exc}"
            ) from None
        except _OutOfTime:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG, f"the template ran for more than {RENDER_SECONDS:g} s"
            ) from None
        except (MemoryError, RecursionError) as exc:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG, f"the template ran out of room ({type(exc).__name__})"
            ) from None
        except Exception as exc:  # any error of the template's own making is the user's to fix
            raise TemplateProblem(
                codes.TEMPLATE_FAILED, f"the template failed: {type(exc).__name__}: {exc}"
            ) from None

    def _undefined_hint(self, message: str) -> str:
        found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", message)
        missing = (found.group(1) or found.group(2)) if found else ""
        known = ["vars", "env", "today", "now"]
        known += [f"vars.{n}" for n in self.names.vars]
        known += [f"env.{n}" for n in self.names.env]
        near = did_you_mean(missing, [k.split(".")[-1] for k in known])
        parts = [near] if near else []
        parts.append(
            "templates see vars (" + (", ".join(self.names.vars) or "none declared")
            + "), env (" + (", ".join(self.names.env) or "none listed and set")
            + "), today and now"
        )
        if "has no attribute" in message and found and found.group(2):
            parts.append(
                "an environment variable must be listed under env: and set; "
                "a var must be declared under vars: or given with --var"
            )
        return "; ".join(parts)
