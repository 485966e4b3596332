#!/usr/bin/env python3
"""The benchmark's cases (a CSV of benches/peers/gen_cases.py) as JSONL: one
JSON object per case, with typed values (bools, ints, amounts as text).

Usage: to_jsonl.py CASES.csv CASES.jsonl
"""
import csv
import json
import sys

BOOLS = {
    "enterprise_is_sme", "is_college_graduate", "employed_since_leaving_school",
    "social_insurance_paid", "is_poverty_registered", "has_employment_certificate",
}


def main(src: str, dst: str) -> None:
    with open(src, newline="") as f, open(dst, "w") as out:
        for row in csv.DictReader(f):
            case = {}
            for key, cell in row.items():
                if key in BOOLS:
                    case[key] = cell == "1"
                elif key.endswith("_due") or key == "employer_si_monthly":
                    case[key] = cell
                else:
                    case[key] = int(cell)
            out.write(json.dumps(case, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
