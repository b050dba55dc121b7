"""Argos model packages under ``TOOLKIT_HOME/models``: list, install, remove, index.

Installing never trusts the archive: it must be a zip with one top-level folder holding
``metadata.json`` (with ``from_code``/``to_code``), a CTranslate2 ``model/`` folder with
``model.bin``, and a ``sentencepiece.model`` or ``bpe.model`` tokenizer; no member may be
absolute, climb out with ``..``, or be a symlink. Everything is extracted into a hidden
temporary folder inside the models folder, **run once on a test sentence in a separate
process** (a random ``model.bin`` or a garbage tokenizer that crashes, hangs or raises is
refused there), and renamed into place only when it passed: until then the old model
stays installed, and a failure leaves nothing half-installed. Installs of one models
folder take turns (a lock file), so whatever ``.partial-*`` folder a killed install left
behind is known to be stale and is cleaned up by the next install.

Downloads are bounded: by size (the ``Content-Length`` and the bytes actually read), by
total time, and by a low-speed limit (a server that trickles a byte every few seconds is
dropped), like curl's ``--max-filesize``, ``--max-time`` and ``--speed-limit``. This
module does not import argostranslate (whose ``install_from_path`` imports stanza and
validates nothing).

This module is the public face (list, install, remove, the index); the bounded download
lives in :mod:`toolkit.translate.model_download` and the archive validation and test run
in :mod:`toolkit.translate.package_check`, both re-exported here.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import config
from toolkit.errors import InputError, ModelError, NetworkError, from_os_error
from toolkit.languages import get_language
from toolkit.translate.model_download import (
    INDEX_TIMEOUT,
    DownloadLimitError,
    DownloadLimits,
    is_local_failure,
    offline_hint,
    read_bounded,
)
from toolkit.translate.package_check import (
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    MODEL_CHECK_TIMEOUT,
    ArchiveCheck,
    check_model_runs,
    check_tokenizer,
    extract_package,
    refusal,
    validate_archive,
)

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
"""Argos Translate's own package index (what ``ARGOS_PACKAGE_INDEX`` defaults to)."""
_PARTIAL = ".partial-"
_RETIRED = ".retired-"
_LOCK = ".install.lock"
log = logging.getLogger(__name__)

INDEX_LIMITS = DownloadLimits(max_bytes=16 << 20, total_seconds=60.0)
"""The index is a JSON list of ~100 packages (~100 KB): 16 MiB and one minute are plenty."""
PACKAGE_LIMITS = DownloadLimits(max_bytes=2 << 30, total_seconds=3600.0)
"""Real packages are 50–400 MB: 2 GiB, one hour, and at least 1 KB every 30 s."""


def missing_model_hint(lang: str, src: str = "en") -> str:
    """What to run when the model for ``src``→``lang`` is not installed."""
    return (
        f"Run `toolkit models install {lang}`, or offline "
        f"`toolkit models install PATH/translate-{src}_{lang}-*.argosmodel`."
    )


@dataclass(frozen=True)
class InstalledPackage:
    """An installed translation package."""

    path: Path
    """Its folder under the models folder."""
    from_code: str
    """Source language code."""
    to_code: str
    """Target language code."""
    package_version: str
    """Version from ``metadata.json``."""
    name: str
    """Package name, ``translate-<from>_<to>``."""
    size_bytes: int
    """Disk usage of the folder."""
    target_prefix: str = ""
    """Token the decoder must start with (multilingual packages)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``toolkit models list --json``."""
        return {
            "from_code": self.from_code,
            "to_code": self.to_code,
            "package_version": self.package_version,
            "name": self.name,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "installed": True,
        }


