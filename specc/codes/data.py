"""SPC400-449: one cell's value, judged as HubSpot would parse it for the column's property.

Errors are values HubSpot refuses (the row error it would list is the code's `hubspot_error`);
warnings are values HubSpot takes but may store as something the user did not mean, or forms
its documentation does not promise to read. The rules and their sources are in
`hubspot-domain.md` §5-§6; the decisions on what the sources leave open are commented in
`specc/data/values/`.
"""

from __future__ import annotations

from specc.codes import define
from specc.diagnostics import Severity

# --- errors: HubSpot refuses the value (the row is imported without it, or not at all) --------

VALUE_TOO_LONG = define(
    "SPC400",
    Severity.ERROR,
    "value longer than 65,536 characters",
    """
    HubSpot stores property values as strings of at most 65,536 characters (counted as Java
    does, in UTF-16 units: an emoji counts twice). A longer cell is refused with
    COLUMN_TOO_LARGE.

    Shorten the value, or split it over several properties (for long notes, attach a file).
    """,
    hubspot_error="COLUMN_TOO_LARGE",
)

INVALID_EMAIL = define(
    "SPC401",
    Severity.ERROR,
    "not a valid email address",
    """
    HubSpot checks email addresses before it stores them: besides being valid by RFC 2822,
    the local part (before the @) must not be quoted, and the domain must end in a real
    top-level domain from IANA's list (internationalised ones included). Anything else is
    refused with INVALID_EMAIL; for contacts the row may then create no record at all, since
    the email identifies the contact.

    Write one plain address per cell, e.g. `jane.doe@example.com`: no display name
    (`Jane <jane@example.com>`), no `mailto:`, no spaces, no lists. Extra addresses belong in
    the "Additional email addresses" property, separated by semicolons.
    """,
    hubspot_error="INVALID_EMAIL",
)

INVALID_DOMAIN = define(
    "SPC402",
    Severity.ERROR,
    "not a valid domain name",
    """
    A company's domain must be a host name that ends in a real top-level domain, e.g.
    `example.com` or `shop.example.co.uk`. IP addresses, names without a dot, email addresses
    and unknown endings are refused with INVALID_DOMAIN; the domain identifies the company,
    so the row may create a company without one or none at all.

    Write the bare domain. (HubSpot removes a path after the domain, `example.com/about`, on
    its own; specc warns about that separately.)
    """,
    hubspot_error="INVALID_DOMAIN",
)

UNPARSABLE_DATE = define(
    "SPC403",
    Severity.ERROR,
    "date HubSpot cannot parse",
    """
    Date and date-time values are read in the order the spec's `date_format` gives
    (MONTH_DAY_YEAR by default, DAY_MONTH_YEAR or YEAR_MONTH_DAY). The month may be a number,
    a three-letter abbreviation or the full English name (10, Oct, October); the year has two
    or four digits; the parts are separated by `/`, `-` or `.`. Date-times may add a time
    `hh:mm` (24-hour) or `h:mm AM/PM`, optional seconds, and an offset `+hh:mm`, or be a Unix
    timestamp in milliseconds. An impossible date (February 30, month 13) or a value in
    another order is refused with COULD_NOT_PARSE_DATE, and the property stays empty. (An
    ISO 8601 date, `2023-10-28`, under a day-first or month-first order is SPC444, a
    warning: whether HubSpot falls back to ISO 8601 is not documented.)

    Rewrite the value in the spec's order, or change `date_format` if the whole file uses
    another order; the hint says when the value reads in another order.
    """,
    hubspot_error="COULD_NOT_PARSE_DATE",
)

UNPARSABLE_NUMBER = define(
    "SPC404",
    Severity.ERROR,
    "number HubSpot cannot parse",
    """
    Number properties take digits with at most one decimal point and an optional sign:
    `1234.5`, `-3`, `.25`. Values that are no number at all (`abc`, `12abc`, `1.2.3`,
    `(50)`), units and a percent sign outside percentage properties are refused with
    COULD_NOT_PARSE_NUMBER. Durations are whole milliseconds. (A number written with
    thousands separators, a decimal comma or a currency is SPC443, a warning.)

    Strip the formatting: export numbers unformatted, or clean the column before import.
    """,
    hubspot_error="COULD_NOT_PARSE_NUMBER",
)

