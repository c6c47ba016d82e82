#!/usr/bin/env python3
"""`make bench`: OpenITA's national-scale figures, each against a peer measured in the same run.
See bench/README.md for what each figure means and how to read its ratio.

    bench.py RELEASE_BUILD_DIR     (bench/run.sh calls it; writes bench/results.json)

Scale and length (environment):
    BENCH_AGENCIES=8300  BENCH_ANSWERS=1350000  BENCH_EDITION=2564  BENCH_SEED=1
    BENCH_RUNS=3 (timed runs of our scorer, after one warm-up; the median counts)
    BENCH_PEER_RUNS=1  BENCH_PDF_RUNS=20  BENCH_CHROMIUM_RUNS=5  BENCH_WRK_SECONDS=15
    BENCH_WRK_CONNECTIONS=64  BENCH_WORK=build/bench-work  BENCH_KEEP=1 (keep the data)
    BENCH_OIT_URLS=2000  BENCH_OIT_DELAY_MS=20  BENCH_OIT_CONNECTIONS=4 (the OIT fetch part)
    BENCH_SKIP=postgres,duckdb,wrk,wrk-postgres,wrk-dashboard,pdf,oit (parts to leave out;
    wrk-postgres: only the PostgreSQL run of the wrk part)
"""
import csv
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"


def env_int(name, default):
    return int(os.environ.get(name, default))