@dataclass(frozen=True)
class AvailablePackage:
    """A package listed by the model index."""

    from_code: str
    """Source language code."""
    to_code: str
    """Target language code."""
    package_version: str
    """Version offered."""
    links: tuple[str, ...]
    """Download URLs, tried in order."""
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    """The index entry as given."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``toolkit models list --available --json``."""
        return {
            "from_code": self.from_code,
            "to_code": self.to_code,
            "package_version": self.package_version,
            "links": list(self.links),
            "installed": False,
        }


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[._-]", version))


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def read_package(path: Path) -> InstalledPackage:
    """Describe an installed package folder (raise :class:`ModelError` if it is not one)."""
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
        from_code, to_code = str(metadata["from_code"]), str(metadata["to_code"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"{path} is not a valid Argos package ({exc}).",
            "Remove it and install the package again.",
        ) from None
    return InstalledPackage(
        path=path,
        from_code=from_code,
        to_code=to_code,
        package_version=str(metadata.get("package_version", "")),
        name=f"translate-{from_code}_{to_code}",
        size_bytes=_dir_size(path),
        target_prefix=str(metadata.get("target_prefix", "") or ""),
    )


def installed_packages(root: Path | None = None) -> list[InstalledPackage]:
    """Valid packages in the models folder, sorted by pair (hidden temp folders ignored)."""
    root = root or config.models_dir()
    if not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not (child / "metadata.json").is_file():
            continue
        try:
            found.append(read_package(child))
        except ModelError:
            continue  # a broken folder is reported by `models list`, not fatal for others
    return sorted(found, key=lambda p: (p.from_code, p.to_code, _version_key(p.package_version)))


def find_package(src: str, tgt: str, root: Path | None = None) -> InstalledPackage | None:
    """The installed package for ``src``→``tgt`` (highest version), or None."""
    matches = [p for p in installed_packages(root) if (p.from_code, p.to_code) == (src, tgt)]
    return matches[-1] if matches else None


def require_package(src: str, tgt: str) -> InstalledPackage:
    """Like :func:`find_package` but raise a :class:`ModelError` naming the install command."""
    package = find_package(src, tgt)
    if package is None and recover_interrupted_install():
        package = find_package(src, tgt)  # a killed reinstall had set the old one aside
    if package is None:
        raise ModelError(
            f"No {src}→{tgt} translation model is installed (looked in {config.models_dir()}).",
            missing_model_hint(tgt, src),
        )
    return package



# --- installation ----------------------------------------------------------------------


@contextlib.contextmanager
def _install_lock(root: Path) -> Iterator[None]:
    """One install or removal at a time in ``root``; the lock dies with its process.

    The lock file sits beside the models folder, so the folder holds only packages.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = root.with_name(f".{root.name}{_LOCK}").open("a")
    except OSError as exc:
        raise from_os_error(exc, root) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("Another model install is running in %s: waiting for it.", root)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _clean_stale(root)
        yield


def recover_interrupted_install(root: Path | None = None) -> bool:
    """Put back a package a killed install had set aside, if no install is running now.

    Called when a model is missing, so ``translate`` heals what a ``kill -9`` of
    ``models install`` left without waiting for the next install. Returns True if the
    models folder changed.
    """
    root = root or config.models_dir()
    if not root.is_dir() or not any(c.name.startswith(_RETIRED) for c in root.iterdir()):
        return False
    try:
        handle = root.with_name(f".{root.name}{_LOCK}").open("a")
    except OSError:
        return False  # read-only: nothing we may repair
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # an install is at work: it will finish the swap itself
        before = sorted(c.name for c in root.iterdir())
        _clean_stale(root)
        return sorted(c.name for c in root.iterdir()) != before


def _clean_stale(root: Path) -> None:
    """Remove what a killed install or removal left (we hold the lock: nobody else is at work).

    A ``.retired-<name>-<pid>`` folder whose ``<name>`` is gone is an old package that a
    kill caught between the two renames of a swap: it is put back, not deleted.
    """
    for child in sorted(root.iterdir()):
        if child.name.startswith(_RETIRED):
            name = child.name[len(_RETIRED) :].rsplit("-", 1)[0]
            if child.is_dir() and name and not (root / name).exists():
                with contextlib.suppress(OSError):
                    child.rename(root / name)
                    log.warning("Restored %s, which an interrupted install had set aside.", name)
                    continue
        elif not child.name.startswith(_PARTIAL):
            continue
        log.info("Removing %s, left by an interrupted install.", child)
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()


def install_file(path: Path) -> InstalledPackage:
    """Validate, test-run and install a ``.argosmodel`` file, replacing that pair's package."""
    root = config.models_dir()
    with _install_lock(root):
        return _install_file_locked(Path(path), root)


def _install_file_locked(path: Path, root: Path) -> InstalledPackage:
    if not path.is_file():
        raise InputError(
            f"Package file not found: {path}", "Give the path of a .argosmodel file, or a language."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            check = validate_archive(path, zf)
            name = f"translate-{check.metadata['from_code']}_{check.metadata['to_code']}"
            staging = Path(tempfile.mkdtemp(prefix=f"{_PARTIAL}{name}-", dir=root))
            try:
                extract_package(zf, check, staging)
                check_tokenizer(staging, path)
                # The old model stays until this passed. MODEL_CHECK_TIMEOUT is read here, in
                # this module, so that setting models.MODEL_CHECK_TIMEOUT still takes effect.
                check_model_runs(staging, path, MODEL_CHECK_TIMEOUT)
                _swap_into_place(staging, root / name)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except zipfile.BadZipFile as exc:
        raise refusal(path, f"it is not a valid zip archive ({exc})") from None
    except OSError as exc:
        raise from_os_error(exc, root) from None
    return read_package(root / name)


def _swap_into_place(staging: Path, final: Path) -> None:
    retired: Path | None = None
    if final.exists():
        retired = final.with_name(f"{_RETIRED}{final.name}-{os.getpid()}")
        final.rename(retired)
    try:
        staging.rename(final)
    except BaseException:
        if retired is not None:
            retired.rename(final)
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def remove(lang: str, src: str = "en") -> list[InstalledPackage]:
    """Uninstall every ``src``→``lang`` package; raise :class:`ModelError` if there is none."""
    code = get_language(lang).code
    found = [p for p in installed_packages() if (p.from_code, p.to_code) == (src, code)]
    if not found:
        raise ModelError(
            f"No {src}→{code} model is installed.", "Run `toolkit models list` to see what is."
        )
    with _install_lock(config.models_dir()):
        for package in found:
            # Not .retired-: a kill here must not bring the removed package back.
            doomed = package.path.with_name(f"{_PARTIAL}removed-{package.path.name}")
            package.path.rename(doomed)  # atomic: the package disappears at once
            shutil.rmtree(doomed, ignore_errors=True)
    return found


# --- the index ---------------------------------------------------------------------------


def index_url() -> str:
    """URL of ``index.json`` from ``ARGOS_PACKAGE_INDEX`` (a base URL or a ``.json`` URL)."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base if base.endswith("/index.json") else base.rstrip("/") + "/index.json"


def fetch_index(
    url: str | None = None, timeout: float | None = None, lang: str | None = None
) -> list[AvailablePackage]:
    """Read the model index (within :data:`INDEX_LIMITS`); :class:`NetworkError` if unreachable,
    too large, too slow, invalid or empty."""
    url = url or index_url()
    limits = INDEX_LIMITS
    if timeout is not None:
        limits = DownloadLimits(limits.max_bytes, limits.total_seconds, read_timeout=timeout)
    import http.client  # the network stack, only when the network is used
    import urllib.error

    body = io.BytesIO()
    try:
        read_bounded(url, body, limits)
        data = json.loads(body.getvalue().decode("utf-8"))
    except DownloadLimitError as exc:
        raise NetworkError(f"Refusing the model index {url}: {exc}.", offline_hint(lang)) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise NetworkError(
            f"Cannot reach the model index {url}: {reason}.", offline_hint(lang)
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise NetworkError(
            f"The model index {url} is not valid JSON.", offline_hint(lang)
        ) from None
    entries = data.get("packages", data) if isinstance(data, dict) else data
    packages = []
    if isinstance(entries, list):
        for entry in entries:
            if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
                continue
            links = entry.get("links") or []
            if isinstance(entry.get("from_code"), str) and isinstance(entry.get("to_code"), str):
                packages.append(
                    AvailablePackage(
                        from_code=entry["from_code"],
                        to_code=entry["to_code"],
                        package_version=str(entry.get("package_version", "")),
                        links=tuple(str(link) for link in links if isinstance(link, str)),
                        metadata=entry,
                    )
                )
    if not packages:
        raise NetworkError(
            f"The model index {url} lists no translation packages.", offline_hint(lang)
        )
    return packages


def _download(links: Sequence[str], dest: Path, lang: str) -> None:
    import http.client
    import urllib.error

    errors = []
    for link in links:
        try:
            with dest.open("wb") as sink:
                read_bounded(link, sink, PACKAGE_LIMITS)
            return
        except DownloadLimitError as exc:
            errors.append(f"{link}: refused, {exc}")
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if isinstance(exc, OSError) and not isinstance(exc, urllib.error.URLError) and (
                is_local_failure(exc)
            ):
                raise from_os_error(exc, dest) from None
            errors.append(f"{link}: {getattr(exc, 'reason', None) or exc}")
    raise NetworkError(
        f"Cannot download the {lang} model ({'; '.join(errors) or 'no download link'}).",
        offline_hint(lang),
    )


def install_from_index(lang: str, src: str = "en") -> InstalledPackage:
    """Download the newest ``src``→``lang`` package from the index and install it."""
    code = get_language(lang).code
    offers = [p for p in fetch_index(lang=code) if (p.from_code, p.to_code) == (src, code)]
    if not offers:
        raise ModelError(
            f"The model index {index_url()} has no {src}→{code} package.", offline_hint(code)
        )
    best = max(offers, key=lambda p: _version_key(p.package_version))
    root = config.models_dir()
    with _install_lock(root):
        try:
            fd, name = tempfile.mkstemp(
                prefix=f"{_PARTIAL}download-", suffix=".argosmodel", dir=root
            )
        except OSError as exc:
            raise from_os_error(exc, root) from None
        os.close(fd)
        archive = Path(name)
        try:
            _download(best.links, archive, code)
            return _install_file_locked(archive, root)
        finally:
            archive.unlink(missing_ok=True)


def is_package_file(arg: str) -> bool:
    """Does an ``install`` argument name a file rather than a language?"""
    return arg.endswith((".argosmodel", ".zip")) or os.sep in arg or Path(arg).is_file()


def install(args: Sequence[str]) -> list[InstalledPackage]:
    """Install each argument: a ``.argosmodel`` path, or a language code from the index."""
    return [install_file(Path(a)) if is_package_file(a) else install_from_index(a) for a in args]


__all__ = [
    "DEFAULT_INDEX",
    "INDEX_LIMITS",
    "INDEX_TIMEOUT",
    "MAX_MEMBERS",
    "MAX_UNPACKED_BYTES",
    "MODEL_CHECK_TIMEOUT",
    "PACKAGE_LIMITS",
    "ArchiveCheck",
    "AvailablePackage",
    "DownloadLimitError",
    "DownloadLimits",
    "InstalledPackage",
    "check_model_runs",
    "fetch_index",
    "find_package",
    "index_url",
    "install",
    "install_file",
    "install_from_index",
    "installed_packages",
    "is_local_failure",
    "is_package_file",
    "missing_model_hint",
    "offline_hint",
    "read_bounded",
    "read_package",
    "recover_interrupted_install",
    "remove",
    "require_package",
    "validate_archive",
]
