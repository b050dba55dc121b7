"""`toolkit build --cluster`: the language tasks on a Dask LocalCluster of 2 worker processes."""

from __future__ import annotations

import _thread
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cluster_tasks
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ExitCode, NetworkError, OptionError
from toolkit.options import AudioOptions, BuildOptions, TranslateOptions
from toolkit.pipeline import dask_cluster
from toolkit.pipeline.build import build
from toolkit.pipeline.dask_cluster import ClusterSpec
from toolkit.pipeline.dask_executor import DaskExecutor, build_concurrently

DATA = Path(__file__).parent / "data" / "build"
SLUGS = ("first-statement", "second-statement", "third-statement")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskExecutor]:
    """One LocalCluster (2 worker processes) for the module, with a home of its own.

    The workers inherit this environment when they start: their TOOLKIT_HOME is not the
    test's, so nothing they build comes from the caches of the local builds compared to.
    """
    home = tmp_path_factory.mktemp("cluster-home")
    marks = tmp_path_factory.mktemp("cluster-marks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOOLKIT_HOME", str(home / "toolkit"))
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            patch.setenv(var, str(home / var.lower()))
        patch.setenv("TOOLKIT_TEST_MARKS", str(marks))
        with DaskExecutor("local:2") as executor:
            yield executor


