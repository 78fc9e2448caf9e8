"""Quality checks on one translation: small named functions, each with a severity.

Like Translate Toolkit's pofilter and Weblate's checks. A check sees the msgid, the msgstr and a
``CheckContext`` (languages, article format, glossary, settings) and yields one message per problem.
Severities: ``critical`` blocks approval and publication; ``functional`` is probably wrong;
``cosmetic`` is style.

``registry`` holds the machinery, ``inline`` takes a string apart, and each topic module registers
its checks when imported. Findings are sorted stably by severity, so the import order below is the
order of findings within a severity: keep it.
"""

from __future__ import annotations

# isort: off
from l10n.checks import markup, text, glossary, style, chinese  # noqa: F401  (they register)
# isort: on
from l10n.checks.chinese import HAN
from l10n.checks.inline import SEPARATOR, Inline, parse, parse_html, parse_markdown
from l10n.checks.registry import (
    CHECKS,
    SEVERITIES,
    Check,
    CheckContext,
    Finding,
    Pair,
    check,
    has_critical,
    run_checks,
)
from l10n.checks.workspace import (
    Report,
    check_entry,
    check_workspace,
    context_for,
    publication_gate,
)
from l10n.glossary import load_glossary

__all__ = [
    "CHECKS", "HAN", "SEPARATOR", "SEVERITIES", "Check", "CheckContext", "Finding", "Inline", "Pair",
    "Report", "check", "check_entry", "check_workspace", "context_for", "has_critical",
    "load_glossary", "parse", "parse_html", "parse_markdown", "publication_gate",
    "run_checks",
]
