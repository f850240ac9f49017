"""The refusals of the campaigns (docs/errors.md)."""

from backend.core.errors import Conflict, InvalidInput


class CampaignRefused(Conflict):
    """Not now: households still unvisited, an area below not signed, the wrong state."""

    code = "campaign.refused"


class CampaignInvalid(InvalidInput):
    code = "campaign.invalid"
