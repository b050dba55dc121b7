"""`toolkit models`: install from files and from a 127.0.0.1 index; validation; remove."""

from __future__ import annotations

import http.server
import json
import socket
import stat
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from local_server import serving
from tiny_argos import build_tiny_argos_package
from typer.testing import CliRunner

from toolkit import config
from toolkit.cli import app
from toolkit.errors import ModelError, NetworkError
from toolkit.translate import models

runner = CliRunner()


@pytest.fixture(scope="session")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny real en→fr Argos package (.argosmodel)."""
    return build_tiny_argos_package(tmp_path_factory.mktemp("argos"), "en", "fr", "0.0.1")


@pytest.fixture(scope="session")
def tiny_package_v2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_argos_package(tmp_path_factory.mktemp("argos2"), "en", "fr", "0.0.2")


def models_dir_entries() -> list[str]:
    root = config.models_dir()
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


# --- install from files ------------------------------------------------------------------


def test_install_list_remove_with_the_cli(tiny_package: Path) -> None:
    result = runner.invoke(app, ["models", "install", str(tiny_package)])
    assert result.exit_code == 0, result.output
    assert "translate-en_fr 0.0.1" in result.output
    assert models_dir_entries() == ["translate-en_fr"]
    installed = config.models_dir() / "translate-en_fr"
    assert (installed / "model" / "model.bin").is_file()
    assert (installed / "sentencepiece.model").is_file()

    listed = runner.invoke(app, ["models", "list", "--json"])
    assert listed.exit_code == 0
    items = json.loads(listed.output)
    assert [(i["from_code"], i["to_code"], i["package_version"]) for i in items] == [
        ("en", "fr", "0.0.1")
    ]

    table = runner.invoke(app, ["models", "list"])
    assert "installed" in table.output and "toolkit models install ar" in table.output

    removed = runner.invoke(app, ["models", "remove", "fr"])
    assert removed.exit_code == 0 and "Removed translate-en_fr" in removed.output
    assert models_dir_entries() == []
    again = runner.invoke(app, ["models", "remove", "fr"])
    assert again.exit_code == 4 and "No en→fr model is installed" in again.output


def test_reinstall_replaces_the_pair(tiny_package: Path, tiny_package_v2: Path) -> None:
    models.install_file(tiny_package)
    package = models.install_file(tiny_package_v2)
    assert package.package_version == "0.0.2"
    assert models_dir_entries() == ["translate-en_fr"]
    assert models.find_package("en", "fr") == package


def test_packages_live_under_toolkit_home(tiny_package: Path, isolated_home: Path) -> None:
    package = models.install_file(tiny_package)
    assert isolated_home in package.path.parents


# --- refused archives --------------------------------------------------------------------


def rezip(
    source: Path,
    dest: Path,
    edit: Callable[[list[tuple[zipfile.ZipInfo, bytes]]], list[tuple[zipfile.ZipInfo, bytes]]],
) -> Path:
    with zipfile.ZipFile(source) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(dest, "w") as out:
        for info, data in edit(members):
            out.writestr(info, data)
    return dest


def drop(suffix: str) -> Callable[..., list[tuple[zipfile.ZipInfo, bytes]]]:
    return lambda members: [(i, d) for i, d in members if not i.filename.endswith(suffix)]


def add(
    name: str, data: bytes = b"x", mode: int | None = None
) -> Callable[..., list[tuple[zipfile.ZipInfo, bytes]]]:
    def edit(members: list[tuple[zipfile.ZipInfo, bytes]]) -> list[tuple[zipfile.ZipInfo, bytes]]:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        return [*members, (info, data)]

    return edit


def set_metadata(**changes: object) -> Callable[..., list[tuple[zipfile.ZipInfo, bytes]]]:
    def edit(members: list[tuple[zipfile.ZipInfo, bytes]]) -> list[tuple[zipfile.ZipInfo, bytes]]:
        out = []
        for info, data in members:
            if info.filename.endswith("metadata.json"):
                meta = json.loads(data)
                meta.update(changes)
                meta = {k: v for k, v in meta.items() if v is not None}
                data = json.dumps(meta).encode()
            out.append((info, data))
        return out

    return edit


def rename_top(members: list[tuple[zipfile.ZipInfo, bytes]]) -> list[tuple[zipfile.ZipInfo, bytes]]:
    out = []
    for info, data in members:
        if info.filename.endswith("README.md"):
            info = zipfile.ZipInfo("other/README.md")
        out.append((info, data))
    return out


BAD_ARCHIVES = [
    ("zip-slip", add("translate-en_fr-0_0_1/../../evil.txt"), "escapes the package folder"),
    ("absolute", add("/etc/evil.txt"), "absolute"),
    ("backslash", add("translate-en_fr-0_0_1\\..\\evil.txt"), "non-portable"),
    (
        "symlink",
        add("translate-en_fr-0_0_1/link", b"/etc/passwd", stat.S_IFLNK | 0o777),
        "symbolic link",
    ),
    ("two-tops", rename_top, "one top-level folder"),
    ("top-file", add("stray.txt"), "outside the package's top-level folder"),
    ("no-metadata", drop("metadata.json"), "metadata.json is missing"),
    ("no-to-code", set_metadata(to_code=None), "no valid 'to_code'"),
    ("bad-code", set_metadata(from_code="../x"), "no valid 'from_code'"),
    ("not-translate", set_metadata(type="sbd"), "not a translation model"),
    ("no-model", drop("model.bin"), "model/model.bin"),
    ("no-tokenizer", drop("sentencepiece.model"), "tokenizer"),
    (
        "bad-sentencepiece",
        lambda m: [
            (i, b"garbage" if i.filename.endswith("sentencepiece.model") else d) for i, d in m
        ],
        "sentencepiece.model does not load",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "message"), BAD_ARCHIVES, ids=[c[0] for c in BAD_ARCHIVES]
)
def test_bad_archives_are_refused_and_nothing_lands(
    tiny_package: Path,
    tmp_path: Path,
    name: str,
    edit: Callable[..., list[tuple[zipfile.ZipInfo, bytes]]],
    message: str,
) -> None:
    bad = rezip(tiny_package, tmp_path / f"{name}.argosmodel", edit)
    result = runner.invoke(app, ["models", "install", str(bad)])
    assert result.exit_code == 4, result.output
    assert message in result.output
    assert "Hint:" in result.output
    assert models_dir_entries() == []
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize("kind", ["not-a-zip", "truncated", "crc"])
def test_corrupt_files_are_refused(tiny_package: Path, tmp_path: Path, kind: str) -> None:
    data = tiny_package.read_bytes()
    if kind == "not-a-zip":
        data = b"this is not a zip file" * 10
    elif kind == "truncated":
        data = data[: len(data) // 2]
    else:  # flip bytes inside the (stored-size) model payload: CRC fails during extraction
        with zipfile.ZipFile(tiny_package) as zf:
            info = zf.getinfo("translate-en_fr-0_0_1/model/model.bin")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
        data = data[:start] + bytes(b ^ 0xFF for b in data[start : start + 64]) + data[start + 64 :]
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(data)
    with pytest.raises(ModelError) as info:
        models.install_file(bad)
    assert "Refusing bad.argosmodel" in info.value.message
    assert models_dir_entries() == []


def test_installing_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["models", "install", str(tmp_path / "nope.argosmodel")])
    assert result.exit_code == 3 and "Package file not found" in result.output


# --- the index, served on 127.0.0.1 -------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture
def index_server(tmp_path: Path, tiny_package: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving ``tmp_path/www``; yields (base URL, folder)."""
    www = tmp_path / "www"
    www.mkdir()
    (www / tiny_package.name).write_bytes(tiny_package.read_bytes())
    with serving(partial(QuietHandler, directory=str(www))) as base:
        yield f"{base}/", www


