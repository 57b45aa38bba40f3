"""Instructions the app executes per request, counted by callgrind: a measure that holds on
a noisy machine, for comparing two versions of the code page by page.

    DATABASE_URL=... .venv/bin/python bench/instructions.py [REQUESTS]

Needs valgrind (Debian's package). Against the data set `make bench` fills: the script runs
itself again under `valgrind --tool=callgrind`, warms up each page of `bench/run.py`, asks
it REQUESTS times (default 3) and has callgrind dump its counts after each page
(`callgrind_control -d`), so each dump holds one page. It prints millions of instructions
per request in the app's process: PostgreSQL's own work (another process) and the time
spent waiting for it are not counted. Wall-clock times on a shared 2-core host varied by
up to 1.7 times between runs; these counts repeat to within a few per cent.
"""

import glob
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (bench/run.py: the same targets and pages)

from improvement import create_app  # noqa: E402

CHILD = "--under-callgrind"


def _label(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def _dump(name: str) -> None:
    """Ask callgrind for a dump of the counts since the last one, labelled by `name`."""
    done = subprocess.run(
        ["callgrind_control", "-d", _label(name), str(os.getpid())],
        check=True,
        capture_output=True,
        text=True,
    )
    # callgrind_control exits 0 even when it finds no such process; it says so on stdout.
    if "Error" in done.stdout:
        raise SystemExit(f"callgrind_control: {done.stdout.strip()}")


def _get(client, path: str) -> None:
    """A page that does not answer 200 would be counted as a cheap one: stop instead."""
    status = client.get(path).status_code
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}; is DATABASE_URL the bench data set?")


def count(requests: int) -> None:
    """The measured run, inside callgrind: one dump per page."""
    app = create_app()
    targets = bench._targets(app)
    paths = bench.pages(targets)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = targets["session_id"]
        session["org_id"] = targets["org"]
    for path in paths.values():
        for _ in range(2):  # templates compiled, caches filled, the CSRF token made
            _get(client, path)
    _dump("warm")
    _dump("empty")  # what a dump costs by itself, taken off every page
    for name, path in paths.items():
        for _ in range(requests):
            _get(client, path)
        _dump(name)


def _dumps(out_file: str) -> dict[str, int]:
    """Instructions per dump, by label, from the files callgrind wrote (out_file.N)."""
    counts = {}
    for path in glob.glob(out_file + ".*"):
        lines = Path(path).read_text(errors="replace").splitlines()
        label = next(line for line in lines if line.startswith("desc: Trigger"))
        total = next(line for line in lines if line.startswith("summary:"))
        counts[label.removeprefix("desc: Trigger: dump ")] = int(total.split()[1])
    return counts


def main() -> None:
    if sys.argv[1:2] == [CHILD]:
        count(int(sys.argv[2]))
        return
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as folder:
        out_file = f"{folder}/callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out_file}",
                # valgrind's own messages to a file, so the app's errors reach the terminal.
                f"--log-file={folder}/valgrind.log",
                sys.executable,
                __file__,
                CHILD,
                str(requests),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        counts = _dumps(out_file)
    app = create_app()
    print(f"{'page':32} {'M instructions':>15}")
    for name in bench.pages(bench._targets(app)):
        per_request = (counts[_label(name)] - counts["empty"]) / requests
        print(f"{name:32} {per_request / 1e6:15.1f}")


if __name__ == "__main__":
    main()
