from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from backend.accounts.models import ApiToken
from backend.accounts.selectors import user_for_login
from backend.accounts.services import api_token_issue, api_token_revoke
from backend.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue, list or revoke a user's personal API tokens (Authorization: Bearer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="whose token")
        parser.add_argument("--name", help="issue a token with this name (the script using it)")
        parser.add_argument("--days", type=int, help="the new token expires after this many days")
        parser.add_argument("--list", action="store_true", help="list the user's tokens")
        parser.add_argument(
            "--revoke", type=int, metavar="ID", help="revoke the token with this id"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_for_login(options["user"])
        if user is None:
            raise CommandError(f"no active user named {options['user']!r}")
        if options["revoke"] is not None:
            token = ApiToken.objects.filter(user=user, pk=options["revoke"]).first()
            if token is None:
                raise CommandError(f"{user.username} has no token with id {options['revoke']}")
            api_token_revoke(token=token)
            self.stdout.write(f"revoked token {token.pk} ({token.name})")
        elif options["list"]:
            for token in ApiToken.objects.filter(user=user).order_by("-created_at"):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}")
        elif options["name"] is not None:
            self._issue(user, options["name"], options["days"])
        else:
            raise CommandError("say what to do: --name NAME, --list or --revoke ID")

    def _issue(self, user: Any, name: str, days: int | None) -> None:
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--days must be between 1 and 3650")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            token, secret = api_token_issue(user=user, name=name, expires_at=expires_at)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"token {token.pk} for {user.username}: {secret}")
        self.stdout.write("It is shown only now; send it as 'Authorization: Bearer <token>'.")
