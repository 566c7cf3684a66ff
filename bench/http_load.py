"""Load over HTTP, as the counters use the system: gunicorn started with config.py (the
README's production settings, throttle in Redis) on PostgreSQL with N patients, K clients
in parallel threads, every run bounded in requests and in time, loopback only.

    HMIS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/hmis_bench \\
        .venv/bin/python bench/http_load.py 1000000 [--seconds 20] [--clients 1,4,8,16]

Scenarios: the registration rush (a new patient with an OPD visit, a returning patient's
revisit, a search), slip printing, the cashier (bill with payment, then the receipt), the
doctor (queue, consultation saved, prescription PDF), and a district hospital's morning mix.
Per operation: requests per second, p50/p95/p99, CPU ms per request of the app (gunicorn's
processes) and of PostgreSQL (its server processes), from /proc; SQL statements per request
(the app counts them, HMIS_SQL_COUNT=1); the workers' memory as PSS. Per page (each request
of an operation, as the user waits for it): p50/p95/p99. Results go to
bench/results/http-postgresql-N-LABEL.json; bench/report.py prints the README's table from
them (`--server-dir` serves another checkout, so that before and after are measured in
one sitting against the same database).
"""
import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import PASSWORD, bench_app, fill_patients, vacuum  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
# A district hospital's morning at the counters, by share of requests.
MORNING = {"register": 40, "revisit": 15, "search": 15, "slip": 12, "cashier": 10,
           "doctor": 8}


# --- the server --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, workers: int, server_dir: Path = ROOT):
    """gunicorn with config.py, as the README runs it (the address and worker count are
    also given on the command line, so that an older checkout can be measured alike)."""
    port = free_port()
    env = dict(os.environ, HMIS_DATABASE_URL=url, HMIS_BIND=f"127.0.0.1:{port}",
               HMIS_WORKERS=str(workers), HMIS_SQL_COUNT="1", HMIS_ACCESS_LOG="/dev/null",
               HMIS_SECRET_KEY="bench-secret-key-long-enough-for-hs256-signing",
               HMIS_RATELIMIT_STORAGE_URI=os.environ.get("HMIS_RATELIMIT_STORAGE_URI",
                                                         "redis://127.0.0.1:6379/0"),
               # Every bench client logs in once from 127.0.0.1: the production throttle
               # (10 a minute per address) would refuse the sixteenth.
               HMIS_LOGIN_RATE_LIMIT="1000 per minute")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config.py",
                             "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                             "--access-logfile", "/dev/null", "run:app"],
                            cwd=server_dir, env=env)
    for _ in range(240):  # answering, and every worker forked (their CPU is counted)
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/login/")
            if len(children(proc.pid)) >= workers:
                return proc, port
        except OSError:
            if proc.poll() is not None:
                sys.exit("gunicorn did not start")
        time.sleep(0.25)
    sys.exit("gunicorn did not answer")


def children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry))
    return kids


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICK


