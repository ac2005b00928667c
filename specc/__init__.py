"""specc: compile, validate and send HubSpot CRM import specs.

The pipeline, one package per stage:

    spec/      load YAML/TOML with source positions, render templates, resolve the model
    catalog/   objects, association types, properties (bundled defaults or a snapshot)
    compiler   resolved spec -> importRequest JSON (pure, deterministic)
    rules/     checks of the spec against the catalog and the data files' headers
    data/      CSV/XLSX readers and the per-cell value checks
    hubspot/   the HTTP client, emitted commands and the local sandbox server
    report/    diagnostics rendered as text, json, github or sarif

The library never prints; `specc.cli` is the only module that talks to the terminal.
"""

__version__ = "0.1.0"
