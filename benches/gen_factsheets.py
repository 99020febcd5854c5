#!/usr/bin/env python3
"""Makes the data behind the "Vsv in cijfers" factsheets: one row per RMC region and school
year (plus the national figure), and one row per region, year and education type.

    python3 benches/gen_factsheets.py                       # the example data in data/factsheets/
    python3 benches/gen_factsheets.py --years 10 --out DIR  # the benchmark set: 40 regions x 10 years

Real figures are used where the reference material has them (DUO, via the 2022 interim
evaluation of the Achterhoek programme); everything else is invented, plausible, and marked
`bron: fictief`. Cells that are not known stay empty ("not available", never zero).
The output depends only on the arguments: the same seed gives the same bytes.

Standard library only.
"""

import argparse
import csv
import io
import os
import random

# The 40 regions, modelled on the RMC regions (Regionale Meld- en Coördinatiefunctie) and
# numbered in that order; Achterhoek is RMC-regio 13 as in the reference. The names are
# plausible region names, not checked against DUO's current official list.
# (name, urbanisation group, participants in thousands: a rough size, invented)
REGIONS = [
    ("Oost-Groningen", "weinig stedelijk", 13),
    ("Noord-Groningen-Eemsdelta", "weinig stedelijk", 10),
    ("Centraal en Westelijk Groningen", "stedelijk", 30),
    ("Friesland-Noord", "weinig stedelijk", 22),
    ("Zuidwest Friesland", "matig stedelijk", 10),
    ("Friesland-Oost", "weinig stedelijk", 17),
    ("Noord- en Midden-Drenthe", "weinig stedelijk", 22),
    ("Zuid-Drenthe", "weinig stedelijk", 21),
    ("IJssel-Vecht", "matig stedelijk", 38),
    ("Stedendriehoek", "matig stedelijk", 32),
    ("Twente", "matig stedelijk", 48),
    ("Flevoland", "stedelijk", 33),
    ("Achterhoek", "matig stedelijk", 26),
    ("Arnhem", "zeer stedelijk", 35),
    ("Rijk van Nijmegen", "zeer stedelijk", 33),
    ("Rivierenland", "weinig stedelijk", 18),
    ("Eem en Vallei", "stedelijk", 32),
    ("Noordwest-Veluwe", "weinig stedelijk", 16),
    ("Utrecht", "zeer stedelijk", 46),
    ("Lekstroom", "stedelijk", 17),
    ("Gooi en Vechtstreek", "stedelijk", 20),
    ("Agglomeratie Amsterdam", "zeer stedelijk", 78),
    ("West-Friesland", "matig stedelijk", 19),
    ("Kop van Noord-Holland", "weinig stedelijk", 14),
    ("Noord-Kennemerland", "matig stedelijk", 20),
    ("Zaanstreek-Waterland", "zeer stedelijk", 25),
    ("Zuid-Kennemerland en IJmond", "zeer stedelijk", 30),
    ("Haaglanden-Westland", "zeer stedelijk", 70),
    ("Zuid-Holland Noord", "stedelijk", 38),
    ("Midden-Holland", "stedelijk", 19),
    ("Rijnmond", "zeer stedelijk", 95),
    ("Zuid-Holland Zuid", "zeer stedelijk", 30),
    ("Zeeland", "weinig stedelijk", 27),
    ("West-Brabant", "stedelijk", 50),
    ("Midden-Brabant", "stedelijk", 38),
    ("Noord-Oost-Brabant", "matig stedelijk", 49),
    ("Zuidoost-Brabant", "zeer stedelijk", 55),
    ("Noord-Limburg", "matig stedelijk", 20),
    ("Midden-Limburg", "matig stedelijk", 17),
    ("Zuid-Limburg", "stedelijk", 44),
]

# Typical share of new early school leavers per group (percent), before noise.
GROUP_LEVEL = {
    "zeer stedelijk": 2.35,
    "stedelijk": 1.95,
    "matig stedelijk": 1.6,
    "weinig stedelijk": 1.5,
}

