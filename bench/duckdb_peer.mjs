// The DuckDB peer of bench/bench.py (bench/README.md): the national scoring of `ita score` done
// by DuckDB (@duckdb/node-api, pinned in bench/duckdb/package-lock.json and installed there by
// the bench with npm ci). Each step is its own process so that /usr/bin/time measures its time
// and peak memory:
//
//   node duckdb_peer.mjs load DIR DB.duckdb          the data set's three CSV files into tables
//   node duckdb_peer.mjs score DB.duckdb QUERY OUT.csv   the aggregation on those tables
//   node duckdb_peer.mjs pipeline DIR QUERY OUT.csv  the same straight over read_csv of the files
//   node duckdb_peer.mjs version                     DuckDB's version
//
// QUERY is the SQL of `bench/peer_sql.py EDITION.json duckdb` (the one source of the edition's
// tables; the bench writes it beforehand, as for the sqlite3 peer, so that Python's start is not
// timed) or the edition's JSON itself, turned into that SQL here. DuckDB runs with its default
// settings (a thread per core).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// The package lives in bench/duckdb/node_modules, not next to this file.
const require = createRequire(join(here, "duckdb", "package.json"));
const { DuckDBInstance } = await import(require.resolve("@duckdb/node-api"));

// The columns of `ita datagen`'s files, typed as written; the answer is text (likert codes 1–4
// and yes/no codes Y/N share the column), as DuckDB's own detection reads it too.
const FILES = {
  agencies: ["agencies.csv", { id: "INTEGER", name: "VARCHAR", district: "VARCHAR", province: "VARCHAR",
                               type: "VARCHAR", staff_count: "INTEGER", service_users: "INTEGER" }],
  answers: ["answers.csv", { agency: "INTEGER", tool: "VARCHAR", respondent: "INTEGER", item: "VARCHAR",
                             answer: "VARCHAR" }],
  oit: ["oit.csv", { agency: "INTEGER", item: "VARCHAR", verdict: "VARCHAR" }],
};

const literal = (s) => "'" + String(s).replaceAll("'", "''") + "'";

function readCsv(dir, table) {
  const [file, columns] = FILES[table];
  const cols = Object.entries(columns).map(([k, v]) => `${literal(k)}: ${literal(v)}`).join(", ");
  return `read_csv(${literal(resolve(dir, file))}, header = true, delim = ',', columns = {${cols}})`;
}

// The setup statements and the query of peer_sql.py's duckdb dialect.
function peerSql(path) {
  const text = path.endsWith(".json")
    ? execFileSync("python3", [join(here, "peer_sql.py"), path, "duckdb"], { encoding: "utf8" })
    : readFileSync(path, "utf8");
  const [setup, query] = text.split(/^-- the query$/m);
  if (query === undefined) throw new Error(`${path}: no "-- the query" line (peer_sql.py … duckdb)`);
  return { setup, query };
}

async function open(path) {
  const db = await DuckDBInstance.create(path);
  return db.connect();
}

async function scoreTo(conn, queryPath, out) {
  const { setup, query } = peerSql(queryPath);
  await conn.run(setup);
  await conn.run(`COPY (${query}) TO ${literal(resolve(out))} (FORMAT csv, HEADER)`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "load" && args.length === 2) {
  const [dir, dbPath] = args;
  for (const p of [dbPath, dbPath + ".wal"]) if (existsSync(p)) rmSync(p);
  const conn = await open(dbPath);
  for (const table of Object.keys(FILES))
    await conn.run(`CREATE TABLE ${table} AS SELECT * FROM ${readCsv(dir, table)}`);
  await conn.run("CHECKPOINT");
  const rows = await conn.runAndReadAll("SELECT count(*) FROM answers");
  console.log(`duckdb: loaded ${rows.getRows()[0][0]} answers from ${dir} into ${dbPath}`);
} else if (cmd === "score" && args.length === 3) {
  const [dbPath, query, out] = args;
  await scoreTo(await open(dbPath), query, out);
} else if (cmd === "pipeline" && args.length === 3) {
  const [dir, query, out] = args;
  const conn = await open(":memory:");
  // Views, not tables: the query reads the CSV files themselves.
  for (const table of Object.keys(FILES))
    await conn.run(`CREATE TEMP VIEW ${table} AS SELECT * FROM ${readCsv(dir, table)}`);
  await scoreTo(conn, query, out);
} else if (cmd === "version" && args.length === 0) {
  const rows = await (await open(":memory:")).runAndReadAll("SELECT version()");
  console.log(rows.getRows()[0][0]);
} else {
  console.error("usage: duckdb_peer.mjs load DIR DB.duckdb | score DB.duckdb QUERY OUT.csv | " +
                "pipeline DIR QUERY OUT.csv | version  (QUERY: peer_sql.py's duckdb SQL or EDITION.json)");
  process.exit(2);
}
