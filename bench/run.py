"""`make bench`: server time, SQL queries and response size of the main pages and exports.

Run against a database filled by `flask seed-scale` (the Makefile does this on SQLite unless
DATABASE_URL points elsewhere). Times are measured twice: in-process through the WSGI app,
and over loopback through gunicorn; each page is rendered, then asked for again as a
browser's repeat view (If-None-Match, answered 304 while nothing changed). A trivial
endpoint (/health) is timed in the same run, so results can be read as ratios that hold
on a noisy machine. Prints one table and writes bench/results.json.
"""

import http.cookiejar
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import func, select

from improvement import create_app
from improvement.extensions import db
from improvement.models import Intervention, Membership

ROOT = Path(__file__).resolve().parent.parent
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
EXPORT_REPEAT = int(os.environ.get("BENCH_EXPORT_REPEAT", "2"))


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(times, prefix=""):
    """Median and p95 of a series of milliseconds, under keys with an optional prefix."""
    return {
        f"{prefix}median_ms": round(statistics.median(times), 2),
        f"{prefix}p95_ms": round(_percentile(times, 0.95), 2),
    }


def _targets(app):
    """The intervention with the most cases, its organisation, a leader there, and the
    objects its feature pages show: a closed self-assessment round, a closed case, a PDSA
    cycle in Do (moved back and forth for the board-move timing), and a core element and a
    phase (a heat map cell)."""
    from improvement.models import AssessmentRound, Case, CoreElement, PdsaCycle, Phase

    with app.app_context():
        size = (
            select(Case.intervention_id, func.count().label("n"))
            .group_by(Case.intervention_id)
            .subquery()
        )
        intervention = db.session.scalars(
            select(Intervention)
            .join(size, size.c.intervention_id == Intervention.id, isouter=True)
            .order_by(size.c.n.desc().nulls_last(), Intervention.id)
        ).first()
        leader = db.session.scalars(
            select(Membership)
            .where(
                Membership.organization_id == intervention.organization_id,
                Membership.role.in_(["leader", "admin"]),
            )
            .order_by(Membership.id)
        ).first()

        def first(model, *where):
            return db.session.scalar(
                select(model.id)
                .where(model.intervention_id == intervention.id, *where)
                .order_by(model.id)
            )

        return {
            "intervention": intervention.id,
            "org": intervention.organization_id,
            "user": leader.user_id,
            "session_id": leader.user.get_id(),  # what a logged-in session carries
            "email": leader.user.email,
            "round": first(AssessmentRound, AssessmentRound.status == "closed"),
            "case": first(Case, Case.end_date.is_not(None)),
            "cycle": first(PdsaCycle, PdsaCycle.phase == "do"),
            "element": first(CoreElement),
            "phase": first(Phase),
        }


def pages(t):
    base = f"/indsatser/{t['intervention']}"
    return {
        "trivial (/health)": "/health",
        "profile page (/profil)": "/profil",
        "interventions list": "/indsatser",
        "intervention overview": base,
        "board": f"{base}/tavle",
        "self-assessment result": f"{base}/selvevaluering/{t['round']}",
        "quality heat map": f"{base}/kvalitet",
        "heat map cell": f"{base}/kvalitet/kerneelementer/{t['element']}/faser/{t['phase']}",
        "case grid": f"{base}/forloeb/{t['case']}",
        "case list": f"{base}/forloeb",
        "outcome tables": f"{base}/resultater",
        "organisation progress": "/fremdrift",
    }


def exports(t):
    return {
        "export: largest intervention": f"/indsatser/{t['intervention']}/eksport.xlsx",
        "export: organisation": "/eksport.xlsx",
    }


def _timed(client, engine, path, repeat, headers):
    from sqlalchemy import event

    times, queries = [], []
    for _ in range(repeat):
        statements = []

        def record(*_args, _s=statements):
            _s.append(1)

        event.listen(engine, "before_cursor_execute", record)
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        event.remove(engine, "before_cursor_execute", record)
        queries.append(len(statements))
    return response, times, queries


