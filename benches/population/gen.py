#!/usr/bin/env python3
"""A population of enterprises for the whole Xuchang package, as JSONL.

Usage: gen.py N OUT.jsonl

Each line is one case: an enterprise (size, employees, this year's taxes)
with 1 to 6 hires of 2020, and "today" at the end of 2020. The mix is meant
to look like a municipal register: mostly micro and small firms, a third of
hires registered unemployed, a third graduates, some poor labourers with a
marked certificate, contracts from 6 months to 3 years. Values come from a
counter-based generator (splitmix64 of the row, the hire and the field), so
the file is the same on every machine and the N-row file is the first N
rows of any larger one. Standard library only.
"""

import json
import sys

MASK = (1 << 64) - 1


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Draw:
    """The random values of one enterprise, one field at a time."""

    def __init__(self, row):
        self.row = row
        self.field = 0

    def u(self, hire=0):
        self.field += 1
        return splitmix64((7 << 56) + (self.row << 16) + (hire << 8) + self.field)

    def pct(self, p, hire=0):
        return self.u(hire) % 100 < p

    def int(self, lo, hi, hire=0):
        return lo + self.u(hire) % (hi - lo + 1)

    def pick(self, weighted, hire=0):
        total = sum(w for _, w in weighted)
        x = self.u(hire) % total
        for value, w in weighted:
            if x < w:
                return value
            x -= w
        return weighted[-1][0]


def date(y, m, d):
    return f"{y:04d}-{m:02d}-{min(d, 28):02d}"


def hire(d, h):
    registered = d.pct(35, h)
    graduate = not registered and d.pct(45, h)
    hired_m = d.int(1, 12, h)
    out = {
        "hired_on": date(2020, hired_m, d.int(1, 28, h)),
        "registered_unemployed": registered,
        "graduate": graduate,
        "contract_term": d.pick([("6 months", 15), ("1 year", 35), ("2 years", 30), ("3 years", 20)], h),
        "social_insurance_paid": d.pct(88, h),
        "employer_si_monthly": f"{d.int(30000, 150000, h) / 100:.2f}",
        "si_months": d.int(1, 14, h),
        "months_in_year": 13 - hired_m,
        "relief_start": date(2020, hired_m, 1),
    }
    if registered:
        out["unemployed_since"] = date(d.int(2018, 2020, h), d.int(1, 12, h), d.int(1, 28, h))
    if graduate:
        year = d.pick([(2019, 40), (2020, 60)], h)
        out["graduated_on"] = date(year, 6, 30)
        out["left_school_on"] = date(year, 7, 1)
        out["employed_since_leaving"] = d.pct(20, h)
    # A certificate holder is a registered unemployed person; a poor
    # labourer may be anyone.
    if d.pct(12, h):
        group = "registered_poor_labourer"
    elif registered and d.pct(60, h):
        group = "registered_unemployed_certificate_holder"
    else:
        group = "none"
    out["group"] = group
    if group == "registered_unemployed_certificate_holder":
        out["certificate"] = d.pick(
            [("employment_entrepreneurship", 60), ("employment_unemployment_registration", 30), ("none", 10)], h
        )
        out["certificate_marked"] = d.pct(80, h)
    else:
        out["certificate"] = "none"
        out["certificate_marked"] = False
    return out


def enterprise(row):
    d = Draw(row)
    size = d.pick([("micro", 45), ("small", 30), ("medium", 15), ("large", 10)])
    employees = {"micro": (3, 20), "small": (20, 100), "medium": (100, 300), "large": (300, 2000)}[size]
    hires = [hire(d, h + 1) for h in range(d.int(1, 6))]
    return {
        "today": "2020-12-31",
        "employer": {
            "size": size,
            "employees": d.int(*employees),
            "hires": hires,
            "taxes": {
                "vat": f"{d.int(0, 2_000_000) / 100:.2f}",
                "urban_construction": f"{d.int(0, 140_000) / 100:.2f}",
                "education_surcharge": f"{d.int(0, 60_000) / 100:.2f}",
                "local_education_surcharge": f"{d.int(0, 40_000) / 100:.2f}",
                "enterprise_income": f"{d.int(0, 3_000_000) / 100:.2f}",
            },
        },
    }


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen.py N OUT.jsonl")
    n, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w", encoding="utf-8") as out:
        for row in range(n):
            out.write(json.dumps(enterprise(row), ensure_ascii=False, separators=(",", ":")))
            out.write("\n")


if __name__ == "__main__":
    main()
