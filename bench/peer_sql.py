#!/usr/bin/env python3
"""The national scoring written as SQL: the peer `ita score --db --round-all` is measured against.

    peer_sql.py EDITION.json sqlite|postgres|duckdb > peer.sql

The answers are stored one row per response (schema version 3): responses.answers, a JSON
array of options aligned with answer_layouts.units. The script unnests the few layouts once
into an indexed temporary table (layout, position, unit); the query unnests each response's
array with json_each (SQLite) or json_array_elements_text WITH ORDINALITY (PostgreSQL) and joins
it to that table by position — the way SQL reads that layout. The script loads the edition's tables (points of every option of every answer unit after the
reverse flag, units → questions → indicators, OIT items, tool weights, grade rules) into
temporary tables, then one query does the aggregation of core/scoring.hpp — unit mean →
question mean → indicator mean → tool mean → weighted total — grades every round with the
first rule that holds and ranks the rounds nationally, by province and by type (rounded total
descending, then agency id), writing CSV with the columns of `ita score --round-all`.
It checks nothing (missing answers, unknown codes): it is the fast path a database person
would write, not a validating engine. sqlite3 reads it as a script; psql likewise.

The duckdb dialect works on the national data set's own tables instead of ours (agencies,
answers: one row per answer unit, oit: pass|fail verdicts; bench/duckdb_peer.mjs loads them from
the CSV of `ita datagen`, or names read_csv views over the files) with the agency as the round:
the setup statements, then a line "-- the query", then the query without its semicolon, which
duckdb_peer.mjs copies to the output CSV with COPY (…) TO.
"""
import json
import sys
from fractions import Fraction


def points_of(p):
    if isinstance(p, str):
        a, b = p.split("/")
        return float(Fraction(int(a), int(b)))
    return float(p)


def quote(s):
    return "'" + str(s).replace("'", "''") + "'"