NUMBER_OUT_OF_RANGE = define(
    "SPC405",
    Severity.ERROR,
    "number too large",
    """
    The number is beyond what HubSpot can store and is refused with INVALID_NUMBER_SIZE.
    HubSpot does not document the limit; specc uses the range of a 64-bit integer (about
    ±9.2 quintillion). Such values are usually identifiers
    (card numbers, long codes) mapped to a number property by mistake.

    Map the column to a single-line text property, or fix the value.
    """,
    hubspot_error="INVALID_NUMBER_SIZE",
)

UNKNOWN_OPTION = define(
    "SPC406",
    Severity.ERROR,
    "not one of the property's options",
    """
    Dropdown, radio and checkbox properties take only their defined options, written as the
    option's internal value or its label (for HubSpot's own properties, the English label).
    Any other value is refused with INVALID_ENUMERATION_OPTION: the record is imported without
    it. Options are not created by an import.

    Use an existing option (the hint lists them and the closest match), or add the option to
    the property in HubSpot first and pull the catalog snapshot again. Multiple checkboxes
    take several options separated by `;` without spaces.
    """,
    hubspot_error="INVALID_ENUMERATION_OPTION",
)

AMBIGUOUS_OPTION = define(
    "SPC407",
    Severity.ERROR,
    "value matches more than one option",
    """
    The value is the label of one option and the internal value of another (or matches two
    options once letter case is ignored), so HubSpot cannot tell which option is meant and
    refuses it with AMBIGUOUS_ENUMERATION_OPTION.

    Write the internal value of the option you mean, with its exact letter case; or rename
    one of the options in HubSpot.
    """,
    hubspot_error="AMBIGUOUS_ENUMERATION_OPTION",
)

INVALID_BOOLEAN = define(
    "SPC408",
    Severity.ERROR,
    "not a checkbox value",
    """
    Single checkbox (boolean) properties take `true`, `false`, `yes` or `no` (any letter
    case), or the option labels the property defines. Other values are refused with
    INVALID_ENUMERATION_OPTION and the checkbox is left as it was.

    Write true/false or Yes/No.
    """,
    hubspot_error="INVALID_ENUMERATION_OPTION",
)

INVALID_RECORD_ID = define(
    "SPC409",
    Severity.ERROR,
    "not a record ID",
    """
    A Record ID (`hs_object_id`, or a column mapped as the object's ID) is a positive whole
    number, e.g. `51234567890`. Other values are refused with INVALID_OBJECT_ID, and the row
    cannot be matched to a record. Spreadsheets often turn long IDs into `5.12346E+10` or
    `51234567890.0`.

    Export the IDs as text and keep only the digits.
    """,
    hubspot_error="INVALID_OBJECT_ID",
)

INVALID_FILE_REFERENCE = define(
    "SPC410",
    Severity.ERROR,
    "not a file ID or URL",
    """
    File properties take the ID of a file in HubSpot's file manager (a positive whole number)
    or the file's URL (`https://...`). A file name or any other text is refused with
    INVALID_ENUM_FILE_ID_OR_URL.

    Upload the files to the file manager first and put their IDs or URLs in the column.
    """,
    hubspot_error="INVALID_ENUM_FILE_ID_OR_URL",
)

# --- warnings: HubSpot takes the value, but it may not be what was meant ------------------------

SURROUNDING_WHITESPACE = define(
    "SPC411",
    Severity.WARNING,
    "spaces around the value",
    """
    The value starts or ends with spaces, tabs, line breaks or invisible characters (no-break
    space, zero-width space, byte-order mark). For dates, numbers, options, emails and IDs
    HubSpot reads the value without them today, but its APIs have announced refusing such
    values, and they often hide a copy-paste error.

    Trim the column before import.
    """,
)

UNCONFIRMED_OPTION = define(
    "SPC412",
    Severity.WARNING,
    "option the catalog cannot confirm",
    """
    The value is none of the options specc knows for this property, but specc only knows
    HubSpot's default options (the bundled catalog), and accounts may add their own. If the
    account has no such option HubSpot refuses the value with INVALID_ENUMERATION_OPTION.

    Check the option exists in the account, or give the spec a catalog snapshot (`catalog:`,
    written by `specc catalog pull`) so specc can tell for sure.
    """,
    hubspot_error="INVALID_ENUMERATION_OPTION",
)

