from tests.households.conftest import *  # noqa: F403  the phone, the village, the entity forms
