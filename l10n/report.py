"""What a step did, as plain data the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StepReport:
    """Files written (paths relative to the workspace), files left as they were, notes for the user."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # things the user must fix; exit code 1

    def merge(self, other: StepReport) -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.notes += other.notes
        self.errors += other.errors
