"""Checking a model package before it is installed: archive validation and a test run.

:func:`validate_archive` refuses an archive that is not one top-level folder holding
``metadata.json`` (with ``from_code``/``to_code``), a CTranslate2 ``model/model.bin`` and a
``sentencepiece.model`` or ``bpe.model`` tokenizer, or that has an absolute, climbing
(``..``) or symlinked member, too many members or too many unpacked bytes (zip bomb).
:func:`extract_package` unpacks what was validated, :func:`check_tokenizer` loads the
SentencePiece model, and :func:`check_model_runs` translates a test sentence **in a
separate process** (a random ``model.bin`` or a garbage tokenizer that crashes, hangs or
raises is refused there). Every refusal is a :class:`~toolkit.errors.ModelError` made by
:func:`refusal`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.errors import ModelError

MAX_UNPACKED_BYTES = 4 << 30
"""A package that unpacks to more than this is refused (zip bomb)."""
MAX_MEMBERS = 10_000
_CODE = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?$")
MODEL_CHECK_TIMEOUT = 180.0
"""Seconds a new model gets to load and translate its test sentence before it is refused."""


@dataclass(frozen=True)
class ArchiveCheck:
    """What validation learned about an archive."""

    top: str
    """The single top-level folder."""
    metadata: dict[str, Any]
    """Parsed ``metadata.json``."""
    members: tuple[zipfile.ZipInfo, ...]
    """Members to extract."""


def refusal(path: Path, why: str) -> ModelError:
    """The error refusing the package file ``path`` because of ``why``."""
    return ModelError(
        f"Refusing {path.name}: {why}.",
        "Download the package again from a trusted source; nothing was installed "
        "(a model already installed for the pair is unchanged).",
    )


def validate_archive(path: Path, zf: zipfile.ZipFile) -> ArchiveCheck:
    """Check an opened package archive; raise :class:`ModelError` on anything unsafe or missing."""
    infos = zf.infolist()
    if not infos:
        raise refusal(path, "the archive is empty")
    if len(infos) > MAX_MEMBERS:
        raise refusal(path, f"it has {len(infos)} members")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise refusal(path, "it unpacks to more than 4 GiB")
    tops: set[str] = set()
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
            raise refusal(path, f"member {name!r} has an absolute or non-portable path")
        parts = PurePosixPath(name).parts
        if not parts or any(p in ("..", ".") for p in parts):
            raise refusal(path, f"member {name!r} escapes the package folder")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise refusal(path, f"member {name!r} is a symbolic link")
        if len(parts) == 1 and not info.is_dir():
            raise refusal(path, f"file {name!r} is outside the package's top-level folder")
        tops.add(parts[0])
        names.add("/".join(parts[1:]))
    if len(tops) != 1:
        raise refusal(path, f"it must hold one top-level folder, found {len(tops)}")
    top = tops.pop()
    if "metadata.json" not in names:
        raise refusal(path, "metadata.json is missing")
    try:
        metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, KeyError) as exc:
        raise refusal(path, f"metadata.json is unreadable ({exc})") from None
    if not isinstance(metadata, dict):
        raise refusal(path, "metadata.json is not an object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not _CODE.match(metadata[key]):
            raise refusal(path, f"metadata.json has no valid {key!r}")
    if metadata.get("type", "translate") != "translate":
        raise refusal(path, f"it is a {metadata.get('type')!r} package, not a translation model")
    if "model/model.bin" not in names:
        raise refusal(path, "the CTranslate2 model (model/model.bin) is missing")
    if "sentencepiece.model" not in names and "bpe.model" not in names:
        raise refusal(path, "the tokenizer (sentencepiece.model or bpe.model) is missing")
    return ArchiveCheck(top, metadata, tuple(infos))


def extract_package(zf: zipfile.ZipFile, check: ArchiveCheck, dest: Path) -> None:
    """Unpack the members ``check`` validated into ``dest`` (the top-level folder dropped)."""
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


def check_tokenizer(folder: Path, archive: Path) -> None:
    """Refuse ``archive`` if the SentencePiece model unpacked in ``folder`` does not load."""
    sp_model = folder / "sentencepiece.model"
    if sp_model.is_file():
        import sentencepiece as spm

        try:
            spm.SentencePieceProcessor(model_file=str(sp_model))
        except (RuntimeError, OSError) as exc:
            raise refusal(archive, f"sentencepiece.model does not load ({exc})") from None


def check_model_runs(folder: Path, archive: Path, timeout: float | None = None) -> str:
    """Translate a test sentence with the package in ``folder``, in a separate process.

    A separate process, because a damaged ``model.bin`` can crash CTranslate2 outright
    (a signal, not an exception) or spin; the installer only reads its verdict. Returns the
    test translation; raises :class:`ModelError` (refusing ``archive``) if it did not run.
    """
    limit = MODEL_CHECK_TIMEOUT if timeout is None else timeout
    command = [sys.executable, "-m", "toolkit.translate.model_check", str(folder)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            command, capture_output=True, text=True, timeout=limit, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        why = f"the model did not translate a test sentence within {limit:g} s"
        raise refusal(archive, why) from None
    verdict: dict[str, Any] = {}
    for line in reversed(done.stdout.splitlines()):
        with contextlib.suppress(ValueError):
            verdict = json.loads(line)
            break
    if done.returncode == 0 and verdict.get("ok") and isinstance(verdict.get("output"), str):
        return str(verdict["output"])
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        why = f"the model crashed ({name}) when it translated a test sentence"
    elif verdict.get("error"):
        why = f"the model failed on a test sentence ({verdict['error']})"
    else:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        why = f"the model failed on a test sentence ({tail})"
    raise refusal(archive, why)
