from tests.sync.conftest import *  # noqa: F403  the phone, the village and the personas
