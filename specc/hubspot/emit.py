"""`specc emit`: the upload as a command or script a person can read, keep and run.

Rendered from the Jinja templates in `specc/hubspot/templates/`. Every form sends exactly
what `specc import` sends: the importRequest JSON text as the `importRequest` part and one
`files` part per data file, named as the request's `fileName`.

Decisions the emitted text documents in its header:

- The token is a reference to `$HUBSPOT_ACCESS_TOKEN` (or `os.environ[...]`), read when the
  command runs; its value is never written.
- Data file paths are relative to the directory `specc emit` ran in when the file is inside
  it, else absolute; run the command from that directory.
- The base URL and API version are fixed when emitting (`--base-url`, `--api-version`).
- The Python script needs the standard library only (3.8+): it streams the files itself with
  urllib, so it runs on any machine without installing a client.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specc.errors import UsageError
from specc.hubspot.connection import TOKEN_VARIABLE, Connection
from specc.hubspot.upload import (
    FILE_PART,
    REQUEST_CONTENT_TYPE,
    REQUEST_PART,
    Upload,
    sha256_of,
)

FORMS = {
    "curl": "curl.sh.j2",
    "httpie": "httpie.sh.j2",
    "python": "python.py.j2",
    "request": "request.txt.j2",
}

# Characters httpie's request-item parser treats as separators; a backslash keeps them literal.
_HTTPIE_SPECIAL = frozenset(":=@;")


@dataclass(frozen=True)
class EmittedFile:
    arg_path: str  # the path as the command names it
    file_name: str
    content_type: str
    size: int
    sha256: str | None  # only for the `request` summary: hashing reads the whole file


def emit(
    upload: Upload,
    connection: Connection,
    form: str,
    *,
    spec_shown: str,
    cwd: Path | None = None,
) -> str:
    """The upload in one of FORMS."""
    if form not in FORMS:
        raise UsageError(f"unknown form {form!r}", hint=f"choose one of {', '.join(FORMS)}")
    here = (cwd or Path.cwd()).resolve()
    files = [
        EmittedFile(
            arg_path=path_for_command(f.path, here),
            file_name=f.file_name,
            content_type=f.content_type,
            size=f.size,
            sha256=sha256_of(f.path) if form == "request" else None,
        )
        for f in upload.files
    ]
    if form == "httpie":
        for f in files:
            if Path(f.arg_path).name != f.file_name:
                raise UsageError(
                    f"httpie sends a file under its own name, but {f.arg_path} must be sent "
                    f"as {f.file_name!r}",
                    hint="use --as curl or --as python, which name the part explicitly",
                )
    template = _environment().get_template(FORMS[form])
    return template.render(
        name=upload.name,
        spec=spec_shown,
        url=connection.imports_url,
        api_version=connection.api_version,
        request_json=upload.request_json,
        request_bytes=len(upload.request_json.encode()),
        files=files,
        token_variable=TOKEN_VARIABLE,
        request_part=REQUEST_PART,
        file_part=FILE_PART,
        request_content_type=REQUEST_CONTENT_TYPE,
        directory=str(here),
    )


def path_for_command(path: Path, cwd: Path) -> str:
    """Relative to the working directory when inside it (portable), else absolute."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def curl_form_quote(value: str) -> str:
    """A value inside curl's -F syntax: double-quoted, with backslash and quote escaped.

    Unquoted, curl would read `,` `;` and `=` in a file name as its own syntax.
    """
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def httpie_escape(value: str) -> str:
    """A file path inside an httpie request item, its separators escaped."""
    return "".join("\\" + c if c in _HTTPIE_SPECIAL else c for c in value)


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("specc.hubspot", "templates"),
        autoescape=False,  # shell and Python text: quoting is done by the filters below
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["sh"] = shlex.quote
    env.filters["py"] = repr
    env.filters["curl_quote"] = curl_form_quote
    env.filters["httpie_escape"] = httpie_escape
    return env


def is_executable_form(form: str) -> bool:
    return form != "request"


def make_executable(path: Path) -> None:
    """chmod +x for a script written with -o, as far as the umask allows reading."""
    mode = path.stat().st_mode
    os.chmod(path, mode | ((mode & 0o444) >> 2))
