"""python -m ops.faults: Django is set up first, as the suite reads the server's database."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django.setup()

from ops.faults.suite import main  # noqa: E402  the models need the app registry ready

sys.exit(main(sys.argv[1:]))
