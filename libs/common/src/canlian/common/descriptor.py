"""What the platform needs to know about a service to run, migrate and list it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI lists services without loading SQLAlchemy
    from sqlalchemy import MetaData


@dataclass(frozen=True)
class ServiceDescriptor:
    name: str  # e.g. "org-registry"
    schema: str  # e.g. "org_registry"
    title: str  # Chinese and English name, for the CLI and API docs
    default_port: int
    package: str  # e.g. "canlian.org_registry"

    @property
    def app_factory(self) -> str:
        return f"{self.package}.app:create_app"

    @property
    def migrations_dir(self) -> Path:
        module = importlib.import_module(self.package)
        assert module.__file__ is not None
        return Path(module.__file__).parent / "migrations"

    def metadata(self) -> MetaData:
        models = importlib.import_module(f"{self.package}.models")
        metadata: MetaData = models.Base.metadata
        return metadata


def installed_services() -> list[ServiceDescriptor]:
    """Every service installed in this environment, in their port order."""
    found = [entry.load() for entry in entry_points(group="canlian.services")]
    return sorted(
        (item for item in found if isinstance(item, ServiceDescriptor)),
        key=lambda item: item.default_port,
    )
