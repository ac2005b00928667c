"""The secrets scrubber on its own: every spelling of the token, and nothing else, goes."""

from __future__ import annotations

import html
import io
import json
import logging
import re
import sys
from pathlib import Path
from urllib.parse import quote

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.atomic import write_text_atomic
from specc.secrets import (
    PLACEHOLDER,
    Scrubber,
    ScrubbingStream,
    logging_formatter,
    scrub,
)

TOKEN = "pat-na1-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
ODD = "s3cr3t/T0KEN+with=signs\"quote'amp&lt<gt>end\\back"
SCRUB = Scrubber((TOKEN, ODD))


def forms(token: str) -> dict[str, str]:
    dumped = json.dumps(token)[1:-1]
    return {
        "raw": token,
        "json": dumped,
        "json-slash": dumped.replace("/", "\\/"),
        "json-unicode": "".join(f"\\u{ord(c):04x}" for c in token),
        "json-twice": json.dumps(dumped)[1:-1],
        "url": quote(token, safe=""),
        "url-lower": re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), quote(token, safe="")),
        "url-every-char": "".join(f"%{ord(c):02X}" for c in token),
        "html": html.escape(token),
        "html-decimal": "".join(f"&#{ord(c)};" for c in token),
        "html-hex": "".join(f"&#x{ord(c):x};" for c in token),
        "csv": token.replace('"', '""'),
        "broken-line": token[:10] + "\n    " + token[10:],
        "broken-crlf": token[:5] + "\r\n" + token[5:],
        "broken-json": token[:7] + "\\n" + token[7:],
        "broken-github": token[:9] + "%0A" + token[9:],
    }


@pytest.mark.parametrize("token", [TOKEN, ODD], ids=["hubspot-shaped", "odd-characters"])
@pytest.mark.parametrize("form", forms(TOKEN))
def test_every_spelling_of_the_token_is_replaced(token: str, form: str) -> None:
    written = forms(token)[form]
    text = f'{{"message": "denied for {written} (check it)"}}'
    scrubbed = SCRUB(text)
    assert scrubbed == f'{{"message": "denied for {PLACEHOLDER} (check it)"}}'


def test_the_token_comes_from_the_environment() -> None:
    environ = {"HUBSPOT_ACCESS_TOKEN": f"  {ODD}\n"}  # as a careless copy leaves it
    assert scrub(f"a {ODD} b", environ) == f"a {PLACEHOLDER} b"
    assert scrub(f"a {ODD} b", {}) == f"a {ODD} b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc123def456ghi", f"Authorization: Bearer {PLACEHOLDER}"),
        ("authorization: bearer eyJhbGciOi.J9x2.sig==", f"authorization: bearer {PLACEHOLDER}"),
        ("Authorization: Bearer%20abc123def456", f"Authorization: Bearer%20{PLACEHOLDER}"),
        # HubSpot's token shape, even when it is not this process's token.
        (
            "old token pat-eu1-11111111-2222-3333-4444-555555555555 revoked",
            f"old token {PLACEHOLDER} revoked",
        ),
    ],
)
def test_bearer_values_and_hubspot_tokens_go_whatever_their_value(text: str, expected: str) -> None:
    assert Scrubber()(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # What specc itself writes must stay as it is: emitted scripts, hints, prose.
        'curl --header "Authorization: Bearer ${HUBSPOT_ACCESS_TOKEN:?set it}"',
        "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN  [redacted: read from the environment]",
        '"Authorization": "Bearer " + token,',
        "a bearer token (RFC 6750) sent as 'Authorization: Bearer <token>'",
        "correlation id: aeb5f871-7f07-4993-9211-075dc63e7cbf",
        "compat-layer and pat-terns",
    ],
)
def test_what_holds_no_secret_is_left_alone(text: str) -> None:
    assert SCRUB(text) == text


def test_a_short_value_is_not_taken_for_a_token() -> None:
    # Replacing every "abc" would make the output unreadable; no HubSpot token is that short.
    assert scrub("abc abcdef", {"HUBSPOT_ACCESS_TOKEN": "abc"}) == "abc abcdef"


def test_scrubbing_twice_changes_nothing_more() -> None:
    text = "\n".join(f"{name}: {written}" for name, written in forms(ODD).items())
    once = SCRUB(text)
    assert SCRUB(once) == once
    assert once.count(PLACEHOLDER) == len(forms(ODD))


