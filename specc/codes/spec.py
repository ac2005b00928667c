"""Codes of the spec stage: reading the file, its structure, templates, paths, the request.

SPC001-009  reading and parsing the file
SPC010-049  structure: keys, types, values, objects, columns
SPC100-119  templates and paths
SPC150      the compiled request against the importRequest schema
SPC151-153  a saved request turned into a spec (`specc init --from-request`)
"""

from __future__ import annotations

from specc.codes import define
from specc.diagnostics import Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741 - the three severities read best as one letter each

# --- reading and parsing -------------------------------------------------------------------

SYNTAX = define(
    "SPC001",
    E,
    "spec is not valid YAML or TOML",
    """
The spec file could not be parsed. The message names the parser's complaint and the position
points at where the parser gave up (the real mistake is often just before it: an unclosed quote
or bracket, a tab used for indentation, a missing `:` or `=`).

specc reads `.toml` files as TOML and everything else as YAML. Fix the syntax and run again;
`specc schema spec` gives a JSON Schema that editors (yaml-language-server) use to check specs
as you type.
""",
)

NOT_TEXT = define(
    "SPC002",
    E,
    "spec is not UTF-8 text",
    """
The spec file is not UTF-8 text: it holds bytes that are not valid UTF-8, or NUL bytes, which
usually means a binary file (a spreadsheet, an archive) was given where a spec was expected, or
the file was saved in a legacy encoding such as Latin-1 or UTF-16.

Save the spec as UTF-8 (without a byte order mark is best; one is tolerated) and check that the
command names the spec, not a data file.
""",
)

TOO_LARGE = define(
    "SPC003",
    E,
    "spec file too large",
    """
Spec files are small: a few kilobytes, even for hundreds of columns. specc refuses to read a
spec larger than 5 MB, because such a file is almost certainly not a spec (a data file given by
mistake) and parsing it would only waste time and memory. For the same reasons it refuses a
TOML spec of more than 50,000 values (keys, tables, list items: a real spec has hundreds), and
a spec whose very long keys are repeated under so many nested values that the paths to them
(by which messages point into the spec) would take more than 16 MB.

Check the command line: the spec comes first, and data files are named inside it.
""",
)

TOO_DEEP = define(
    "SPC004",
    E,
    "spec nested too deeply",
    """
The spec nests mappings or lists deeper than specc allows (64 levels, the spec's own mapping
included). A real spec needs about six. Every way of nesting counts: brackets and indentation,
a YAML alias (which copies its anchor's levels in), and in TOML each part of a table header or
a dotted key (`[vars.a.b]`, `a.b.c = 1`). Deep nesting is refused before it is built, so that a
hostile or broken file (thousands of nested brackets) ends in this clear error instead of
exhausting the stack.

Look for an unbalanced run of `[` or `{`, indentation that keeps growing, or a long dotted key.
""",
)

TOO_MANY_ALIASES = define(
    "SPC005",
    E,
    "YAML aliases expand too far",
    """
The spec's YAML anchors and aliases (`&name` / `*name`) expand into more nodes than specc allows,
or an alias refers to the node that contains it. This is how a "billion laughs" file blows a
few lines up into gigabytes; specc counts the nodes it builds and stops early.

Aliases are fine for sharing a column definition a few times. If a spec really needs this much
repetition, write it out, or generate the spec with a script.
""",
)

DUPLICATE_KEY = define(
    "SPC006",
    E,
    "duplicate key",
    """
The same key appears twice in one mapping. YAML parsers usually keep the last one silently,
which hides mistakes such as a column listed twice. specc refuses the spec instead.

For columns: a data file whose header repeats a name needs the list form of `columns`, where
each entry carries `column: <header name>`.
""",
)

BAD_TAG = define(
    "SPC007",
    E,
    "unsupported YAML tag or construct",
    """
The spec uses a YAML tag other than the core ones (`!!str`, `!!int`, `!!float`, `!!bool`,
`!!null`, `!!seq`, `!!map`), a complex (non-scalar) mapping key, or several YAML documents in
one file. Tags such as `!!python/object` can make other YAML loaders run code; specc never
constructs them.

Remove the tag (quote the value if it should be text) and keep one document per spec file.
""",
)

NOT_A_MAPPING = define(
    "SPC008",
    E,
    "spec is not a mapping",
    """
The top of a spec must be a mapping of keys such as `specc`, `name` and `files`. The file is
empty, or holds a single value or a list.

Start from the first example of the spec format (`specc init DATAFILE` writes one for a data
file):

    specc: 1
    name: My import
    files:
      - path: contacts.csv
        object: contacts
        columns:
          Email: {property: email, id: true}
""",
)