def main():
    edition_path, dialect = sys.argv[1], sys.argv[2]
    e = json.load(open(edition_path, encoding="utf-8"))
    unit_points, units = [], []
    for tool_key, tool in (("iit", "IIT"), ("eit", "EIT")):
        for item in e[tool_key]["items"]:
            subs = item.get("sub_items") or [{"code": item["code"]}]
            for sub in subs:
                scale = e["scales"][sub.get("scale", item["scale"])]
                reverse = sub.get("reverse", item.get("reverse", False))
                pts = [points_of(o["points"]) for o in scale["options"]]
                lo, hi = min(pts), max(pts)
                for o, p in zip(scale["options"], pts):
                    unit_points.append((sub["code"], o["code"], lo + hi - p if reverse else p))
                units.append((sub["code"], item["code"], tool, item["indicator"]))
    sub_indicator = {s["id"]: s["indicator"] for s in e["oit"].get("sub_indicators", [])}
    oit_items = []
    for o in e["oit"]["items"]:
        indicator = o.get("indicator") or sub_indicator[o["sub_indicator"]]
        oit_items.append((o["code"], indicator, o.get("sub_indicator", "")))
    weights = [(t["id"], t["weight"]) for t in e["tools"]["list"]]
    rules = e["grading"]["rules"]

    real = "DOUBLE PRECISION"
    out = []
    w = out.append
    if dialect == "sqlite":
        w(".bail on")
    elif dialect == "postgres":
        w("\\set ON_ERROR_STOP on")
        w("SET client_min_messages = warning;")
    w(f"CREATE TEMP TABLE peer_unit_points (unit TEXT, option TEXT, points {real}, PRIMARY KEY (unit, option));")
    w(f"CREATE TEMP TABLE peer_units (unit TEXT PRIMARY KEY, question TEXT, tool TEXT, indicator INTEGER);")
    w(f"CREATE TEMP TABLE peer_oit_items (item TEXT PRIMARY KEY, indicator INTEGER, sub_indicator TEXT);")
    w(f"CREATE TEMP TABLE peer_weights (tool TEXT PRIMARY KEY, weight {real});")
    w(f"CREATE TEMP TABLE peer_grades (ord INTEGER, code TEXT, label TEXT, min_total {real}, min_every_tool {real});")
    w("INSERT INTO peer_unit_points VALUES " + ", ".join(f"({quote(u)}, {quote(o)}, {p!r})" for u, o, p in unit_points) + ";")
    w("INSERT INTO peer_units VALUES " + ", ".join(f"({quote(u)}, {quote(q)}, {quote(t)}, {i})" for u, q, t, i in units) + ";")
    w("INSERT INTO peer_oit_items VALUES " + ", ".join(f"({quote(c)}, {i}, {quote(s)})" for c, i, s in oit_items) + ";")
    w("INSERT INTO peer_weights VALUES " + ", ".join(f"({quote(t)}, {x!r})" for t, x in weights) + ";")
    w("INSERT INTO peer_grades VALUES " + ", ".join(
        f"({k}, {quote(r['code'])}, {quote(r['label_th'])}, {r['min_total']!r}, "
        f"{'NULL' if r.get('min_every_tool') is None else repr(r['min_every_tool'])})" for k, r in enumerate(rules)) + ";")

    r2 = (lambda x: f"round(CAST({x} AS NUMERIC), 2)") if dialect == "postgres" else (lambda x: f"round({x}, 2)")
    if dialect == "duckdb":  # the data set's oit table: one verdict per agency and item
        oit_round, oit_passed, oit_from = "o.agency", "o.verdict = 'pass'", "oit o"
    else:
        oit_round, oit_passed, oit_from = "o.round_id", "coalesce(o.final_verdict, o.verdict)", "oit_entries o"
    if e["oit"].get("aggregation") == "sub_indicator_mean":
        oit_sql = f"""
  SELECT round_id, 'OIT' AS tool, indicator, avg(score) AS score FROM (
    SELECT {oit_round} AS round_id, i.indicator, i.sub_indicator,
           avg(CASE WHEN {oit_passed} THEN 100.0 ELSE 0.0 END) AS score
    FROM {oit_from} JOIN peer_oit_items i ON i.item = o.item
    GROUP BY {oit_round}, i.indicator, i.sub_indicator) s
  GROUP BY round_id, indicator"""
    else:
        oit_sql = f"""
  SELECT {oit_round} AS round_id, 'OIT' AS tool, i.indicator,
         avg(CASE WHEN {oit_passed} THEN 100.0 ELSE 0.0 END) AS score
  FROM {oit_from} JOIN peer_oit_items i ON i.item = o.item
  GROUP BY {oit_round}, i.indicator"""
    # Each response's answers are a JSON array of options aligned with its layout's array of
    # units (src/store/answers_json.hpp). The layouts (a handful of rows) are unnested once into
    # an indexed table of (layout, position, unit); each response's array is unnested by the
    # database's own JSON table function and joined to it by position.
    answers_from = "responses r"
    if dialect == "duckdb":
        # The data set's answers table has one row per answer unit: no layout to unnest.
        answers_from, answers_of_r, unit, option = "answers a", "", "a.item", "a.answer"
    elif dialect == "sqlite":
        w("CREATE TEMP TABLE peer_layout_units (layout INTEGER, k INTEGER, unit TEXT, PRIMARY KEY (layout, k));")
        w("INSERT INTO peer_layout_units SELECT l.id, u.key, u.value FROM answer_layouts l, json_each(l.units) u;")
        answers_of_r = ("CROSS JOIN json_each(r.answers) AS a "
                        "JOIN peer_layout_units lu ON lu.layout = r.layout AND lu.k = a.key")
        unit, option = "lu.unit", "a.value"
    else:
        w("CREATE TEMP TABLE peer_layout_units (layout BIGINT, k BIGINT, unit TEXT, PRIMARY KEY (layout, k));")
        w("INSERT INTO peer_layout_units SELECT l.id, u.k, u.unit FROM answer_layouts l, "
          "json_array_elements_text(l.units::json) WITH ORDINALITY AS u(unit, k);")
        w("ANALYZE peer_layout_units;")
        answers_of_r = ("CROSS JOIN LATERAL json_array_elements_text(r.answers) WITH ORDINALITY AS a(option, k) "
                        "JOIN peer_layout_units lu ON lu.layout = r.layout AND lu.k = a.k")
        unit, option = "lu.unit", "a.option"
    round_of_answer = "a.agency" if dialect == "duckdb" else "r.round_id"
    every = " AND ".join(f"x.{t} >= g.min_every_tool" for t in ("iit", "eit", "oit"))
    grade = lambda col: (f"(SELECT g.{col} FROM peer_grades g WHERE x.total >= g.min_total "
                         f"AND (g.min_every_tool IS NULL OR ({every})) ORDER BY g.ord LIMIT 1)")
    if dialect == "duckdb":  # the data set holds one edition; each agency is one round
        edition, rounds, round_order = quote(e["id"]), "x JOIN agencies ag ON ag.id = x.round_id", "ag.id"
    else:
        edition, rounds, round_order = ("rd.edition_id",
                                        "x JOIN rounds rd ON rd.id = x.round_id JOIN agencies ag ON ag.id = rd.agency_id",
                                        "rd.id")
    query = f"""
WITH unit_scores AS (
  SELECT {round_of_answer} AS round_id, {unit} AS unit, avg(p.points) AS score
  FROM {answers_from}
  {answers_of_r}
  JOIN peer_unit_points p ON p.unit = {unit} AND p.option = {option}
  GROUP BY {round_of_answer}, {unit}),
question_scores AS (
  SELECT s.round_id, u.question, u.tool, u.indicator, avg(s.score) AS score
  FROM unit_scores s JOIN peer_units u ON u.unit = s.unit
  GROUP BY s.round_id, u.question, u.tool, u.indicator),
indicator_scores AS (
  SELECT round_id, tool, indicator, avg(score) AS score FROM question_scores GROUP BY round_id, tool, indicator
  UNION ALL{oit_sql}),
tool_scores AS (
  SELECT round_id, tool, avg(score) AS score FROM indicator_scores GROUP BY round_id, tool),
totals AS (
  SELECT t.round_id,
         max(CASE WHEN t.tool = 'IIT' THEN t.score END) AS iit,
         max(CASE WHEN t.tool = 'EIT' THEN t.score END) AS eit,
         max(CASE WHEN t.tool = 'OIT' THEN t.score END) AS oit,
         sum(w.weight * t.score) AS total
  FROM tool_scores t JOIN peer_weights w ON w.tool = t.tool
  GROUP BY t.round_id),
x AS (
  SELECT round_id, {r2('iit')} AS iit, {r2('eit')} AS eit, {r2('oit')} AS oit, {r2('total')} AS total FROM totals)
SELECT ag.id AS agency_id, ag.name AS agency, ag.province, ag.type, {edition} AS edition,
       x.iit, x.eit, x.oit, x.total, {grade('code')} AS level_code, {grade('label')} AS level_th,
       row_number() OVER (PARTITION BY {edition} ORDER BY x.total DESC, ag.id) AS rank_national,
       row_number() OVER (PARTITION BY {edition}, ag.province ORDER BY x.total DESC, ag.id) AS rank_province,
       row_number() OVER (PARTITION BY {edition}, ag.type ORDER BY x.total DESC, ag.id) AS rank_type
FROM {rounds}
ORDER BY {round_order}"""
    if dialect == "sqlite":
        w(".headers on")
        w(".mode csv")
        w(query + ";")
    elif dialect == "duckdb":
        w("-- the query")
        w(query.strip())
    else:
        w("COPY (" + query + ") TO STDOUT WITH (FORMAT csv, HEADER);")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
