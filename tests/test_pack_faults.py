"""The pack survives crashes, kills and hostile manifests (issue 16, part 2).

* A commit crashed at every one of its steps, then recovered (itself crashed at every step
  of the recovery), always leaves the pack consistent with its manifest: the old one or the
  new one, whole, with hand-edited files kept.
* ``kill -9`` / SIGTERM of a build never makes a later build hang; stale locks are taken
  over, live ones waited for with a message naming the holder.
* Staging clean-up matches this speech's folders exactly; a missing staged file is an error.
* Damaged manifests are warnings, paths leaving the pack are refused, never touched.
* ``toolkit verify`` gives one exit code per kind of problem.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.cli.verify import VerifyExit
from toolkit.errors import ExitCode, OutputError
from toolkit.export import paths
from toolkit.options import AudioOptions, BuildOptions, TranslateOptions
from toolkit.pipeline import journal, pack
from toolkit.pipeline import lock as pack_locks
from toolkit.pipeline.build import build
from toolkit.pipeline.journal import recover
from toolkit.pipeline.manifest import LanguageEntry, Manifest, OutputFile, load_manifest
from toolkit.pipeline.pack import commit, new_staging
from toolkit.pipeline.verify import check_pack, verify_manifest

DATA = Path(__file__).parent / "data" / "build"
SLUG = "short-statement"
REPO = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- a small pack


def _entry(folder: Path, name: str, *, staged: bool) -> OutputFile:
    path = folder / name
    return OutputFile(
        path=name,
        sha256=paths.sha256_file(path),
        bytes=path.stat().st_size,
        lang="fr",
        stage="translation",
        key=f"key-{name}",
        staged=staged,
    )


def _manifest(files: list[OutputFile]) -> Manifest:
    return Manifest(
        slug="s",
        source_path="source/s.en.md",
        source_sha256="0" * 64,
        toolkit_version="test",
        options={},
        languages={"fr": LanguageEntry(status="ok", files=tuple(f.path for f in files))},
        files=tuple(files),
    )


def _stage(out: Path, run: str, contents: dict[str, bytes]) -> tuple[Path, list[OutputFile]]:
    staging = new_staging(out, "s", run) / "s"
    staging.mkdir(parents=True)
    entries = []
    for name, data in contents.items():
        (staging / name).write_bytes(data)
        entries.append(_entry(staging, name, staged=True))
    return staging, entries


FIRST = {"a.json": b"old a", "b.pdf": b"old b", "c.mp3": b"old c", "same.vtt": b"same"}
SECOND = {"a.json": b"new a, longer", "b.pdf": b"new b", "d.zip": b"new d", "same.vtt": b"same"}
"""A commit that replaces a (unchanged since), replaces b (edited by hand), adds d, drops c
and leaves ``same.vtt`` untouched: every kind of step."""


def _first_pack(out: Path) -> tuple[Path, Manifest]:
    folder = out / "s"
    staging, entries = _stage(out, "1", FIRST)
    manifest = _manifest(entries)
    commit(folder, staging, manifest, None)
    shutil.rmtree(staging.parent)
    (folder / "b.pdf").write_bytes(b"b corrected by hand")
    return folder, manifest


def _second_commit(out: Path, old: Manifest) -> tuple[Path, Manifest]:
    staging, entries = _stage(out, "2", SECOND)
    return staging, _manifest(entries)


class Crash(BaseException):
    """A crash simulated at a commit step (BaseException: nothing catches and undoes it)."""


def _steps_of_a_commit(tmp_path: Path) -> list[str]:
    steps: list[str] = []
    folder, old = _first_pack(tmp_path / "probe")
    staging, new = _second_commit(tmp_path / "probe", old)
    journal.on_commit_step = steps.append
    try:
        result = commit(folder, staging, new, old)
    finally:
        journal.on_commit_step = None
    assert len(result.kept_aside) == 1 and result.kept_aside[0].startswith("b.pdf.edited-")
    assert (folder / result.kept_aside[0]).read_bytes() == b"b corrected by hand"
    return steps


def _crash_at(step: str, hits: list[str]):
    def hook(name: str) -> None:
        if name == step:
            hits.append(name)
            raise Crash(name)

    return hook


def _assert_consistent(folder: Path, old: Manifest, new: Manifest) -> str:
    """The pack is exactly the old or the new one; the hand edit survives; no leftovers."""
    manifest = load_manifest(folder)
    problems = [(p.kind, p.path) for p in check_pack(folder, manifest)]
    names = {p.name for p in folder.iterdir()}
    edited = [n for n in names if n.startswith("b.pdf.edited-")]
    if manifest.files == new.files:
        assert problems == []
        assert names == {*SECOND, "manifest.json", *edited} and len(edited) == 1
        assert (folder / edited[0]).read_bytes() == b"b corrected by hand"
        state = "new"
    else:
        assert manifest.files == old.files
        assert problems == [("changed", "b.pdf")], "only the file edited by hand differs"
        assert names == {*FIRST, "manifest.json"}
        assert (folder / "b.pdf").read_bytes() == b"b corrected by hand"
        state = "old"
    out = folder.parent
    assert not journal.journal_path(out, "s").exists()
    assert not (out / ".s.replaced").exists()
    return state


def test_a_commit_crashed_at_any_step_is_recovered_to_one_whole_pack(tmp_path: Path):
    steps = _steps_of_a_commit(tmp_path)
    # every kind of step is exercised
    assert steps[0] == "journal" and steps[-1] == "done" and "manifest" in steps
    for kind in ("backup a.json", "put a.json", "backup b.pdf", "put d.zip", "drop c.mp3"):
        assert kind in steps
    assert not any("same.vtt" in s for s in steps), "an identical file is never touched"
    outcomes = {}
    for number, step in enumerate(steps):
        out = tmp_path / f"crash-{number}"
        folder, old = _first_pack(out)
        staging, new = _second_commit(out, old)
        hits: list[str] = []
        journal.on_commit_step = _crash_at(step, hits)
        try:
            with pytest.raises(Crash):
                commit(folder, staging, new, old)
        finally:
            journal.on_commit_step = None
        assert hits == [step]
        # The next build takes the lock and asks for a staging folder: that recovers.
        new_staging(out, "s", "3")
        outcomes[step] = _assert_consistent(folder, old, new)
        assert not pack.staging_folders(out, "s")
    # Before the manifest is written the staged files are all still there: rolled forward.
    assert set(outcomes.values()) == {"new"}


def test_a_commit_that_restores_an_edited_file_under_the_same_manifest_is_recovered(
    tmp_path: Path,
):
    """The manifest does not change, so it cannot tell whether the commit went through."""

    def setup(out: Path) -> tuple[Path, Path, Manifest]:
        folder, old = _first_pack(out)  # b.pdf edited by hand; rebuilt to the listed bytes
        staging, entries = _stage(out, "2", FIRST)
        return folder, staging, _manifest(entries)

    steps: list[str] = []
    folder, staging, manifest = setup(tmp_path / "probe")
    journal.on_commit_step = steps.append
    try:
        commit(folder, staging, manifest, manifest)
    finally:
        journal.on_commit_step = None
    assert steps == ["journal", "backup b.pdf", "put b.pdf", "manifest", "aside b.pdf", "done"]
    for number, step in enumerate(steps):
        out = tmp_path / f"crash-{number}"
        folder, staging, manifest = setup(out)
        journal.on_commit_step = _crash_at(step, [])
        try:
            with pytest.raises(Crash):
                commit(folder, staging, manifest, manifest)
        finally:
            journal.on_commit_step = None
        recover(out, "s")
        assert check_pack(folder, load_manifest(folder)) == [], step
        kept = [p for p in folder.iterdir() if p.name.startswith("b.pdf.edited-")]
        assert [p.read_bytes() for p in kept] == [b"b corrected by hand"], step


def test_a_recovery_crashed_at_any_step_is_recovered_again(tmp_path: Path):
    steps = _steps_of_a_commit(tmp_path)
    cases = 0
    for number, step in enumerate(steps[:-1]):
        # the steps the recovery of this crash goes through
        out = tmp_path / f"probe-{number}"
        folder, old = _first_pack(out)
        staging, new = _second_commit(out, old)
        journal.on_commit_step = _crash_at(step, [])
        with pytest.raises(Crash):
            commit(folder, staging, new, old)
        recovery: list[str] = []
        journal.on_commit_step = recovery.append
        try:
            recover(out, "s")
        finally:
            journal.on_commit_step = None
        for again in recovery:
            out = tmp_path / f"crash-{number}-{again.replace(' ', '_')}"
            folder, old = _first_pack(out)
            staging, new = _second_commit(out, old)
            try:
                journal.on_commit_step = _crash_at(step, [])
                with pytest.raises(Crash):
                    commit(folder, staging, new, old)
                journal.on_commit_step = _crash_at(again, [])
                with pytest.raises(Crash):
                    recover(out, "s")
            finally:
                journal.on_commit_step = None
            recover(out, "s")
            _assert_consistent(folder, old, new)
            cases += 1
    assert cases > len(steps)


def test_a_commit_whose_staged_files_are_gone_is_rolled_back(tmp_path: Path):
    out = tmp_path / "out"
    folder, old = _first_pack(out)
    staging, new = _second_commit(out, old)
    journal.on_commit_step = _crash_at("put a.json", [])
    try:
        with pytest.raises(Crash):
            commit(folder, staging, new, old)
    finally:
        journal.on_commit_step = None
    shutil.rmtree(staging.parent)  # the staged files of the dead run are lost

    assert recover(out, "s") == "rolled back"
    assert _assert_consistent(folder, old, new) == "old"


def test_a_recovery_past_the_commit_point_never_rolls_back(tmp_path: Path, caplog):
    """Old files must never come back under the new manifest, whatever happened since."""
    out = tmp_path / "out"
    folder, old = _first_pack(out)
    staging, new = _second_commit(out, old)
    journal.on_commit_step = _crash_at("manifest", [])
    try:
        with pytest.raises(Crash):
            commit(folder, staging, new, old)
    finally:
        journal.on_commit_step = None
    (folder / "d.zip").write_bytes(b"damaged since")  # a put that is no longer in place
    shutil.rmtree(staging.parent)  # and its staged copy gone

    assert recover(out, "s") == "completed"

    assert load_manifest(folder).files == new.files
    assert (folder / "a.json").read_bytes() == SECOND["a.json"]
    assert "cannot be completed in full (d.zip" in caplog.text
    problems = [(p.kind, p.path) for p in check_pack(folder, load_manifest(folder))]
    assert problems == [("changed", "d.zip")]


def test_a_file_edited_after_a_crash_survives_the_roll_back(tmp_path: Path):
    out = tmp_path / "out"
    folder, old = _first_pack(out)
    staging, new = _second_commit(out, old)
    journal.on_commit_step = _crash_at("put a.json", [])
    try:
        with pytest.raises(Crash):
            commit(folder, staging, new, old)
    finally:
        journal.on_commit_step = None
    shutil.rmtree(staging.parent)
    (folder / "a.json").write_bytes(b"corrected after the crash")

    assert recover(out, "s") == "rolled back"

    assert (folder / "a.json").read_bytes() == FIRST["a.json"]
    kept = [p.read_bytes() for p in folder.iterdir() if p.name.startswith("a.json.edited-")]
    assert kept == [b"corrected after the crash"]


def test_a_file_system_error_mid_commit_rolls_back_with_exit_7(tmp_path: Path):
    """``chattr +i`` on one output, then a commit that must replace it."""
    out = tmp_path / "out"
    folder, old = _first_pack(out)
    staging, new = _second_commit(out, old)
    target = folder / "b.pdf"
    immutable = subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode == 0
    if not immutable:  # a file system without attributes: the same EPERM, injected

        def refuse(name: str) -> None:
            if name == "put a.json":
                raise PermissionError(1, "Operation not permitted", str(target))

        journal.on_commit_step = refuse
    try:
        with pytest.raises(OutputError) as caught:
            commit(folder, staging, new, old)
    finally:
        journal.on_commit_step = None
        if immutable:
            subprocess.run(["chattr", "-i", str(target)], check=True)
    error = caught.value
    assert error.exit_code == ExitCode.OUTPUT == 7
    assert "b.pdf" in error.message and "not permitted" in error.message
    assert "left as it was" in error.hint and "lsattr" in error.hint
    assert _assert_consistent(folder, old, new) == "old"
    # fixed, the same commit goes through
    commit(folder, staging, new, old)
    assert _assert_consistent(folder, old, new) == "new"


def test_a_missing_staged_file_is_an_error_not_a_reuse(tmp_path: Path):
    out = tmp_path / "out"
    folder, old = _first_pack(out)
    staging, new = _second_commit(out, old)
    (staging / "d.zip").unlink()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    with pytest.raises(OutputError, match=r"staged d\.zip .* missing"):
        commit(folder, staging, new, old)

    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_staging_clean_up_matches_this_speech_exactly(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    others = [".ab.staging-12", ".a.staging-1.staging-2", ".a*b.staging-3", ".a?.staging-4"]
    mine = [".a*.staging-5", ".a*.staging-x"]
    for name in others + mine:
        (out / name / "keep").mkdir(parents=True)

    staging = new_staging(out, "a*", "9")

    assert staging == out / ".a*.staging-9"
    assert sorted(p.name for p in out.iterdir()) == sorted(others)


# --------------------------------------------------------------------------- builds


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(DATA / f"{SLUG}.en.md", folder / f"{SLUG}.en.md")
    return folder / f"{SLUG}.en.md"


def _options(out: Path, jobs: int = 1) -> BuildOptions:
    return BuildOptions(
        targets=("fr", "es"),
        translate=TranslateOptions(engine="fake"),
        audio=AudioOptions(tts="silent"),
        make_pdf=False,
        jobs=jobs,
        out=out,
    )


def _toolkit(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        **kwargs,
    )


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_killed_build_leaves_no_worker_and_the_next_build_does_not_hang(
    source: Path, tmp_path: Path, kill: signal.Signals
):
    """The issue's case: ``setsid toolkit build S & sleep 2; kill -9 $!; toolkit build S``."""
    out = tmp_path / "exports"
    args = ["build", str(source), "--out", str(out), "--engine", "fake", "--tts", "silent"]
    args += ["--to", "fr,es,ru", "--jobs", "2", "--no-pdf"]
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        workers = [pid for pid in _children(process.pid) if _alive(pid)]
        if len(workers) >= 2:
            break
        time.sleep(0.02)
    assert len(workers) >= 2, "the build never started its worker processes"
    process.send_signal(kill)
    process.wait(timeout=30)
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its build"

    again = _toolkit(*args, timeout=90)

    assert again.returncode == 0, again.stderr
    assert verify_manifest(out / SLUG) == []
    assert not pack.staging_folders(out, SLUG)


