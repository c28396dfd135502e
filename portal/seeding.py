"""Idempotent loading of the versioned seed files (each app has its own under <app>/seed/).

By default a row that exists is left alone, so that what administrators changed in the portal
survives a restart (docker-compose loads the seed data on every start). `overwrite` brings
existing rows back to the seed file's values.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import models

SUPPORTED_VERSION = 1


@dataclass
class Seeder:
    overwrite: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Create the row if missing; update it only when overwriting and a value differs."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.created += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed and self.overwrite:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save(update_fields=changed)
            self.updated += 1
        else:
            self.unchanged += 1
        return obj


def read_seed_file(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != SUPPORTED_VERSION:
        raise ValueError(f"{path.name}: unsupported seed version {data.get('version')!r}")
    return data
