"""Figures next to the ceilings measured in the same run, as JSON and a markdown table."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


@dataclass
class Figure:
    benchmark: str
    metric: str
    value: float | None
    unit: str
    ceiling: str | None = None  # what the ceiling is, measured in the same run
    ceiling_value: float | None = None
    goal: str = ""
    note: str = ""
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.ceiling_value:
            return None
        if self.higher_is_better:
            return self.value / self.ceiling_value
        return self.ceiling_value / self.value if self.value else None


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(
            f"  {figure.benchmark} / {figure.metric}: {_number(figure.value)} {figure.unit}"
            + (
                f"  (ceiling {_number(figure.ceiling_value)}, ratio {_ratio(figure.ratio)})"
                if figure.ceiling
                else ""
            ),
            flush=True,
        )

    def markdown(self) -> str:
        lines = [
            f"Run {self.started} on {platform.node()} ({platform.machine()}, {_cpus()} cores).",
            "",
            "| benchmark | figure | value | ceiling (same run) | ratio | goal |",
            "|---|---|---:|---|---:|---|",
        ]
        for f in self.figures:
            ceiling = f"{f.ceiling}: {_number(f.ceiling_value)} {f.unit}" if f.ceiling else "—"
            lines.append(
                f"| {f.benchmark} | {f.metric} | {_number(f.value)} {f.unit} | {ceiling} | "
                f"{_ratio(f.ratio)} | {f.goal}{' — ' + f.note if f.note else ''} |"
            )
        return "\n".join(lines) + "\n"

    def write(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        payload = {
            "started": self.started,
            "machine": {"node": platform.node(), "cpus": _cpus()},
            "figures": [{**asdict(f), "ratio": f.ratio} for f in self.figures],
        }
        (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
        (RESULTS / "latest.md").write_text(self.markdown())
        return RESULTS / "latest.md"


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"
