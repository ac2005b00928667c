"""Jinja templates in spec values, rendered in a sandbox.

A spec string holding `{{` or `{%` is a template. It sees four names: `vars`, `env` (only the
variables the spec lists under `env:`, and never the access token), `today` and `now`. Undefined
names are errors (StrictUndefined), never empty text.

Jinja's sandbox keeps templates away from Python internals; it does not bound sizes or time.
This module bounds both, so that a spec from an untrusted pull request cannot exhaust a CI
machine's memory or time:

- no value a template handles may stand for more than 64 KB of text (`_measure` counts a list's
  items, a mapping's keys and values, each time they are referenced), checked on the arguments
  and result of every operator, call and filter, on `~`, and on what `{{ }}` prints;
- whatever grows a value beyond the size of its inputs is bounded *before* it runs: `*` and `**`
  (on text, lists and numbers), `%` and the `format` filter (printf widths and precisions,
  `*` ones included), `str.format` and `format_map` (every field's width and precision, nested
  ones included, once expanded), `join`, `replace`, `expandtabs`, `translate`, and the `indent`,
  `wordwrap`, `urlize` and `tojson` filters; numeric arguments of calls are capped at 64 K
  (widths, counts, `range`);
- output is counted as it is produced, also inside `{% set %}` blocks, macros, `caller()` and
  blocks called as `self.name()`;
- time: every loop step, call and operator checks a deadline (per template, and for all the
  templates of a renderer), and a real-time timer interrupts whatever runs between those checks
  where the platform has one.

jinja2 is imported only when a spec holds a template, so `specc lint` on plain specs stays fast.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MappingView
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

from specc.codes import Code
from specc.codes import spec as codes
from specc.diagnostics import did_you_mean

MAX_OUTPUT = 64 * 1024
MAX_SOURCE = 16 * 1024
MAX_RANGE = 10_000
# Levels of lists and mappings a value may nest: deeper ones would exhaust the stack when printed.
MAX_VALUE_DEPTH = 100
# About 4,000 decimal digits: Python refuses to print a longer number anyway.
MAX_INT_BITS = 13_300
# One template, and all the templates one renderer renders (a spec's vars, or the rest of it).
RENDER_SECONDS = 0.5
TOTAL_SECONDS = 2.0
# Never readable by a template: it would end up in import names, file names, logs.
FORBIDDEN_ENV = frozenset({"HUBSPOT_ACCESS_TOKEN"})
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DIGITS = re.compile(r"[0-9]+")
# jinja2's Namespace type, set when the environment is first built (jinja2 is imported late).
_NAMESPACE: tuple[type, ...] = ()
# Keyword arguments Jinja adds to calls itself: the caller block and the loop's variables.
_JINJA_KWARGS = frozenset({"caller", "_loop_vars", "_block_vars"})


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


# --- sizes ---------------------------------------------------------------------------------


def _measure(value: Any, limit: int = MAX_OUTPUT) -> tuple[int, int, int]:
    """(size, nodes, depth) of `value`, its size about the length of its text; stops past `limit`.

    Shared items count each time they are referenced, as they would print: a list holding the
    same 60 KB string a thousand times stands for 60 MB. The walk stops once past `limit`, so it
    costs at most a few thousand steps whatever the value.
    """
    size = nodes = deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    pop, push, extend = pending.pop, pending.append, pending.extend
    while pending and size <= limit:
        item, depth = pop()
        nodes += 1
        if depth > deepest:
            deepest = depth
            if depth > MAX_VALUE_DEPTH:
                raise _TooBig(f"a value nested more than {MAX_VALUE_DEPTH} levels deep")
        kind = type(item)
        if kind is str or isinstance(item, str | bytes | bytearray):
            size += len(item) + (2 if depth else 0)
        elif kind is int:
            size += item.bit_length() // 3 + 2
        elif kind is bool or item is None:
            size += 5
        elif (
            kind is list
            or kind is tuple
            or isinstance(item, list | tuple | set | frozenset | MappingView)
        ):
            size += 2 + 2 * len(item)
            if size <= limit:
                extend(zip(item, repeat(depth + 1)))
        elif isinstance(item, (Mapping, *_NAMESPACE)):
            if isinstance(item, _NAMESPACE):  # `namespace()`: prints its attributes
                item = object.__getattribute__(item, "_Namespace__attrs")
                size += 12
            size += 2 + 4 * len(item)
            if size <= limit:
                for key, inner in item.items():
                    push((key, depth + 1))
                    push((inner, depth + 1))
        elif isinstance(item, int):
            size += item.bit_length() // 3 + 2
        elif isinstance(item, float | range):
            size += 24
        else:  # functions, macros, loops, generators: their text is a short description
            size += 40
    return size, nodes, deepest


def _check(value: Any) -> Any:
    """`value`, if it stands for at most MAX_OUTPUT of text (a number: at most ~4,000 digits)."""
    kind = type(value)
    if kind is str:
        if len(value) > MAX_OUTPUT:
            raise _TooBig(f"a value over {MAX_OUTPUT // 1024} KB")
        return value
    if kind is float or kind is bool or value is None:
        return value
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _TooBig("a number of more than 4,000 digits")
    if _measure(value)[0] > MAX_OUTPUT:
        raise _TooBig(f"a value over {MAX_OUTPUT // 1024} KB")
    return value


def _check_arguments(
    args: Iterable[Any], kwargs: Mapping[str, Any], *, sizes_only: bool = False
) -> None:
    """Arguments within the size bounds; numbers, which are widths and counts, at most 64 K."""
    for value in (*args, *(v for k, v in kwargs.items() if k not in _JINJA_KWARGS)):
        if not sizes_only and isinstance(value, int) and abs(value) > MAX_OUTPUT:
            raise _TooBig(f"a numeric argument over {MAX_OUTPUT}")
        _check(value)


def _field_size(text: str) -> int:
    """A format field's width and precision in digits (any digit counts: a digit fill too)."""
    total = 0
    for digits in _DIGITS.findall(text):
        if len(digits.lstrip("0")) > 6:
            raise _TooBig("a format field over 64 KB wide")
        total += int(digits)
    return total