def in_process(app, paths, session_id, org_id, repeat):
    """Each page rendered `repeat` times, then asked again as a browser's repeat view
    does (If-None-Match with the page's ETag), which nothing changed in between."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["org_id"] = org_id
    results = {}
    with app.app_context():
        engine = db.engine
    for name, path in paths.items():
        client.get(path)  # warm-up; the session's first page also creates its CSRF token
        response, times, queries = _timed(client, engine, path, repeat, {})
        results[name] = {
            "path": path,
            "status": response.status_code,
            **_summary(times),
            "queries": max(queries),
            "bytes": len(response.data),
        }
        if tag := response.headers.get("ETag"):
            again, times, queries = _timed(client, engine, path, repeat, {"If-None-Match": tag})
            results[name] |= {
                "repeat_status": again.status_code,
                **_summary(times, "repeat_"),
                "repeat_queries": max(queries),
            }
    return results


def board_move(app, t, repeat):
    """A board move over HTMX: Do -> Plan and back, each with the cycle's current version."""
    from sqlalchemy import event

    from improvement.models import PdsaCycle

    app.config["WTF_CSRF_ENABLED"] = False  # the token is not what is measured here
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = t["session_id"]
        session["org_id"] = t["org"]
    with app.app_context():
        engine = db.engine
    path = f"/indsatser/{t['intervention']}/proevehandlinger/{t['cycle']}/flyt"
    times, queries, sizes, statuses = [], [], [], set()
    for n in range(repeat * 2 + 2):
        with app.app_context():
            version = db.session.scalar(select(PdsaCycle.version).where(PdsaCycle.id == t["cycle"]))
        statements = []

        def record(*_args, _s=statements):
            _s.append(1)

        event.listen(engine, "before_cursor_execute", record)
        start = time.perf_counter()
        response = client.post(
            path,
            data={"to": "plan" if n % 2 == 0 else "do", "version": str(version)},
            headers={"HX-Request": "true"},
        )
        elapsed = (time.perf_counter() - start) * 1000
        event.remove(engine, "before_cursor_execute", record)
        if n >= 2:  # the first two warm up
            times.append(elapsed)
            queries.append(len(statements))
            sizes.append(len(response.data))
            statuses.add(response.status_code)
    return {
        "board move (POST, HTMX)": {
            "path": path,
            "status": max(statuses),
            **_summary(times),
            "queries": max(queries),
            "bytes": max(sizes),
        }
    }


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def over_gunicorn(paths, email, repeat, env):
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrf_token": token, "email": email, "password": os.environ["BENCH_PASSWORD"]}
        ).encode()
        opener.open(base + "/login", data=data)
        results = {}
        for name, path in paths.items():
            opener.open(base + path).read()
            times, tag = [], None
            for _ in range(repeat):
                start = time.perf_counter()
                with opener.open(base + path) as response:
                    response.read()
                    tag = response.headers.get("ETag")
                times.append((time.perf_counter() - start) * 1000)
            results[name] = _summary(times)
            if tag:
                results[name] |= _repeat_over_http(opener, base + path, tag, repeat)
        return results
    finally:
        server.terminate()
        server.wait(10)


def _repeat_over_http(opener, url, tag, repeat):
    times = []
    for _ in range(repeat):
        request = urllib.request.Request(url, headers={"If-None-Match": tag})
        start = time.perf_counter()
        try:
            opener.open(request).read()
        except urllib.error.HTTPError as answer:  # urllib raises on 304 Not Modified
            if answer.code != 304:
                raise
        times.append((time.perf_counter() - start) * 1000)
    return _summary(times, "repeat_")


def export_memory(org_name, intervention_id, env):
    """Time and peak memory (max RSS) of `flask export` in a fresh process."""
    out = {}
    for name, extra in (
        ("export: largest intervention", ["--intervention", str(intervention_id)]),
        ("export: organisation", []),
    ):
        start = time.perf_counter()
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                "import resource, sys; from flask.cli import main; sys.argv=sys.argv[1:]\n"
                "try:\n    main()\nexcept SystemExit:\n    pass\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)",
                "flask",
                "--app",
                "improvement",
                "export",
                "--org",
                org_name,
                "--out",
                "/tmp/bench-export.xlsx",
                *extra,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        peak_kb = int(child.stderr.strip().splitlines()[-1])
        out[name] = {
            "seconds": round(time.perf_counter() - start, 2),
            "peak_mb": round(peak_kb / 1024, 1),
        }
    return out


def main():
    env = dict(os.environ)
    env.setdefault("BENCH_PASSWORD", "skala-demo-1234")
    os.environ.setdefault("BENCH_PASSWORD", env["BENCH_PASSWORD"])
    app = create_app()
    t = _targets(app)
    with app.app_context():
        from improvement.models import Organization

        org_name = db.session.get(Organization, t["org"]).name
    local = in_process(app, pages(t), t["session_id"], t["org"], REPEAT)
    local |= in_process(app, exports(t), t["session_id"], t["org"], EXPORT_REPEAT)
    if t["cycle"]:
        local |= board_move(app, t, REPEAT)
    remote = over_gunicorn(pages(t), t["email"], REPEAT, env)
    memory = export_memory(org_name, t["intervention"], env)
    baseline = local["trivial (/health)"]["p95_ms"] or 0.01
    rows = []
    for name, result in local.items():
        row = {"page": name, **result, "p95_x_trivial": round(result["p95_ms"] / baseline, 1)}
        if "repeat_p95_ms" in result:
            row["repeat_p95_x_trivial"] = round(result["repeat_p95_ms"] / baseline, 1)
        row.update({f"gunicorn_{k}": v for k, v in remote.get(name, {}).items()})
        row.update(memory.get(name, {}))
        rows.append(row)
    report = {
        "database": app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0],
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "repeat": REPEAT,
        "rows": rows,
        "peak_rss_bench_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    # "repeat" is a browser's repeat view of an unchanged page: If-None-Match, answered 304.
    print(
        f"{'page':32} {'median':>7} {'p95':>7} {'x triv':>7} {'repeat p95':>11} {'x triv':>7} "
        f"{'gunicorn p95':>13} {'repeat':>7} {'queries':>8} {'bytes':>9}"
    )
    for row in rows:
        print(
            f"{row['page']:32} {row['median_ms']:7.1f} {row['p95_ms']:7.1f} "
            f"{row['p95_x_trivial']:7.1f} {row.get('repeat_p95_ms', ''):>11} "
            f"{row.get('repeat_p95_x_trivial', ''):>7} "
            f"{row.get('gunicorn_p95_ms', ''):>13} {row.get('gunicorn_repeat_p95_ms', ''):>7} "
            f"{row['queries']:8d} {row['bytes']:9d}"
            + (f"   {row['seconds']} s, peak {row['peak_mb']} MB" if "seconds" in row else "")
        )
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2))
    print("Written to bench/results.json")


if __name__ == "__main__":
    main()
