from tests.campaigns.test_campaign_flow import campaign, homes  # noqa: F401  fixtures
from tests.households.conftest import *  # noqa: F403  the phone, the village, the entity forms