def _conversion_size(kind: str, value: Any, scale: int) -> int:
    """What one `%` conversion or `{}` field can print besides its width and precision."""
    if kind in "fF%":
        extra = 320  # a float of 1e308 prints all its 309 digits
    elif kind in "ra":
        scale *= 10  # repr() and ascii() escape a character into at most ten
        extra = 2
    else:
        extra = 32
    return extra + scale * _measure(value)[0]


def _printf_size(fmt: str, args: Any, scale: int = 1) -> int:
    """An upper bound of len(fmt % args), reading `fmt` as Python does.

    Widths and precisions count whether written out or given by `*` from the arguments, and
    keys in parentheses may nest, as in Python. `scale` multiplies the inserted values (Markup
    escapes them). Raises _TooBig as soon as the bound passes MAX_OUTPUT.
    """
    positional = args if isinstance(args, tuple) else (args,)
    keyed = args if isinstance(args, Mapping) else None
    taken = 0

    def field(at: int) -> tuple[int, int]:
        nonlocal taken
        if at < len(fmt) and fmt[at] == "*":
            value = positional[taken] if taken < len(positional) else 0
            taken += 1
            return (abs(value) if isinstance(value, int) else 0), at + 1
        found = _DIGITS.match(fmt, at)
        if found is None:
            return 0, at
        return _field_size(found.group()), found.end()

    total = len(fmt)
    i = fmt.find("%")
    while 0 <= i < len(fmt) - 1:
        i += 1
        key = None
        if fmt[i] == "(":
            depth, j = 1, i + 1
            while j < len(fmt) and depth:
                depth += {"(": 1, ")": -1}.get(fmt[j], 0)
                j += 1
            key, i = fmt[i + 1 : j - 1], j
        while i < len(fmt) and fmt[i] in "-+ #0":
            i += 1
        width, i = field(i)
        precision = 0
        if i < len(fmt) and fmt[i] == ".":
            precision, i = field(i + 1)
        if i < len(fmt) and fmt[i] in "hlL":
            i += 1
        kind = fmt[i : i + 1]
        total += width + precision
        if kind != "%":
            if key is not None and keyed is not None:
                value = keyed.get(key)
            else:
                value = positional[taken] if taken < len(positional) else None
                taken += 1
            total += _conversion_size(kind, value, scale)
        if total > MAX_OUTPUT:
            raise _TooBig("a format that would build over 64 KB")
        i = fmt.find("%", i + 1)
    return total