@pytest.fixture
def marks(cluster: DaskExecutor, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the worker-side task functions leave their marks in (emptied)."""
    folder = Path(cluster.connect().run_on_scheduler(_marks_folder))
    for mark in folder.iterdir():
        mark.unlink()
    monkeypatch.setenv("TOOLKIT_TEST_MARKS", str(folder))
    return folder


def _marks_folder() -> str:
    import os

    return os.environ["TOOLKIT_TEST_MARKS"]


def _set_environment(variables: dict[str, str]) -> None:
    import os

    os.environ.update(variables)


def _fresh_worker_home(cluster: DaskExecutor, folder: Path, monkeypatch: pytest.MonkeyPatch):
    """Give the workers an empty TOOLKIT_HOME, now and after a restart (cold caches).

    A translation records which sentences came from the cache, so a pack is compared with a
    local build made from caches as cold as the workers'. A restarted worker inherits this
    process's environment (the nanny runs here), the live ones are told.
    """
    variables = {"TOOLKIT_HOME": str(folder / "toolkit")}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        variables[var] = str(folder / var.lower())
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    cluster.connect().run(_set_environment, variables)


STATEMENT = """**Statement to the {event}**

New York, {day} March 2024

{byline}

**{speaker}, Executive Director**

Excellencies, distinguished {audience},

I thank the {chair} for convening this briefing on {topic}.

Resolution {resolution} asks us to engage with {partners}.

We will continue to work with {states} on {topic}.

Thank you for your attention, {audience}.
"""
WORDINGS = [
    ("Remarks of", "Open Briefing on Counter-Terrorism", "12", "Jane Doe", "participants", "Chair",
     "human rights", "2395 (2017)", "civil society", "Member States"),
    ("Statement by", "Arria Meeting on Water and Peace", "14", "Ali Ahmed", "colleagues",
     "Presidency", "shared rivers", "2417 (2018)", "local communities", "riparian States"),
    ("Address by", "Debate on Small Arms", "19", "Li Wei", "delegates", "Bureau",
     "arms control", "2220 (2015)", "regional bodies", "exporting States"),
]


@pytest.fixture
def statements(tmp_path: Path) -> list[Path]:
    """Three short English statements without a sentence in common (and a French reference).

    Distinct sentences: a translation JSON records which sentences came from the cache, so
    statements sharing sentences would make packs depend on the order they were built in.
    """
    folder = tmp_path / "source"
    folder.mkdir()
    fields = ("byline", "event", "day", "speaker", "audience", "chair", "topic", "resolution",
              "partners", "states")
    paths = []
    for slug, wording in zip(SLUGS, WORDINGS, strict=True):
        path = folder / f"{slug}.en.md"
        path.write_text(STATEMENT.format(**dict(zip(fields, wording, strict=True))), "utf-8")
        paths.append(path)
    shutil.copy(DATA / "short-statement.fr.md", folder / f"{SLUGS[0]}.fr.md")
    return paths


def _options(out: Path, **changes: object) -> BuildOptions:
    base: dict[str, object] = {
        "targets": ("fr", "es"),
        "translate": TranslateOptions(engine="fake"),
        "audio": AudioOptions(tts="silent"),
        "out": out,
        "jobs": 2,
    }
    base.update(changes)
    return BuildOptions(**base)  # type: ignore[arg-type]


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (locks aside), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def test_statements_on_the_cluster_give_the_packs_of_a_local_build(
    cluster: DaskExecutor, statements: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    local = build(statements, _options(tmp_path / "local"))
    events = []
    lock = threading.Lock()

    def record(event):
        with lock:
            events.append(event)

    _fresh_worker_home(cluster, tmp_path / "workers", monkeypatch)
    remote = build_concurrently(statements, _options(tmp_path / "cluster"), record, cluster)

    assert local.exit_code == remote.exit_code == ExitCode.OK
    assert [s.slug for s in remote.sources] == list(SLUGS)
    local_files = _tree(tmp_path / "local")
    # 12 files per statement, plus a reader and an EPUB per language (3 each) and index.html
    assert len(local_files) == 3 * (12 + 3 + 3 + 1)
    assert _tree(tmp_path / "cluster") == local_files
    # The first statement's French came from its reference in both builds, the rest from fake.
    assert [r.engine for r in remote.sources[0].languages] == [None, "fake", "fake"]
    # Where each language was built: on the cluster's two workers, not here.
    workers = set(cluster.workers())
    placements = {key: cluster.placements[key] for key in cluster.placements if key[0] in SLUGS}
    assert set(placements) == {(slug, lang) for slug in SLUGS for lang in ("en", "fr", "es")}
    assert set(placements.values()) == workers and len(workers) == 2
    # Every worker's progress reached the callback, per statement and language.
    done = {(e.slug, e.lang, e.stage) for e in events if e.state == "done"}
    for slug in SLUGS:
        assert {(slug, "en", "audio"), (slug, "en", "commit")} <= done
        for lang in ("fr", "es"):
            assert {(slug, lang, "translation"), (slug, lang, "pdf"), (slug, lang, "audio")} <= done
    assert not list((tmp_path / "cluster").glob(".*staging*"))


def test_a_worker_killed_mid_task_is_retried_elsewhere_and_the_pack_is_unchanged(
    cluster: DaskExecutor,
    statements: list[Path],
    marks: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    import toolkit.pipeline.build as build_module

    local = build(statements[:2], _options(tmp_path / "local"))
    monkeypatch.setattr(build_module, "build_language", cluster_tasks.killed_once)
    _fresh_worker_home(cluster, tmp_path / "workers", monkeypatch)
    remote = build_concurrently(statements[:2], _options(tmp_path / "cluster"), None, cluster)

    assert local.exit_code == remote.exit_code == ExitCode.OK
    killed = {mark.name: mark.read_text() for mark in marks.glob("killed-*")}
    assert 1 <= len(killed) <= cluster_tasks.KILLS, "no worker was killed"
    for mark, address in killed.items():
        slug, lang = mark.removeprefix("killed-").rsplit("-", 1)
        assert cluster.placements[(slug, lang)] != address, "built by a dead worker"
    assert _tree(tmp_path / "cluster") == _tree(tmp_path / "local")
    assert len(cluster.workers()) == 2, "the killed workers were not restarted"


def test_a_failing_language_on_the_cluster_fails_the_build_and_commits_nothing(
    cluster: DaskExecutor,
    statements: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    import toolkit.pipeline.build as build_module

    monkeypatch.setattr(build_module, "build_language", cluster_tasks.fails_in_french)
    out = tmp_path / "cluster"
    with pytest.raises(RuntimeError, match="fr failed on the cluster") as caught:
        build_concurrently(statements, _options(out), None, cluster)
    assert "fails_in_french" in str(caught.value.__cause__), "the worker's traceback is lost"
    assert not [p for p in out.iterdir() if not p.name.endswith(".lock")], "something committed"


def test_ctrl_c_stops_the_tasks_running_on_the_cluster(
    cluster: DaskExecutor,
    statements: list[Path],
    marks: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    import toolkit.pipeline.build as build_module

    monkeypatch.setattr(build_module, "build_language", cluster_tasks.long_spanish)

    def press_ctrl_c() -> None:
        for _ in range(600):
            if (marks / "es-started").exists():
                break
            time.sleep(0.05)
        _thread.interrupt_main()

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    out = tmp_path / "cluster"
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build(statements[:1], _options(out), None, cluster)
    for _ in range(200):  # the task stops at its next progress event: well under 60 s
        if (marks / "es-interrupted").exists():
            break
        time.sleep(0.05)
    assert (marks / "es-interrupted").exists(), "the cluster's task kept running"
    assert not (marks / "es-finished").exists()
    assert time.monotonic() - started < 30
    assert not (out / SLUGS[0]).exists(), "something committed"
    assert not list(out.glob(".*staging*"))


def test_an_unreachable_scheduler_is_one_line_and_a_hint(
    statements: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT_S", 1.0)
    result = CliRunner().invoke(
        app,
        ["build", str(statements[0]), "--engine", "fake", "--tts", "silent",
         "--cluster", f"tcp://127.0.0.1:{port}", "--out", str(tmp_path / "out")],
    )
    assert result.exit_code == ExitCode.NETWORK, result.output
    assert f"Error: Cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.output
    assert "Hint: Start it with `dask scheduler`" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / SLUGS[0]).exists()


def test_without_the_extra_the_option_names_it(
    statements: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    result = CliRunner().invoke(
        app, ["build", str(statements[0]), "--cluster", "local", "--out", str(tmp_path)]
    )
    assert result.exit_code == ExitCode.DEPENDENCY, result.output
    assert "--cluster needs Dask distributed" in result.output
    assert "pip install 'toolkit[cluster]'" in result.output
    assert "uv sync --extra cluster" in result.output


def test_dask_is_imported_only_for_a_cluster():
    import subprocess

    code = (
        "import sys, toolkit.cli, toolkit.cli.build, toolkit.pipeline.dask_executor,"
        " toolkit.pipeline.dask_cluster;"
        "sys.exit('distributed' in sys.modules or 'dask' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(
    ("text", "address", "workers"),
    [
        ("local", None, 2),
        ("local:3", None, 3),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786", 2),
        ("10.0.0.5:8786", "tcp://10.0.0.5:8786", 2),
        ("tls://sched.example:8786", "tls://sched.example:8786", 2),
    ],
)
def test_cluster_spec(text: str, address: str | None, workers: int):
    spec = ClusterSpec.parse(text)
    assert (spec.address, spec.workers) == (address, workers)


@pytest.mark.parametrize("text", ["local:0", "local:x", "tcp://", ":8786"])
def test_bad_cluster_spec(text: str):
    with pytest.raises(OptionError):
        ClusterSpec.parse(text)


def test_unreachable_scheduler_in_the_library():
    with pytest.raises(NetworkError, match="Cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:1", connect_timeout=0.5).connect()


def test_a_scheduler_without_workers_is_an_error_not_a_hang():
    from distributed import LocalCluster

    with (
        LocalCluster(n_workers=0, dashboard_address=":0") as empty,
        pytest.raises(NetworkError, match="has no workers") as caught,
    ):
        DaskExecutor(empty.scheduler_address, connect_timeout=0.5).connect()
    assert "dask worker" in caught.value.hint
