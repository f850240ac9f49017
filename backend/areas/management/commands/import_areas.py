import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.areas.access import OPERATOR
from backend.areas.services import AreaImportInvalid, areas_import


class Command(BaseCommand):
    help = "Import counties, townships, villages (with boundaries) and groups from GeoJSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a GeoJSON FeatureCollection")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            collection = json.loads(options["path"].read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {options['path']}: {exc.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{options['path']} is not JSON: {exc}") from None
        try:
            result = areas_import(collection=collection, editor=OPERATOR)
        except AreaImportInvalid as exc:
            for detail in exc.details:
                self.stderr.write(detail)
            raise CommandError(str(exc)) from None
        self.stdout.write(f"areas created: {result.created}, updated: {result.updated}")