class Bench:
    def __init__(self, rel_dir):
        self.ita = (Path(rel_dir) / "ita").resolve()
        if not self.ita.exists():
            sys.exit(f"bench: no {self.ita}; build it first (make build)")
        self.work = Path(os.environ.get("BENCH_WORK", REPO / "build" / "bench-work")).resolve()
        self.agencies = env_int("BENCH_AGENCIES", 8300)
        self.answers = env_int("BENCH_ANSWERS", 1_350_000)
        self.edition = os.environ.get("BENCH_EDITION", "2564")
        self.seed = env_int("BENCH_SEED", 1)
        self.runs = env_int("BENCH_RUNS", 3)
        self.peer_runs = env_int("BENCH_PEER_RUNS", 1)
        self.skip = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
        self.edition_json = REPO / "editions" / f"{self.edition}.json"
        self.results = {
            "format": "ita-bench/1",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(),
            "scale": {"agencies": self.agencies, "respondents": self.answers, "edition": self.edition, "seed": self.seed},
            "figures": {},
            "timings": {},
            "notes": [],
        }
        self.started = time.monotonic()

    # ---- helpers ----

    def log(self, msg):
        print(f"bench [{time.monotonic() - self.started:6.1f} s] {msg}", flush=True)

    def timed(self, cmd, stdin=None, stdout=None, env=None):
        """Runs cmd under /usr/bin/time: (elapsed seconds, max RSS KiB, stdout text, stderr text)."""
        with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
            full = ["/usr/bin/time", "-f", "%e %M", "-o", t.name] + [str(c) for c in cmd]
            p = subprocess.run(full, stdin=stdin, stdout=stdout if stdout is not None else subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
            if p.returncode != 0:
                raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stderr[-2000:]}")
            elapsed, rss = t.read().split()[-2:]
            return float(elapsed), int(rss), (p.stdout or ""), p.stderr

    def figure(self, name, **fields):
        self.results["figures"][name] = fields
        self.log(f"{name}: " + ", ".join(f"{k}={v}" for k, v in fields.items() if k not in ("how", "peer_how")))

    def note(self, text):
        self.results["notes"].append(text)
        self.log("note: " + text)

    # ---- parts ----

    def generate(self):
        self.data = self.work / "dataset"
        elapsed, _, out, _ = self.timed([self.ita, "datagen", "--agencies", self.agencies, "--answers", self.answers,
                                         "--edition", self.edition, "--seed", self.seed, "--out", self.data])
        manifest = json.loads((self.data / "dataset.json").read_text())
        self.results["scale"]["answer_rows"] = manifest["answers"]
        self.results["timings"]["datagen_s"] = elapsed
        self.log(out.strip())

    def score(self, url, label):
        """Our national scorer: one warm-up, then BENCH_RUNS timed runs; the median counts."""
        out = self.work / f"ours-{label}.csv"
        cmd = [self.ita, "score", "--db", url, "--round-all", "--out", out]
        self.timed(cmd)  # warm-up: the database in the page cache, as for the peer after it
        times, rss = [], 0
        for _ in range(self.runs):
            elapsed, kb, _, err = self.timed(cmd)
            times.append(elapsed)
            rss = max(rss, kb)
        self.log(err.strip().splitlines()[-1])
        return statistics.median(times), times, rss, out

    def peer_sqlite(self, db):
        sql = self.work / "peer-sqlite.sql"
        sql.write_text(subprocess.check_output([sys.executable, BENCH / "peer_sql.py", self.edition_json, "sqlite"], text=True))
        out = self.work / "peer-sqlite.csv"
        times, rss = [], 0
        for _ in range(self.peer_runs):
            with open(sql) as i, open(out, "w") as o:
                elapsed, kb, _, _ = self.timed(["sqlite3", db], stdin=i, stdout=o)
            times.append(elapsed)
            rss = max(rss, kb)
        return statistics.median(times), rss, out

    def peer_postgres(self, url):
        sql = self.work / "peer-postgres.sql"
        sql.write_text(subprocess.check_output([sys.executable, BENCH / "peer_sql.py", self.edition_json, "postgres"], text=True))
        out = self.work / "peer-postgres.csv"
        times = []
        for _ in range(self.peer_runs):
            with open(out, "w") as o:
                elapsed, _, _, _ = self.timed(["psql", "-X", "-q", url, "-f", sql], stdout=o)
            times.append(elapsed)
        return statistics.median(times), out

    def sqlite_part(self):
        db = self.work / "national.sqlite"
        elapsed, import_rss, out, _ = self.timed([self.ita, "import", self.data, "--db", db])
        self.results["timings"]["import_sqlite_s"] = elapsed
        self.results["timings"]["import_sqlite_max_rss_mib"] = round(import_rss / 1024, 1)
        self.results["timings"]["sqlite_file_mib"] = round(db.stat().st_size / 2**20)
        self.log(out.strip())
        # The same data set again: recognised by its SHA-256, nothing written.
        elapsed, _, out, _ = self.timed([self.ita, "import", self.data, "--db", db])
        if "nothing changed" not in out:
            raise RuntimeError("a second import of the same data set was not recognised:\n" + out)
        self.results["timings"]["reimport_sqlite_s"] = elapsed
        ours, runs, rss, ours_csv = self.score(db, "sqlite")
        one, _, _, _ = self.timed([self.ita, "score", "--db", db, "--round-all", "--jobs", "1", "--out", self.work / "ours-1.csv"])
        self.results["timings"]["score_sqlite_one_stream_s"] = one
        # What the DuckDB part compares against: the data set as imported and scored here.
        self.sqlite_score = {"seconds": ours, "runs": runs, "rss_kib": rss, "csv": ours_csv, "db": db,
                             "import_rss_kib": import_rss}
        self.results["timings"]["import_and_score_sqlite_s"] = round(
            self.results["timings"]["import_sqlite_s"] + ours, 2)
        peer, peer_rss, peer_csv = self.peer_sqlite(db)
        self.figure("national_scoring_sqlite",
                    how="ita score --db national.sqlite --round-all (median of timed runs, warm page cache)",
                    seconds=ours, runs=runs, peer="sqlite3 shell running bench/peer_sql.py's SQL", peer_seconds=peer,
                    ratio=round(peer / ours, 2), ratio_means="peer time / our time (> 1: we are faster)",
                    goal="faster than the peer, and under 2 s", met=peer > ours and ours < 2.0,
                    peer_disagreements=compare(ours_csv, peer_csv))
        self.figure("national_scoring_peak_memory",
                    how="maximum resident set size of ita score --round-all on SQLite (/usr/bin/time)",
                    mib=round(rss / 1024, 1), peer="sqlite3 shell running the peer SQL", peer_mib=round(peer_rss / 1024, 1),
                    ratio=round(peer_rss / rss, 2), ratio_means="peer memory / our memory (> 1: we use less)",
                    goal="under 1 GiB", met=rss < 1024 * 1024)

    def duckdb_command(self):
        """node running bench/duckdb_peer.mjs, with @duckdb/node-api installed by npm ci from
        bench/duckdb/package-lock.json when missing; None (noted) without node or npm."""
        node, npm = shutil.which("node"), shutil.which("npm")
        if node is None or npm is None:
            self.note("DuckDB part skipped: node or npm is not installed")
            return None
        pkg = BENCH / "duckdb"
        if not (pkg / "node_modules" / "@duckdb" / "node-api").is_dir():
            self.log("installing @duckdb/node-api (npm ci in bench/duckdb)")
            p = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=pkg, capture_output=True, text=True)
            if p.returncode != 0:
                self.note("DuckDB part skipped: npm ci failed: " + p.stderr.strip()[-500:])
                return None
        return [node, BENCH / "duckdb_peer.mjs"]

    def median_of(self, cmd, n):
        """n timed runs of cmd: (median seconds, the runs, maximum RSS KiB over them)."""
        times, rss = [], 0
        for _ in range(n):
            elapsed, kb, _, _ = self.timed(cmd)
            times.append(elapsed)
            rss = max(rss, kb)
        return statistics.median(times), times, rss

    def duckdb_part(self):
        """DuckDB on the same data set: loaded from the CSV files into its own file, then the
        national aggregation of peer_sql.py (duckdb dialect) on it; and that aggregation straight
        over the files. Uses the data set and our SQLite figures of sqlite_part."""
        peer = self.duckdb_command()
        if peer is None:
            return
        _, idle_rss, version, _ = self.timed(peer + ["version"])
        self.results["machine"]["duckdb"] = version.strip()
        # node with the DuckDB library loaded, doing nothing: the floor of the peer's peak memory
        self.results["timings"]["duckdb_idle_max_rss_mib"] = round(idle_rss / 1024, 1)
        ddir = self.work / "duckdb"
        ddir.mkdir(parents=True, exist_ok=True)
        query = ddir / "peer-duckdb.sql"
        query.write_text(subprocess.check_output([sys.executable, BENCH / "peer_sql.py", self.edition_json, "duckdb"],
                                                 text=True))
        db = ddir / "national.duckdb"
        load_s, _, load_rss = self.median_of(peer + ["load", self.data, db], self.peer_runs)
        self.results["timings"]["duckdb_load_s"] = load_s
        self.results["timings"]["duckdb_load_max_rss_mib"] = round(load_rss / 1024, 1)
        self.results["timings"]["duckdb_file_mib"] = round(db.stat().st_size / 2**20)
        peer_csv = ddir / "peer-duckdb.csv"
        score_cmd = peer + ["score", db, query, peer_csv]
        self.timed(score_cmd)  # warm-up, as for our scorer
        score_s, _, score_rss = self.median_of(score_cmd, self.peer_runs)
        ours = self.sqlite_score
        rss = ours["rss_kib"]
        self.figure("national_scoring_duckdb",
                    how="ita score --db national.sqlite --round-all (the runs of national_scoring_sqlite)",
                    seconds=ours["seconds"], runs=ours["runs"], max_rss_mib=round(rss / 1024, 1),
                    peer=f"DuckDB {self.results['machine']['duckdb']} (@duckdb/node-api, default threads): "
                         "bench/peer_sql.py's duckdb SQL on the data set loaded into a DuckDB file "
                         "(bench/duckdb_peer.mjs score; one warm-up, median of BENCH_PEER_RUNS)",
                    peer_seconds=score_s, peer_max_rss_mib=round(score_rss / 1024, 1),
                    ratio=round(score_s / ours["seconds"], 2), ratio_means="peer time / our time (> 1: we are faster)",
                    goal="≥ 2× faster than DuckDB, under 1 s, under 100 MiB",
                    met=score_s >= 2 * ours["seconds"] and ours["seconds"] < 1.0 and rss < 100 * 1024,
                    peer_disagreements=compare(ours["csv"], peer_csv))
        direct_csv = ddir / "peer-duckdb-direct.csv"
        direct_s, _, direct_rss = self.median_of(peer + ["pipeline", self.data, query, direct_csv], self.peer_runs)
        self.duckdb_pipeline_figure(load_s + score_s, max(load_rss, score_rss), peer_csv, direct_s, direct_rss,
                                    direct_csv)

    def duckdb_pipeline_figure(self, peer_s, peer_rss, peer_csv, direct_s, direct_rss, direct_csv):
        """From the data set's files to the national CSV: ours (ita score --dataset, or import +
        score where the binary has no --dataset yet) against DuckDB's load + score."""
        help_text = subprocess.run([self.ita, "score", "--help"], capture_output=True, text=True).stdout
        if "--dataset" in help_text:
            ours_csv = self.work / "ours-dataset.csv"
            ours_s, runs, rss = self.median_of([self.ita, "score", "--dataset", self.data, "--out", ours_csv], self.runs)
            how = ("ita score --dataset DIR: the data set's files scored straight, with full validation "
                   "(median of BENCH_RUNS runs, files in the page cache)")
        else:
            ours = self.sqlite_score
            ours_s = round(self.results["timings"]["import_sqlite_s"] + ours["seconds"], 2)
            runs, rss, ours_csv = None, max(ours["rss_kib"], ours["import_rss_kib"]), ours["csv"]
            how = ("FALLBACK (this ita has no score --dataset): ita import DIR into a fresh SQLite file + "
                   "ita score --db --round-all (the median of national_scoring_sqlite), summed")
        self.figure("national_pipeline_duckdb", how=how, seconds=ours_s, runs=runs, max_rss_mib=round(rss / 1024, 1),
                    peer="DuckDB: bench/duckdb_peer.mjs load (read_csv of the three files into a DuckDB file) + "
                         "score (the aggregation on it), the two timed processes summed",
                    peer_seconds=round(peer_s, 2), peer_max_rss_mib=round(peer_rss / 1024, 1),
                    peer_direct="DuckDB: bench/duckdb_peer.mjs pipeline, the aggregation straight over read_csv "
                                "of the files (no tables)",
                    peer_direct_seconds=direct_s, peer_direct_max_rss_mib=round(direct_rss / 1024, 1),
                    ratio=round(peer_s / ours_s, 2), direct_ratio=round(direct_s / ours_s, 2),
                    ratio_means="peer time / our time (> 1: we are faster)",
                    goal="at least as fast as DuckDB's load + aggregation", met=peer_s >= ours_s,
                    peer_disagreements=compare(ours_csv, peer_csv),
                    peer_direct_disagreements=compare(ours_csv, direct_csv))

    def start_postgres(self, name, part):
        """A throwaway cluster of bench/pg.sh in work/NAME: its URL, or None (noted) without PostgreSQL."""
        if shutil.which("psql") is None:
            self.note(f"{part} skipped: no psql")
            return None
        p = subprocess.run(["bash", BENCH / "pg.sh", "start", self.work / name], capture_output=True, text=True)
        if p.returncode == 77:
            self.note(f"{part} skipped: " + p.stderr.strip())
            return None
        if p.returncode != 0:
            raise RuntimeError("bench/pg.sh start failed:\n" + p.stderr)
        return p.stdout.strip()

    def stop_postgres(self, name):
        subprocess.run(["bash", BENCH / "pg.sh", "stop", self.work / name], capture_output=True)

    def postgres_part(self):
        url = self.start_postgres("pg", "PostgreSQL part")
        if url is None:
            return
        try:
            elapsed, _, out, _ = self.timed([self.ita, "import", self.data, "--db", url])
            self.results["timings"]["import_postgres_s"] = elapsed
            self.log(out.strip())
            ours, runs, rss, ours_csv = self.score(url, "postgres")
            peer, peer_csv = self.peer_postgres(url)
            self.results["timings"]["score_postgres_max_rss_mib"] = round(rss / 1024, 1)
            self.figure("national_scoring_postgres",
                        how="ita score --db postgresql://… --round-all (median of timed runs; throwaway cluster of bench/pg.sh)",
                        seconds=ours, runs=runs, peer="psql running bench/peer_sql.py's SQL on the same cluster",
                        peer_seconds=peer, ratio=round(peer / ours, 2),
                        ratio_means="peer time / our time (> 1: we are faster)", goal="faster than the peer",
                        met=peer > ours, peer_disagreements=compare(ours_csv, peer_csv))
        finally:
            self.stop_postgres("pg")

    def pdf_part(self):
        fixture = REPO / "tests" / "fixtures" / "seed-2566-indicators.json"
        n = env_int("BENCH_PDF_RUNS", 20)
        out = self.work / "report.pdf"
        cmd = [str(self.ita), "report", str(fixture), "--format", "pdf", "--out", str(out)]
        subprocess.run(cmd, check=True)  # warm-up (fonts into the page cache)
        ours = []
        for _ in range(n):
            t = time.perf_counter()
            subprocess.run(cmd, check=True)
            ours.append(time.perf_counter() - t)
        ours_ms = statistics.median(ours) * 1000
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        fields = dict(how=f"ita report seed-2566-indicators.json --format pdf, whole process, median of {n}",
                      ms=round(ours_ms, 1), goal="under 50 ms each", met=ours_ms < 50)
        if chromium:
            html = self.work / "report.html"
            subprocess.run([str(self.ita), "report", str(fixture), "--format", "html", "--out", str(html)], check=True)
            profile = self.work / "chromium-profile"
            ccmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                    "--no-pdf-header-footer", f"--print-to-pdf={self.work / 'chromium.pdf'}", html.as_uri()]
            subprocess.run(ccmd, check=True, capture_output=True)  # warm-up
            peer = []
            for _ in range(env_int("BENCH_CHROMIUM_RUNS", 5)):
                t = time.perf_counter()
                subprocess.run(ccmd, check=True, capture_output=True)
                peer.append(time.perf_counter() - t)
            peer_ms = statistics.median(peer) * 1000
            fields.update(peer="chromium --headless --print-to-pdf of the same document's HTML (ita report --format html)",
                          peer_ms=round(peer_ms, 1), ratio=round(peer_ms / ours_ms, 2),
                          ratio_means="peer time / our time (> 1: we are faster)")
        else:
            fields.update(peer=None, ratio=None, ratio_means="skipped: chromium is not installed")
        self.figure("pdf_per_agency", **fields)
        self.pdf_batch_part(fields.get("peer_ms"))

    def pdf_batch_part(self, chromium_ms):
        """Every agency's document in one go: ita reports --jobs 2 on the national SQLite file."""
        db = self.work / "national.sqlite"
        out_dir = self.work / "reports"
        elapsed, rss, out, _ = self.timed([self.ita, "reports", "--db", db, "--out-dir", out_dir, "--jobs", "2"])
        self.log(out.strip())
        documents = sum(1 for _ in out_dir.glob("ita-measures-round-*.pdf"))
        per_doc_ms = 1000 * elapsed / max(documents, 1)
        # ita reports' own count: one rendering process's time per document, start-up excluded
        per_process = re.search(r"([0-9.]+) ms a document per process", out)
        fields = dict(how="ita reports --db national.sqlite --jobs 2: score every round, then render every agency's "
                          "PDF in 2 processes (wall time, including the scoring)",
                      documents=documents, seconds=round(elapsed, 1), wall_ms_per_document=round(per_doc_ms, 1),
                      process_ms_per_document=float(per_process.group(1)) if per_process else None,
                      max_rss_mib=round(rss / 1024, 1), goal="all agencies under 5 minutes on 2 cores (under 50 ms each)",
                      met=elapsed < 300 and per_doc_ms < 50)
        if chromium_ms:
            fields.update(peer="chromium --headless --print-to-pdf, per document (measured above), times the documents, "
                               "over 2 cores", peer_seconds=round(chromium_ms * documents / 2 / 1000, 1),
                          ratio=round(chromium_ms / 2 / per_doc_ms, 2),
                          ratio_means="peer time / our time (> 1: we are faster)")
        self.figure("pdf_all_agencies", **fields)
        shutil.rmtree(out_dir, ignore_errors=True)

    def oit_part(self):
        """The OIT readiness check's fetcher against curl, both fetching the same URLs from one
        loopback web server that answers each request after a delay, as a real agency site would."""
        if shutil.which("curl") is None:
            self.note("OIT fetch part skipped: curl is not installed")
            return
        n = env_int("BENCH_OIT_URLS", 2000)
        delay = env_int("BENCH_OIT_DELAY_MS", 20) / 1000
        conns = env_int("BENCH_OIT_CONNECTIONS", 4)
        page = ("<html><body><h1>แผนการดำเนินงานประจำปีงบประมาณ พ.ศ. 2567</h1>"
                + "<p>หน่วยงานเผยแพร่ข้อมูลต่อสาธารณะเพื่อความโปร่งใส</p>" * 200 + "</body></html>").encode()
        server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _DelayedPage(page, delay, *a))
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.server_address[1]
        urls = [f"http://127.0.0.1:{port}/ita/o{i}" for i in range(n)]
        listing = self.work / "oit-urls.txt"
        listing.write_text("\n".join(urls) + "\n")
        config = self.work / "oit-curl.cfg"
        config.write_text("".join(f'url = "{u}"\noutput = "/dev/null"\n' for u in urls))
        try:
            ours_s, ours_rss, out, _ = self.timed([self.ita, "oit", "fetch", "--urls", listing, "--allow-loopback",
                                                   "--per-host", conns, "--parallel", conns])
            fetched = [json.loads(line) for line in out.splitlines()]
            ok = sum(1 for f in fetched if f["status"] == 200 and f["bytes"] == len(page))
            peer_s, peer_rss, peer_out, _ = self.timed(
                ["curl", "--silent", "--parallel", "--parallel-immediate", "--parallel-max", conns, "--write-out", "%{http_code}\\n",
                 "--config", config])
            peer_ok = peer_out.split().count("200")
        finally:
            server.shutdown()
        self.figure("oit_fetch", how=f"ita oit fetch: {n} URLs of {len(page) // 1024} KiB from one loopback server "
                                     f"answering after {int(delay * 1000)} ms, {conns} connections at once",
                    urls=n, seconds=round(ours_s, 2), urls_per_s=round(n / ours_s, 1),
                    max_rss_mib=round(ours_rss / 1024, 1), fetched_ok=ok,
                    peer=f"curl --parallel --parallel-immediate --parallel-max {conns} over the same URLs (output discarded)",
                    peer_seconds=round(peer_s, 2), peer_ok=peer_ok, peer_max_rss_mib=round(peer_rss / 1024, 1),
                    ratio=round(peer_s / ours_s, 2), ratio_means="peer time / our time (> 1: we are faster)")

    def wrk_part(self):
        if shutil.which("wrk") is None:
            self.note("HTTP part skipped: wrk is not installed (apt-get install wrk)")
            return
        wdir = self.work / "wrk"
        wdir.mkdir(parents=True, exist_ok=True)
        db = wdir / "serve.sqlite"
        self.wrk_submissions("http_submissions", str(db), "a fresh SQLite file (WAL, synchronous=FULL)",
                             lambda: int(subprocess.check_output(["sqlite3", db, "SELECT count(*) FROM responses"],
                                                                 text=True)))
        if "wrk-postgres" in self.skip:
            return
        url = self.start_postgres("pg-wrk", "HTTP part on PostgreSQL")
        if url is None:
            return
        try:
            # pg.sh starts a load-and-measure cluster without fsync; durable submissions need it on.
            for setting in ("fsync = on", "full_page_writes = on", "synchronous_commit = on"):
                subprocess.run(["psql", "-X", "-q", url, "-c", f"ALTER SYSTEM SET {setting}"], check=True,
                               capture_output=True)
            subprocess.run(["psql", "-X", "-q", url, "-c", "SELECT pg_reload_conf()"], check=True, capture_output=True)
            self.wrk_submissions("http_submissions_postgres", url,
                                 "a fresh PostgreSQL database (bench/pg.sh cluster with fsync, full_page_writes "
                                 "and synchronous_commit on)",
                                 lambda: int(subprocess.check_output(
                                     ["psql", "-X", "-At", url, "-c", "SELECT count(*) FROM responses"], text=True)))
        finally:
            self.stop_postgres("pg-wrk")

    def wrk_submissions(self, name, db, db_how, count_stored):
        """wrk POSTing complete IIT responses to `ita serve --db DB`, then GET /healthz on the same server."""
        wdir = self.work / "wrk"
        subprocess.run([self.ita, "user", "add", "admin@bench.test", "--role", "admin", "--password-stdin", "--db", db],
                       input="bench-password-1234\n", text=True, check=True, capture_output=True)
        token = subprocess.check_output([self.ita, "token", "create", "--user", "admin@bench.test", "--db", db],
                                        text=True).strip().splitlines()[-1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # --survey-rate 0: every request comes from 127.0.0.1, which the per-address survey rate
        # limit would otherwise stop after its burst.
        server = subprocess.Popen([self.ita, "serve", "--db", db, "--port", str(port), "--survey-rate", "0"],
                                  stdout=subprocess.DEVNULL, stderr=open(wdir / f"serve-{name}.log", "w"))
        try:
            wait_for(base + "/healthz")
            agency = api(base + "/api/v1/agencies", token, {"name": "เทศบาลตำบลทดสอบ", "district": "เมือง",
                                                             "province": "น่าน", "type": "เทศบาลตำบล"})
            rnd = api(base + "/api/v1/rounds", token, {"agency_id": agency["id"], "edition": self.edition,
                                                       "staff_count": 1_000_000, "service_users": 1_000_000,
                                                       "access_codes": False})
            body = wdir / "body.json"
            body.write_text(subprocess.check_output([sys.executable, BENCH / "answers_body.py", self.edition_json, "iit"], text=True))
            url = base + rnd["api"]["iit"]  # the survey link's route: /api/v1/s/{token}/responses
            seconds = env_int("BENCH_WRK_SECONDS", 15)
            conns = env_int("BENCH_WRK_CONNECTIONS", 64)
            post = run_wrk(url, seconds, conns, BENCH / "submit.lua", {"ITA_BENCH_BODY": str(body)})
            stored = count_stored()
            get = run_wrk(base + "/healthz", seconds, conns)
        finally:
            stop(server)
        ok = post["requests"] - post["non_2xx"]
        if stored < ok:
            raise RuntimeError(f"wrk saw {ok} stored responses but the database holds {stored}")
        self.figure(name,
                    how=f"wrk -t2 -c{conns} -d{seconds}s POST of one complete IIT response (bench/submit.lua) "
                        f"to ita serve on {db_how}, loopback; each 201 is a response committed (group commit) "
                        "before the reply",
                    per_second=post["rps"], p99_ms=post["p99_ms"], non_2xx=post["non_2xx"], stored=stored,
                    peer="the same server's GET /healthz, same wrk settings", peer_per_second=get["rps"],
                    peer_p99_ms=get["p99_ms"], ratio=round(post["rps"] / get["rps"], 3),
                    ratio_means="submissions/s ÷ healthz/s: the share of the server's bare HTTP rate that "
                                "durable submissions reach (1 would mean storing costs nothing)",
                    p99_ratio=round(post["p99_ms"] / get["p99_ms"], 1),
                    goal="≥ 10,000 submissions/s with p99 < 20 ms",
                    met=post["rps"] >= 10_000 and post["p99_ms"] < 20)

    def wrk_dashboard_part(self):
        """The national dashboard page under load: wrk GET /dashboard, signed in, on a copy of the
        national SQLite file, against the same server's GET /healthz."""
        if shutil.which("wrk") is None:
            self.note("dashboard part skipped: wrk is not installed (apt-get install wrk)")
            return
        ddir = self.work / "dashboard"
        ddir.mkdir(parents=True, exist_ok=True)
        db = ddir / "national.sqlite"  # a copy: the server adds a user, a session and its mixing
        shutil.copyfile(self.work / "national.sqlite", db)
        email, password = "viewer@bench.test", "bench-password-1234"
        subprocess.run([self.ita, "user", "add", email, "--role", "admin", "--password-stdin", "--db", db],
                       input=password + "\n", text=True, check=True, capture_output=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        refresh = 60  # ita serve's default --dashboard-refresh: the figures are rescanned at most once a minute
        server = subprocess.Popen([self.ita, "serve", "--db", db, "--port", str(port), "--dashboard-refresh", str(refresh)],
                                  stdout=subprocess.DEVNULL, stderr=open(ddir / "serve.log", "w"))
        try:
            wait_for(base + "/healthz", 120)
            cookie = sign_in(port, email, password)
            first_ms, page = timed_get(port, "/dashboard", cookie)  # cold: the first national scan
            second_ms, _ = timed_get(port, "/dashboard", cookie)
            shown = re.search(r'id="agencies-count">([0-9,]+)<', page)
            if shown is None or 'class="agencies"' not in page:
                raise RuntimeError("GET /dashboard did not show the national dashboard:\n" + page[:2000])
            seconds = env_int("BENCH_WRK_SECONDS", 15)
            conns = env_int("BENCH_WRK_CONNECTIONS", 64)
            # healthz first: the pages still queued when wrk stops would delay the next run's first
            # requests. A long --timeout, so that slow pages count in the latencies, not as errors.
            get = run_wrk(base + "/healthz", seconds, conns, timeout="60s")
            dash = run_wrk(base + "/dashboard", seconds, conns, headers=[f"Cookie: {cookie}"], timeout="60s")
        finally:
            stop(server)
        if dash["non_2xx"] or get["non_2xx"]:
            raise RuntimeError(f"non-2xx replies under wrk: dashboard {dash['non_2xx']}, healthz {get['non_2xx']}")
        if dash["timeouts"] or get["timeouts"]:
            self.note(f"http_dashboard: requests unanswered within wrk's 60 s timeout: dashboard {dash['timeouts']}, "
                      f"healthz {get['timeouts']}")
        p99_ratio = round(dash["p99_ms"] / get["p99_ms"], 2)
        self.figure("http_dashboard",
                    how=f"wrk -t2 -c{conns} -d{seconds}s GET /dashboard (the national dashboard page, first page of "
                        f"the ranking, signed in by session cookie; --timeout 60s) of ita serve --dashboard-refresh {refresh} on a "
                        "copy of national.sqlite, loopback",
                    agencies_shown=int(shown.group(1).replace(",", "")), page_bytes=len(page.encode()),
                    first_request_ms=round(first_ms, 1), second_request_ms=round(second_ms, 1),
                    per_second=dash["rps"], p99_ms=dash["p99_ms"], non_2xx=dash["non_2xx"],
                    requests=dash["requests"], peer="the same server's GET /healthz, same wrk settings (run first)", peer_per_second=get["rps"],
                    peer_p99_ms=get["p99_ms"], ratio=round(dash["rps"] / get["rps"], 3),
                    ratio_means="dashboard pages/s ÷ healthz/s; p99_ratio: dashboard p99 ÷ healthz p99 (≤ 3: the "
                                "page costs little more than the bare HTTP exchange)",
                    p99_ratio=p99_ratio, goal="p99_ratio ≤ 3", met=p99_ratio <= 3)

    def run(self):
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        try:
            self.log(f"scale: {self.agencies} agencies, {self.answers} respondents, edition {self.edition}; work in {self.work}")
            self.generate()
            self.sqlite_part()
            if "duckdb" not in self.skip:
                self.duckdb_part()
            if "postgres" not in self.skip:
                self.postgres_part()
            if "pdf" not in self.skip:
                self.pdf_part()
            if "oit" not in self.skip:
                self.oit_part()
            if "wrk" not in self.skip:
                self.wrk_part()
            if "wrk-dashboard" not in self.skip:
                self.wrk_dashboard_part()
        finally:
            self.results["timings"]["bench_total_s"] = round(time.monotonic() - self.started, 1)
            out = BENCH / "results.json"
            out.write_text(json.dumps(self.results, ensure_ascii=False, indent=2) + "\n")
            self.log(f"wrote {out}")
            if os.environ.get("BENCH_KEEP") != "1":
                shutil.rmtree(self.work, ignore_errors=True)


# ---- module helpers ----

class _DelayedPage(BaseHTTPRequestHandler):
    """The same page for every GET after `delay` seconds, with keep-alive (HTTP/1.1). Headers
    and body leave in one write, without Nagle's delay: a kept-alive connection (curl's) would
    otherwise wait on the client's delayed acknowledgement at every response."""
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def __init__(self, page, delay, *args):
        self.page, self.delay = page, delay
        super().__init__(*args)

    def do_GET(self):
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split(" ")[0]
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gib": mem, "kernel": platform.release(), "sqlite3": sqlite}


def compare(ours_csv, peer_csv):
    """Rounds where the peer SQL's total (± 0.01, its rounding differs) or level differs from ours."""
    def load(path):
        with open(path, encoding="utf-8-sig") as f:
            return {r["agency_id"]: r for r in csv.DictReader(f)}
    ours, peer = load(ours_csv), load(peer_csv)
    bad = 0
    for k, r in ours.items():
        p = peer.get(k)
        if p is None or r["total"] == "" or abs(float(r["total"]) - float(p["total"])) > 0.011 or r["level_code"] != p["level_code"]:
            bad += 1
    return bad + len(set(peer) - set(ours))


def stop(server):
    """Stops an ita serve process: SIGTERM, then SIGKILL after 15 s."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=20):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def api(url, token, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"POST {url}: {e.code} {e.read().decode(errors='replace')}") from None


def sign_in(port, email, password):
    """Signs in through the login form as a browser does (its CSRF cookie and token, then the
    POST): the session cookie, "ita_session=…"."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/login")
        r = conn.getresponse()
        form = r.read().decode()
        csrf_cookie = next(c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("ita_csrf="))
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"csrf": token, "email": email, "password": password})
        conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                              "Cookie": csrf_cookie})
        r = conn.getresponse()
        r.read()
        for c in r.headers.get_all("Set-Cookie") or []:
            if c.startswith("ita_session=") and not c.startswith("ita_session=;"):
                return c.split(";")[0]
        raise RuntimeError(f"POST /login: {r.status}, no session cookie")
    finally:
        conn.close()


def timed_get(port, path, cookie):
    """GET path with the cookie on a new connection: (milliseconds, the page); raises unless 200."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        t = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        r = conn.getresponse()
        page = r.read().decode()
        ms = (time.perf_counter() - t) * 1000
        if r.status != 200:
            raise RuntimeError(f"GET {path}: {r.status}")
        return ms, page
    finally:
        conn.close()


def run_wrk(url, seconds, conns, script=None, extra_env=None, headers=(), timeout=None):
    cmd = (["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency"] + (["-s", str(script)] if script else [])
           + [a for h in headers for a in ("-H", h)] + ([f"--timeout", timeout] if timeout else []) + [url])
    out = subprocess.check_output(cmd, text=True, env={**os.environ, **(extra_env or {})})
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    # Requests unanswered within wrk's --timeout (2 s by default) are left out of its latencies.
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {"rps": rps, "p99_ms": round(p99, 2), "requests": requests, "non_2xx": int(non.group(1)) if non else 0,
            "timeouts": int(timeouts.group(1)) if timeouts else 0}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    Bench(sys.argv[1]).run()