# Real figures. Share of new early school leavers (DUO dashboard voortijdig schoolverlaten
# RMC-regio's), Achterhoek and national.
REAL_SHARE = {
    "Achterhoek": {"2016/2017": 1.30, "2017/2018": 1.40, "2018/2019": 1.47, "2019/2020": 1.20, "2020/2021": 1.45},
    "Landelijk": {"2016/2017": 1.75, "2017/2018": 1.90, "2018/2019": 2.02, "2019/2020": 1.72, "2020/2021": 1.87},
}
# Targets of the Achterhoek programme 2020-2024 (RMC regio 13).
REAL_TARGET = {"Achterhoek": {"2020/2021": 1.6}}
# National number of new early school leavers (DUO dashboard, 2019/2020).
REAL_COUNT = {"Landelijk": {"2019/2020": 22766}}
# Achterhoek per education type (DUO-gegevens Meten is Weten): count, share, target share.
REAL_TYPES = {
    ("Achterhoek", "2018/2019"): {"vo": (53, 0.3, 1.0), "mbo-1": (46, 21.3, 26.4), "mbo-2": (115, 7.7, 8.6), "mbo-3": (65, 3.0, 3.2), "mbo-4": (101, 1.9, 2.7)},
    ("Achterhoek", "2019/2020"): {"vo": (32, 0.2, 1.0), "mbo-1": (41, 18.6, 26.4), "mbo-2": (85, 5.5, 8.6), "mbo-3": (42, 2.1, 3.2), "mbo-4": (100, 1.9, 2.7)},
    ("Achterhoek", "2020/2021"): {"vo": (67, 0.5, 1.0), "mbo-1": (66, 29.5, 26.4), "mbo-2": (126, 7.6, 8.6), "mbo-3": (50, 2.3, 3.2), "mbo-4": (124, 2.2, 2.7)},
}
# Invented national shares for school years before the real series.
NATIONAL_BEFORE = [2.33, 2.21, 2.10, 2.05, 1.99]  # ..., 2014/2015, 2015/2016: older years first

TYPES = ["vo", "mbo-1", "mbo-2", "mbo-3", "mbo-4"]
# Part of a region's participants per education type, and the typical share per type.
TYPE_PART = {"vo": 0.58, "mbo-1": 0.012, "mbo-2": 0.068, "mbo-3": 0.11, "mbo-4": 0.23}
TYPE_SHARE = {"vo": 0.45, "mbo-1": 24.0, "mbo-2": 7.4, "mbo-3": 2.9, "mbo-4": 2.1}
TYPE_TARGET = {"vo": 1.0, "mbo-1": 26.4, "mbo-2": 8.6, "mbo-3": 3.2, "mbo-4": 2.7}

# Planted on purpose: a region without figures for one year, and a tie with Achterhoek.
MISSING = ("Zeeland", "2017/2018")
TIE = ("Zuid-Drenthe", "2020/2021", "Achterhoek")

NOTES = {
    ("Achterhoek", "2016/2017"): "Het aantal vsv'ers en het aantal deelnemers staan niet in de gebruikte bron.",
    ("Achterhoek", "2017/2018"): "Het aantal vsv'ers en het aantal deelnemers staan niet in de gebruikte bron.",
    ("Achterhoek", "2020/2021"): "Het aantal telt vo en mbo; de cijfers voor het vavo waren bij het maken van deze factsheet nog niet beschikbaar.",
    MISSING: "Voor dit schooljaar zijn geen cijfers aangeleverd. Dit is een verzonnen voorbeeld van ontbrekende gegevens.",
}

REGION_COLUMNS = ["regio", "schooljaar", "vsv_aantal", "vsv_percentage", "streefcijfer", "deelnemers",
                  "vergelijkingsgroep", "bron", "toelichting"]
TYPE_COLUMNS = ["regio", "schooljaar", "onderwijstype", "aantal", "percentage", "doelpercentage", "bron"]


def school_years(last, count):
    first = last - count + 1
    return [f"{y}/{y + 1}" for y in range(first, last + 1)]


def national_shares(years):
    out = {}
    before = [y for y in years if y not in REAL_SHARE["Landelijk"]]
    for i, y in enumerate(reversed(before)):
        out[y] = NATIONAL_BEFORE[-1 - i] if i < len(NATIONAL_BEFORE) else round(NATIONAL_BEFORE[0] + 0.1 * (i - len(NATIONAL_BEFORE) + 1), 2)
    for y in years:
        if y in REAL_SHARE["Landelijk"]:
            out[y] = REAL_SHARE["Landelijk"][y]
    return out


def fmt(v, decimals=None):
    if v is None:
        return ""
    if decimals is None:
        return str(v)
    return f"{v:.{decimals}f}"