OPTION_CASE_MISMATCH = define(
    "SPC413",
    Severity.WARNING,
    "option written in another letter case",
    """
    The value matches an option's internal value or label only when letter case is ignored
    (`lead` for the label `Lead` is fine, but `LEAD` for the value `lead` is not an exact
    match). HubSpot's documentation asks for the value or the label as defined; matching
    ignoring case is not promised.

    Write the option exactly as defined; the hint shows it.
    """,
)

EMPTY_LIST_ITEM = define(
    "SPC414",
    Severity.WARNING,
    "empty item in a semicolon list",
    """
    A multiple-checkbox value has an empty item: two semicolons in a row, or a semicolon at
    the end. (A semicolon at the start is fine: it means "add these options to the existing
    ones" rather than replace them.) HubSpot skips empty items, so usually nothing is lost,
    but the list is often cut or badly joined.

    Remove the extra semicolons.
    """,
)

HIDDEN_OPTION = define(
    "SPC415",
    Severity.INFO,
    "hidden option",
    """
    The value is an option that is hidden in HubSpot: it is accepted and stored, but it is not
    offered in forms and record pages, so users may not see or pick it again.
    """,
)

UNDOCUMENTED_BOOLEAN = define(
    "SPC416",
    Severity.WARNING,
    "checkbox value HubSpot does not document",
    """
    `1`/`0`, `Y`/`N`, `on`/`off` and `checked` are common ways to write a checkbox value, but
    HubSpot documents only true/false and yes/no. It may refuse the value with
    INVALID_ENUMERATION_OPTION.

    Write true/false or Yes/No.
    """,
    hubspot_error="INVALID_ENUMERATION_OPTION",
)

UNDOCUMENTED_DATE_FORM = define(
    "SPC420",
    Severity.WARNING,
    "date written in a form HubSpot does not document",
    """
    The value is a real date in the spec's `date_format` order, but written in a form the
    import documentation does not list: spaces or commas between its parts
    (`Oct 28, 2023`), two different separators, an ISO 8601 date-time with `T`
    (`2023-10-28T14:30:00Z`, which HubSpot's APIs take but its import documentation does not
    mention), fractions of seconds, or a time zone written as `Z`, `UTC` or `+0100`. HubSpot
    may read it, or refuse it with COULD_NOT_PARSE_DATE.

    Prefer the documented forms: parts separated by one of `/ - .`, an optional time `hh:mm`
    or `h:mm AM`, and an offset `+hh:mm`.
    """,
    hubspot_error="COULD_NOT_PARSE_DATE",
)

ISO_DATE_IN_OTHER_ORDER = define(
    "SPC444",
    Severity.WARNING,
    "ISO 8601 date under a day-first or month-first date_format",
    """
    The value is an ISO 8601 date (`2023-10-28`, or with a time: `2023-10-28T14:30:00Z`),
    but the import's `date_format` is DAY_MONTH_YEAR or MONTH_DAY_YEAR. Read in that order it
    is no date (there is no month or day 2023). HubSpot documents ISO 8601 for date values
    in its APIs, and its import documentation only says the values follow the chosen
    format; whether an import falls back to ISO 8601 or refuses the value with
    COULD_NOT_PARSE_DATE is not documented, and no public report settles it, so specc warns
    rather than predicting a row error.

    If the whole column is ISO 8601, set `date_format: YEAR_MONTH_DAY`; otherwise rewrite
    the value in the spec's order (`specc fix` does).
    """,
    hubspot_error="COULD_NOT_PARSE_DATE",
)

TIME_IGNORED = define(
    "SPC421",
    Severity.WARNING,
    "time in a date-only property",
    """
    The property holds a date without a time (a date picker), but the value has a time of
    day, or is a Unix timestamp that is not midnight UTC. HubSpot keeps only the date (and its
    APIs refuse such timestamps); around midnight the time zone may shift it by a day.

    Map the column to a date-time property if the time matters, or drop the time.
    """,
)

