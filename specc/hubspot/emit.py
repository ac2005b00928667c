"""`specc emit`: the upload as a command or script a person can read, keep and run.

Rendered from the Jinja templates in `specc/hubspot/templates/`. Every form sends what `specc
import` sends: the importRequest JSON as the `importRequest` part and one `files` part per data
file, named as the request's `fileName`. The Python script sends the JSON text byte for byte;
the shell forms and the `request` summary write any character that does not print (controls,
line and paragraph separators, bidi and zero-width marks) as a JSON `\\u` escape, which is the
same JSON value, so that nothing in them is invisible or breaks a line.

Scripts made from a spec are run as they are, in CI too, so every value that comes from the spec
or the file system (the import's name, the spec's path, the working directory, data file paths
and names, the URL, the request) is quoted for the language it lands in, by the filters of
`template_environment`: a shell word (`sh`), a Python literal (`py`), a one-line JSON string for
comments and the summary (`json_line`), the request JSON with nothing invisible (`json_text`).
curl's `-F` syntax (`curl_quote`) and httpie's request items (`httpie_escape`) quote inside
such a word, which `sh` then quotes for the shell. The environment refuses to render any text
that did not come out of `sh`, `py`, `json_line`, `json_text` or `word`, or is one of this
module's own constants, so a template that forgets to quote fails every time, not only when a
name is hostile.

Decisions the emitted text documents in its header:

- The token is a reference to `$HUBSPOT_ACCESS_TOKEN` (or `os.environ[...]`), read when the
  command runs; its value is never written.
- Data file paths are relative to the directory `specc emit` ran in when the file is inside
  it, else absolute; run the command from that directory.
- The base URL and API version are fixed when emitting (`--base-url`, `--api-version`).
- The Python script needs the standard library only (3.8+): it streams the files itself with
  urllib, so it runs on any machine without installing a client.
- A lone CSV file over HubSpot's per-file limits: the Python script sends its parts as
  `specc import` does (each the header and a byte range of whole rows, cut when emitting;
  the file's size and SHA-256 are checked first); the other forms, which send a file whole,
  are refused (SPC474).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specc.errors import UsageError
from specc.hubspot.connection import TOKEN_VARIABLE, Connection
from specc.hubspot.upload import (
    FILE_PART,
    REQUEST_CONTENT_TYPE,
    REQUEST_PART,
    Upload,
    sha256_of,
)

if TYPE_CHECKING:
    from specc.diagnostics import Diagnostic, Result
    from specc.hubspot.split import Split
    from specc.run import Options
    from specc.spec.model import Spec

FORMS = {
    "curl": "curl.sh.j2",
    "httpie": "httpie.sh.j2",
    "python": "python.py.j2",
    "request": "request.txt.j2",
}
SHELL_FORMS = frozenset({"curl", "httpie"})

# Characters httpie's request-item parser treats as separators; a backslash keeps them literal.
_HTTPIE_SPECIAL = frozenset(":=@;")
# httpie splits a file item's value at this, escaped or not, to find the content type.
_HTTPIE_TYPE_SEPARATOR = ";type="
# Linux refuses to start a program with one argument longer than this (MAX_ARG_STRLEN).
_MAX_ARGUMENT_BYTES = 128 * 1024
# What this module's own constants may hold to be written without quoting.
_CONSTANT = re.compile(r"[A-Za-z0-9_./-]+")
_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


class Quoted(str):
    """Text that may be written into an emitted script as it is.

    Only the quoting filters and `constant` make these; the template environment refuses to
    output any other text.
    """


def constant(value: str) -> Quoted:
    """One of specc's own fixed words (a part name, a content type, a digest), unquoted.

    Checked, because a constant that could ever hold a quote or a line break is not one.
    """
    if not _CONSTANT.fullmatch(value):
        raise ValueError(f"not a plain constant: {value!r}")
    return Quoted(value)


@dataclass(frozen=True)
class EmittedFile:
    arg_path: str  # the path as the command names it
    file_name: str
    content_type: Quoted
    size: int
    sha256: Quoted | None  # only for the `request` summary: hashing reads the whole file


@dataclass(frozen=True)
class EmittedPart:
    """One part of a file over HubSpot's limits: its importRequest (the part's name) and
    the byte range of its rows in the file (the header goes first in every part)."""

    request_json: str
    start: int
    end: int


@dataclass(frozen=True)
class Emitted:
    """What `emit_spec` made of a spec: its diagnostics and, unless they stop it, the text; a
    script (`executable`) is made executable when written to a file (make_executable)."""

    result: Result
    text: str | None = None
    executable: bool = False


def emit_spec(
    path: Path, options: Options, connection: Connection, form: str, *, strict: bool
) -> Emitted:
    """`specc emit`: the spec at `path` compiled (specc.hubspot.workflow.prepare) and its
    upload in `form`, the spec and the data files named as seen from `options.cwd`; no text
    when the spec has errors (or, with `strict`, warnings)."""
    from specc.hubspot.workflow import prepare

    prepared = prepare(path, options, strict=strict)
    if prepared.upload is None:
        return Emitted(prepared.result)
    assert prepared.spec is not None
    problems, split = _parts_to_emit(prepared.upload, prepared.spec, options, form)
    if problems:
        prepared.result.diagnostics.extend(problems)
        return Emitted(prepared.result)
    shown = spec_shown(path, options.cwd)
    text = emit(prepared.upload, connection, form, spec_shown=shown, cwd=options.cwd, split=split)
    return Emitted(prepared.result, text, is_executable_form(form))


def _parts_to_emit(
    upload: Upload, spec: Spec, options: Options, form: str
) -> tuple[list[Diagnostic], Split | None]:
    """How a file over HubSpot's per-file limits is emitted: in parts by the Python script
    (as `specc import` sends it), by no other form (each sends the file whole, which HubSpot
    refuses: an error)."""
    from specc.codes import rows as codes
    from specc.diagnostics import DataLocation
    from specc.hubspot.settings import file_limits_from
    from specc.hubspot.split import split_upload

    limits = file_limits_from(options.environ)
    split = split_upload(upload, spec, limits)
    if split.problems or not split.parts:
        return split.problems, None
    if form == "python":
        return [], split
    item = upload.files[0]
    assert split.plan is not None
    what = (
        f"{split.plan.rows:,} data rows (HubSpot takes {limits.rows:,} per file)"
        if split.plan.rows > limits.rows
        else f"{split.plan.size:,} bytes (HubSpot takes {limits.bytes:,} per file)"
    )
    count = len(split.parts)
    return [
        codes.EMIT_OVER_LIMIT.at(
            f"nothing was emitted: {item.shown_path} has {what}, and HubSpot refuses it sent "
            f"whole, as the {form} form sends it; `specc import` sends it in {count} parts, "
            "and so does the script of `specc emit --as python`",
            hint="emit it --as python, send it with `specc import`, or cut the file",
            spec=spec.where(spec.files[0].pointer),
            data=DataLocation(item.shown_path),
        )
    ], None


def spec_shown(spec: Path, cwd: Path) -> str:
    """The spec's path as the emitted text names it: relative to `cwd` when inside it."""
    try:
        return str(spec.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(spec)


def emit(
    upload: Upload,
    connection: Connection,
    form: str,
    *,
    spec_shown: str,
    cwd: Path | None = None,
    split: Split | None = None,
) -> str:
    """The upload in one of FORMS; with `split` (its file over HubSpot's limits, in parts),
    the Python script that sends the parts one after another."""
    if form not in FORMS:
        raise UsageError(f"unknown form {form!r}", hint=f"choose one of {', '.join(FORMS)}")
    _require_utf8(upload.request_json)
    here = (cwd or Path.cwd()).resolve()
    files = [
        EmittedFile(
            arg_path=path_for_command(f.path, here),
            file_name=f.file_name,
            content_type=constant(f.content_type),
            size=f.size,
            sha256=(
                constant(sha256_of(f.path, roots=f.roots, shown=f.shown_path))
                if form == "request"
                else None
            ),
        )
        for f in upload.files
    ]
    if form in SHELL_FORMS:
        _check_shell_can_name(files)
    if form == "httpie":
        _check_httpie_can_send(files, upload.request_json)
    parts: list[EmittedPart] = []
    source_size = header_end = 0
    source_sha256 = constant("0")
    if split is not None and split.parts:
        if form != "python":
            raise UsageError("only the Python script sends a file in parts")
        assert split.plan is not None
        parts = [EmittedPart(p.upload.request_json, p.part.start, p.part.end) for p in split.parts]
        # The size and digest of the very bytes the ranges were cut from, in the same pass.
        source_size, header_end = split.plan.size, split.plan.header_end
        source_sha256 = constant(split.plan.sha256)
    template = template_environment().get_template(FORMS[form])
    return str(
        template.render(
            parts=parts,
            source_size=source_size,
            source_sha256=source_sha256,
            header_end=header_end,
            name=upload.name,
            spec=spec_shown,
            url=connection.imports_url,
            request_json=upload.request_json,
            request_escaped=printable_json(upload.request_json) != upload.request_json,
            request_bytes=len(upload.request_json.encode()),
            files=files,
            token_variable=constant(TOKEN_VARIABLE),
            token_expansion=_token_expansion(),
            request_part=constant(REQUEST_PART),
            file_part=constant(FILE_PART),
            request_content_type=constant(REQUEST_CONTENT_TYPE),
            directory=str(here),
        )
    )


def _token_expansion() -> Quoted:
    """The shell's `${VAR:?message}`: the token when the script runs, or a clear stop.

    Made here rather than in the templates, where `${` beside `{{` would read as Jinja.
    """
    name = constant(TOKEN_VARIABLE)
    return Quoted("${" + name + ":?set " + name + " to a HubSpot access token}")


def path_for_command(path: Path, cwd: Path) -> str:
    """Relative to the working directory when inside it (portable), else absolute.

    A relative path that starts with `-` or `~` gets `./` in front: curl reads `@-` as its
    standard input, httpie expands `~`, and commands read a leading `-` as an option.
    """
    try:
        shown = path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()
    return "./" + shown if shown.startswith(("-", "~")) else shown


def json_line(value: str) -> Quoted:
    """`value` as a JSON string on one line of printable characters, for comments and summaries.

    Every character that does not print is escaped: line breaks of any kind (`\\n`, `\\r`,
    `\\x0b`, `\\x0c`, `\\x1c`-`\\x1e`, `\\x85`, U+2028, U+2029, which some shells, Pythons or
    editors end a line at), other controls, bidi and zero-width marks (which make a line read
    otherwise than it runs), and a lone surrogate (a file name that is not UTF-8). So the value
    cannot end the comment it is in, and `json.loads` gives it back.
    """
    return Quoted('"' + "".join(_json_char(c) for c in value) + '"')


def printable_json(text: str) -> Quoted:
    """JSON text with every character that does not print inside it written as a `\\u` escape.

    The same JSON value: outside strings, JSON text holds only spaces and the line breaks of
    its indentation, which are kept; inside them, quotes and backslashes are already escaped.
    """
    return Quoted("".join(c if c.isprintable() or c == "\n" else _unicode_escape(c) for c in text))


def _json_char(c: str) -> str:
    escaped = _SHORT_ESCAPES.get(c)
    if escaped is not None:
        return escaped
    return c if c.isprintable() else _unicode_escape(c)


def _unicode_escape(c: str) -> str:
    code = ord(c)
    if code > 0xFFFF:  # JSON spells a character beyond the BMP as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def shell_word(value: str) -> Quoted:
    """One shell word: single-quoted unless it is plainly safe (shlex.quote)."""
    return Quoted(shlex.quote(value))


def python_literal(value: str) -> Quoted:
    """A Python string literal on one line (repr escapes every character that does not print)."""
    return Quoted(repr(value))


def word(value: str) -> Quoted:
    """As it is when it is one visible word (a URL, normally), else a JSON string."""
    if (
        value
        and not value.startswith('"')
        and all(c.isprintable() and not c.isspace() for c in value)
    ):
        return Quoted(value)
    return json_line(value)


def curl_form_quote(value: str) -> str:
    """A value inside curl's -F syntax: double-quoted, with backslash and quote escaped.

    Unquoted, curl would read `,` `;` and `=` in a file name as its own syntax (and `-` as
    standard input); inside the quotes it reads every other character as it is, line breaks too.
    """
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def httpie_escape(value: str) -> str:
    """A file path inside an httpie request item, its separators escaped."""
    return "".join("\\" + c if c in _HTTPIE_SPECIAL else c for c in value)


def httpie_reads(item_value: str) -> str:
    """The path httpie (3.x) reads back from the value of a `files@VALUE;type=...` item.

    httpie drops a backslash only before one of its separator characters, reading a backslash
    and the character after it as a pair, and then splits at the first `;type=`. Some paths
    cannot survive that (a backslash before `;` `:` `=` `@` or at the end, `;type=` inside);
    `emit` compares this with the path to find them.
    """
    out: list[str] = []
    chars = iter(item_value)
    for c in chars:
        if c == "\\":
            following = next(chars, "")
            out.append(following if following in _HTTPIE_SPECIAL else "\\" + following)
        else:
            out.append(c)
    return "".join(out).split(_HTTPIE_TYPE_SEPARATOR)[0]


def _require_utf8(request_json: str) -> None:
    try:
        request_json.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise UsageError(
            f"the importRequest holds {json_line(bad)}, a lone surrogate, which UTF-8 cannot "
            "encode: HubSpot could not read it",
            hint="a template or escape in the spec made it; remove it",
        ) from None


def _check_shell_can_name(files: list[EmittedFile]) -> None:
    for f in files:
        try:
            f.arg_path.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(
                f"the data file path {json_line(f.arg_path)} is not UTF-8 text, so a shell "
                "script cannot spell it",
                hint="use --as python, which names it exactly, or rename the file or folder",
            ) from None


def _check_httpie_can_send(files: list[EmittedFile], request_json: str) -> None:
    for f in files:
        if Path(f.arg_path).name != f.file_name:
            raise UsageError(
                f"httpie sends a file under its own name, but {json_line(f.arg_path)} must be "
                f"sent as {json_line(f.file_name)}",
                hint="use --as curl or --as python, which name the part explicitly",
            )
        if httpie_reads(httpie_escape(f.arg_path) + _HTTPIE_TYPE_SEPARATOR) != f.arg_path:
            raise UsageError(
                f"httpie cannot name the data file {json_line(f.arg_path)}: it reads a "
                "backslash before : ; = @ and the text ;type= in a path as its own syntax",
                hint="use --as curl or --as python, or rename the file or folder",
            )
    item = REQUEST_PART + "=" + printable_json(request_json)
    if len(item.encode("utf-8")) >= _MAX_ARGUMENT_BYTES:
        raise UsageError(
            f"the importRequest is {len(item.encode('utf-8')):,} bytes, more than one "
            "command-line argument may hold, and httpie takes it as one",
            hint="use --as curl (which sends it through standard input) or --as python",
        )


def _only_quoted(value: Any) -> Any:
    """Jinja's finalize: every value a template writes must be Quoted (or a number)."""
    if isinstance(value, Quoted) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError(f"an emit template writes {value!r} without quoting it")


def template_environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("specc.hubspot", "templates"),
        autoescape=False,  # shell and Python text: quoting is done by the filters below
        finalize=_only_quoted,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sh"] = shell_word
    env.filters["py"] = python_literal
    env.filters["json_line"] = json_line
    env.filters["json_text"] = printable_json
    env.filters["word"] = word
    env.filters["curl_quote"] = curl_form_quote
    env.filters["httpie_escape"] = httpie_escape
    return env


def is_executable_form(form: str) -> bool:
    return form != "request"


def make_executable(path: Path) -> None:
    """chmod +x for a script written with -o, as far as the umask allows reading."""
    mode = path.stat().st_mode
    os.chmod(path, mode | ((mode & 0o444) >> 2))
