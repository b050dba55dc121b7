"""Where the toolkit keeps its data (models, caches), resolved from the environment.

Nothing here creates folders on import: callers ask for a path and create it when
they are about to write.
"""

from __future__ import annotations

import os
from pathlib import Path


def toolkit_home() -> Path:
    """Return ``TOOLKIT_HOME``, else ``$XDG_DATA_HOME/toolkit``, else ``~/.local/share/toolkit``."""
    explicit = os.environ.get("TOOLKIT_HOME")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "toolkit"


def models_dir() -> Path:
    """Folder holding installed Argos packages (one sub-folder per package)."""
    return toolkit_home() / "models"


def cache_dir() -> Path:
    """Folder holding the translation and speech caches."""
    return toolkit_home() / "cache"