TOKEN_CHARS = st.characters(min_codepoint=0x21, max_codepoint=0x7E)


@settings(max_examples=200, deadline=None)
@given(
    token=st.text(TOKEN_CHARS, min_size=8, max_size=60),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
)
def test_any_token_is_gone_from_any_text(token: str, before: str, after: str) -> None:
    scrub_ = Scrubber((token,))
    for written in (token, json.dumps(token), quote(token, safe=""), html.escape(token)):
        result = scrub_(before + written + after)
        assert token not in result
        assert PLACEHOLDER in result


# --- the stream the CLI prints through -----------------------------------------------------


class Sink(io.StringIO):
    encoding = "utf-8"  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.BytesIO()


def test_a_token_split_over_several_writes_of_one_message_is_found() -> None:
    sink = Sink()
    stream = ScrubbingStream(sink, SCRUB)
    stream.write("denied: " + TOKEN[:10])
    stream.write(TOKEN[10:25])
    stream.write(TOKEN[25:] + "\n")
    assert sink.getvalue() == ""  # held until the message is complete
    stream.flush()
    assert sink.getvalue() == f"denied: {PLACEHOLDER}\n"


def test_click_echo_and_print_go_through_it() -> None:
    sink = Sink()
    stream = ScrubbingStream(sink, SCRUB)
    click.echo(f"error: {TOKEN}", file=stream)  # type: ignore[arg-type]
    print(f"also {ODD}", file=stream, flush=True)
    assert sink.getvalue() == f"error: {PLACEHOLDER}\nalso {PLACEHOLDER}\n"


def test_bytes_written_to_its_buffer_are_scrubbed_and_kept_byte_for_byte() -> None:
    sink = Sink()
    stream = ScrubbingStream(sink, SCRUB)
    stream.buffer.write(b'{"name": "' + TOKEN.encode() + b'", "raw": "\xff\xfe"}\n')
    stream.flush()
    assert (
        sink.buffer.getvalue() == b'{"name": "' + PLACEHOLDER.encode() + b'", "raw": "\xff\xfe"}\n'
    )


def test_text_and_bytes_keep_their_order() -> None:
    class Both(Sink):
        def write(self, text: str) -> int:
            self.buffer.write(text.encode())
            return len(text)

    sink = Both()
    stream = ScrubbingStream(sink, SCRUB)
    stream.write("one\n")
    stream.buffer.write(b"two\n")
    stream.write("three\n")
    stream.flush()
    assert sink.buffer.getvalue() == b"one\ntwo\nthree\n"


def test_a_long_message_goes_out_by_whole_lines_before_the_flush() -> None:
    sink = Sink()
    stream = ScrubbingStream(sink, SCRUB)
    stream.hold_limit = 100
    stream.write(("x" * 60 + "\n") * 3 + "tail " + TOKEN[:12])
    assert sink.getvalue() == ("x" * 60 + "\n") * 3
    stream.write(TOKEN[12:])
    stream.flush()
    assert sink.getvalue().endswith(f"tail {PLACEHOLDER}")


def test_it_passes_on_what_terminals_and_click_ask() -> None:
    sink = Sink()
    stream = ScrubbingStream(sink, SCRUB)
    assert stream.encoding == "utf-8"
    assert not stream.isatty()
    with pytest.raises(TypeError):  # click tells text streams from binary ones this way
        stream.write(b"")  # type: ignore[arg-type]


def test_log_records_and_their_tracebacks_are_scrubbed() -> None:
    record = logging.LogRecord("httpx", logging.DEBUG, __file__, 1, "sent %s", (TOKEN,), None)
    try:
        raise RuntimeError(f"echoed {ODD}")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    text = logging_formatter("%(message)s", SCRUB).format(record)
    assert TOKEN not in text and ODD not in text
    assert f"sent {PLACEHOLDER}" in text and f"echoed {PLACEHOLDER}" in text


def test_files_written_atomically_are_scrubbed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", ODD)
    target = tmp_path / "errors.json"
    write_text_atomic(target, json.dumps({"message": f"bad {ODD}"}))
    assert json.loads(target.read_text("utf-8")) == {"message": f"bad {PLACEHOLDER}"}