SUSPICIOUS_TIMESTAMP = define(
    "SPC422",
    Severity.WARNING,
    "number read as a Unix timestamp in milliseconds",
    """
    A date made only of digits is read as a Unix timestamp in milliseconds. This one has too
    few digits (or too many) to be a date between 1970 and 2286 written that way: it is
    probably in seconds (10 digits, read as a day in January 1970), a compact date like
    `20231028`, or a year alone. HubSpot stores it as the wrong date.

    Multiply seconds by 1000, or write the date with separators in the spec's order.
    """,
)

NUMBER_CELL_FOR_DATE = define(
    "SPC423",
    Severity.WARNING,
    "spreadsheet number cell in a date column",
    """
    The spreadsheet cell holds a plain number, not a date, yet the property is a date. Excel
    keeps dates as day counts since 1900 (45227 is 2023-10-28) and shows them as dates only
    when the cell has a date format; a Unix timestamp in milliseconds works only in cells
    formatted as Text. HubSpot may read the number as a day count, as milliseconds since 1970,
    or refuse it.

    Format the column's cells as dates (or, for Unix timestamps, as Text).
    """,
)

SCIENTIFIC_NOTATION = define(
    "SPC425",
    Severity.WARNING,
    "number in scientific notation",
    """
    The number is written with an exponent (`1.5E+6`). HubSpot documents numbers as digits
    with at most one decimal point, so it may refuse this with COULD_NOT_PARSE_NUMBER; and
    spreadsheets write long numbers this way after rounding them, so digits may already be
    lost.

    Write the number out in full (format the spreadsheet column as Number or Text).
    """,
    hubspot_error="COULD_NOT_PARSE_NUMBER",
)

FORMATTED_NUMBER = define(
    "SPC443",
    Severity.WARNING,
    "number written with separators or a currency",
    """
    The value is one number written as a spreadsheet or a locale displays it: thousands
    separators (`5,333,222`, `1.234.567,89`, `1 000`), a decimal comma (`3,5`) or a currency
    symbol or code (`$120`, `120 EUR`). What an import does with it is not documented:
    HubSpot's CRM APIs refuse such values with a 400 since its changelog "A change for number
    properties in CRM APIs" (only digits, a minus sign and one decimal point), but that post
    says the HubSpot app's own behaviour does not change, and imports are parsed as the app's
    import tool parses them. HubSpot may read the number, misread it (`1,200` as 1200 or as
    1.2), or refuse it with COULD_NOT_PARSE_NUMBER; no public report settles which, so specc
    warns rather than predicting a row error.

    Write the plain number (`5333222`, `3.5`, `120`); `specc fix` rewrites the values that
    have exactly one reading.
    """,
    hubspot_error="COULD_NOT_PARSE_NUMBER",
)

PERCENT_MISREAD = define(
    "SPC426",
    Severity.WARNING,
    "percentage written as a whole number",
    """
    Percentage properties take either `25%` or the fraction `.25` for 25 %. A plain number
    above 1 (`25`) is read as a fraction, i.e. 2,500 %. Probability properties hold fractions
    between 0 and 1.

    Add a percent sign (`25%`) or divide by 100 (`0.25`).
    """,
)

NUMBER_PRECISION = define(
    "SPC427",
    Severity.WARNING,
    "number with more than 15 significant digits",
    """
    HubSpot's apps, reports and APIs handle numbers as double-precision floating point, which
    holds about 15 significant digits: further digits may be rounded away
    (`12345678901234567` becomes `12345678901234568`). Long identifiers kept in number
    properties change silently.

    Map identifiers to a text property, or round the number.
    """,
)

NUMBER_CELL_ROUNDED = define(
    "SPC428",
    Severity.WARNING,
    "spreadsheet number cell shown in scientific form",
    """
    The spreadsheet cell holds a number with 12 or more digits in the General format, which
    spreadsheets display (and export) as `4.41235E+11`: if HubSpot reads the cell as it is
    displayed, the digits are lost. Phone numbers and IDs are the usual victims.

    Format the column as Text (and re-enter the values), or export to CSV from a tool that
    keeps the digits.
    """,
)