def test_a_forked_child_does_not_keep_the_pack_lock(tmp_path: Path):
    out = tmp_path / "out"
    with pack.pack_lock(out, "s"):
        child = os.fork()
        if child == 0:  # pragma: no cover - the child only sleeps
            time.sleep(3)
            os._exit(0)
    try:
        started = time.monotonic()
        with pack.pack_lock(out, "s", on_wait=lambda path, who: pytest.fail("waited")):
            pass
        assert time.monotonic() - started < 1
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


_ORPHAN = """
import fcntl, json, os, socket, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
if sys.argv[2] == "record":  # what a build writes (pid, host, since), as this toolkit does
    record = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
    os.write(fd, json.dumps(record).encode())
child = os.fork()
if child == 0:  # a worker of an older toolkit: it inherits the locked file...
    time.sleep(60)
    os._exit(0)
print(os.getpid(), child, flush=True)
os._exit(0)  # ...and outlives its build, killed
"""


@pytest.mark.parametrize("record", ["record", "no-record"])
def test_a_lock_left_by_a_dead_build_is_taken_over(tmp_path: Path, record: str, caplog):
    """Its holder is dead, by its record or (without one) by the kernel's /proc/locks."""
    out = tmp_path / "out"
    lock = pack.lock_path(out, "s")
    out.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN, str(lock), record], stdout=subprocess.PIPE, text=True
    )
    assert build.stdout is not None
    dead, orphan = (int(pid) for pid in build.stdout.readline().split())
    build.wait()
    inode = lock.stat().st_ino
    held = [line for line in Path("/proc/locks").read_text().splitlines() if f":{inode} " in line]
    assert held and f" {dead} " in held[0], "the orphan still holds the lock of the dead build"
    try:
        started = time.monotonic()
        with pack.pack_lock(out, "s", on_wait=lambda path, who: pytest.fail("waited")):
            assert time.monotonic() - started < 2
        assert f"pid {dead} " in caplog.text and "Taking over" in caplog.text
    finally:
        os.kill(orphan, signal.SIGKILL)