def write_index(www: Path, base: str, entries: list[dict[str, object]] | None = None) -> None:
    if entries is None:
        entries = [
            {
                "from_code": "en",
                "to_code": "fr",
                "package_version": "0.0.1",
                "type": "translate",
                "links": [base + "missing.argosmodel", base + "translate-en_fr-0_0_1.argosmodel"],
            },
            {"from_code": "en", "to_code": "ar", "package_version": "1.0", "links": []},
        ]
    (www / "index.json").write_text(json.dumps(entries), encoding="utf-8")


def test_install_by_language_from_the_index(
    index_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, www = index_server
    write_index(www, base)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    result = runner.invoke(app, ["models", "install", "fr"])
    assert result.exit_code == 0, result.output
    assert models_dir_entries() == ["translate-en_fr"]  # the download temp file is gone
    listed = runner.invoke(app, ["models", "list", "--available", "--json"])
    items = json.loads(listed.output)
    assert {(i["to_code"], i["installed"]) for i in items} == {
        ("fr", True),
        ("fr", False),
        ("ar", False),
    }
    table = runner.invoke(app, ["models", "list", "--available"])
    assert "Available from " + base + "index.json" in table.output.replace("\n", "")


def test_index_url_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    assert models.index_url() == models.DEFAULT_INDEX + "index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:1/mirror")
    assert models.index_url() == "http://127.0.0.1:1/mirror/index.json"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:1/x/packages.json")
    assert models.index_url() == "http://127.0.0.1:1/x/packages.json"


def test_unreachable_index_names_the_offline_alternative(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{port}/")
    result = runner.invoke(app, ["models", "install", "fr"])
    assert result.exit_code == 5, result.output
    assert "Cannot reach the model index" in result.output
    assert "toolkit models install PATH.argosmodel" in result.output
    assert models_dir_entries() == []


@pytest.mark.parametrize("body", ["[]", "{}", "not json", '[{"type": "sbd"}]'])
def test_empty_or_invalid_index(
    index_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    base, www = index_server
    (www / "index.json").write_text(body, encoding="utf-8")
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    with pytest.raises(NetworkError) as info:
        models.install_from_index("fr")
    assert "toolkit models install PATH.argosmodel" in info.value.hint
    assert models_dir_entries() == []


def test_index_without_the_pair_or_with_dead_links(
    index_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, www = index_server
    write_index(www, base)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    with pytest.raises(ModelError, match="no en→ru package"):
        models.install_from_index("ru")
    with pytest.raises(NetworkError, match="Cannot download the ar model") as info:
        models.install_from_index("ar")
    assert "translate-en_ar" in info.value.hint
    assert models_dir_entries() == []


def test_a_corrupt_download_installs_nothing(
    index_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, www = index_server
    (www / "broken.argosmodel").write_bytes(b"PK\x03\x04 broken")
    write_index(
        www,
        base,
        [
            {
                "from_code": "en",
                "to_code": "fr",
                "package_version": "9",
                "links": [base + "broken.argosmodel"],
            }
        ],
    )
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    result = runner.invoke(app, ["models", "install", "fr"])
    assert result.exit_code == 4 and "Refusing" in result.output
    assert models_dir_entries() == []


def test_models_help() -> None:
    for args in (
        ["models", "--help"],
        ["models", "list", "--help"],
        ["models", "install", "--help"],
        ["models", "remove", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, args
