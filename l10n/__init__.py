"""l10n: translate articles through gettext PO files, and build localized editions."""

from __future__ import annotations

__version__ = "0.1.0"