def generate(years, seed):
    rng = random.Random(seed)
    nat = national_shares(years)
    mean_nat = sum(nat.values()) / len(nat)
    total_size = sum(size for _, _, size in REGIONS)
    national_participants = 22766 / 1.72 * 100  # consistent with the real 2019/2020 figures

    # First the invented shares and sizes, then scaled per year so that the regions together
    # give the national share, as real regional figures would.
    plan = []
    for name, group, size in REGIONS:
        base = GROUP_LEVEL[group] * rng.uniform(0.82, 1.18)
        if name in REAL_SHARE:
            # Invented years continue the region's real level.
            ratios = [v / nat[y] for y, v in REAL_SHARE[name].items() if y in nat]
            base = sum(ratios) / len(ratios) * mean_nat
        target_base = base * rng.uniform(0.95, 1.12)
        participants = national_participants * size / total_size
        growth = rng.uniform(-0.012, 0.012)
        for i, year in enumerate(years):
            plan.append({
                "name": name, "group": group, "year": year,
                "share": base * nat[year] / mean_nat + rng.gauss(0, 0.07),
                "n": round(participants * (1 + growth) ** i),
                "target": round(max(0.9, target_base - 0.03 * i), 1) if rng.random() > 0.08 else None,
                "noise": {t: rng.uniform(0.8, 1.2) for t in TYPES},
            })
    for year in years:
        rows = [p for p in plan if p["year"] == year]
        weighted = sum(p["share"] * p["n"] for p in rows) / sum(p["n"] for p in rows)
        for p in rows:
            p["share"] = round(min(3.0, max(1.0, p["share"] * nat[year] / weighted)), 2)

    regions_out, types_out = [], []
    for p in plan:
        name, year = p["name"], p["year"]
        row = {"regio": name, "schooljaar": year, "vergelijkingsgroep": p["group"],
               "toelichting": NOTES.get((name, year), "")}
        regions_out.append(row)

        def type_row(t, aantal, percentage, doel, bron):
            types_out.append({"regio": name, "schooljaar": year, "onderwijstype": t, "aantal": aantal,
                              "percentage": percentage, "doelpercentage": doel, "bron": bron})

        if (name, year) == MISSING:
            row.update(vsv_aantal=None, vsv_percentage=None, streefcijfer=None, deelnemers=None, bron="fictief")
            for t in TYPES:
                type_row(t, None, None, TYPE_TARGET[t], "fictief")
            continue
        real_share = REAL_SHARE.get(name, {}).get(year)
        if real_share is not None:
            # Real: only what the sources give; the rest stays empty.
            counts = REAL_TYPES.get((name, year))
            row.update(vsv_aantal=sum(c for c, _, _ in counts.values()) if counts else None,
                       vsv_percentage=real_share, streefcijfer=REAL_TARGET.get(name, {}).get(year),
                       deelnemers=None, bron="DUO")
            for t in TYPES:
                type_row(t, *(counts[t] if counts else (None, None, None)), "DUO")
            continue
        share = p["share"]
        if (name, year) == (TIE[0], TIE[1]):
            share = REAL_SHARE[TIE[2]][TIE[1]]
        count = round(share / 100 * p["n"])
        row.update(vsv_aantal=count, vsv_percentage=share, streefcijfer=p["target"], deelnemers=p["n"],
                   bron="fictief")
        # An invented breakdown that adds up to the region's count.
        raw = {t: TYPE_PART[t] * TYPE_SHARE[t] * p["noise"][t] for t in TYPES}
        counts = {t: round(raw[t] * count / sum(raw.values())) for t in TYPES}
        counts["mbo-4"] += count - sum(counts.values())
        for t in TYPES:
            type_row(t, counts[t], round(counts[t] / (p["n"] * TYPE_PART[t]) * 100, 1), TYPE_TARGET[t], "fictief")

    # The national figures last: charts take their per-year targets from the first row of a
    # year, which should be the region's, not the national one.
    for year in years:
        real = year in REAL_SHARE["Landelijk"]
        count = REAL_COUNT["Landelijk"].get(year)
        regions_out.append({
            "regio": "Landelijk", "schooljaar": year, "vsv_aantal": count, "vsv_percentage": nat[year],
            "streefcijfer": None, "deelnemers": round(count / nat[year] * 100) if count else None,
            "vergelijkingsgroep": "", "bron": "DUO" if real else "fictief",
            "toelichting": "" if real else "Verzonnen landelijk cijfer: de echte reeks in deze dataset begint in 2016/2017.",
        })
    return regions_out, types_out


def write_csv(path, columns, rows, decimals):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([fmt(r.get(c), decimals.get(c)) if isinstance(r.get(c), float) else fmt(r.get(c)) for c in columns])
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=os.path.join(here, "..", "data", "factsheets"),
                   help="folder for vsv-regio.csv and vsv-onderwijstype.csv (default: data/factsheets)")
    p.add_argument("--years", type=int, default=6, help="number of school years (default 6)")
    p.add_argument("--last", type=int, default=2020, help="first calendar year of the last school year (default 2020)")
    p.add_argument("--seed", type=int, default=13, help="random seed (default 13, the Achterhoek's RMC number)")
    a = p.parse_args()
    years = school_years(a.last, a.years)
    regions, types = generate(years, a.seed)
    write_csv(os.path.join(a.out, "vsv-regio.csv"), REGION_COLUMNS, regions,
              {"vsv_percentage": 2, "streefcijfer": 1})
    write_csv(os.path.join(a.out, "vsv-onderwijstype.csv"), TYPE_COLUMNS, types,
              {"percentage": 1, "doelpercentage": 1})
    pages = sum(1 for r in regions if r["regio"] != "Landelijk")
    print(f"gen_factsheets: {len(REGIONS)} regions x {len(years)} school years ({years[0]} to {years[-1]}): "
          f"{pages} factsheets, {len(types)} rows per education type, in {os.path.normpath(a.out)}")


if __name__ == "__main__":
    main()
