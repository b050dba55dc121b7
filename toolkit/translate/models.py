"""Argos model packages under ``TOOLKIT_HOME/models``: list, install, remove, index.

Installing never trusts the archive: it must be a zip with one top-level folder holding
``metadata.json`` (with ``from_code``/``to_code``), a CTranslate2 ``model/`` folder with
``model.bin``, and a ``sentencepiece.model`` or ``bpe.model`` tokenizer; no member may be
absolute, climb out with ``..``, or be a symlink. Everything is extracted into a hidden
temporary folder inside the models folder and renamed into place only when complete, so
a failure leaves nothing half-installed. This module does not import argostranslate
(whose ``install_from_path`` imports stanza and validates nothing).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit import config
from toolkit.errors import InputError, ModelError, NetworkError
from toolkit.languages import get_language

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
"""Argos Translate's own package index (what ``ARGOS_PACKAGE_INDEX`` defaults to)."""
INDEX_TIMEOUT = 20.0
"""Seconds to wait for the index or a package server to answer."""
MAX_UNPACKED_BYTES = 4 << 30
"""A package that unpacks to more than this is refused (zip bomb)."""
MAX_MEMBERS = 10_000
_CODE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?$")
_PARTIAL = ".partial-"
_RETIRED = ".retired-"


def offline_hint(lang: str | None = None) -> str:
    """The air-gapped alternative, named in every network error."""
    pair = f"translate-en_{lang}" if lang else "translate-en_<lang>"
    return (
        f"Install from a file instead: `toolkit models install PATH.argosmodel` "
        f"(copy {pair}-*.argosmodel from a connected machine)."
    )


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
    if package is None:
        raise ModelError(
            f"No {src}→{tgt} translation model is installed (looked in {config.models_dir()}).",
            missing_model_hint(tgt, src),
        )
    return package


# --- validation and installation ------------------------------------------------------


@dataclass(frozen=True)
class ArchiveCheck:
    """What validation learned about an archive."""

    top: str
    """The single top-level folder."""
    metadata: dict[str, Any]
    """Parsed ``metadata.json``."""
    members: tuple[zipfile.ZipInfo, ...]
    """Members to extract."""


def _bad(path: Path, why: str) -> ModelError:
    return ModelError(
        f"Refusing {path.name}: {why}.",
        "Download the package again from a trusted source; nothing was installed.",
    )


def validate_archive(path: Path, zf: zipfile.ZipFile) -> ArchiveCheck:
    """Check an opened package archive; raise :class:`ModelError` on anything unsafe or missing."""
    infos = zf.infolist()
    if not infos:
        raise _bad(path, "the archive is empty")
    if len(infos) > MAX_MEMBERS:
        raise _bad(path, f"it has {len(infos)} members")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise _bad(path, "it unpacks to more than 4 GiB")
    tops: set[str] = set()
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
            raise _bad(path, f"member {name!r} has an absolute or non-portable path")
        parts = PurePosixPath(name).parts
        if not parts or any(p in ("..", ".") for p in parts):
            raise _bad(path, f"member {name!r} escapes the package folder")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _bad(path, f"member {name!r} is a symbolic link")
        if len(parts) == 1 and not info.is_dir():
            raise _bad(path, f"file {name!r} is outside the package's top-level folder")
        tops.add(parts[0])
        names.add("/".join(parts[1:]))
    if len(tops) != 1:
        raise _bad(path, f"it must hold one top-level folder, found {len(tops)}")
    top = tops.pop()
    if "metadata.json" not in names:
        raise _bad(path, "metadata.json is missing")
    try:
        metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, KeyError) as exc:
        raise _bad(path, f"metadata.json is unreadable ({exc})") from None
    if not isinstance(metadata, dict):
        raise _bad(path, "metadata.json is not an object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not _CODE.match(metadata[key]):
            raise _bad(path, f"metadata.json has no valid {key!r}")
    if metadata.get("type", "translate") != "translate":
        raise _bad(path, f"it is a {metadata.get('type')!r} package, not a translation model")
    if "model/model.bin" not in names:
        raise _bad(path, "the CTranslate2 model (model/model.bin) is missing")
    if "sentencepiece.model" not in names and "bpe.model" not in names:
        raise _bad(path, "the tokenizer (sentencepiece.model or bpe.model) is missing")
    return ArchiveCheck(top, metadata, tuple(infos))


def _extract(zf: zipfile.ZipFile, check: ArchiveCheck, dest: Path) -> None:
    root = dest.resolve()
    for info in check.members:
        relative = PurePosixPath(info.filename).parts[1:]
        if not relative:
            continue
        target = (dest.joinpath(*relative)).resolve()
        if root not in target.parents:
            raise ModelError(f"Member {info.filename!r} escapes the package folder.")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)  # CRC is verified at the end of read


