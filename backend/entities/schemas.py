from datetime import datetime
from uuid import UUID

from ninja import Schema

from backend.entities.models import Dataset, Entity


class DatasetOut(Schema):
    name: str
    properties: list[str]
    creating_forms: list[str]
    updating_forms: list[str]
    entities: int
    conflicts: int

    @staticmethod
    def resolve_properties(obj: Dataset) -> list[str]:
        return [p.name for p in obj.properties.all()]

    @staticmethod
    def resolve_creating_forms(obj: Dataset) -> list[str]:
        return sorted(f.form.title for f in obj.forms.all() if f.creates)

    @staticmethod
    def resolve_updating_forms(obj: Dataset) -> list[str]:
        return sorted(f.form.title for f in obj.forms.all() if f.updates)

    @staticmethod
    def resolve_entities(obj: Dataset) -> int:
        return int(getattr(obj, "entity_count", 0))

    @staticmethod
    def resolve_conflicts(obj: Dataset) -> int:
        return int(getattr(obj, "conflict_count", 0))


class EntityOut(Schema):
    id: UUID
    label: str
    version: int
    properties: dict[str, str]
    village: str | None
    conflict: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_id(obj: Entity) -> UUID:
        return obj.uuid

    @staticmethod
    def resolve_village(obj: Entity) -> str | None:
        return obj.village.name if obj.village else None


class ResolveIn(Schema):
    note: str = ""