PHONE_FORMAT = define(
    "SPC430",
    Severity.WARNING,
    "phone number in an unexpected shape",
    """
    HubSpot stores phone numbers as text and refuses none, but it formats, dials and matches
    them only when they look like `+[country code][number]`, optionally followed by an
    extension `ext123` (e.g. `+11234567890 ext123`). This value has letters, too few or too
    many digits (a full number has 7 to 15), or characters a phone number does not have.

    Write the number as `+` country code and digits; put notes in another property.
    """,
)

DOMAIN_TRIMMED = define(
    "SPC431",
    Severity.WARNING,
    "domain written as a URL",
    """
    The value is a domain with more around it: a protocol (`https://`), a port, a path
    (`example.com/about`), a query or a trailing dot. HubSpot keeps only the domain
    (`example.com`), which is usually what was meant, but two companies that differ only in
    their paths become the same domain.

    Write the bare domain.
    """,
)

# --- the account's own data: owners, pipelines, validation rules (catalog snapshots, format 2)

OWNER_NOT_FOUND = define(
    "SPC432",
    Severity.ERROR,
    "no owner of that id, email or name",
    """
    Owner properties (`hubspot_owner_id` and the others whose `referencedObjectType` is
    OWNER) take a user of the account: "the user's name, email address, or the internal
    value of the owner property" (HubSpot's KB "Format import files"). specc compares the
    value with the owners of the catalog snapshot (`GET /crm/v3/owners`): the owner id, the
    email in any letter case, or the full name `firstName lastName`. A value that names no
    owner is refused with COULD_NOT_FIND_OWNER and the record gets no owner. Deactivated
    (archived) owners do not count.

    Write the owner's email address (it names one user for sure); if the owner is new, pull
    the snapshot again (`specc catalog pull`).
    """,
    hubspot_error="COULD_NOT_FIND_OWNER",
)

OWNER_AMBIGUOUS = define(
    "SPC433",
    Severity.ERROR,
    "name shared by several owners",
    """
    Two or more owners of the account have this full name, so HubSpot cannot tell which one
    the row means and refuses it with MULTIPLE_OWNERS_FOUND (HubSpot's KB: use the email or
    the owner id when names repeat).

    Write the owner's email address or owner id instead of the name.
    """,
    hubspot_error="MULTIPLE_OWNERS_FOUND",
)

PIPELINE_NOT_FOUND = define(
    "SPC434",
    Severity.ERROR,
    "no pipeline of that id or label",
    """
    A pipeline property (deals' `pipeline`, `hs_pipeline` of tickets and the other objects)
    takes one of the account's pipelines, by its id or its label. HubSpot's KB "Format import
    files": "Pipeline and Deal stage must match existing options in your account". specc
    compares the value with the pipelines of the catalog snapshot
    (`GET /crm/v3/pipelines/{objectType}`); archived pipelines do not count.

    Write the pipeline's id or its label as the hint lists them; if the pipeline is new,
    pull the snapshot again.
    """,
    hubspot_error="INVALID_ENUMERATION_OPTION",
)

STAGE_NOT_FOUND = define(
    "SPC435",
    Severity.ERROR,
    "no pipeline stage of that id or label",
    """
    A stage property (deals' `dealstage`, `hs_pipeline_stage` of tickets and the other
    objects) takes a stage of the record's pipeline, by its id or its label. HubSpot's KB
    "Format import files": "Pipeline and Deal stage must match existing options in your
    account and the Deal stage must be a valid stage in that pipeline". This value is a stage
    of none of the pipelines of the catalog snapshot (or, without a pipeline column, of the
    default pipeline); archived stages do not count.

    Write the stage's id or label as the hint lists them.
    """,
    hubspot_error="INVALID_ENUMERATION_OPTION",
)

STAGE_OF_ANOTHER_PIPELINE = define(
    "SPC436",
    Severity.ERROR,
    "stage of another pipeline than the row's",
    """
    The stage exists, but not in the pipeline the row names (its pipeline column; the
    default pipeline when the file has none). HubSpot's KB "Format import files": "the Deal
    stage must be a valid stage in that pipeline". Labels such as "Closed Won" repeat across
    pipelines, but each pipeline's stages have ids of their own.

    Use a stage of the row's pipeline (the hint lists them), or correct the pipeline cell.
    """,
    hubspot_error="INVALID_ENUMERATION_OPTION",
)