def test_a_build_waiting_for_a_live_lock_says_for_whom_then_goes_on(tmp_path: Path):
    out = tmp_path / "out"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from toolkit.pipeline.pack import pack_lock\n"
        "with pack_lock(Path(sys.argv[1]), 's'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(1.0)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    waits: list[pack_locks.LockHolder | None] = []
    started = time.monotonic()
    try:
        with pack.pack_lock(out, "s", on_wait=lambda path, who: waits.append(who)):
            assert time.monotonic() - started > 0.5, "took the lock while it was held"
    finally:
        holder.wait()
    assert len(waits) == 1 and waits[0] is not None
    assert waits[0].pid == holder.pid
    assert waits[0].since is not None and time.time() - waits[0].since < 30
    assert f"pid {holder.pid} on " in waits[0].describe() and "since" in waits[0].describe()


def test_a_build_is_killed_at_a_commit_step_and_verify_finds_the_pack_whole(
    source: Path, tmp_path: Path
):
    """A real SIGKILL in the middle of a real build's commit, then ``toolkit verify``."""
    out = tmp_path / "exports"
    build([source], _options(out))
    source.write_text(source.read_text().replace("Thank you.", "Thank you all."))
    crash = (
        "import os, signal, sys\n"
        "from toolkit.pipeline import journal\n"
        "def hook(step):\n"
        "    if step.startswith('put '):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "journal.on_commit_step = hook\n"
        "from toolkit.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = ["build", str(source), "--out", str(out), "--engine", "fake", "--tts", "silent"]
    args += ["--to", "fr,es", "--no-pdf", "--jobs", "1"]
    killed = subprocess.run(
        [sys.executable, "-c", crash, *args], cwd=REPO, capture_output=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL
    assert journal.journal_path(out, SLUG).exists()

    verified = _toolkit("verify", str(out / SLUG))

    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "interrupted commit was completed" in verified.stdout
    assert "consistent" in verified.stdout
    assert "Thank you all." in (out / SLUG / f"{SLUG}.speech.json").read_text()
    again = _toolkit(*args)
    assert again.returncode == 0 and "(0 files written or removed)" in again.stdout


def test_a_build_never_exits_0_with_a_staged_file_missing(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import toolkit.pipeline.build as pipeline_build

    out = tmp_path / "exports"
    build([source], _options(out))
    before = {p.name: p.read_bytes() for p in (out / SLUG).iterdir()}
    source.write_text(source.read_text().replace("Thank you.", "Thank you all."))
    real = pipeline_build.build_language

    def loses_a_file(task, emit):
        report = real(task, emit)
        for f in report.files:
            if f.staged:
                (task.staging / SLUG / f.path).unlink()  # something cleaned the staging
                break
        return report

    monkeypatch.setattr(pipeline_build, "build_language", loses_a_file)
    with pytest.raises(OutputError, match="missing"):
        build([source], _options(out))
    assert {p.name: p.read_bytes() for p in (out / SLUG).iterdir()} == before


# --------------------------------------------------------------------------- manifests


def _good_pack(source: Path, out: Path) -> Path:
    build([source], _options(out))
    return out / SLUG


def _edit_manifest(folder: Path, change) -> None:
    path = folder / "manifest.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


MISSING_KEYS = [
    ("no files", lambda d: d.pop("files")),
    ("no languages", lambda d: d.pop("languages")),
    ("no source", lambda d: d.pop("source")),
    ("entry without sha256", lambda d: d["files"][0].pop("sha256")),
    ("entry without path", lambda d: d["files"][1].pop("path")),
    ("path is a number", lambda d: d["files"][0].update(path=3)),
    ("bytes is text", lambda d: d["files"][0].update(bytes="12")),
    ("files is an object", lambda d: d.update(files={})),
    ("language is a list", lambda d: d["languages"].update(fr=[])),
]


@pytest.mark.parametrize("change", [c for _, c in MISSING_KEYS], ids=[n for n, _ in MISSING_KEYS])
def test_a_manifest_missing_keys_is_a_warning_and_a_full_rebuild(
    source: Path, tmp_path: Path, change, caplog
):
    folder = _good_pack(source, tmp_path / "exports")
    _edit_manifest(folder, change)

    result = build([source], _options(tmp_path / "exports"))

    assert result.exit_code == ExitCode.OK
    assert "is damaged" in caplog.text and "treating the pack as having no manifest" in caplog.text
    assert verify_manifest(folder) == []


VICTIMS = ["../../victim.txt", "../victim.txt", "/ABSOLUTE/victim.txt", "sub/../../victim.txt"]


@pytest.mark.parametrize("escape", VICTIMS)
def test_a_manifest_entry_leaving_the_pack_is_refused_and_never_touched(
    source: Path, tmp_path: Path, escape: str
):
    out = tmp_path / "work" / "exports"
    folder = _good_pack(source, out)
    target = escape.replace("/ABSOLUTE", str(tmp_path))
    victim = Path(os.path.normpath(folder / target))
    victim.write_text("not yours")
    around = sorted(victim.parent.iterdir())

    def forge(data):
        # The victim listed as a stale file of a stage this run produces (it would be removed)
        # and as an output whose bytes differ (it would be set aside and replaced).
        entry = dict(data["files"][0], path=target, sha256="0" * 64)
        data["files"].append(entry)

    _edit_manifest(folder, forge)
    verified = CliRunner().invoke(app, ["verify", str(folder)])
    assert verified.exit_code == VerifyExit.UNSAFE == 13
    assert f"refused: {target}" in verified.output

    result = build([source], _options(out))

    assert result.exit_code == ExitCode.OK
    assert victim.read_text() == "not yours"
    assert sorted(victim.parent.iterdir()) == around, "nothing renamed or added beside it"
    assert verify_manifest(folder) == []


def test_a_symbolic_link_out_of_the_pack_is_refused(source: Path, tmp_path: Path):
    out = tmp_path / "exports"
    folder = _good_pack(source, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    vtt = folder / f"{SLUG}.fr.vtt"
    vtt.unlink()
    vtt.symlink_to(victim)

    verified = CliRunner().invoke(app, ["verify", str(folder)])
    assert verified.exit_code == VerifyExit.UNSAFE
    assert "outside the pack" in verified.output

    source.write_text(source.read_text().replace("Thank you.", "Thank you all."))
    with pytest.raises(OutputError, match="symbolic link"):
        build([source], _options(out))
    assert victim.read_text() == "not yours" and vtt.is_symlink()


# --------------------------------------------------------------------------- verify


def _remove_one(folder: Path) -> None:
    (folder / f"{SLUG}.fr.vtt").unlink()


def _change_one(folder: Path) -> None:
    with (folder / f"{SLUG}.es.vtt").open("a") as handle:
        handle.write("\n")


def _damage(folder: Path) -> None:
    (folder / "manifest.json").write_text('{"format": "toolkit.manifest/1", "slug": ')


def _unsafe(folder: Path) -> None:
    _edit_manifest(folder, lambda d: d["files"].append(dict(d["files"][0], path="../x")))


def _no_manifest(folder: Path) -> None:
    (folder / "manifest.json").unlink()


VERIFY_CASES = [
    ("consistent", lambda folder: None, VerifyExit.CONSISTENT, "consistent ("),
    ("missing", _remove_one, VerifyExit.MISSING, f"missing: {SLUG}.fr.vtt"),
    ("changed", _change_one, VerifyExit.CHANGED, f"changed: {SLUG}.es.vtt"),
    ("unsafe", _unsafe, VerifyExit.UNSAFE, "refused: ../x"),
    ("damaged", _damage, VerifyExit.DAMAGED_MANIFEST, "manifest.json is damaged"),
    ("no manifest", _no_manifest, VerifyExit.NO_MANIFEST, "there is no manifest.json"),
]


@pytest.mark.parametrize(
    ("damage", "code", "message"),
    [case[1:] for case in VERIFY_CASES],
    ids=[case[0] for case in VERIFY_CASES],
)
def test_verify_gives_one_exit_code_and_message_per_problem(
    source: Path, tmp_path: Path, damage, code: int, message: str
):
    folder = _good_pack(source, tmp_path / "exports")
    damage(folder)

    result = CliRunner().invoke(app, ["verify", str(folder)])

    assert result.exit_code == code, result.output
    assert message in result.output


def test_verify_reports_the_most_serious_kind_when_there_are_several(source: Path, tmp_path: Path):
    folder = _good_pack(source, tmp_path / "exports")
    _change_one(folder)
    _remove_one(folder)

    result = CliRunner().invoke(app, ["verify", str(folder)])

    assert result.exit_code == VerifyExit.MISSING
    assert "1 missing:" in result.output and "1 changed:" in result.output


def test_verify_of_something_that_is_not_a_folder_is_an_input_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "nothing")])
    assert result.exit_code == ExitCode.INPUT
    assert not list(tmp_path.iterdir()), "no lock file left beside a non-pack"
