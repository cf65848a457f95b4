"""Write the published JSON Schemas into docs/schemas/ (one NAME.schema.json per format).

    python tools/schemas.py

tests/test_audit.py checks that the files are what asb_case_review.schemas builds.
"""

from __future__ import annotations

from pathlib import Path

from asb_case_review.schemas import SCHEMAS, schema_text

TARGET = Path(__file__).resolve().parent.parent / "docs" / "schemas"


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        path = TARGET / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        print(f"wrote {path.relative_to(TARGET.parent.parent)}")


if __name__ == "__main__":
    main()
