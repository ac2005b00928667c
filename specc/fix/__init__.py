"""`specc fix`: a corrected copy of a spec's data files, changing only what has one meaning.

    fix_spec(spec, out_dir, options) -> Fixed (every change, and what `check` says of the copy)

`run` streams each data file once, checking its rows as `check` does and fixing the cells
it reports (`values`: one rule per kind of value); `csv_copy` copies a CSV file's untouched
lines byte for byte and converts whole files (encoding, delimiter); `changes` lists every
change without holding them all in memory; `spec_copy` writes the spec that leads to the
copies. Nothing here prints: `specc.report.fixes` renders the changes.
"""

from specc.fix.changes import Change, ChangeLog
from specc.fix.run import Fixed, fix_spec
from specc.fix.values import date_readings, option_value, propose, read_number

__all__ = [
    "Change",
    "ChangeLog",
    "Fixed",
    "date_readings",
    "fix_spec",
    "option_value",
    "propose",
    "read_number",
]