NUMBER_TOO_LARGE = define(
    "SPC009",
    E,
    "number out of range",
    """
A number in the spec is larger than specc reads: whole numbers run from -2^63 to 2^63-1
(9,223,372,036,854,775,807, the 64-bit range of HubSpot's ids and counts), decimals up to about
1.8e308. The number is refused at its line rather than converted: a whole number of thousands
of digits cannot be sent to HubSpot, and a decimal that large would silently become infinity.
The same holds for a number a template prints where a whole number is expected.

If the value is text that happens to be made of digits (an id, a code, a phone number), quote
it: `"00123456789012345678901234"`.
""",
)

# --- structure -----------------------------------------------------------------------------

UNKNOWN_KEY = define(
    "SPC010",
    E,
    "unknown key",
    """
The spec has a key that the format does not know at this place. Unknown keys are an error, not
silently dropped, because a misspelt key (`date_fromat`, `has_headers`) would otherwise quietly
change what is sent to HubSpot.

The hint names the nearest known key when there is one. The keys of each level are listed in
the spec format (`specc schema spec` shows them with descriptions).
""",
)

WRONG_TYPE = define(
    "SPC011",
    E,
    "value of the wrong type",
    """
A value has the wrong type: text where a list is expected, a number where a true/false is
expected, and so on. The message names the type the key takes.

In YAML, quote values that must stay text but look like something else (`"0123"`, `"true"`,
`"2024-01-01"`). Values produced by templates are text; specc reads them as numbers or
true/false where a number or true/false is expected.
""",
)

MISSING_KEY = define(
    "SPC012",
    E,
    "required key missing",
    """
A key the spec format requires is missing: `specc`, `name` and `files` at the top, `path` and
`columns` for each file, `column` for each entry of the list form of `columns`, `type_id` and
`category` in an `association`.
""",
)

VERSION = define(
    "SPC013",
    E,
    "unsupported spec format version",
    """
The `specc` key names the version of the spec format; this specc understands version 1 only. A
spec of another version is refused as a whole, since its keys may mean something else.

Write `specc: 1`, or use the specc release that wrote this spec's format.
""",
)

BAD_VALUE = define(
    "SPC014",
    E,
    "value not allowed",
    """
The value is not one of those the key allows, for example a `date_format` other than
`MONTH_DAY_YEAR`, `DAY_MONTH_YEAR` and `YEAR_MONTH_DAY`, an operation other than `create`,
`update` and `upsert`, an `event` other than `registered`, `joined`, `left` and `cancelled`, a
number below the allowed minimum, or a time zone that is not an IANA name. HubSpot refuses a
request with such a value.

The message lists the allowed values, and the hint suggests the nearest one.
""",
)

UNKNOWN_OBJECT = define(
    "SPC015",
    E,
    "unknown object",
    """
An object is named that specc cannot resolve to a HubSpot object type id. Objects may be named
by their plural API name (`contacts`, `line_items`), singular (`contact`), object type id
(`0-1`, `2-1234567`) or an alias declared under `objects:` (for custom objects, whose ids
differ per account: `objects: {pets: "2-1234567"}`).

The hint names the nearest known object. A custom object's id is shown by
`GET /crm/v3/schemas` (`objectTypeId`) or in HubSpot's object settings.
""",
)

DUPLICATE = define(
    "SPC016",
    E,
    "object given two operations",
    """
`operations` names one object twice under different names (`contacts` and `contact`, or an
alias and the id it stands for). HubSpot takes one operation per object.

Remove one of the entries.
""",
)

EMPTY = define(
    "SPC017",
    E,
    "empty value",
    """
A value that must hold something is empty: a blank `name` or `path`, a file with no `columns`,
a spec with no `files`, an empty column name. HubSpot needs each of these.

One exception: a column whose header is empty (a file whose lines end with a comma has one) is
written `"": {ignore: true}`. HubSpot needs a mapping for every column of the file, and an
empty one can only be ignored.
""",
)

NO_COLUMN_KIND = define(
    "SPC020",
    E,
    "column says nothing to import",
    """
Every column needs one of `property` (the property it writes; a plain string is shorthand for
it), `label` (association labels), `event` (a marketing event timestamp), `references` (the
common column of a multi-file import) or `ignore: true` (in the file but not imported).

HubSpot needs a mapping for every column of the file, in header order, so a column cannot be
left out: ignore it explicitly.
""",
)

CONFLICT = define(
    "SPC021",
    E,
    "column keys that contradict each other",
    """
A column combines keys that cannot go together, for example `property` with `label`, `event` or
`references` (each of those columns carries no property), `id` together with
`association_keys`, `id` or `association_key` without a `property`, `association` without
`references`, an `event` column with an object other than marketing events, or `ignore: true`
with anything else.

Each column is one of: a property column (optionally an identifier or association key), a
label column, an event column, a reference column, or an ignored column.
""",
)

