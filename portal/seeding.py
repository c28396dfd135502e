"""Idempotent loading of the versioned seed files (each app has its own under <app>/seed/)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models

SUPPORTED_VERSION = 1


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def add(self, other: "SeedReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def read_seed_file(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != SUPPORTED_VERSION:
        raise ValueError(f"{path.name}: unsupported seed version {data.get('version')!r}")
    return data


def upsert(report: SeedReport, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """Create or update one row; saves only when a value differs, so a second run writes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        report.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1
    return obj