def _join_items(items: Any, separator: Any, scale: int = 1) -> Any:
    """The items of a join as a list, taken one by one while the text stays within bounds."""
    try:
        iterator = iter(items)
    except TypeError:
        return items  # the join itself says what is wrong
    step = _measure(separator)[0]
    taken: list[Any] = []
    total = 0
    for item in iterator:
        total += step + scale * _measure(item)[0]
        if total > MAX_OUTPUT:
            raise _TooBig("a join that would build over 64 KB")
        taken.append(item)
    return taken


def _replace_bound(text: Any, old: Any, new: Any) -> int:
    if not all(isinstance(v, str) for v in (text, old, new)) and not all(
        isinstance(v, bytes | bytearray) for v in (text, old, new)
    ):
        return 0
    if not old:
        return len(text) + (len(text) + 1) * len(new)
    return len(text) + (len(text) // len(old)) * max(0, len(new) - len(old))


def _longest_item(table: Any) -> int:
    """The longest text a translate table puts in place of one character."""
    items = table.values() if isinstance(table, Mapping) else table
    if not isinstance(items, Iterable) or isinstance(items, str):
        return 1
    return max((len(v) if isinstance(v, str) else 1 for v in items), default=1)


def _method_growth(
    method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[tuple[Any, ...], int]:
    """For a method of text that can grow it: the arguments to call it with, and its output bound.

    `join` gets its items as a list, counted while taken: they may come from a generator.
    """
    owner = getattr(method, "__self__", None)
    if not isinstance(owner, str | bytes | bytearray):
        return args, 0
    name = getattr(method, "__name__", "")
    scale = 6 if hasattr(owner, "__html__") else 1  # Markup escapes what it inserts
    if name == "join" and len(args) == 1 and not kwargs:
        return (_join_items(args[0], owner, scale),), 0
    if name == "replace" and len(args) >= 2:
        return args, scale * _replace_bound(owner, args[0], args[1])
    if name == "expandtabs":
        tabs = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(tabs, int):
            tab = "\t" if isinstance(owner, str) else b"\t"
            return args, len(owner) + owner.count(tab) * max(tabs, 0)  # type: ignore[arg-type]
    if name == "translate" and args and isinstance(owner, str):
        return args, len(owner) * _longest_item(args[0])
    return args, 0


def _text(arguments: Mapping[str, Any], name: str) -> str:
    value = arguments.get(name)
    return value if isinstance(value, str) else ""


def _indent_bound(a: Mapping[str, Any]) -> int:
    text, width = _text(a, "s"), a.get("width")
    unit = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    return len(text) + (text.count("\n") + 2) * (max(unit, 0) + 1)


def _wordwrap_bound(a: Mapping[str, Any]) -> int:
    text, width, wrap = _text(a, "s"), a.get("width"), a.get("wrapstring")
    # A line ends before a word or inside a word longer than the width.
    lines = (
        len(text) // max(width if isinstance(width, int) else 1, 1)
        + len(text.split())
        + (text.count("\n") + 1)
    )
    return len(text) + lines * (len(wrap) if isinstance(wrap, str) else 2)


def _urlize_bound(a: Mapping[str, Any]) -> int:
    text = _text(a, "value")
    extra = 64 + len(str(a.get("target") or "")) + len(str(a.get("rel") or ""))
    return 3 * len(text) + (len(text.split()) + 1) * extra


def _tojson_bound(a: Mapping[str, Any]) -> int:
    size, nodes, depth = _measure(a.get("value"))
    indent = a.get("indent")
    unit = len(indent) if isinstance(indent, str) else indent if isinstance(indent, int) else 0
    return 6 * size + nodes * (max(unit, 0) * (depth + 1) + 1)


def _replace_filter_bound(a: Mapping[str, Any]) -> int:
    return _replace_bound(a.get("s"), a.get("old"), a.get("new"))


def _format_filter_bound(a: Mapping[str, Any]) -> int:
    value = a.get("value")
    return _printf_size(
        value if isinstance(value, str) else str(value), a.get("kwargs") or a.get("args")
    )


# Filters whose output can outgrow their inputs: an upper bound of it, from their arguments.
_FILTER_BOUNDS: dict[str, Callable[[Mapping[str, Any]], int]] = {
    "format": _format_filter_bound,
    "indent": _indent_bound,
    "replace": _replace_filter_bound,
    "tojson": _tojson_bound,
    "urlize": _urlize_bound,
    "wordwrap": _wordwrap_bound,
}


def _safe_range(*args: int) -> range:
    numbers = range(*args)  # its arguments are at most 64 K, as every call's: len() works
    if len(numbers) > MAX_RANGE:
        raise _TooBig(f"a range of more than {MAX_RANGE} items")
    return numbers


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[Callable[[], None]]:
    """Raise _OutOfTime in the block after `seconds`, where a real-time timer is available.
    Yields the function that disarms the timer.

    The environment's own checks (`tick`) run between template steps; the timer also stops what
    runs between them, such as the compilation of a large template.
    """
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield lambda: None
        return

    def expire(signum: int, frame: Any) -> None:
        if _cannot_be_interrupted(frame):
            # Ring again once that code has returned.
            signal.setitimer(signal.ITIMER_REAL, _RETRY_SECONDS)
            return
        raise _OutOfTime

    def disarm() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield disarm
    finally:
        disarm()
        signal.signal(signal.SIGALRM, previous)


_RETRY_SECONDS = 0.001
_FINALIZER_FILES = ("_weakrefset.py", "weakref.py")
# How far up from the interrupted code a finalizer or an import is looked for (a __del__ that
# calls a close() that calls...); the render's own frames are deeper than that below it.
_INTERRUPTIBLE_DEPTH = 8


def _cannot_be_interrupted(frame: Any) -> bool:
    """Whether the interrupted code is somewhere an exception must not be raised:

    - the import machinery (Jinja imports lazily, even while it handles an error): raised
      while it holds a module's lock, the exception leaves the lock half taken and the import
      fails with a KeyError of the thread's id;
    - a weak reference's callback, a __del__ or one of the garbage collector's own callbacks
      (`gc.callbacks`, which test tools such as Hypothesis register): the collector runs them
      between any two steps, and prints and loses what they raise. (In a generator the
      collector closes, which cannot be told from one running, it is lost all the same: the
      environment's own check then ends the render at its next step, and the CLI logs what
      is printed there.)
    """
    import gc

    callbacks = [getattr(c, "__code__", None) for c in gc.callbacks]
    for _ in range(_INTERRUPTIBLE_DEPTH):
        if frame is None:
            return False
        code = frame.f_code
        if (
            code.co_name == "__del__"
            or code.co_filename.startswith("<frozen importlib")
            or code.co_filename.endswith(_FINALIZER_FILES)
            or any(code is c for c in callbacks)
        ):
            return True
        frame = frame.f_back
    return False


# --- the environment -----------------------------------------------------------------------


def _environment() -> Any:
    """A sandboxed Jinja environment with size and time checks on every way of building values."""
    import types
    from functools import update_wrapper

    import jinja2.debug  # noqa: F401  (Jinja imports it when a render fails: not under the timer)
    from jinja2 import StrictUndefined, nodes
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
    from jinja2.utils import Namespace
    from markupsafe import EscapeFormatter

    global _NAMESPACE
    _NAMESPACE = (Namespace,)

    class BoundedCodeGenerator(CodeGenerator):
        # `~` compiles to a plain join that the sandbox never sees; route it through a check.
        def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
            self.write("environment.bounded_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

        # `{% set %}` blocks, macros and `caller()` collect their output in a list, then join it.
        def buffer(self, frame: Frame) -> None:
            frame.buffer = self.temporary_identifier()
            self.writeline(f"{frame.buffer} = environment.bounded_buffer()")

        # Jinja computes constant output at compile time, outside every check: only literal
        # text may be; everything else is computed, and checked, when the template runs.
        def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
            if not isinstance(node, nodes.TemplateData):
                raise nodes.Impossible()
            return super()._output_child_to_const(node, frame, finalize)

    class BoundedFormatter(SandboxedFormatter):
        """str.format, every field bounded once nested fields (`{:{w}}`) are filled in."""

        scale = 1

        def __init__(self, env: Any, **kwargs: Any) -> None:
            super().__init__(env, **kwargs)
            self.room = MAX_OUTPUT

        def format_field(self, value: Any, format_spec: str) -> Any:
            self.room -= _field_size(format_spec) + _conversion_size(
                format_spec[-1:] or "s", value, self.scale
            )
            if self.room < 0:
                raise _TooBig("a format that would build over 64 KB")
            return super().format_field(value, format_spec)

    class BoundedEscapeFormatter(BoundedFormatter, EscapeFormatter):
        scale = 6  # escaping turns a character into at most six

    class Buffer(list[str]):
        """Output collected for a block, counted as it comes."""

        def __init__(self, env: Any) -> None:
            super().__init__()
            self.env = env
            self.size = 0

        def append(self, text: str) -> None:
            self.env.tick()
            self.size += len(text)
            if self.size > MAX_OUTPUT:
                raise _TooBig(f"a block of more than {MAX_OUTPUT // 1024} KB of output")
            super().append(text)

        def extend(self, texts: Iterable[str]) -> None:
            for text in texts:
                self.append(text)

    class BoundedEnvironment(ImmutableSandboxedEnvironment):
        code_generator_class = BoundedCodeGenerator
        intercepted_binops = frozenset({"*", "**", "+", "%"})
        deadline = float("inf")
        disarm_timer: Callable[[], None] = staticmethod(lambda: None)

        def tick(self) -> None:
            if time.monotonic() > self.deadline:
                # One way out: the timer must not ring again while the error is handled.
                self.disarm_timer()
                raise _OutOfTime

        def bounded_buffer(self) -> Buffer:
            return Buffer(self)

        # Joins the output of a block called as `self.name()` or `super()` (and of buffers):
        # a block's output is a stream that nothing else counts.
        def concat(self, parts: Iterable[str]) -> str:
            taken: list[str] = []
            size = 0
            for part in parts:
                self.tick()
                size += len(part)
                if size > MAX_OUTPUT:
                    raise _TooBig(f"a block of more than {MAX_OUTPUT // 1024} KB of output")
                taken.append(part)
            return "".join(taken)

        def bounded_iter(self, iterable: Iterable[Any]) -> Iterator[Any]:
            for item in iterable:
                self.tick()
                yield item

        def bounded_output(self, value: Any) -> Any:
            self.tick()
            if _measure(value)[0] > MAX_OUTPUT:
                raise _TooBig(f"output over {MAX_OUTPUT // 1024} KB")
            return value

        def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
            tree = super()._parse(source, name, filename)
            # Every loop steps through bounded_iter, which checks the deadline at each item.
            for loop in list(tree.find_all(nodes.For)):
                loop.iter = nodes.Call(
                    nodes.EnvironmentAttribute("bounded_iter"),
                    [loop.iter],
                    [],
                    None,
                    None,
                    lineno=loop.lineno,
                )
            return tree

        def bounded_concat(self, parts: tuple[Any, ...]) -> str:
            self.tick()
            total = 0
            for part in parts:
                total += _measure(part)[0]
                if total > MAX_OUTPUT:
                    raise _TooBig("a concatenation over 64 KB")
            return "".join(str(p) for p in parts)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            self.tick()
            _check(left)
            _check(right)
            both_int = isinstance(left, int) and isinstance(right, int)
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if (
                        isinstance(times, int)
                        and isinstance(seq, str | bytes | list | tuple)
                        and (_measure(seq)[0] * max(times, 0) > MAX_OUTPUT)
                    ):
                        raise _TooBig("a repetition over 64 KB")
                if both_int and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise _TooBig("a number of more than 4,000 digits")
            elif operator == "**":
                if (
                    both_int
                    and right > 0
                    and abs(left) > 1
                    and (left.bit_length() * right > MAX_INT_BITS)
                ):
                    raise _TooBig("a number of more than 4,000 digits")
            elif operator == "%" and isinstance(left, str | bytes):
                fmt = left.decode("latin-1") if isinstance(left, bytes) else left
                _printf_size(fmt, right, 6 if hasattr(left, "__html__") else 1)
            return _check(super().call_binop(context, operator, left, right))

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            __self.tick()
            _check_arguments(args, kwargs, sizes_only=getattr(__obj, "specc_bounded", False))
            args, bound = _method_growth(__obj, args, kwargs)
            if bound > MAX_OUTPUT:
                raise _TooBig(f"{__obj.__name__}() would build over 64 KB")
            return _check(super().call(__context, __obj, *args, **kwargs))

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            if (
                not isinstance(value, types.MethodType | types.BuiltinMethodType)
                or (value.__name__ not in ("format", "format_map"))
                or not isinstance(value.__self__, str)
            ):
                return None
            owner: str = value.__self__
            escaping = hasattr(owner, "__html__")
            is_map = value.__name__ == "format_map"

            def wrapper(*args: Any, **kwargs: Any) -> str:
                if is_map:
                    if kwargs or len(args) != 1:
                        raise TypeError("format_map() takes exactly one argument")
                    mapping = args[0]
                    args, kwargs = (), mapping
                formatter = (
                    BoundedEscapeFormatter(self, escape=owner.escape)  # type: ignore[attr-defined]
                    if escaping
                    else BoundedFormatter(self)
                )
                return type(owner)(formatter.vformat(owner, args, kwargs))

            wrapper.specc_bounded = True  # type: ignore[attr-defined]
            return update_wrapper(wrapper, value)

        def guarded(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
            """A filter with the size and time checks; `format` takes numbers as values."""
            target = inspect.unwrap(func)
            lead = 1 if hasattr(func, "jinja_pass_arg") else 0  # the context Jinja passes first
            signature: inspect.Signature | None = None
            with contextlib.suppress(TypeError, ValueError):
                params = list(inspect.signature(target).parameters.values())
                if hasattr(target, "jinja_pass_arg"):
                    params = params[1:]
                signature = inspect.Signature(params)
            bound_of = _FILTER_BOUNDS.get(name)

            def call(*args: Any, **kwargs: Any) -> Any:
                self.tick()
                _check_arguments(args[lead:], kwargs, sizes_only=name == "format")
                if signature is not None and (bound_of or name == "join"):
                    try:
                        bound = signature.bind(*args[lead:], **kwargs)
                    except TypeError:
                        bound = None  # the filter itself says what is wrong
                    if bound is not None:
                        bound.apply_defaults()
                        if name == "join":
                            bound.arguments["value"] = _join_items(
                                bound.arguments["value"], bound.arguments.get("d")
                            )
                            return _check(func(*args[:lead], *bound.args, **bound.kwargs))
                        if bound_of is not None and bound_of(bound.arguments) > MAX_OUTPUT:
                            raise _TooBig(f"the {name} filter would build over 64 KB")
                return _check(func(*args, **kwargs))

            call.__name__ = getattr(func, "__name__", name)
            if hasattr(func, "jinja_pass_arg"):
                call.jinja_pass_arg = func.jinja_pass_arg  # type: ignore[attr-defined]
            return call

    env = BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        optimized=False,
    )
    env.finalize = env.bounded_output
    env.filters = {name: env.guarded(name, f) for name, f in env.filters.items()}
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["range"] = _safe_range
    return env


class Renderer:
    """Renders spec strings with one set of names; builds the Jinja environment on first use."""

    def __init__(self, names: TemplateNames) -> None:
        self.names = names
        self._env: Any = None
        self._spent = 0.0  # seconds spent rendering so far, against TOTAL_SECONDS

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
        if self._spent >= TOTAL_SECONDS:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG,
                f"not rendered: the spec's templates ran for more than {TOTAL_SECONDS:g} s in all",
            )
        from jinja2 import TemplateSyntaxError, UndefinedError
        from jinja2.sandbox import SecurityError

        if self._env is None:
            self._env = _environment()
        seconds = min(RENDER_SECONDS, TOTAL_SECONDS - self._spent)
        started = time.monotonic()
        self._env.deadline = started + seconds
        try:
            with _deadline(seconds) as disarm:
                self._env.disarm_timer = disarm
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
                codes.TEMPLATE_SYNTAX,
                f"template syntax error: {exc.message}{where}",
                hint="to write a literal {{ use {{ '{{' }}",
            ) from None
        except SecurityError as exc:
            raise TemplateProblem(
                codes.TEMPLATE_FORBIDDEN, f"the template does something forbidden: {exc}"
            ) from None
        except UndefinedError as exc:
            raise TemplateProblem(
                codes.TEMPLATE_UNDEFINED,
                f"template: {exc.message}",
                hint=self._undefined_hint(str(exc.message)),
            ) from None
        except _TooBig as exc:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG, f"the template would build too much: {exc}"
            ) from None
        except _OutOfTime:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG,
                f"the template ran for more than {seconds:.2g} s"
                if seconds == RENDER_SECONDS
                else f"the spec's templates ran for more than {TOTAL_SECONDS:g} s in all",
            ) from None
        except (MemoryError, RecursionError) as exc:
            raise TemplateProblem(
                codes.TEMPLATE_TOO_LONG, f"the template ran out of room ({type(exc).__name__})"
            ) from None
        except Exception as exc:  # any error of the template's own making is the user's to fix
            raise TemplateProblem(
                codes.TEMPLATE_FAILED, f"the template failed: {type(exc).__name__}: {exc}"
            ) from None
        finally:
            self._spent += time.monotonic() - started
            self._env.deadline = float("inf")
            self._env.disarm_timer = lambda: None

    def _undefined_hint(self, message: str) -> str:
        found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", message)
        missing = (found.group(1) or found.group(2)) if found else ""
        known = ["vars", "env", "today", "now"]
        known += [f"vars.{n}" for n in self.names.vars]
        known += [f"env.{n}" for n in self.names.env]
        near = did_you_mean(missing, [k.split(".")[-1] for k in known])
        parts = [near] if near else []
        parts.append(
            "templates see vars ("
            + (", ".join(self.names.vars) or "none declared")
            + "), env ("
            + (", ".join(self.names.env) or "none listed and set")
            + "), today and now"
        )
        if "has no attribute" in message and found and found.group(2):
            parts.append(
                "an environment variable must be listed under env: and set; "
                "a var must be declared under vars: or given with --var"
            )
        return "; ".join(parts)