BREAKS_VALIDATION_RULE = define(
    "SPC437",
    Severity.ERROR,
    "value breaks the property's validation rule",
    """
    An admin set validation rules on this property (HubSpot's KB "Set validation rules for a
    property"; the rules come from `GET /crm/v3/property-validations/{objectTypeId}` into the
    catalog snapshot). "If you've set validation rules, your imported values must follow the
    rules or they will not be imported" (KB "Format import files"): HubSpot refuses the value
    with INVALID_CUSTOM_PROPERTY_VALIDATION. The message names the rule (its `ruleType` and
    arguments, as the property validations API guide describes them: lengths, number range,
    decimal places, alphanumeric, special characters, case, whitespace, email, domain and
    URL format and their allowed or blocked domains, start and end dates, days of the week,
    phone numbers with a country code, regular expressions).

    Where HubSpot's description leaves a rule open (what counts as a special character,
    whether a date bound is read in the account's time zone), specc reports only values that
    break the rule under every reading.

    Fix the value, or change the rule in HubSpot and pull the snapshot again.
    """,
    hubspot_error="INVALID_CUSTOM_PROPERTY_VALIDATION",
)

REFORMATTED_BY_RULE = define(
    "SPC438",
    Severity.WARNING,
    "value HubSpot will reformat",
    """
    The property has a formatting rule with normalization on (`shouldApplyNormalization`):
    HubSpot's KB "Set up automatic formatting for property rules" says such rules apply to
    the import tool and change the value rather than refuse it ("entering 070078ABC will only
    display 070078"). The value is imported, but not as written.

    Write the value as the rule wants it, so the file and HubSpot agree.
    """,
)

RULE_NOT_EVALUATED = define(
    "SPC439",
    Severity.INFO,
    "validation rule specc does not evaluate",
    """
    The property has a validation rule specc does not check: a rule type HubSpot's
    documentation does not describe, arguments it cannot read (a regular expression outside
    RE2's syntax), or a rule whose outcome depends on the day HubSpot processes the import
    (AFTER_DURATION, BEFORE_DURATION and their date-time forms: "a duration after the current
    date"). Values are not guessed at; HubSpot may still refuse some with
    INVALID_CUSTOM_PROPERTY_VALIDATION.

    Nothing to fix in the spec; check the rule in HubSpot's property settings.
    """,
)

UNPARSABLE_TERM = define(
    "SPC440",
    Severity.ERROR,
    "Term HubSpot cannot parse",
    """
    A Term (line items' and products' `hs_recurring_billing_period`) is a number of months
    or an ISO-8601 period: HubSpot's KB "Format import files" asks for "ISO-8601 period
    formats of PnYnMnD or PnW" (`P12M`, `P1Y`, `P3M`, `P2W`, `P1Y6M`) or a number of months
    (`10`). Anything else is refused with COULD_NOT_PARSE_TERM.

    Write the term as `P` followed by years, months and days (`P1Y6M`), weeks (`P2W`), or a
    whole number of months.
    """,
    hubspot_error="COULD_NOT_PARSE_TERM",
)

PERCENT_SIGN_UNCONFIRMED = define(
    "SPC441",
    Severity.WARNING,
    "percent sign in a number property of unknown display",
    """
    Percentage properties take `25%` as well as `.25` (HubSpot's KB "Format import files":
    "to import 25%, your cell should contain either 25% or .25"); other number properties
    refuse the percent sign with COULD_NOT_PARSE_NUMBER. The catalog does not say how this
    property is displayed (no `numberDisplayHint`), so specc cannot tell which it is.

    If the property is not a percentage, write the plain number; a catalog snapshot
    (`specc catalog pull`) carries the display hint and settles it.
    """,
    hubspot_error="COULD_NOT_PARSE_NUMBER",
)

ACCOUNT_DATA_UNKNOWN = define(
    "SPC442",
    Severity.INFO,
    "owners, pipelines or validation rules not in the snapshot",
    """
    The catalog snapshot does not hold the account's owners, pipelines or validation rules
    (a format 1 snapshot, or a pull whose token lacked the scope for that part), so the
    values of the columns that need them are not checked against the account. A part that is
    present but empty means the account has none, and is checked.

    Pull the snapshot again with `specc catalog pull` and a token with the scope it names.
    """,
)