def _check_tokenizer(folder: Path, archive: Path) -> None:
    sp_model = folder / "sentencepiece.model"
    if sp_model.is_file():
        import sentencepiece as spm

        try:
            spm.SentencePieceProcessor(model_file=str(sp_model))
        except (RuntimeError, OSError) as exc:
            raise _bad(archive, f"sentencepiece.model does not load ({exc})") from None


def install_file(path: Path) -> InstalledPackage:
    """Validate and install a ``.argosmodel`` file; replace an installed package of that pair."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"Package file not found: {path}", "Give the path of a .argosmodel file, or a language."
        )
    root = config.models_dir()
    root.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(path) as zf:
            check = validate_archive(path, zf)
            name = f"translate-{check.metadata['from_code']}_{check.metadata['to_code']}"
            staging = Path(tempfile.mkdtemp(prefix=f"{_PARTIAL}{name}-", dir=root))
            try:
                _extract(zf, check, staging)
                _check_tokenizer(staging, path)
                _swap_into_place(staging, root / name)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except zipfile.BadZipFile as exc:
        raise _bad(path, f"it is not a valid zip archive ({exc})") from None
    except OSError as exc:
        raise ModelError(
            f"Cannot install {path.name}: {exc.strerror or exc}.",
            f"Check that {root} is writable and has free space.",
        ) from None
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
    for package in found:
        retired = package.path.with_name(f"{_RETIRED}{package.path.name}-{os.getpid()}")
        package.path.rename(retired)  # atomic: the package disappears at once
        shutil.rmtree(retired, ignore_errors=True)
    return found


# --- the index ---------------------------------------------------------------------------


def index_url() -> str:
    """URL of ``index.json`` from ``ARGOS_PACKAGE_INDEX`` (a base URL or a ``.json`` URL)."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base if base.endswith("/index.json") else base.rstrip("/") + "/index.json"


def _open(url: str, timeout: float) -> Any:
    if "://" not in url:  # a local path (air-gapped mirror)
        url = Path(url).resolve().as_uri()
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise NetworkError(f"Unsupported URL scheme in {url!r}.", offline_hint())
    request = urllib.request.Request(url, headers={"User-Agent": "toolkit-models"})
    return urllib.request.urlopen(request, timeout=timeout)  # scheme checked above


def fetch_index(
    url: str | None = None, timeout: float = INDEX_TIMEOUT, lang: str | None = None
) -> list[AvailablePackage]:
    """Read the model index; raise :class:`NetworkError` if unreachable, invalid or empty."""
    url = url or index_url()
    try:
        with _open(url, timeout) as response:
            data = json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
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
    errors = []
    for link in links:
        try:
            with _open(link, INDEX_TIMEOUT) as response, dest.open("wb") as sink:
                shutil.copyfileobj(response, sink, 1 << 20)
            return
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
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
    root.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f"{_PARTIAL}download-", suffix=".argosmodel", dir=root)
    os.close(fd)
    archive = Path(name)
    try:
        _download(best.links, archive, code)
        return install_file(archive)
    finally:
        archive.unlink(missing_ok=True)


def is_package_file(arg: str) -> bool:
    """Does an ``install`` argument name a file rather than a language?"""
    return arg.endswith((".argosmodel", ".zip")) or os.sep in arg or Path(arg).is_file()


def install(args: Sequence[str]) -> list[InstalledPackage]:
    """Install each argument: a ``.argosmodel`` path, or a language code from the index."""
    return [install_file(Path(a)) if is_package_file(a) else install_from_index(a) for a in args]