NO_OBJECT = define(
    "SPC022",
    E,
    "column has no object",
    """
HubSpot needs the object of every column (`columnObjectTypeId`). specc takes it from the
column's `object:` or, when the column names none, from its file's `object:`. Neither is given
here.

Give the file an `object:` (the usual case), or give the column one.
""",
)

NO_DEFAULT_ASSOCIATION = define(
    "SPC023",
    E,
    "no default association type for this pair",
    """
A `references` column needs an association type: by default specc uses HubSpot's unlabeled
HUBSPOT_DEFINED type from this file's object to the referenced object (companies -> contacts is
280). HubSpot documents no such type for this pair (custom objects always need one), so specc
cannot choose.

Give it explicitly:

    Email: {references: contacts, association: {type_id: 280, category: HUBSPOT_DEFINED}}

Custom labels are USER_DEFINED; their type ids are listed by
`GET /crm/v4/associations/{from}/{to}/labels`.
""",
)

UNKNOWN_FORMAT = define(
    "SPC026",
    E,
    "file format unknown",
    """
HubSpot takes CSV files (`.csv`) and spreadsheets (`.xlsx`, `.xls`). specc takes `format` from
the file's extension; this file's extension is none of these and the file gives no `format`.

Rename the file, or say `format: csv` or `format: spreadsheet` (HubSpot itself takes only
.csv, .xlsx and .xls files: see SPC222).
""",
    hubspot_error="INVALID_FILE_TYPE",
)

BAD_ALIAS = define(
    "SPC028",
    E,
    "object alias is not an object type id",
    """
Each entry under `objects:` maps an alias to an object type id, `0-N` for HubSpot's objects or
`2-N` for custom ones (`pets: "2-1234567"`). The value here is neither.

Find the id with `GET /crm/v3/schemas` or in HubSpot's custom object settings, and quote it in
YAML.
""",
)

BAD_CODE = define(
    "SPC029",
    E,
    "not a diagnostic code",
    """
`allow:` lists diagnostic codes to suppress, like `SPC412`. This entry does not look like one
(SPC and three digits), so it would suppress nothing. `specc explain CODE` describes a code.
""",
)

NO_OPERATION_OBJECT = define(
    "SPC030",
    E,
    "operations word applies to no object",
    """
`operations` is a single word (`create`, `update`, `upsert`), which applies to every object that
has property columns; this spec has none (only labels, events, references or ignored columns),
so the word would say nothing.

Use the map form to name the objects: `operations: {marketing_events: create}`.
""",
)

# --- templates -----------------------------------------------------------------------------

TEMPLATE_SYNTAX = define(
    "SPC101",
    E,
    "template syntax error",
    """
A string with `{{ ... }}` or `{% ... %}` is a Jinja template, and this one does not parse: an
unclosed `{{`, a misspelt tag, a stray `}}`. The message gives Jinja's complaint.

To write a literal `{{` in a value, use `{{ '{{' }}`.
""",
)

TEMPLATE_UNDEFINED = define(
    "SPC102",
    E,
    "template uses an undefined name",
    """
A template refers to a name that has no value. Templates see only `vars` (the spec's `vars`,
overridden by `--var NAME=VALUE`), `env` (the environment variables listed under `env:` that are
set), `today` and `now`. An undefined name is an error, never an empty string, so a typo cannot
quietly produce a wrong file name or import name.

Define the variable under `vars:`, pass `--var NAME=VALUE`, or list and set the environment
variable.
""",
)

TEMPLATE_FORBIDDEN = define(
    "SPC103",
    E,
    "template does something forbidden",
    """
Templates run in Jinja's sandbox: they cannot reach Python internals (attributes such as
`__class__`), call unsafe methods, change values, or build huge values. This template tried
one of these.

Templates are for composing names and paths from variables and dates; keep them to that.
""",
)

TEMPLATE_TOO_LONG = define(
    "SPC104",
    E,
    "template output too long",
    """
A template would produce more than 64 KB of text, or build a value that large on the way (a
format width or precision, a repetition, a join, a number of thousands of digits), or took too
long to render: half a second for one template, two seconds for all the templates of a spec.
specc stops it before the value is built, so that a spec cannot exhaust the memory or the time
of the machine that checks it. No spec value needs that much: the template probably loops by
mistake.
""",
)

TEMPLATE_FAILED = define(
    "SPC105",
    E,
    "template failed",
    """
A template raised an error while rendering (a division by zero, a filter given the wrong type,
an include of a template that does not exist). The message gives the error.
""",
)

