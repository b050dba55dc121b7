"""``toolkit models list|install|remove``: Argos packages under TOOLKIT_HOME."""

from __future__ import annotations

import json

import typer

from toolkit.cli.common import console

models_app = typer.Typer(
    help="List, install and remove offline translation models (Argos packages).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``models`` command group to ``app``."""
    app.add_typer(models_app, name="models")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


@models_app.command("list")
def list_command(
    available: bool = typer.Option(
        False, "--available", help="Also query the model index (ARGOS_PACKAGE_INDEX)."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Machine output: a list of {from_code, to_code, package_version}."
    ),
) -> None:
    """Show, for each UN language, the installed model (and with --available, the index)."""
    from rich.table import Table

    from toolkit import config
    from toolkit.languages import LANGUAGES, TARGET_LANGUAGES
    from toolkit.translate import models

    installed = models.installed_packages()
    offers = models.fetch_index() if available else []
    if as_json:
        items = [p.to_dict() for p in installed] + [p.to_dict() for p in offers]
        typer.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Translation models in {config.models_dir()}")
    for column in ("Language", "From", "To", "Version", "Size", "Status"):
        table.add_column(column)
    by_pair = {(p.from_code, p.to_code): p for p in installed}
    missing: list[str] = []
    for code in TARGET_LANGUAGES:
        package = by_pair.pop(("en", code), None)
        name = LANGUAGES[code].name
        if package:
            table.add_row(
                name, "en", code, package.package_version, _size(package.size_bytes), "installed"
            )
        else:
            table.add_row(name, "en", code, "-", "-", "missing")
            missing.append(code)
    for package in by_pair.values():
        table.add_row(
            "(other)",
            package.from_code,
            package.to_code,
            package.package_version,
            _size(package.size_bytes),
            "installed",
        )
    out = console()
    out.print(table)
    if missing:
        out.print(
            f"Install the missing ones with `toolkit models install {' '.join(missing)}`, "
            "or offline `toolkit models install PATH.argosmodel`.",
            soft_wrap=True,
        )
    if available:
        index = Table(title=f"Available from {models.index_url()}")
        for column in ("From", "To", "Version"):
            index.add_column(column)
        for offer in offers:
            if offer.from_code == "en" and offer.to_code in TARGET_LANGUAGES:
                index.add_row(offer.from_code, offer.to_code, offer.package_version)
        out.print(index)


@models_app.command("install")
def install_command(
    targets: list[str] = typer.Argument(
        ...,
        help="Languages to download from the index (fr ar …) or .argosmodel files (offline).",
        show_default=False,
    ),
) -> None:
    """Install models from the Argos index or from .argosmodel files, validated first."""
    from toolkit.translate import models

    out = console()
    for target in targets:
        package = models.install([target])[0]
        out.print(
            f"Installed {package.name} {package.package_version} "
            f"({_size(package.size_bytes)}) in {package.path}"
        )


@models_app.command("remove")
def remove_command(
    langs: list[str] = typer.Argument(
        ..., help="Target languages whose en→LANG model to uninstall.", show_default=False
    ),
) -> None:
    """Uninstall the en→LANG model of each language given."""
    from toolkit.translate import models

    out = console()
    for lang in langs:
        for package in models.remove(lang):
            out.print(f"Removed {package.name} {package.package_version}")
