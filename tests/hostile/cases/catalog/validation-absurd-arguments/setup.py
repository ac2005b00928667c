"""A snapshot whose rules carry absurd arguments, and a few rows."""

import json
from pathlib import Path


def setup(work: Path) -> None:
    rules = [
        {
            "propertyName": "code",
            "propertyValidationRules": [
                {"ruleType": "MAX_LENGTH", "ruleArguments": ["9" * 4000]},
                {"ruleType": "REGEX", "ruleArguments": ["|".join(f"x{i}" for i in range(200_000))]},
                {"ruleType": "EMAIL_ALLOWED_DOMAINS", "ruleArguments": []},
            ],
        },
        {
            "propertyName": "age",
            "propertyValidationRules": [
                {"ruleType": "MIN_NUMBER", "ruleArguments": ["1e999999999"]},
                {"ruleType": "DECIMAL", "ruleArguments": ["-" + "9" * 4000]},
            ],
        },
        {
            "propertyName": "day",
            "propertyValidationRules": [
                {"ruleType": "DAYS_OF_WEEK", "ruleArguments": ["FUNDAY"]},
                {"ruleType": "START_DATE", "ruleArguments": ["9" * 30]},
            ],
        },
    ]
    snapshot = {
        "catalog": 2,
        "objects": [
            {
                "objectTypeId": "0-1",
                "name": "contacts",
                "properties": [
                    {"name": "email", "type": "string", "fieldType": "text"},
                    {"name": "code", "type": "string", "fieldType": "text"},
                    {"name": "age", "type": "number", "fieldType": "number"},
                    {"name": "day", "type": "date", "fieldType": "date"},
                ],
                "validationRules": rules,
            }
        ],
    }
    (work / "catalog.json").write_text(json.dumps(snapshot), "utf-8")
    with open(work / "data.csv", "w", encoding="utf-8") as f:
        f.write("Email,Code,Age,Day\n")
        for i in range(1000):
            f.write(f"u{i}@example.com,x{i},{i}.5,01/0{1 + i % 9}/2024\n")