FORBIDDEN_ENV = define(
    "SPC106",
    E,
    "environment variable may not be listed",
    """
`env:` lists the environment variables templates may read. The HubSpot access token
(`HUBSPOT_ACCESS_TOKEN`) can never be listed: a template could otherwise copy the token into the
import's name or a file name, and from there into HubSpot's logs, reports and the repository.
""",
)

UNUSED_VAR = define(
    "SPC107",
    I,
    "--var sets a variable the spec does not declare",
    """
`--var NAME=VALUE` overrides one of the spec's `vars`. This name is not declared there: it is
still available to templates, but a misspelt name would leave the spec's own value in effect.
Declare the variable under `vars:` with a default value.
""",
)

# --- paths ---------------------------------------------------------------------------------

OUTSIDE_ROOT = define(
    "SPC110",
    E,
    "data file or catalog outside the allowed folders",
    """
A data file's path, or the `catalog:` snapshot's, resolves (links followed) outside the folders
specc may read from: the current working directory, the spec file's own folder (and below),
and the folders given with `--data-root DIR`. The rule keeps a spec from uploading files from
anywhere on the machine (`../../.ssh/id_rsa`) to HubSpot, or from showing pieces of them in
messages; such a file is never opened.

Move the data beside the spec (or below it), run specc from a folder that contains it, or
allow its folder with `--data-root DIR`.
""",
)

BAD_PATH = define(
    "SPC111",
    E,
    "path is not usable",
    """
The path holds characters no file name can hold (a NUL byte), names a folder rather than a
file (it ends with `/`), or leads to something that is not a regular file: a folder, a FIFO
(named pipe), a device such as /dev/zero or a socket. Reading a FIFO would wait for a writer
forever and a device may never end, so specc refuses them before reading anything.
""",
)

# --- the request ---------------------------------------------------------------------------

REQUEST_SCHEMA = define(
    "SPC150",
    E,
    "request does not satisfy the importRequest schema",
    """
The importRequest compiled from the spec breaks a rule of the bundled importRequest schema
(`specc schema request`), which encodes what HubSpot's documentation requires: field types,
allowed values, and rules between fields (an EVENT_TIMESTAMP column needs a submission type and
the request a `marketingEventObjectId`; a file name carries its extension; a column needs a
property unless it is a label, event or reference column).

The message gives the request path and the rule; the location points at the spec entry the
request field came from. For `specc init --from-request FILE`, the request is FILE itself, and
the location points into it.
""",
)

REQUEST_NOT_JSON = define(
    "SPC151",
    E,
    "request file is not JSON specc reads",
    """
`specc init --from-request` reads an importRequest saved as JSON: the text a script sends as
the `importRequest` part of `POST /crm/v3/imports`. This file is not JSON specc reads: it is not
UTF-8 text, it has a syntax error (the location points at it), it nests arrays and objects
deeper than 64 levels, or it holds an integer of more than 4,300 digits. No importRequest comes
near those bounds.

Save the request as your script sends it: in Python `json.dumps(request)`, in JavaScript
`JSON.stringify(request)`.
""",
)

REQUEST_NOT_SPEC = define(
    "SPC152",
    E,
    "request cannot be written as a spec",
    """
The request satisfies the importRequest schema, but this part of it has no spec form that
compiles back to the same request as HubSpot reads it, so `specc init --from-request` writes no
spec. The message says what the request holds and what a spec would compile to instead.

For instance: an object named neither by an object type id nor by a standard object's name (a
custom object's fully qualified name: use its `2-...` id from GET /crm/v3/schemas);
`HUBSPOT_OBJECT_ID` on a property other than `hs_object_id`; a `foreignKeyType` without a
`toColumnObjectTypeId` (the legacy record-id association); files whose own `dateFormat`s
differ; a blank name, or a property name with spaces around it; text shaped like an access
token, which specc never writes into a file.

Change that part of the request and run the command again.
""",
)

REQUEST_NOT_AS_WRITTEN = define(
    "SPC153",
    W,
    "request field left out or moved in the spec",
    """
The spec says this part of the request differently, or leaves it out, since the spec format
has no place for it as written:

- a top-level field that HubSpot's importRequest does not have (a misspelling, like
  `dateformat`): the bundled schema lets such fields through, taking HubSpot to ignore them, so
  the spec leaves it out; if it was meant as a field HubSpot knows, write that in the spec;
- a `dateFormat` inside a file (the legacy placement older clients use): the spec writes it
  once for the whole import as `date_format`, where HubSpot's documentation puts it.
""",
)
