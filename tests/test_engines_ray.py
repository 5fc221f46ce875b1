"""The Ray engine (real Ray, started on this machine once for the module): same records as the local
engine, the model loaded once per worker, a model that cannot load stops the run with its own error,
and --resume works the same. Ray takes seconds to start, so these tests are few."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keepfacts.documents import Document
from keepfacts.engines import run_batch
from keepfacts.errors import ModelError
from keepfacts.inputs import InputFailure
from keepfacts.outputs import JsonlSink
from tests.batch_fakes import FAIL, RAISE, UpperFactory

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent

# Fields that say where and how fast a record was made, not what it is.
VOLATILE = ("seconds", "instance", "pid")


@pytest.fixture(scope="module", autouse=True)
def ray_session() -> Iterator[None]:
    from keepfacts.engines.ray_engine import init_ray

    started = init_ray(None)
    yield
    if started:
        import ray

        ray.shutdown()


class ListSink:
    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        self.records.append(record)

    def flush(self) -> None:
        pass

    def done_keys(self) -> set[tuple[str, str, str]]:
        return set()


def mixed_batch() -> list[Document | InputFailure]:
    items: list[Document | InputFailure] = [
        Document(f"a{n}", "word " * (40 - 3 * n) + f"number {n}", meta={"url": f"https://x.test/{n}"})
        for n in range(10)
    ]
    items[3] = Document("crash", f"the model {RAISE} crashes on this one")
    items[6] = Document("refused", f"the model {FAIL} refuses this one", lang="uk")
    items.insert(8, InputFailure("empty", "empty.txt is empty (nothing to process)"))
    return items


def stable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in records]


def test_ray_gives_the_same_records_as_local_and_loads_the_model_once_per_worker() -> None:
    items = mixed_batch()
    local, distributed = ListSink(), ListSink()
    local_summary = run_batch(items, UpperFactory(), local, batch_size=3, signature="fake/1", progress=False)
    ray_summary = run_batch(
        items,
        UpperFactory(),
        distributed,
        engine="ray",
        batch_size=3,
        signature="fake/1",
        progress=False,
        workers=2,
    )
    assert stable(distributed.records) == stable(local.records)
    assert [r["id"] for r in distributed.records] == [item.id for item in items]
    assert (ray_summary.done, ray_summary.failed) == (local_summary.done, local_summary.failed) == (8, 3)
    loads = {(r["pid"], r["instance"]) for r in distributed.records if "instance" in r}
    assert 1 <= len(loads) <= 2  # one model load per worker actor, not per batch
    assert len({pid for pid, _ in loads}) == len(loads)


def test_a_model_that_cannot_load_on_the_workers_stops_the_run_with_its_own_error() -> None:
    with pytest.raises(ModelError, match="fake model cannot load: its directory is corrupt"):
        run_batch(
            mixed_batch(), UpperFactory(broken=True), ListSink(), engine="ray", progress=False, workers=1
        )


def test_ray_resumes_a_jsonl_file_without_doubles(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    items = mixed_batch()
    with JsonlSink(path) as sink:
        run_batch(items[:5], UpperFactory(), sink, signature="fake/1", progress=False)
    with JsonlSink(path, resume=True) as sink:
        summary = run_batch(
            items,
            UpperFactory(),
            sink,
            engine="ray",
            batch_size=4,
            signature="fake/1",
            resume=True,
            progress=False,
            workers=1,
        )
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert ids == [item.id for item in items]
    assert summary.skipped == 5


def test_ctrl_c_stops_a_ray_run_at_once_and_keeps_what_is_done(tmp_path: Path) -> None:
    """The Ray engine on SIGINT: the actors (mid-call) and Ray's processes are killed, not waited for."""
    inputs = tmp_path / "articles"
    inputs.mkdir()
    for n in range(10):
        (inputs / f"a{n}.txt").write_text(f"Article {n}.\n", "utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "tests.batch_fakes", str(out), str(inputs), "--engine", "ray"]
    job = subprocess.Popen(
        [*command, "--delay", "2", "--batch-size", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not (out.exists() and out.read_bytes()) and time.monotonic() < deadline and job.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)
    job.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, stderr = job.communicate(timeout=60)
    took = time.monotonic() - sent
    assert job.returncode == 130, stderr.decode()[-2000:]
    assert took < 2.0, f"took {took:.1f} s to stop"
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert 1 <= len(records) < 10
    assert f"interrupted: {len(records)} of 10 done" in stderr.decode()


# A line of Ray's own C++ or Python logging: "[2026-12-02 14:46:20,553 E 24530 24530] core_worker.cc:2465:"
# or "2026-12-02 14:46:20,553\tINFO worker.py:1 -- ...".
RAY_LOG_LINE = re.compile(
    r"^\[?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+\s+([DIWEF] \d+ \d+\]|(DEBUG|INFO|WARNING|ERROR)\b)", re.M
)


def test_a_successful_ray_run_prints_none_of_rays_own_log_lines(tmp_path: Path) -> None:
    """`summarize --engine ray` used to print Ray's "E ... core_worker.cc:2465: Actor ... has constructor
    arguments in the object store" on every successful run, which reads like a crash. Without --debug,
    Ray's own logging stays out of stderr: a quiet run prints nothing there at all."""
    out = tmp_path / "x.jsonl"
    command = "from keepfacts.summarize.cli import main; main()"
    args = [str(REPO / "seeds" / "khaama-ukraine-desertions.txt"), "--method", "extractive"]
    done = subprocess.run(
        [sys.executable, "-c", command, *args, "--engine", "ray", "-q", "-o", str(out)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert not RAY_LOG_LINE.search(done.stderr), done.stderr[-2000:]
    assert done.stderr == ""
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["method"] == "extractive"