def postgres_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == "postgres":
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def pss_mib(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


# --- a client ----------------------------------------------------------------------------

class Client:
    """One counter's browser or program: a session cookie and a JWT, one connection per
    request (gunicorn's sync workers close it)."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.cookie = self.token = self.csrf = ""
        self.sql, self.pages = [], []
        _s, _h, page = self.call("GET", "/login/", raw=True)
        self.csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        status, _h, _b = self.call("POST", "/login/", form={
            "username": username, "password": PASSWORD}, raw=True)
        if status != 302:
            raise RuntimeError(f"{username} could not log in ({status})")
        _s, _h, body = self.call("POST", "/api/v1/security/login", body={
            "username": username, "password": PASSWORD, "provider": "db"}, raw=True)
        self.token = json.loads(body)["access_token"]
        self.sql, self.pages = [], []

    def call(self, method, path, body=None, form=None, raw=False, api=False):
        headers = {}
        if self.cookie and not api:
            headers["Cookie"] = self.cookie
        if self.token and api:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode({**form, "csrf_token": self.csrf}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        # Each request of an operation on its own, as a user waits for it: "GET /cash/patient/<id>".
        self.pages.append((f"{method} {re.sub(r'/[0-9]+', '/<id>', path.split('?')[0])}",
                           time.perf_counter() - started))
        answer = {k.lower(): v for k, v in resp.getheaders()}
        if not api and "set-cookie" in answer:  # the session is refreshed as browsers do
            self.cookie = answer["set-cookie"].split(";")[0]
        if not raw and (resp.status >= 400 or (resp.status == 302 and "/login" in
                                               answer.get("location", ""))):
            raise RuntimeError(f"{method} {path}: {resp.status} {payload[:300]!r}")
        if "x-sql-statements" in answer:
            self.sql.append(int(answer["x-sql-statements"]))
        return resp.status, answer, payload


# --- what the counters do ----------------------------------------------------------------

class Morning:
    """Shared state of a run: departments, patients to revisit or search, visits waiting
    for a slip, patients with a fee to pay, visits to consult."""

    def __init__(self, departments, patients, names):
        self.departments = departments
        self.patients = patients
        self.names = names
        self.lock = threading.Lock()
        self.visits, self.to_pay, self.to_consult = [], [], []

    def take(self, bucket):
        with self.lock:
            return bucket.pop() if bucket else None

    def put(self, bucket, item):
        with self.lock:
            bucket.append(item)
            del bucket[:-5000]


def _new_name(n):
    first = random.choice(["Ram", "Sita", "Ramesh", "Sunita", "Anil", "Kavita", "राम",
                           "सीता", "सुनीता", "अनिल"])
    return f"{first} Bench{n} {random.choice(['Kumar', 'Devi', 'शर्मा', 'Thakur'])}"


TWO_CALLS = [False]  # --register-in-two-calls: for checkouts without new_patient


def op_register(client, state, n):
    """A new patient and their OPD token, as the desk does it: one act."""
    person = {"name": _new_name(n), "gender": random.choice("MF"),
              "age_years": str(random.randint(1, 90)), "guardian_relation": "SO",
              "guardian_name": f"Guardian {n}", "confirm_new": True}
    department = random.choice(state.departments)
    if TWO_CALLS[0]:
        _s, _h, body = client.call("POST", "/api/v1/patient/", api=True, body=person)
        body = client.call("POST", "/api/v1/opd_visit/", api=True, body={
            "patient": json.loads(body)["id"], "department": department})[2]
    else:
        body = client.call("POST", "/api/v1/opd_visit/", api=True, body={
            "new_patient": person, "department": department})[2]
    visit = json.loads(body)["id"]
    patient = json.loads(body)["result"]["patient"]["id"]
    state.put(state.visits, visit)
    state.put(state.to_pay, patient)
    state.put(state.to_consult, visit)


def op_revisit(client, state, _n):
    # A returning patient in another department today: "already has a token" is possible
    # (and answered 422); the harness picks patients at random among a million.
    patient = random.choice(state.patients)
    status, _h, body = client.call("POST", "/api/v1/opd_visit/", api=True, raw=True, body={
        "patient": patient, "department": random.choice(state.departments)})
    if status == 201:
        state.put(state.visits, json.loads(body)["id"])


def op_search(client, state, _n):
    q = urllib.parse.quote(random.choice(state.names))
    client.call("GET", f"/api/v1/patient/search?q={q}", api=True)


def op_slip(client, state, _n):
    visit = state.take(state.visits)
    if visit is not None:
        client.call("GET", f"/print/opd-slip/{visit}")


def op_cashier(client, state, _n):
    """The counter: the patient's page (pending fees ticked), the bill paid in cash, the
    receipt."""
    patient = state.take(state.to_pay)
    if patient is None:
        return
    _s, _h, page = client.call("GET", f"/cash/patient/{patient}")
    charges = re.findall(rb'name="charge" value="(\d+)"', page)
    _s, headers, _b = client.call("POST", f"/cash/patient/{patient}/bill", form={
        "charge": [c.decode() for c in charges], "mode": "cash", "amount": "10",
        "tendered": "20"})
    bill = re.search(r"/cash/bill/(\d+)", headers.get("location", "")).group(1)
    client.call("GET", f"/print/receipt/{bill}")


def op_doctor(client, state, _n):
    visit = state.take(state.to_consult)
    if visit is None:
        return
    client.call("GET", "/opd/queue")
    client.call("POST", f"/opd/consult/{visit}", form={
        "complaints": "Fever for three days", "pulse": "88", "diagnosis_1": "A09",
        "diagnosis_kind_1": "provisional", "rx_drug_1": "Paracetamol 500 mg tablet",
        "rx_dose_1": "1", "rx_frequency_1": "TDS", "rx_days_1": "3", "finish": "1"})
    client.call("GET", f"/print/prescription/{visit}")


OPERATIONS = {"register": op_register, "revisit": op_revisit, "search": op_search,
              "slip": op_slip, "cashier": op_cashier, "doctor": op_doctor}
USERS = {"register": "clerk.dhr", "revisit": "clerk.dhr", "search": "clerk.dhr",
         "slip": "clerk.dhr", "cashier": "cashier.dhr", "doctor": "doctor.dhr"}


# --- a run ---------------------------------------------------------------------------------

def run(port, state, mix: dict, clients: int, seconds: float, max_ops: int, server_pids):
    """Operations drawn from `mix` by `clients` threads until `seconds` or `max_ops` each."""
    names = list(mix)
    weights = [mix[n] for n in names]
    per_op, per_page = defaultdict(list), defaultdict(list)
    sql = defaultdict(list)
    errors = []
    users = {name: [Client(port, USERS[name]) for _ in range(clients)] for name in names}
    deadline = [0.0]
    lock = threading.Lock()

    def worker(k):
        rng = random.Random(k)
        for i in range(max_ops):
            if time.perf_counter() > deadline[0]:
                break
            name = rng.choices(names, weights)[0]
            client = users[name][k]
            client.sql, client.pages = [], []
            started = time.perf_counter()
            try:
                OPERATIONS[name](client, state, f"{k}-{i}-{rng.random():.6f}")
            except Exception as exc:  # reported: a failed operation is not a result
                with lock:
                    errors.append(f"{name}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                per_op[name].append(elapsed)
                sql[name].append(sum(client.sql))
                for page, took in client.pages:
                    per_page[page].append(took)

    db_pids = postgres_pids()
    cpu_app, cpu_db = cpu_seconds(server_pids), cpu_seconds(db_pids)
    wall = time.perf_counter()
    deadline[0] = wall + seconds
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    cpu_app, cpu_db = cpu_seconds(server_pids) - cpu_app, cpu_seconds(db_pids) - cpu_db
    done = sum(len(v) for v in per_op.values())
    result = {"clients": clients, "seconds": round(wall, 2), "operations": done,
              "per_second": round(done / wall, 1), "errors": errors[:5],
              "error_count": len(errors),
              "cpu_ms_per_op": {"app": round(cpu_app * 1000 / max(done, 1), 1),
                                "db": round(cpu_db * 1000 / max(done, 1), 1)},
              "by_operation": {}, "by_page": {}}
    for name, samples in per_op.items():
        result["by_operation"][name] = {
            "n": len(samples), "per_second": round(len(samples) / wall, 1),
            **latency(samples), "sql_per_op": round(statistics.mean(sql[name]), 1)}
    for page, samples in sorted(per_page.items()):
        result["by_page"][page] = {"n": len(samples), **latency(samples)}
    return result


def latency(samples) -> dict:
    ms = sorted(s * 1000 for s in samples)
    return {"p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[max(int(len(ms) * 0.95) - 1, 0)], 1),
            "p99_ms": round(ms[max(int(len(ms) * 0.99) - 1, 0)], 1)}


def prepare(target: int):
    """The bench database with `target` patients; → (departments, patient ids, names)."""
    from sqlalchemy import func, select, update

    from app.core.models import Department, Facility
    from app.extensions import db
    from app.registration.models import Patient
    from app.core.numbering import ist_today
    from app.opd.models import OpdVisit
    app, _kind = bench_app()
    with app.app_context():
        fill_patients(target)
        # Every run starts from an empty queue: what earlier runs left waiting today
        # would make each later doctor's queue page longer than the one before.
        db.session.execute(update(OpdVisit).where(
            OpdVisit.visit_date == ist_today(),
            OpdVisit.status.in_(("waiting", "called", "in_consultation")))
            .values(status="done"))
        db.session.commit()
        vacuum()
        dhr = db.session.execute(select(Facility.id).where(Facility.code == "DHR")).scalar()
        departments = db.session.execute(select(Department.id).where(
            Department.facility_id == dhr, Department.is_clinical.is_(True),
            Department.code != "EMR")).scalars().all()
        top = db.session.execute(select(func.max(Patient.id))).scalar()
        sample = db.session.execute(select(Patient.id, Patient.name).where(
            Patient.facility_id == dhr, Patient.merged_into_id.is_(None),
            Patient.id.in_(random.Random(1).sample(range(1, top + 1), min(top, 20000))))).all()
    patients = [p for p, _n in sample]
    names = [n.split()[0][:4] for _p, n in sample]  # name prefixes, as clerks type them
    return departments, patients, names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patients", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20, help="per run")
    parser.add_argument("--max-ops", type=int, default=2000, help="per client and run")
    parser.add_argument("--clients", default="1,4,8,16")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--label", default="now", help="a name for this measurement")
    parser.add_argument("--register-in-two-calls", action="store_true",
                        help="POST the patient, then the visit (checkouts before the "
                             "one-call registration)")
    parser.add_argument("--server-dir", type=Path, default=ROOT,
                        help="serve another checkout (to measure before and after)")
    parser.add_argument("--out", type=Path, help="result file (default: bench/results/"
                                                  "http-postgresql-N-LABEL.json)")
    args = parser.parse_args()
    url = os.environ.get("HMIS_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("set HMIS_DATABASE_URL to a throw-away PostgreSQL database")
    TWO_CALLS[0] = args.register_in_two_calls
    departments, patients, names = prepare(args.patients)
    proc, port = start_gunicorn(url, args.workers, args.server_dir)
    try:
        server = [proc.pid, *children(proc.pid)]
        state = Morning(departments, patients, names)
        # Warm up every worker and fill the queues the later scenarios take from.
        run(port, state, {"register": 1}, 8, 10, 40, server)
        results = {"alone": {}, "morning": {}}
        for name in OPERATIONS:  # each alone, 8 clients: its own CPU and statements
            results["alone"][name] = run(port, state, {name: 1}, 8, args.seconds,
                                         args.max_ops, server)
            print(name, json.dumps(results["alone"][name]["by_operation"].get(name)),
                  results["alone"][name]["cpu_ms_per_op"], flush=True)
            if name == "register":  # enough visits and fees for the slips and the counter
                run(port, state, {"register": 1}, 4, args.seconds, args.max_ops, server)
        for clients in [int(c) for c in args.clients.split(",")]:
            run(port, state, {"register": 1}, 4, 5, 200, server)  # refill the queues
            results["morning"][str(clients)] = run(port, state, MORNING, clients,
                                                   args.seconds, args.max_ops, server)
            morning = results["morning"][str(clients)]
            print(f"morning, {clients} clients: {morning['per_second']}/s", flush=True)
        results["memory_pss_mib"] = {"all": pss_mib(server), "workers": len(server) - 1}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out = args.out or \
        ROOT / "bench" / "results" / f"http-postgresql-{args.patients}-{args.label}.json"
    out.write_text(json.dumps({
        "patients": args.patients, "workers": args.workers, "label": args.label,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{os.uname().machine}, {os.cpu_count()} cores, "
                   f"Python {sys.version.split()[0]}",
        "results": results}, indent=1, ensure_ascii=False))
    print(f"written {out}")


if __name__ == "__main__":
    main()
